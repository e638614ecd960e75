"""The terminal report (rich): summary, then each finding in its kind's colour with the outlets'
evidence side by side in a table.

Right-to-left text: rich does not reorder bidirectional text, so ``bidi`` picks a strategy (see
:mod:`riwaya.report.bidi`): ``logical`` (default) prints text in logical order for terminals that
apply the bidi algorithm themselves and for files and pipes; ``visual`` shapes and reorders
Arabic here for terminals that do not.
"""

from __future__ import annotations

import io
import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from riwaya.model import Comparison, Finding, shorten
from riwaya.report.bidi import visual
from riwaya.report.wording import label

KIND_STYLE = {
    "contradiction": "bold red", "sourcing_contrast": "magenta", "numeric_discrepancy": "dark_orange",
    "date_discrepancy": "orchid", "timing": "cyan", "naming": "yellow", "agreement": "green",
    "unique": "blue",
}
MAX_EVIDENCE_CHARS = 240
# what an article may carry that would act on the terminal (escape sequences, bidi overrides):
# shown as \x1b, \u202e instead; line breaks stay
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _inert(text: str) -> str:
    return _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _short(text: str, n: int = MAX_EVIDENCE_CHARS) -> str:
    return shorten(text, n)


class _Writer:
    def __init__(self, width: int, colour: bool, bidi: str):
        self.buf = io.StringIO()
        self.console = Console(file=self.buf, width=width, color_system="truecolor" if colour else None,
                               force_terminal=colour, highlight=False, emoji=False, soft_wrap=False)
        self.visual = bidi == "visual"
        self.width = width

    def text(self, s: str, width: int | None = None) -> str:
        s = _inert(s)
        return visual(s, width or self.width) if self.visual else s

    def line(self, s: str = "", style: str = "") -> None:
        self.console.print(Text(self.text(s), style=style), overflow="fold",
                           no_wrap=self.visual)


def _evidence_table(w: _Writer, f: Finding, names: dict[str, str]) -> Table:
    arts = list(dict.fromkeys(e.article for e in f.evidence)) or f.articles
    col = max(20, (w.width - 4 - 3 * len(arts)) // max(1, len(arts)))
    table = Table(show_lines=False, expand=True, border_style=KIND_STYLE[f.kind].split()[-1])
    for a in arts:
        table.add_column(w.text(names.get(a, a), col), ratio=1, overflow="fold",
                         no_wrap=w.visual, justify="right" if w.visual else "left")
    cells = [
        "\n\n".join(w.text("• " + _short(e.text), col - 1) for e in f.evidence if e.article == a)
        for a in arts]
    table.add_row(*cells)
    return table


def render_text(comparison: Comparison, lang: str = "ar", *, width: int = 110, colour: bool = False,
                bidi: str = "logical") -> str:
    """The report as terminal text (ANSI colours when ``colour``)."""
    if bidi not in ("logical", "visual"):
        raise ValueError(f"unknown bidi mode {bidi!r} (logical or visual)")
    w = _Writer(width, colour, bidi)
    names = {a.article.id: a.article.outlet for a in comparison.analyses}
    ar = lang == "ar"
    for sc in comparison.stories:
        title = f"{'القصة' if ar else 'Story'} {sc.story.id}: {sc.story.label}"[:width - 10]
        w.console.rule(Text(w.text(title), style="bold"))
        w.line(("المنافذ: " if ar else "Outlets: ") + " · ".join(names[a] for a in sc.story.articles),
               "dim")
        if sc.summary:
            w.line()
            w.line("الخلاصة" if ar else "Summary", "bold underline")
            for s in sc.summary:
                refs = " ".join(f"[{fid.rsplit('-', 1)[-1]}]" for fid in s.findings)
                w.line(f"• {s.text_ar if ar else s.text_en} {refs}")
        counts: dict[str, int] = {}
        for f in sc.findings:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        w.line()
        shared = [m for m in sc.matters if len(m.articles) > 1]
        if shared:
            w.line()
            w.line("المسائل" if ar else "Matters", "bold underline")
            for m in shared:
                verdict = label("kind", m.verdict, lang) if m.verdict else ("دون حكم" if ar else "no verdict")
                stances = " · ".join(f"{names.get(p.article, p.article)}: {label('position', p.stance, lang)}"
                                     for p in m.positions)
                w.line(f"• {m.label} — {verdict} ({stances})")
        w.line()
        w.line(("النتائج: " if ar else "Findings: ") + ", ".join(
            f"{label('kind', k, lang)} {n}" for k, n in counts.items()), "bold")
        for f in sc.findings:
            w.line()
            head = (f"[{f.id.rsplit('-', 1)[-1]}] {label('kind', f.kind, lang)} · {f.confidence:.2f} · "
                    f"{label('status', f.status, lang)}")
            w.line(head, KIND_STYLE[f.kind])
            w.line(f.explanation_ar if ar else f.explanation_en)
            w.console.print(_evidence_table(w, f, names))
    for group in comparison.copies:
        w.line()
        w.line(("نسخ من تقرير واحد (لم تُقارن ببعضها): " if ar else "Copies of one report (not compared "
                "with each other): ") + " · ".join(names.get(a, a) for a in group), "bold")
    if comparison.set_aside:
        w.line()
        w.line("مقالات جانبية لا صلة لها بغيرها (لم تُقارن):" if ar else
               "Set aside (related to no other article, not compared):", "bold")
        for aid in comparison.set_aside:
            w.line(f"• {names.get(aid, aid)}")
    if not comparison.stories and not comparison.copies:
        w.line("لا توجد قصة مشتركة للمقارنة." if ar else "No shared story to compare.")
    return w.buf.getvalue()
