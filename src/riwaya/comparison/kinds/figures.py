"""Numeric discrepancy: two outlets give different values for the same measured thing (the same
kind and unit, in claims aligned on the same matter, on the same day or undated)."""

from __future__ import annotations

from riwaya.comparison.align import Alignment, quantity_key
from riwaya.comparison.context import StoryContext, claim_evidence, clip, span_evidence
from riwaya.comparison.kinds import Kind
from riwaya.comparison.matters import MatterGroup
from riwaya.model import Finding, Quantity
from riwaya.report.wording import say

MIN_SCORE = 0.3


def conflicts(al: Alignment) -> list[tuple[Quantity, Quantity]]:
    """Quantities of the same kind and unit the two claims give with different values (more than
    2% apart, and no equal value of that unit on both sides)."""
    out = []
    for qa in al.a.quantities:
        for qb in al.b.quantities:
            if qa.value is None or qb.value is None or qa.kind in ("ordinal", "vague") or not qa.unit:
                continue
            key = quantity_key(qa)
            if key != quantity_key(qb):
                continue
            if abs(qa.value - qb.value) <= 0.02 * max(abs(qa.value), abs(qb.value)):
                continue
            if any(x.value == y.value and quantity_key(x) == key
                   for x in al.a.quantities for y in al.b.quantities):
                continue
            out.append((qa, qb))
    return out


def find(ctx: StoryContext) -> list[Finding]:
    """One note on each matter whose verdict leaves room for it."""
    return [f for group in ctx.open_matters() if (f := _judge(group, ctx)) is not None]


def _judge(group: MatterGroup, ctx: StoryContext) -> Finding | None:
    for al in group.alignments:
        if al.score < MIN_SCORE or not (al.events or al.entities):
            continue
        found = conflicts(al)
        if not found:
            continue
        qa, qb = found[0]
        a, b = al.a.article, al.b.article
        loose = qa.approximate or qb.approximate
        return Finding(
            id="", kind="numeric_discrepancy", articles=[a, b],
            evidence=[span_evidence(al.a, qa.start, qa.end), span_evidence(al.b, qb.start, qb.end),
                      claim_evidence(al.a), claim_evidence(al.b)],
            explanation_ar=say("numeric_discrepancy", "ar", a=ctx.outlet(a), b=ctx.outlet(b), qa=qa.text,
                               qb=qb.text),
            explanation_en=say("numeric_discrepancy", "en", a=ctx.outlet(a), b=ctx.outlet(b),
                               va=f"{qa.value:g}", vb=f"{qb.value:g}", unit=qa.unit),
            confidence=clip(0.35 + 0.9 * al.score - (0.15 if loose else 0.0)), matter=group.id,
            details={"unit": qa.unit, "values": {a: qa.value, b: qb.value}, "approximate": loose},
        )
    return None


KIND: Kind = Kind("numeric_discrepancy", find=find, after=("contradiction", "timing", "agreement"))
