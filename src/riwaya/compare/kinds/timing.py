"""Timing: one outlet tells a matter at an earlier stage than another (anticipated or under way
against done), or gives a figure that a later report has moved on from — an update, never a
contradiction. The resolved dates and the articles' days are shown."""

from __future__ import annotations

from riwaya.compare.align import score_pair
from riwaya.compare.context import StoryContext, claim_evidence, clip
from riwaya.compare.kinds import Kind
from riwaya.compare.kinds.figures import conflicts
from riwaya.compare.matters import MatterGroup, matter_label
from riwaya.compare.views import ANTICIPATED, DONE, STAGE_NAMES, ClaimView
from riwaya.model import Finding
from riwaya.report.wording import label, say


MIN_SCORE = 0.3


def _staged(views: list[ClaimView]) -> list[ClaimView]:
    return [v for v in views if v.stage is not None and v.stance != "denies"]


def _when(view: ClaimView, lang: str) -> str:
    """The claim's resolved dates, as written and as a day («الثلاثاء المقبل، 2016-02-02»)."""
    parts = []
    for d in view.dates:
        if d.value and d.relative:
            parts.append(f"{d.text}، {d.value}" if lang == "ar" else f"{d.text}, {d.value}")
        elif d.value:
            parts.append(d.value)
    return " (" + ("؛ " if lang == "ar" else "; ").join(dict.fromkeys(parts)) + ")" if parts else ""


def _by_stage(group: MatterGroup, ctx: StoryContext) -> Finding | None:
    stages = {a: max((v.stage for v in _staged(vs)), default=None) for a, vs in group.claims.items()}
    staged = {a: s for a, s in stages.items() if s is not None}
    if len(set(staged.values())) < 2:
        return None
    early = min(staged, key=lambda a: (staged[a], a))
    late = max(staged, key=lambda a: (staged[a], a))
    e_day, l_day = ctx.day(early), ctx.day(late)
    if e_day and l_day and l_day < e_day:
        return None  # the later stage told earlier: not one story moving on
    if (staged[early], staged[late]) != (ANTICIPATED, DONE) and not (e_day and l_day and e_day < l_day):
        return None  # "under way" against "done" the same day: the words, not the events, differ
    w = None
    pairs = []
    for ev in _staged(group.claims[early]):
        if ev.stage != staged[early]:
            continue
        for lv in _staged(group.claims[late]):
            if lv.stage != staged[late]:
                continue
            if w is None:
                from riwaya.compare.align import Weights

                w = Weights(group.views())
            al = score_pair(ev, lv, w)
            if al.events and al.score >= MIN_SCORE:  # one event, told at two stages
                pairs.append((al.score, ev, lv))
    if not pairs:
        return None
    pairs.sort(key=lambda p: -p[0])
    score, ev, lv = pairs[0]
    more = [p[2] for p in pairs[1:3] if p[2].key != lv.key]
    label_ar, label_en = matter_label(group, ctx, "ar"), matter_label(group, ctx, "en")
    es, ls = STAGE_NAMES[staged[early]], STAGE_NAMES[staged[late]]
    return Finding(
        id="", kind="timing", articles=sorted({early, late}),
        evidence=[claim_evidence(ev), claim_evidence(lv), *(claim_evidence(v) for v in more)],
        explanation_ar=say("timing", "ar", matter=label_ar, early=ctx.outlet(early), late=ctx.outlet(late),
                           early_stage=label("stage", es, "ar"), late_stage=label("stage", ls, "ar"),
                           early_when=_when(ev, "ar"), late_when=_when(lv, "ar")),
        explanation_en=say("timing", "en", matter=label_en, early=ctx.outlet(early), late=ctx.outlet(late),
                           early_stage_en=label("stage", es, "en"), late_stage_en=label("stage", ls, "en"),
                           early_when_en=_when(ev, "en"), late_when_en=_when(lv, "en")),
        confidence=clip(0.45 + 0.6 * min(score, 0.8)), status="consistent", matter=group.id,
        details={"earlier": early, "later": late, "stages": {early: es, late: ls},
                 "days": {early: e_day, late: l_day},
                 "dates": {early: [d.value for d in ev.dates if d.value],
                           late: [d.value for d in lv.dates if d.value]}},
    )


def _by_figures(group: MatterGroup, ctx: StoryContext) -> Finding | None:
    """The same count given on different days: the later report's figure updates the earlier."""
    for al in group.alignments:
        a, b = al.a.article, al.b.article
        da, db = ctx.day(a), ctx.day(b)
        if not da or not db or da == db:
            continue
        found = conflicts(al)
        if not found:
            continue
        (early, ev, q_early), (late, lv, q_late) = sorted(
            [(a, al.a, found[0][0]), (b, al.b, found[0][1])], key=lambda x: ctx.day(x[0]) or "")
        label_ar, label_en = matter_label(group, ctx, "ar"), matter_label(group, ctx, "en")
        return Finding(
            id="", kind="timing", articles=sorted({early, late}),
            evidence=[claim_evidence(ev), claim_evidence(lv)],
            explanation_ar=say("timing", "ar", matter=label_ar, early=ctx.outlet(early), late=ctx.outlet(late),
                               early_stage=f"«{q_early.text}»", late_stage=f"«{q_late.text}»",
                               early_when=f" ({ctx.day(early)})", late_when=f" ({ctx.day(late)})"),
            explanation_en=say("timing", "en", matter=label_en, early=ctx.outlet(early), late=ctx.outlet(late),
                               early_stage_en=f"“{q_early.text}”", late_stage_en=f"“{q_late.text}”",
                               early_when_en=f" ({ctx.day(early)})", late_when_en=f" ({ctx.day(late)})"),
            confidence=clip(0.4 + 0.6 * al.score), status="consistent", matter=group.id,
            details={"earlier": early, "later": late, "days": {early: ctx.day(early), late: ctx.day(late)},
                     "values": {early: q_early.value, late: q_late.value}},
        )
    return None


def judge(group: MatterGroup, ctx: StoryContext) -> Finding | None:
    return _by_stage(group, ctx) or _by_figures(group, ctx)


KIND = Kind("timing", judge=judge)
