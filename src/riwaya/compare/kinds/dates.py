"""Date discrepancy: two outlets date the same past event differently (aligned claims on the same
matter, both told as past, day dates of the same precision and none in common)."""

from __future__ import annotations

from riwaya.compare.context import StoryContext, claim_evidence, clip, span_evidence
from riwaya.compare.kinds import Kind
from riwaya.compare.matters import MatterGroup
from riwaya.compare.views import ANTICIPATED
from riwaya.model import Finding
from riwaya.report.wording import say

MIN_SCORE = 0.35


def judge(group: MatterGroup, ctx: StoryContext) -> Finding | None:
    for al in group.alignments:
        if al.score < MIN_SCORE or al.opposite or not al.events or not al.entities:
            continue
        if ANTICIPATED in (al.a.stage, al.b.stage):
            continue
        for da in al.a.dates:
            for db in al.b.dates:
                if not da.value or not db.value or da.granularity != db.granularity:
                    continue
                if da.value == db.value or "future" in (da.tense, db.tense):
                    continue
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


KIND = Kind("date_discrepancy", judge=judge, after=("timing",))
