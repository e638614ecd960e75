"""Sourcing contrast: on a matter several outlets report, one rests on media reports, unnamed
sources or nobody, another on named sources on record — a note on the matter's verdict, naming
the chains in full (``موقع أخبار الحدث ← صحيفة TTU ← مصادر ليبية لم تكشف عن هويتها``) and the
speakers by name. Two reports of one outlet are not contrasted."""

from __future__ import annotations

from collections.abc import Iterable

from riwaya.comparison.context import MAX_EVIDENCE_PER_SIDE, StoryContext, claim_evidence, clip, span_evidence
from riwaya.comparison.kinds import Kind
from riwaya.comparison.matters import matter_label
from riwaya.comparison.sources import basis
from riwaya.comparison.views import ClaimView
from riwaya.model import Evidence, Finding
from riwaya.report.wording import say


def _source_spans(view: ClaimView) -> list[Evidence]:
    """The spans naming the claim's sources, outermost to ultimate, else the claim itself."""
    spans = dict.fromkeys((s.start, s.end) for s in view.claim.chain
                          if s.start is not None and s.end is not None and s.end > s.start)
    if spans:
        return [span_evidence(view, start, end) for start, end in spans]
    return [claim_evidence(view)]


def _distinct(evidence: Iterable[Evidence]) -> list[Evidence]:
    """Each span once (two claims resting on one mention of «المصادر» share its span)."""
    seen: dict[tuple[str, int, int], Evidence] = {}
    for e in evidence:
        seen.setdefault((e.article, e.start, e.end), e)
    return list(seen.values())


def find(ctx: StoryContext) -> list[Finding]:
    out = []
    for group in ctx.matters:
        verdict = ctx.verdicts.get(group.id)
        if verdict is None or not group.shared:
            continue
        weak = [a for a, vs in group.claims.items() if all(v.weak for v in vs)
                and any(v.source.kind in ("anonymous", "media") or v.second_hand for v in vs)]
        strong = [a for a, vs in group.claims.items() if any(v.on_record for v in vs)]
        for w in weak:
            for s in strong:
                if w == s or ctx.same_outlet(w, s):
                    continue
                w_views = group.claims[w][:MAX_EVIDENCE_PER_SIDE]
                s_views = [v for v in group.claims[s] if v.on_record][:MAX_EVIDENCE_PER_SIDE]
                w_ar, w_en = basis(w_views)
                s_ar, s_en = basis(s_views)
                label_ar, label_en = matter_label(group, ctx, "ar"), matter_label(group, ctx, "en")
                out.append(Finding(
                    id="", kind="sourcing_contrast", articles=[w, s],
                    evidence=_distinct(e for v in (*w_views, *s_views) for e in _source_spans(v)),
                    explanation_ar=say("sourcing_contrast", "ar", matter=label_ar, weak=ctx.outlet(w),
                                       strong=ctx.outlet(s), weak_sources=w_ar, strong_sources=s_ar),
                    explanation_en=say("sourcing_contrast", "en", matter=label_en, weak=ctx.outlet(w),
                                       strong=ctx.outlet(s), weak_sources_en=w_en, strong_sources_en=s_en),
                    confidence=clip(0.55 + 0.1 * min(len(w_views), 3) + 0.05 * len(s_views)),
                    matter=group.id,
                    details={"verdict": verdict.kind, "weak": {w: w_ar}, "on_record": {s: s_ar},
                             "chains": {w: [[{"kind": x.kind, "text": x.text} for x in v.claim.chain]
                                            for v in w_views if v.claim.chain]}},
                ))
    return out


KIND: Kind = Kind("sourcing_contrast", find=find, after=("contradiction", "agreement"))
