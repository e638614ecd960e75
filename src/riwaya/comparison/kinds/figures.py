"""Numeric discrepancy: two outlets give different values for the same measured thing (the same
kind and unit, in claims aligned on the same matter, on the same day or undated), and neither
article gives the other's value anywhere (Iraq's seven dead against Iran's 328 are two tolls
both report, not a disagreement).

Not a discrepancy: values more than :data:`MAX_RATIO` apart (a day's exports against a month's,
one bank's loans against all banks': two measures, not two readings of one); a rounded figure
(``نحو 0.2%``) that the other's value rounds to; two reports of one outlet (its own follow-ups);
a figure in a list of :data:`LIST` or more of its kind (each brand's market share, each quarter's
profit: which item the other outlet's figure belongs to cannot be told)."""

from __future__ import annotations

from collections import Counter

from riwaya.comparison.align import Alignment, quantity_key
from riwaya.comparison.context import StoryContext, claim_evidence, clip, span_evidence
from riwaya.comparison.kinds import Kind
from riwaya.comparison.matters import MatterGroup
from riwaya.model import Finding, Quantity
from riwaya.report.wording import say

MIN_SCORE = 0.3
MAX_RATIO = 3.0  # values further apart measure different things
LIST = 3  # a claim with this many figures of one kind lists items (shares, quarters, countries)


def conflicts(al: Alignment) -> list[tuple[Quantity, Quantity]]:
    """Quantities of the same kind and unit the two claims give with different values (more than
    2% apart, and no equal value of that unit on both sides)."""
    out = []
    listed = _listed(al.a.quantities) | _listed(al.b.quantities)
    for qa in al.a.quantities:
        for qb in al.b.quantities:
            if qa.value is None or qb.value is None or qa.kind in ("ordinal", "vague") or not qa.unit:
                continue
            key = quantity_key(qa)
            if key != quantity_key(qb) or key in listed:
                continue
            if abs(qa.value - qb.value) <= 0.02 * max(abs(qa.value), abs(qb.value)):
                continue
            if _apart(qa, qb) > MAX_RATIO or _rounds_to(qa, qb.value) or _rounds_to(qb, qa.value):
                continue
            if any(x.value == y.value and quantity_key(x) == key
                   for x in al.a.quantities for y in al.b.quantities):
                continue
            out.append((qa, qb))
    return out


def _listed(quantities: list[Quantity]) -> set[tuple[str, str]]:
    """The quantity keys a claim gives :data:`LIST` or more values of."""
    keys = Counter(quantity_key(q) for q in quantities if q.value is not None)
    return {k for k, n in keys.items() if n >= LIST}


def _apart(qa: Quantity, qb: Quantity) -> float:
    low, high = sorted((abs(qa.value or 0.0), abs(qb.value or 0.0)))
    return high / low if low else float("inf")


def _rounds_to(q: Quantity, value: float) -> bool:
    """Whether ``q`` is an approximate figure (``نحو``, ``قرابة``) that ``value`` rounds to: to
    the decimals ``q`` writes, or to its significant digits (``نحو 400 ألف`` for 391,533)."""
    if not q.approximate or q.value is None or not q.value:
        return False
    v = abs(q.value)
    if not v.is_integer():
        decimals = len(repr(v).split(".")[1])
        return round(abs(value), decimals) == round(v, decimals)
    digits = len(str(int(v)).rstrip("0")) or 1  # significant digits of 400000: 1
    scale = 10 ** (len(str(int(v))) - digits)
    return round(abs(value) / scale) * scale == v


def find(ctx: StoryContext) -> list[Finding]:
    """One note on each matter whose verdict leaves room for it."""
    return [f for group in ctx.open_matters() if (f := _judge(group, ctx)) is not None]


def _judge(group: MatterGroup, ctx: StoryContext) -> Finding | None:
    for al in group.alignments:
        if al.score < MIN_SCORE or not (al.events or al.entities):
            continue
        a, b = al.a.article, al.b.article
        if ctx.same_outlet(a, b):
            continue
        found = [(qa, qb) for qa, qb in conflicts(al) if not (ctx.gives(b, qa) or ctx.gives(a, qb))]
        if not found:
            continue  # each figure is in the other article too: two counts both report
        # the closest two values: the likeliest two readings of one figure (3.70% against 3.10%,
        # not against the 7.16% a neighbour in the list got)
        qa, qb = min(found, key=lambda p: _apart(p[0], p[1]))
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
