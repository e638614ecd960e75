"""The JSON report: a versioned, self-contained document (schema: ``riwaya/schema/comparison.schema.json``).

Articles carry their full text so every evidence span can be checked against it; findings and
summaries are :func:`riwaya.model.to_dict` of the model objects.
"""

from __future__ import annotations

import json
from typing import Any

from riwaya.model import SCHEMA_VERSION, Analysis, Claim, Comparison, Source, to_dict
from riwaya.models.genre import is_opinion

SCHEMA_ID = "https://riwaya.invalid/schema/comparison.schema.json"


def _source(s: Source) -> dict[str, Any]:
    return {"kind": s.kind, "text": s.text, "start": s.start, "end": s.end, "entity": s.entity,
            "role": s.role}


def _claim(c: Claim) -> dict[str, Any]:
    return {"id": c.id, "start": c.start, "end": c.end, "text": c.text,
            "source": _source(c.source), "chain": [_source(s) for s in c.chain],
            "polarity": c.polarity, "modality": c.modality, "hedged": c.hedged,
            "entities": list(c.entities), "checkworthy": c.checkworthy}


def _article(a: Analysis) -> dict[str, Any]:
    art = a.article
    return {"id": art.id, "outlet": art.outlet, "source": art.source, "title": art.title,
            "url": art.url, "author": art.author,
            "published": art.published.isoformat() if art.published else None,
            "credits": art.credits, "language": art.language, "origin": art.origin,
            "opinion": is_opinion(a.document), "text": art.text, "claims": [_claim(c) for c in a.claims]}


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """The JSON report as plain data."""
    from riwaya import __version__

    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "riwaya", "version": __version__},
        "articles": [_article(a) for a in comparison.analyses],
        "stories": [{**to_dict(sc.story), "findings": to_dict(sc.findings),
                     "summary": to_dict(sc.summary), "matters": to_dict(sc.matters)}
                    for sc in comparison.stories],
        "set_aside": list(comparison.set_aside),
        "copies": [list(group) for group in comparison.copies],
    }


def render_json(comparison: Comparison) -> str:
    return json.dumps(comparison_dict(comparison), ensure_ascii=False, indent=2) + "\n"
