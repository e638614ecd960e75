"""The web's templates, and the part of a story page rendered once, when its findings are computed.

A large story's findings, matrix and timeline were most of the cost of its page (Jinja over a
few hundred findings and their evidence: 50 ms and more on a busy machine), and they change only
when the findings do. :func:`fragment` renders them (``_comparison.html``) in the worker that
computes the findings; the store keeps the fragment beside them, stamped (:func:`stamp`) with the
template, labels and riwaya version that rendered it. A story page shows a fragment of this stamp
as it is, and renders the comparison itself otherwise (an older store, another version's
fragment). Imports Jinja, not FastAPI: findings workers load this.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from riwaya import __version__
from riwaya.report.wording import LABELS
from riwaya.web import filters
from riwaya.web.safety import finalize, highlight, safe_text, safe_url

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
FRAGMENT = "_comparison.html"
KIND_AR = {k: v["ar"] for k, v in LABELS["kind"].items()}
SOURCE_AR = {k: v["ar"] for k, v in LABELS["source"].items()}
CELL_AR = {k: v["ar"] for k, v in LABELS["cell"].items()}
STORY_AR = {k: v["ar"] for k, v in LABELS["story"].items()}


@functools.cache
def environment() -> Environment:
    """The templates with the filters and labels every page uses (one environment a process)."""
    from riwaya.web import pages

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        KIND_AR=KIND_AR,
        SOURCE_AR=SOURCE_AR,
        CELL_AR=CELL_AR,
        STORY_AR=STORY_AR,
        version=__version__,
        SOURCE_KINDS=pages.SOURCE_KINDS,
    )
    env.filters["q"] = lambda s: quote(str(s), safe="")
    env.filters["highlight"] = highlight
    env.filters["safe_text"] = safe_text
    env.filters["safe_url"] = safe_url
    env.filters["day"] = lambda s: (s or "")[:10]
    env.filters["minute"] = lambda s: (s or "").replace("T", " ")[:16]
    env.filters["count"] = filters.count
    env.filters["entity_type"] = filters.entity_type
    return env


@functools.cache
def stamp() -> str:
    """What rendered a fragment: the fragment template, the labels and riwaya's version."""
    h = hashlib.sha1((TEMPLATES / FRAGMENT).read_bytes())
    h.update(json.dumps([KIND_AR, SOURCE_AR, CELL_AR, STORY_AR, __version__], sort_keys=True).encode())
    return h.hexdigest()[:16]


def comparison_html(comparison: dict[str, Any] | None, view: dict[str, Any]) -> str:
    """The story page's comparison part: at most ``FINDINGS_PER_KIND`` findings of a kind (and
    how many were left out), the outlet × claim matrix and the timeline."""
    from riwaya.web.pages import shown_findings

    shown, omitted = shown_findings(comparison)
    return environment().get_template(FRAGMENT).render(comparison=shown, omitted=omitted, view=view)


def fragment(comparison: dict[str, Any], view: dict[str, Any]) -> dict[str, str]:
    """The fragment to store with a story's findings (``comparison`` as the store keeps it)."""
    return {"stamp": stamp(), "html": comparison_html(comparison, view)}


def stored_html(stored: dict[str, Any] | None) -> Markup | None:
    """A stored fragment's HTML if this riwaya rendered it so (else None: render it live)."""
    if not stored or stored.get("stamp") != stamp() or not isinstance(stored.get("html"), str):
        return None
    return Markup(stored["html"])
