"""``compare``: what a comparison finds between two articles (rows ``{id, a, b}`` with optional
``a_url``, ``b_url``, ``a_published``, ``b_published`` → ``{id, findings: [{kind, a_lines,
b_lines}]}``, lines being the indices of the ``\\n``-separated lines of ``a`` / ``b`` that hold
each finding's evidence).

One process for the whole file: each distinct article is analysed once (an article met in several
pairs is copied for each). Two articles that are copies of one report are one report: the row
gets one ``agreement`` finding on their opening lines.
"""

from __future__ import annotations

import bisect
import copy
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from riwaya.comparison import compare_analyses
from riwaya.errors import InputError
from riwaya.model import Analysis, Article, Comparison, Evidence
from riwaya.pipeline import analyze_many
from riwaya.text import templates

DATA = {"train": ["compare/unifiedfc-train.jsonl"], "dev": ["compare/unifiedfc-dev.jsonl"]}
KEY = "findings"


def _outlet(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _published(value: object, row_id: object) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"row {row_id}", f"bad publication time {value!r}") from None


def _articles(rows: list[dict]) -> tuple[dict[tuple, Article], list[tuple[tuple, tuple]]]:
    distinct: dict[tuple, Article] = {}
    pairs = []
    for r in rows:
        keys = []
        for side in ("a", "b"):
            text = r.get(side)
            if not isinstance(text, str):
                raise InputError(f"row {r.get('id')}", f'expected an "{side}" string')
            url = r.get(f"{side}_url")
            published = _published(r.get(f"{side}_published"), r.get("id"))
            k = (text, url, published)
            if k not in distinct:
                distinct[k] = Article(
                    id=f"{side}{len(distinct)}", text=text, url=url, published=published, source=_outlet(url)
                )
            keys.append(k)
        pairs.append((keys[0], keys[1]))
    return distinct, pairs


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def lines_of(starts: list[int], e: Evidence) -> list[int]:
    """The lines an evidence span touches."""
    first = bisect.bisect_right(starts, e.start) - 1
    last = bisect.bisect_right(starts, max(e.start, e.end - 1)) - 1
    return list(range(first, last + 1))


def findings_of(comparison: Comparison, a: Analysis, b: Analysis) -> list[dict]:
    """The comparison's findings as evidence lines of ``a`` and ``b``."""
    ids = {
        a.article.id: ("a_lines", _line_starts(a.article.text)),
        b.article.id: ("b_lines", _line_starts(b.article.text)),
    }
    out = []
    if any({a.article.id, b.article.id} <= set(group) for group in comparison.copies):
        # one report carried twice: they agree on all of it (its opening claims stand for it)
        lead = {
            aid: sorted({ln for c in an.claims[:3] for ln in lines_of(ids[aid][1], _span(c))})
            for aid, an in ((a.article.id, a), (b.article.id, b))
        }
        return [{"kind": "agreement", "a_lines": lead[a.article.id], "b_lines": lead[b.article.id]}]
    for story in comparison.stories:
        for f in story.findings:
            lines: dict[str, set[int]] = {"a_lines": set(), "b_lines": set()}
            for e in f.evidence:
                if e.article in ids:
                    side, starts = ids[e.article]
                    lines[side].update(lines_of(starts, e))
            out.append(
                {"kind": f.kind, "a_lines": sorted(lines["a_lines"]), "b_lines": sorted(lines["b_lines"])}
            )
    return out


def _span(claim) -> Evidence:
    return Evidence("", claim.start, claim.end, "")


def predict(rows: list[dict]) -> list[dict]:
    distinct, pairs = _articles(rows)
    analysed = dict(zip(distinct, analyze_many(list(distinct.values())), strict=True))
    # each outlet's page template, learned from its articles in the file
    templates.learn([a.document for a in analysed.values()], lambda d: d.article.outlet)
    out = []
    for r, (ka, kb) in zip(rows, pairs, strict=True):
        a, b = copy.deepcopy(analysed[ka]), copy.deepcopy(analysed[kb])
        if a.article.id == b.article.id:
            b.article.id += "~b"
        comparison = compare_analyses([a, b])
        out.append({"id": r["id"], KEY: findings_of(comparison, a, b)})
    return out


def train(data_dir: Path, out_dir: Path) -> dict:
    raise InputError(
        "compare",
        "nothing to train: the comparison's models are trained by their own tasks "
        "(pairs, clusters, checkworthy, ner)",
    )
