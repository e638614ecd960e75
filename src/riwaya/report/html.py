"""The standalone HTML report: one file, right-to-left, the articles side by side with evidence
highlighted. Each finding links to its evidence spans and each span links back to its findings.

All text goes through jinja2 autoescaping; bidi control characters are replaced by visible
marks before rendering so an article cannot reorder the page around it.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup, escape

from riwaya.model import Comparison, Finding, StoryComparison

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

KIND_COLOURS = {
    "contradiction": "#d62728", "sourcing_contrast": "#9467bd", "numeric_discrepancy": "#ff7f0e",
    "date_discrepancy": "#e377c2", "timing": "#17becf", "naming": "#8c564b",
    "agreement": "#2ca02c", "unique": "#1f77b4",
}
KIND_AR = {
    "contradiction": "تناقض", "sourcing_contrast": "تباين المصادر", "numeric_discrepancy": "تباين الأرقام",
    "date_discrepancy": "تباين التواريخ", "timing": "توقيت", "naming": "تسمية", "agreement": "اتفاق",
    "unique": "انفراد",
}
KIND_EN = {k: k.replace("_", " ") for k in KIND_COLOURS}


def neutralise(text: str) -> str:
    """Bidi control characters shown as a visible ``[U+202E]`` instead of acting on the page."""
    return BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def clean(value: object) -> Markup:
    """Jinja filter: neutralised and escaped."""
    return escape(neutralise("" if value is None else str(value)))


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
            kinds = list(dict.fromkeys(s.finding.kind for s in active))
            fids = " ".join(dict.fromkeys(s.finding.id for s in active))
            out.append(f'<mark class="k-{kinds[0]}" data-findings="{fids}">{piece}</mark>')
        else:
            out.append(piece)
    if closes.get(len(text)):
        fids = list(dict.fromkeys(s.finding.id for s in closes[len(text)]))
        out.append("".join(f'<a class="back" href="#{f}">{f.rsplit("-", 1)[-1]}</a>' for f in fids))
    return Markup("".join(out))


def chart(story: StoryComparison, names: dict[str, str], lang: str) -> Markup:
    """A small inline SVG: findings of each kind per outlet (grouped horizontal bars)."""
    kinds = [k for k in KIND_COLOURS if any(f.kind == k for f in story.findings)]
    arts = story.story.articles
    if not kinds:
        return Markup("")
    counts = {(k, a): sum(1 for f in story.findings if f.kind == k and a in f.articles)
              for k in kinds for a in arts}
    top = max(counts.values()) or 1
    bar, gap, label_w, width = 12, 8, 130, 460
    palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"]
    rows, y = [], 10
    for k in kinds:
        label = KIND_AR[k] if lang == "ar" else KIND_EN[k]
        rows.append(f'<text x="{label_w - 6}" y="{y + bar * len(arts) / 2 + 4}" text-anchor="end" '
                    f'class="lbl">{escape(label)}</text>')
        for i, a in enumerate(arts):
            n = counts[(k, a)]
            w = (width - label_w - 40) * n / top
            rows.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar - 2}" '
                        f'fill="{palette[i % len(palette)]}"><title>{escape(names[a])}: {n}</title></rect>'
                        f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 3}" class="num">{n}</text>')
            y += bar
        y += gap
    legend_y = y + 6
    for i, a in enumerate(arts):
        x, ly = label_w + 150 * (i % 2), legend_y + 16 * (i // 2)
        rows.append(f'<rect x="{x}" y="{ly}" width="10" height="10" fill="{palette[i % len(palette)]}"/>'
                    f'<text x="{x + 14}" y="{ly + 9}" class="lbl">{clean(names[a][:24])}</text>')
    height = legend_y + 16 * ((len(arts) + 1) // 2) + 6
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" direction="ltr" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="findings per outlet">'
           + "".join(rows) + "</svg>")
    return Markup(svg)


@cache
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("riwaya", "report/templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["clean"] = clean
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
                     "body": highlighted(by_id[aid].article.text, spans[aid])}
                    for aid in sc.story.articles]
        stories.append({"sc": sc, "articles": articles, "chart": chart(sc, names, lang)})
    return _template().render(
        lang=lang, stories=stories, names=names, kind_colours=KIND_COLOURS,
        kind_label=KIND_AR if lang == "ar" else KIND_EN, version=__version__,
        set_aside=[by_id[a].article for a in comparison.set_aside if a in by_id],
        outlet=lambda art: names.get(art.id, art.id))
