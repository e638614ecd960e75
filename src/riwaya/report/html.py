"""The standalone HTML report: one file, right-to-left, the articles side by side with evidence
highlighted. Each finding links to its evidence spans and each span links back to its findings.

All text goes through jinja2 autoescaping; bidi control characters are replaced by visible
marks before rendering so an article cannot reorder the page around it.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup, escape

from riwaya.model import Analysis, Comparison, Finding, StoryComparison, shorten
from riwaya.models.genre import is_opinion
from riwaya.report.wording import label

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

KIND_COLOURS = {
    "contradiction": "#d62728", "sourcing_contrast": "#9467bd", "numeric_discrepancy": "#ff7f0e",
    "date_discrepancy": "#e377c2", "timing": "#17becf", "naming": "#8c564b",
    "agreement": "#2ca02c", "unique": "#1f77b4",
}


def neutralise(text: str) -> str:
    """Bidi control characters shown as a visible ``[U+202E]`` instead of acting on the page."""
    return BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def clean(value: object) -> Markup:
    """Jinja filter: neutralised and escaped."""
    return escape(neutralise("" if value is None else str(value)))


def isolated(value: object, names: Iterable[str]) -> Markup:
    """Jinja filter: :func:`clean`, with every outlet name inside a ``<bdi>``, so that a name in
    another script (a file stem, ``akhbar-alhadath``) keeps its place in an Arabic sentence."""
    text = str(clean(value))
    found = sorted({str(escape(n)) for n in names if n and len(n) > 1}, key=len, reverse=True)
    if not found:
        return Markup(text)
    pattern = re.compile("|".join(re.escape(n) for n in found))
    return Markup(pattern.sub(lambda m: f"<bdi>{m.group()}</bdi>", text))


@dataclass(slots=True)
class _Span:
    finding: Finding
    index: int  # position in finding.evidence
    start: int
    end: int

    @property
    def anchor(self) -> str:
        return f"{self.finding.id}-e{self.index}"


def highlighted(text: str, spans: list[_Span]) -> Markup:
    """The article text, escaped, with each evidence span marked and cross-linked.

    Overlapping spans are cut at every boundary; each piece is one ``<mark>`` listing the
    findings that cover it. An anchor opens each span and links after it lead back to its
    findings.
    """
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    opens: dict[int, list[_Span]] = defaultdict(list)
    closes: dict[int, list[_Span]] = defaultdict(list)
    for s in spans:
        opens[s.start].append(s)
        closes[s.end].append(s)
    out: list[str] = []
    active: list[_Span] = []
    for a, b in itertools.pairwise(cuts):
        for s in closes.get(a, []):
            if s in active:
                active.remove(s)
        if closes.get(a):
            fids = list(dict.fromkeys(s.finding.id for s in closes[a]))
            out.append("".join(f'<a class="back" href="#{f}" title="{f}">{f.rsplit("-", 1)[-1]}</a>'
                               for f in fids))
        for s in opens.get(a, []):
            active.append(s)
            out.append(f'<span class="anchor" id="{s.anchor}"></span>')
        piece = str(clean(text[a:b]))
        if active:
            first_kind = next(iter(dict.fromkeys(s.finding.kind for s in active)))
            covering = " ".join(dict.fromkeys(s.finding.id for s in active))
            out.append(f'<mark class="k-{first_kind}" data-findings="{covering}">{piece}</mark>')
        else:
            out.append(piece)
    if closes.get(len(text)):
        fids = list(dict.fromkeys(s.finding.id for s in closes[len(text)]))
        out.append("".join(f'<a class="back" href="#{f}">{f.rsplit("-", 1)[-1]}</a>' for f in fids))
    return Markup("".join(out))


_SOURCING = (("record", "#2ca02c"), ("second_hand", "#ff7f0e"), ("unattributed", "#bbbbbb"))
_SOURCING_LABEL = {"record": {"ar": "منسوبة بالاسم", "en": "on record"},
                   "second_hand": {"ar": "مجهولة أو عن وسائل إعلام", "en": "anonymous or via media"},
                   "unattributed": {"ar": "دون نسبة", "en": "unattributed"}}


def _sourcing(claim) -> str:
    chain = claim.chain
    if not chain:
        return "unattributed"
    if any(s.kind in ("anonymous", "media") for s in chain):
        return "second_hand"
    return "record" if chain[-1].kind in ("named_person", "organization") else "unattributed"


def chart(story: StoryComparison, analyses: dict[str, Analysis], names: dict[str, str], lang: str) -> Markup:
    """An inline SVG, one row per outlet: its claims by how they are sourced (on record,
    anonymous or via other media, unattributed), and how many matters it stands alone on and how
    many contradictions it is party to."""
    arts = story.story.articles
    counts = {a: {k: 0 for k, _ in _SOURCING} for a in arts}
    for a in arts:
        for c in analyses[a].claims:
            counts[a][_sourcing(c)] += 1
    alone = {a: sum(1 for m in story.matters if m.articles == [a]) for a in arts}
    disputed = {a: sum(1 for f in story.findings if f.kind == "contradiction" and a in f.articles)
                for a in arts}
    top = max((sum(c.values()) for c in counts.values()), default=0) or 1
    bar, label_w, bar_w, width = 16, 150, 230, 600
    rows: list[str] = []
    y = 8
    for a in arts:
        rows.append(f'<text x="{label_w - 6}" y="{y + bar - 4}" text-anchor="end" class="lbl">'
                    f'{clean(shorten(names[a], 22))}</text>')
        x = float(label_w)
        for kind, colour in _SOURCING:
            n = counts[a][kind]
            w = bar_w * n / top
            if n:
                rows.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}">'
                            f'<title>{escape(_SOURCING_LABEL[kind][lang])}: {n}</title></rect>')
            x += w
        note = (f"انفراد {alone[a]} · تناقض {disputed[a]}" if lang == "ar"
                else f"alone on {alone[a]} · contradictions {disputed[a]}")
        rows.append(f'<text x="{label_w + bar_w + 10}" y="{y + bar - 4}" class="num">{escape(note)}</text>')
        y += bar + 8
    for i, (kind, colour) in enumerate(_SOURCING):
        x = label_w + 150 * i
        rows.append(f'<rect x="{x}" y="{y + 4}" width="10" height="10" fill="{colour}"/>'
                    f'<text x="{x + 14}" y="{y + 13}" class="lbl">'
                    f'{escape(_SOURCING_LABEL[kind][lang])}</text>')
    height = y + 22
    title = "claims by sourcing per outlet" if lang == "en" else "الادعاءات بحسب مصادرها لكل منفذ"
    # laid out left to right in its own coordinates (labels end where the bars start); it
    # scales down to a narrow screen
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                  f'viewBox="0 0 {width} {height}" direction="ltr" role="img" aria-label="{title}">'
                  f'<title>{title}</title>'
                  + "".join(rows) + "</svg>")


@cache
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("riwaya", "report/templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["clean"] = clean
    env.filters["isolated"] = isolated
    env.filters["short"] = shorten
    return env.get_template("comparison.html")


def render_html(comparison: Comparison, lang: str = "ar") -> str:
    """The whole report as one standalone HTML document."""
    from riwaya import __version__

    by_id = {a.article.id: a for a in comparison.analyses}
    names = {aid: a.article.outlet for aid, a in by_id.items()}
    stories = []
    for sc in comparison.stories:
        spans: dict[str, list[_Span]] = defaultdict(list)
        for f in sc.findings:
            for i, e in enumerate(f.evidence):
                spans[e.article].append(_Span(f, i, e.start, e.end))
        articles = [{"id": aid, "name": names[aid], "article": by_id[aid].article,
                     "opinion": is_opinion(by_id[aid].document),
                     "body": highlighted(by_id[aid].article.text, spans[aid])}
                    for aid in sc.story.articles]
        stories.append({"sc": sc, "articles": articles, "chart": chart(sc, by_id, names, lang)})
    return _template().render(
        lang=lang, stories=stories, names=names, kind_colours=KIND_COLOURS,
        label=lambda table, name: label(table, name, lang), version=__version__,
        set_aside=[by_id[a].article for a in comparison.set_aside if a in by_id],
        copies=[[names.get(a, a) for a in group] for group in comparison.copies],
        outlet=lambda art: names.get(art.id, art.id))
