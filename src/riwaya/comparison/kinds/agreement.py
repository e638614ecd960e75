"""Agreement: several outlets report the same thing on a matter, with the same polarity (all
affirm or all deny), in claims that match on substance: the same event about the same names,
the same figure or date, or most of their words."""

from __future__ import annotations

from riwaya.comparison.align import Alignment
from riwaya.comparison.context import MAX_EVIDENCE_PER_SIDE, StoryContext, claim_evidence, clip, excerpt
from riwaya.comparison.kinds import Kind
from riwaya.comparison.matters import MatterGroup
from riwaya.model import Finding
from riwaya.report.wording import say

MIN_SCORE = 0.33


def substantive(al: Alignment) -> bool:
    """The pair reports the same thing, not merely the same people or place."""
    return bool((al.events and al.entities) or al.same_quantity or al.same_date
                or len(al.keys) >= 4 or al.score >= 0.5)


def judge(group: MatterGroup, ctx: StoryContext) -> Finding | None:
    positions = group.positions
    if any(p == "relays" for p in positions.values()):
        return None  # relaying that reports exist is not agreeing with them
    denying = {a for a, p in positions.items() if p == "denies"}
    if denying and len(denying) < len(positions):
        return None
    edges = [al for al in group.alignments if al.score >= MIN_SCORE and not al.opposite and substantive(al)]
    if not edges:
        return None
    best = edges[0]
    claims: dict[str, list] = {}
    for al in edges:
        for v in (al.a, al.b):
            side = claims.setdefault(v.article, [])
            if v not in side and len(side) < MAX_EVIDENCE_PER_SIDE:
                side.append(v)
    # the matter's other claims in the same voice complete each side (what both tell of it)
    for article, side in claims.items():
        for v in group.claims[article]:
            if len(side) < MAX_EVIDENCE_PER_SIDE and v not in side and v.stance in ("asserts", "anticipates"):
                side.append(v)
    articles = sorted(claims)
    evidence = [claim_evidence(v) for a in articles for v in sorted(claims[a], key=lambda v: v.claim.start)]
    names = ctx.outlets(articles)
    return Finding(
        id="", kind="agreement", articles=articles, evidence=evidence,
        explanation_ar=say("agreement", "ar", names=names, text=excerpt(best.a.claim.text)),
        explanation_en=say("agreement", "en", names=ctx.outlets(articles, ", "),
                           text=excerpt(best.a.claim.text)),
        confidence=clip(0.35 + 0.9 * best.score), status="agreed", matter=group.id,
        details={"pairs": [[al.a.claim_id, al.b.claim_id, round(al.score, 3)] for al in edges[:12]]},
    )


def on_timing(ctx: StoryContext) -> list[Finding]:
    """What outlets that tell one event at different stages agree on (who met, where): a note on
    each matter whose verdict is timing."""
    out = []
    for group in ctx.matters:
        verdict = ctx.verdicts.get(group.id)
        if verdict is not None and verdict.kind == "timing" and (found := judge(group, ctx)) is not None:
            out.append(found)
    return out


KIND: Kind = Kind("agreement", judge=judge, after=("contradiction", "timing"))
ON_TIMING: Kind = Kind("agreement", find=on_timing, after=("timing",))
