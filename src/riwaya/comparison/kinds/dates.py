"""Date discrepancy: two outlets date the same past event differently (claims aligned on one event
of a matter, both told as past, absolute dates of the same precision, a month or a day, and none
in common; a weekday or "yesterday" resolved against another day, or a page's own date, is no
discrepancy; nor are one outlet's two reports)."""

from __future__ import annotations

from riwaya.comparison.context import StoryContext, claim_evidence, clip, span_evidence
from riwaya.comparison.kinds import Kind
from riwaya.comparison.matters import MatterGroup
from riwaya.comparison.views import ANTICIPATED
from riwaya.extract.dates import HEADER_CHARS
from riwaya.model import Finding
from riwaya.report.wording import say

MIN_SCORE = 0.3


def _header(view, d) -> bool:
    """The date is the page's own (its dateline, or a date printed in its header)."""
    line = view.analysis.document.text.find("\n")
    return d.start < HEADER_CHARS and (line < 0 or d.start < line)


def find(ctx: StoryContext) -> list[Finding]:
    """One note on each matter whose verdict leaves room for it."""
    return [f for group in ctx.open_matters() if (f := _judge(group, ctx)) is not None]


def _judge(group: MatterGroup, ctx: StoryContext) -> Finding | None:
    for al in group.alignments:
        if al.score < MIN_SCORE or al.opposite or not al.events:
            continue
        if ANTICIPATED in (al.a.stage, al.b.stage) or ctx.same_outlet(al.a.article, al.b.article):
            continue
        for da in al.a.dates:
            for db in al.b.dates:
                if not da.value or not db.value or da.granularity != db.granularity:
                    continue
                if da.granularity == "year":
                    continue  # two years in two reports are nearly always two events (1991, 2003)
                if da.value == db.value or "future" in (da.tense, db.tense):
                    continue
                if da.relative or db.relative or _header(al.a, da) or _header(al.b, db):
                    continue  # a weekday or "yesterday" resolved against another day, a page's date
                if any(x.value == y.value for x in al.a.dates for y in al.b.dates if x.value):
                    continue
                a, b = al.a.article, al.b.article
                return Finding(
                    id="", kind="date_discrepancy", articles=[a, b],
                    evidence=[span_evidence(al.a, da.start, da.end), span_evidence(al.b, db.start, db.end),
                              claim_evidence(al.a), claim_evidence(al.b)],
                    explanation_ar=say("date_discrepancy", "ar", a=ctx.outlet(a), b=ctx.outlet(b),
                                       da=da.text, db=db.text, va=da.value, vb=db.value),
                    explanation_en=say("date_discrepancy", "en", a=ctx.outlet(a), b=ctx.outlet(b),
                                       va=da.value, vb=db.value),
                    confidence=clip(0.3 + 0.9 * al.score), matter=group.id,
                    details={"values": {a: da.value, b: db.value}},
                )
    return None


KIND: Kind = Kind("date_discrepancy", find=find, after=("contradiction", "timing", "agreement"))
