"""Making article text inert in HTML: escaping, bidi controls neutralised, spans highlighted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from markupsafe import Markup, escape

from riwaya.report.html import neutralise  # one policy for every page: controls shown as [U+202E]

# Embeddings, overrides and isolates (U+202A–E, U+2066–9) could reorder the page around them.
_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def finalize(value: object) -> object:
    """Jinja ``finalize``: every printed string is neutralised before autoescaping."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return neutralise(value)
    return value


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s), else None (no ``javascript:`` or ``data:`` links)."""
    if url and url.strip().lower().startswith(("http://", "https://")) and not _CONTROLS.search(url):
        return url.strip()
    return None


def safe_text(text: str) -> Markup:
    return Markup(escape(neutralise(text)))


class Mark(NamedTuple):
    """A span of text to highlight: ``<mark id=anchor>``, with a ↩ link back when ``link`` is set."""

    start: int
    end: int
    anchor: str
    link: str = ""


def highlight(text: str, spans: Iterable[Mark]) -> Markup:
    """Escaped text with ``<mark>`` around each span.

    Overlapping spans keep the first; paragraphs (blank-line separated) become ``<p>``.
    """
    out: list[str] = []
    pos = 0
    for start, end, anchor, link in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos or end <= start or end > len(text):
            continue
        out.append(_plain(text[pos:start]))
        body = _plain(text[start:end])
        link_html = f'<a class="back" href="{escape(link)}">↩</a>' if link else ""
        out.append(f'<mark id="{escape(anchor)}" tabindex="-1">{body}{link_html}</mark>')
        pos = end
    out.append(_plain(text[pos:]))
    return Markup("".join(out))


def _plain(piece: str) -> str:
    return str(escape(neutralise(piece))).replace("\n", "<br>\n")
