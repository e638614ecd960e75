"""Timing: one outlet tells a matter at an earlier stage than another (anticipated or under way
against done), or gives a figure that a later report has moved on from — an update, never a
contradiction. The resolved dates and the articles' days are shown."""

from __future__ import annotations

from functools import cache

from riwaya.comparison.align import quantity_key
from riwaya.comparison.context import StoryContext, claim_evidence, clip
from riwaya.comparison.kinds import Kind
from riwaya.comparison.kinds.figures import conflicts
from riwaya.comparison.matters import MatterGroup, matter_label
from riwaya.comparison.views import ANTICIPATED, DONE, STAGE_NAMES, ClaimView
from riwaya.model import Analysis, Finding
from riwaya.report.wording import date_said, label, say
from riwaya.resources import load_lines
from riwaya.text.phrases import Phrases, phrase_list

MIN_SCORE = 0.3
TOLLS = ("killing", "injury")  # counts that only grow while they are counted


def _when(view: ClaimView, lang: str) -> str:
    """The claim's dates as written and resolved, a relative one with the day it was counted from
    («الثلاثاء المقبل»: الثلاثاء 2 فبراير 2016، محسوبًا من الخميس 28 يناير 2016)."""
    parts = [date_said(d.text, d.value, lang, d.anchor if d.relative else None)
             for d in view.dates if d.value or d.text]
    return " (" + ("؛ " if lang == "ar" else "; ").join(dict.fromkeys(parts)) + ")" if parts else ""


def _by_stage(group: MatterGroup, ctx: StoryContext) -> Finding | None:
    """One event (a shared event class, claims aligned) told anticipated by one outlet and done
    by another, or under way and done where the days say which came first."""
    pairs = []
    for al in group.alignments:
        if not al.events or al.score < MIN_SCORE or al.a.negated or al.b.negated:
            continue
        if al.a.stage is None or al.b.stage is None or al.a.stage == al.b.stage:
            continue
        ev, lv = (al.a, al.b) if al.a.stage < al.b.stage else (al.b, al.a)
        e_day, l_day = ctx.day(ev.article), ctx.day(lv.article)
        ordered = bool(e_day and l_day and e_day < l_day)
        if e_day and l_day and l_day < e_day:
            continue  # the later stage told earlier: not one story moving on
        if (ev.stage, lv.stage) != (ANTICIPATED, DONE) and not ordered:
            continue  # "under way" against "done" with no days to order them
        pairs.append((al.score, ev, lv))
    if not pairs:
        return None
    pairs.sort(key=lambda p: -p[0])
    score, ev, lv = pairs[0]
    early, late = ev.article, lv.article
    e_day, l_day = ctx.day(early), ctx.day(late)
    more = [p[2] for p in pairs[1:3] if p[2].key != lv.key and p[2].article == late]
    label_ar, label_en = matter_label(group, ctx, "ar"), matter_label(group, ctx, "en")
    assert ev.stage is not None and lv.stage is not None  # (pairs hold staged claims only)
    es, ls = STAGE_NAMES[ev.stage], STAGE_NAMES[lv.stage]
    return Finding(
        id="", kind="timing", articles=sorted({early, late}),
        evidence=[claim_evidence(ev), claim_evidence(lv), *(claim_evidence(v) for v in more)],
        explanation_ar=say("timing", "ar", matter=label_ar, early=ctx.outlet(early), late=ctx.outlet(late),
                           early_stage=label("stage_as", es, "ar"), late_stage=label("stage_as", ls, "ar"),
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


@cache
def _tolls() -> Phrases[None]:
    return phrase_list(load_lines("compare_tolls.txt"))


def _moving_toll(analysis: Analysis) -> bool:
    """The article calls its toll provisional or rising («حصيلة أولية»، «قابلة للارتفاع»)."""
    return _tolls().occur([t.key for t in analysis.document.tokens if t.kind == "word"])


def _by_figures(group: MatterGroup, ctx: StoryContext) -> Finding | None:
    """The same count given on different days: the later report's figure updates the earlier.
    Undated, a toll of the dead or injured that either article calls provisional or rising is
    one count at two moments, the lower the earlier."""
    moving: dict[str, bool] = {}
    for al in group.alignments:
        a, b = al.a.article, al.b.article
        da, db = ctx.day(a), ctx.day(b)
        found = conflicts(al)
        if not found:
            continue
        qa, qb = found[0]
        if da and db and da != db:
            order = [(a, al.a, qa), (b, al.b, qb)]
            order.sort(key=lambda x: ctx.day(x[0]) or "")
        elif quantity_key(qa)[1] in TOLLS and al.score >= MIN_SCORE and any(
                moving.setdefault(x, _moving_toll(ctx.analyses[x])) for x in (a, b)):
            order = sorted([(a, al.a, qa), (b, al.b, qb)], key=lambda x: x[2].value or 0.0)
        else:
            continue
        (early, ev, q_early), (late, lv, q_late) = order
        label_ar, label_en = matter_label(group, ctx, "ar"), matter_label(group, ctx, "en")
        return Finding(
            id="", kind="timing", articles=sorted({early, late}),
            evidence=[claim_evidence(ev), claim_evidence(lv)],
            explanation_ar=say("timing", "ar", matter=label_ar, early=ctx.outlet(early),
                               late=ctx.outlet(late), early_stage=f"«{q_early.text}»",
                               late_stage=f"«{q_late.text}»",
                               early_when=_day(ctx, early), late_when=_day(ctx, late)),
            explanation_en=say("timing", "en", matter=label_en, early=ctx.outlet(early),
                               late=ctx.outlet(late), early_stage_en=f"“{q_early.text}”",
                               late_stage_en=f"“{q_late.text}”",
                               early_when_en=_day(ctx, early), late_when_en=_day(ctx, late)),
            confidence=clip(0.4 + 0.6 * al.score), status="consistent", matter=group.id,
            details={"earlier": early, "later": late, "days": {early: ctx.day(early), late: ctx.day(late)},
                     "values": {early: q_early.value, late: q_late.value}},
        )
    return None


def _day(ctx: StoryContext, article: str) -> str:
    return f" ({day})" if (day := ctx.day(article)) else ""


def judge(group: MatterGroup, ctx: StoryContext) -> Finding | None:
    return _by_stage(group, ctx) or _by_figures(group, ctx)


KIND: Kind = Kind("timing", judge=judge)
