"""Unique: what only one outlet reports — its claims on matters no other outlet speaks of, the
most salient first (figures and names the others do not give, check-worthiness), one finding
per outlet."""

from __future__ import annotations

from riwaya.comparison.align import quantity_key
from riwaya.comparison.context import StoryContext, claim_evidence, clip
from riwaya.comparison.kinds import Kind
from riwaya.model import Finding
from riwaya.report.wording import count_ar_text, feminine, has_arabic, say

PER_ARTICLE = 8
MAX_FIGURES = 8
MIN_SALIENCE = 1.0


def find(ctx: StoryContext) -> list[Finding]:
    out: list[Finding] = []
    if len(ctx.views) < 2:
        return out
    for aid in ctx.views:
        others = [v for other, vs in ctx.views.items() if other != aid for v in vs]
        other_q = {(quantity_key(q), q.value) for v in others for q in v.quantities}
        other_ents = {e for v in others for e in v.entities}
        ranked = []
        for group in ctx.matters:
            if group.articles != [aid]:
                continue
            for v in group.claims[aid]:
                if v.claim.end - v.claim.start < 20:
                    continue
                own_q = [q for q in v.quantities if q.value is not None and q.kind != "ordinal"
                         and (quantity_key(q), q.value) not in other_q]
                own_ents = v.entities - other_ents
                salience = (2.0 * len({(quantity_key(q), q.value) for q in own_q}) + min(len(own_ents), 3)
                            + 0.1 * min(len(v.keys), 8) + (v.claim.checkworthy or 0.0))
                if own_q or own_ents:
                    ranked.append((salience, v, own_q, own_ents, group.id))
        ranked.sort(key=lambda r: -r[0])
        picked = sorted([r for r in ranked if r[0] >= MIN_SALIENCE][:PER_ARTICLE],
                        key=lambda r: r[1].claim.start)
        # the figures only this outlet gives, on its own matters and on shared ones alike (the
        # 1000 troops of a contradicted matter are its figure too); each listed once, in its
        # Arabic wording where it gives one twice (``1000 جندي`` … ``ألف جندي``)
        firsts: dict[tuple[str, float], str] = {}
        for v in ctx.views[aid]:
            for q in v.quantities:
                if q.value is None or q.kind in ("ordinal", "vague") or (quantity_key(q), q.value) in other_q:
                    continue
                seen = firsts.get((q.kind, q.value))
                if seen is None or (not has_arabic(seen) and has_arabic(q.text)):
                    firsts[(q.kind, q.value)] = q.text
        figures = list(dict.fromkeys(firsts.values()))[:MAX_FIGURES]
        if not picked:
            continue
        name = ctx.outlet(aid)
        out.append(Finding(
            id="", kind="unique", articles=[aid], evidence=[claim_evidence(r[1]) for r in picked],
            explanation_ar=say("unique", "ar", name=name,
                               count=count_ar_text(len(picked), "item", genitive=True),
                               others="غيرها" if feminine(name) else "غيره",
                               figures=(f"؛ والأرقام التي لا ترد إلا {'فيها' if feminine(name) else 'فيه'}: "
                                        + "، ".join(figures)) if figures else ""),
            explanation_en=say("unique", "en", name=name, n=len(picked),
                               figures_en=("; figures: " + ", ".join(figures)) if figures else ""),
            confidence=clip(0.5 + 0.05 * len(picked)), status="single_source",
            details={"items": [{"claim": r[1].claim_id, "matter": r[4], "quantities": [q.text for q in r[2]],
                                "entities": sorted(r[3])} for r in picked],
                     "figures": figures},
        ))
    return out


KIND: Kind = Kind("unique", find=find)
