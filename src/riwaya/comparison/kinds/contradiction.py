"""Contradiction: one outlet asserts or anticipates what another denies or rules out.

Only where accounts of two outlets collide: the denying claim's negation must govern what the
asserting claim says (an event class or two content words inside the denial's scope), the
denying outlet must not report the same thing as so itself, the asserting outlet must not carry
the same denial, and the pair-stance model must not read the two claims as agreeing. A claim
that relays reports in order to set denials against them is no assertion.
"""

from __future__ import annotations

from datetime import date

from riwaya.comparison.align import Weights, score_pair
from riwaya.comparison.context import MAX_EVIDENCE_PER_SIDE, StoryContext, claim_evidence, clip
from riwaya.comparison.kinds import Kind
from riwaya.comparison.matters import MatterGroup, matter_label, relays_reports
from riwaya.comparison.sources import basis
from riwaya.comparison.views import ClaimView
from riwaya.model import Finding
from riwaya.report.wording import say

AFFIRMING = ("asserts", "anticipates", "hedges")  # "likely killed" collides with "alive" too
MODEL_AGREES = 0.6  # the pair model's agree probability that vetoes a contradiction
LEAD = 3  # an article's first claims: its headline and lead
SAME_CLAIM = 0.6  # how alike a denier's own claim and the denied one are when it says the same


DAYS_APART = 30  # reports further apart than this tell different times, not a collision


def collision(denial: ClaimView, claim: ClaimView) -> tuple[frozenset[str], frozenset[str]]:
    """What ``denial`` denies of what ``claim`` says: the event classes inside the denial's scope
    and the word it governs that the claim names too, provided the two also share what it is
    about (a name or another content word); empty otherwise."""
    events = denial.denied & claim.events
    stems = denial.denied & claim.keys
    if not (events or stems) or denial.negated_heads & claim.negated_heads:
        return frozenset(), frozenset()  # (the claim negates the same word: they say the same)
    about = (denial.entities & claim.entities) or ((denial.keys & claim.keys) - stems)
    if not about:
        return frozenset(), frozenset()
    return events, stems


def _also_affirms(own: list[ClaimView], claim: ClaimView, w: Weights, events: frozenset[str],
                  stems: frozenset[str]) -> bool:
    """The denying outlet itself reports what ``claim`` says: of its claims on the matter naming
    what is denied, more assert than deny, or one asserts nearly the same."""
    told = [v for v in own if v.events & events or v.keys & stems]
    denials = sum(_weight(v) for v in told if v.stance == "denies")
    assertions = [v for v in told if v.stance == "asserts" and not relays_reports(v)]
    return (sum(_weight(v) for v in assertions) > denials
            or any(score_pair(v, claim, w).score >= SAME_CLAIM for v in assertions))


def _reports_denial(others: list[ClaimView], denial: ClaimView, w: Weights) -> bool:
    """The other outlet reports this denial itself (a denial of its own nearly the same, or one
    that negates the same words of the same person): both carry it, whatever else the other
    says around it («لم تتعهد بضمان انسحاب القوات الموالية لإيران» and «لم تتعهد بضمان خروج
    التشكيلات الموالية لإيران», Lavrov's both)."""
    people = {e for e in denial.entities if e.startswith("PERS:")}
    return any(v.stance == "denies" and ((people & v.entities and denial.denied & v.denied)
                                         or score_pair(v, denial, w).score >= SAME_CLAIM)
               for v in others)


def _weight(view: ClaimView) -> int:
    """What a claim weighs in its outlet's account: a headline or lead (its first claims) says what
    the report is about, and counts twice."""
    return 2 if view.index < LEAD else 1


def _pairs(group: MatterGroup, ctx: StoryContext, w: Weights):
    """(denial, claim it denies, events, words) across the matter's outlets (two articles of one
    outlet are its own earlier and later reports, or its columns, not outlets colliding)."""
    for d, own in group.claims.items():
        for a, others in group.claims.items():
            if a == d or ctx.same_outlet(a, d) or group.positions[a] in ("denies", "relays"):
                continue
            for dv in own:
                if dv.stance != "denies" or _reports_denial(others, dv, w):
                    continue
                for av in others:
                    if av.stance not in AFFIRMING or relays_reports(av):
                        continue
                    events, stems = collision(dv, av)
                    if (events or stems) and not _also_affirms(own, av, w, events, stems):
                        yield dv, av, events, stems


def _apart(ctx: StoryContext, group: MatterGroup) -> bool:
    """The outlets' reports are dated too far apart to collide (each told its own time)."""
    days = [d for a in group.articles if (d := ctx.day(a))]
    if len(days) < len(group.articles):
        return False
    first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    return (last - first).days > DAYS_APART


def judge(group: MatterGroup, ctx: StoryContext) -> Finding | None:
    if not any(v.stance == "denies" for v in group.views()) or _apart(ctx, group):
        return None
    w = Weights(group.views())
    pairs = list(_pairs(group, ctx, w))
    if pairs:
        from riwaya.models.stance import predict_pairs

        readings = predict_pairs([(av.claim.text, dv.claim.text) for dv, av, _, _ in pairs])
        pairs = [p for p, r in zip(pairs, readings, strict=True) if r.get("agree", 0.0) < MODEL_AGREES]
    if not pairs:
        return None
    # strongest collisions first: the claims most alike that name the denied event
    strength = {id(p): score_pair(p[0], p[1], w).score + 0.2 * bool(p[2]) for p in pairs}
    pairs.sort(key=lambda p: -strength[id(p)])
    claims: dict[tuple[str, int], ClaimView] = {}
    denials: dict[tuple[str, int], ClaimView] = {}
    for dv, av, _, _ in pairs:
        claims.setdefault(av.key, av)
        denials.setdefault(dv.key, dv)
    aff = sorted({av.article for av in claims.values()})
    neg = sorted({dv.article for dv in denials.values()})
    # the denying side's other denials of the matter complete its side
    for a in neg:
        for v in group.claims[a]:
            if v.stance == "denies":
                denials.setdefault(v.key, v)
    shown_claims = _per_side(claims.values(), aff)
    shown_denials = _per_side(denials.values(), neg)
    evidence = [claim_evidence(v) for v in (*shown_claims, *shown_denials)]
    events = sorted({e for _, _, ev, _ in pairs for e in ev})
    on_record = any(v.on_record for v in shown_denials)
    conf = 0.5 + 0.08 * min(len(pairs), 4) + 0.1 * bool(events) + 0.08 * on_record
    label_ar, label_en = matter_label(group, ctx, "ar"), matter_label(group, ctx, "en")
    aff_ar, aff_en = basis(shown_claims)
    neg_ar, neg_en = basis(shown_denials)
    return Finding(
        id="", kind="contradiction", articles=sorted({*aff, *neg}), evidence=evidence,
        explanation_ar=say("contradiction", "ar", matter=label_ar, aff=ctx.outlets(aff), neg=ctx.outlets(neg),
                           aff_basis=f" استنادًا إلى {aff_ar}" if aff_ar else "",
                           neg_basis=f" ({neg_ar})" if neg_ar else ""),
        explanation_en=say("contradiction", "en", matter=label_en, aff=ctx.outlets(aff, ", "),
                           neg=ctx.outlets(neg, ", "),
                           aff_basis_en=f" on the word of {aff_en}" if aff_en else "",
                           neg_basis_en=f" ({neg_en})" if neg_en else ""),
        confidence=clip(conf), matter=group.id,
        details={"affirms": aff, "negates": neg, "events": events, "matter": label_ar,
                 "disputed": pairs[0][1].claim_id, "denial": pairs[0][0].claim_id,
                 "basis": {"affirms": [aff_ar, aff_en], "negates": [neg_ar, neg_en]},
                 "pairs": [[av.claim_id, dv.claim_id, sorted(ev | st)] for dv, av, ev, st in pairs[:12]]},
    )


def _per_side(views, articles: list[str]) -> list[ClaimView]:
    """At most :data:`MAX_EVIDENCE_PER_SIDE` claims of each article, the strongest kept, shown in
    text order."""
    out = []
    for a in articles:
        mine = [v for v in views if v.article == a][:MAX_EVIDENCE_PER_SIDE]
        out += sorted(mine, key=lambda v: v.claim.start)
    return out


KIND: Kind = Kind("contradiction", judge=judge)
