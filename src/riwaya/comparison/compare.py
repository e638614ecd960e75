"""The comparison: copies set apart, stories grouped, then each story's matters judged.

``compare_analyses``: copies (one report carried by several outlets) are found first and only
one of each is compared; two articles given alone always form one story (with the probability
that they report the same one); more are grouped into stories, and an article related to no
other is set aside. ``compare_story``: claims are read (:mod:`views`), aligned (:mod:`align`),
grouped into matters (:mod:`matters`), each matter several outlets report gets one verdict (the
first verdict kind of :mod:`kinds` that finds), then the note kinds run and the summary is built.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Sequence

from riwaya.comparison import matters as M
from riwaya.comparison.align import Weights, align
from riwaya.comparison.context import StoryContext
from riwaya.comparison.copies import copy_groups
from riwaya.comparison.kinds import NOTES, VERDICTS
from riwaya.comparison.summary import summarize
from riwaya.comparison.views import claim_views
from riwaya.model import Analysis, Comparison, Finding, Matter, Story, StoryComparison, story_label
from riwaya.report.wording import KIND_ORDER
from riwaya.text import templates

log = logging.getLogger(__name__)

# verdicts that cannot stand on one sentence together: the later one gives the sentence up
_OPPOSED = {"contradiction": ("agreement", "timing")}


def _safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text) or "S"


def compare_story(story: Story, analyses: Sequence[Analysis]) -> StoryComparison:
    """The matters of one story's articles, one verdict on each, the notes and the summary."""
    by_id = {a.article.id: a for a in analyses}
    views = {aid: claim_views(by_id[aid]) for aid in story.articles}
    weights = Weights([v for vs in views.values() for v in vs])
    alignments = align(list(views.values()), weights)
    groups = M.build(views, weights, alignments)
    ctx = StoryContext(by_id, views, alignments, groups)
    for group in groups:
        if not group.shared:
            continue
        for kind in VERDICTS:
            assert kind.judge is not None
            finding = kind.judge(group, ctx)
            if finding is not None:
                ctx.verdicts[group.id] = finding
                ctx.findings.append(finding)
                break
    for kind in NOTES:
        assert kind.find is not None
        ctx.findings.extend(kind.find(ctx))
    _separate(ctx.findings)
    found = sorted(ctx.findings, key=lambda f: (KIND_ORDER.index(f.kind), -f.confidence))
    prefix = _safe_id(story.id)
    for n, finding in enumerate(found, 1):
        finding.id = f"{prefix}-F{n}"
    matters = [Matter(g.id, M.matter_label(g, ctx), g.articles, M.positions_of(g),
                      sorted({e for v in g.views() for e in v.entities}),
                      sorted({e for v in g.views() for e in v.events}), _verdict(g, ctx))
               for g in groups]
    return StoryComparison(story, found, summarize(found, matters, by_id), matters)


def _verdict(group: M.MatterGroup, ctx: StoryContext) -> str | None:
    if group.id in ctx.verdicts:
        return ctx.verdicts[group.id].kind
    return None if group.shared else "unique"


def _separate(findings: list[Finding]) -> None:
    """A sentence never stands under two opposed verdicts: the weaker verdict gives up its
    evidence in a sentence the stronger one cites, and is dropped if one side is left bare."""
    by_sentence: dict[tuple[str, int], set[str]] = defaultdict(set)
    for f in findings:
        for e in f.evidence:
            by_sentence[(e.article, e.start)].add(f.kind)
    taken = {kind: {key for key, kinds in by_sentence.items() if kind in kinds} for kind in _OPPOSED}
    for f in list(findings):
        blocked = set().union(*(taken[k] for k, weaker in _OPPOSED.items() if f.kind in weaker))
        if not blocked:
            continue
        kept = [e for e in f.evidence if (e.article, e.start) not in blocked]
        if len(kept) != len(f.evidence):
            if len({e.article for e in kept}) < 2:
                findings.remove(f)
            else:
                f.evidence = kept


def compare_analyses(analyses: list[Analysis], *, lang: str = "ar") -> Comparison:
    """Compare analysed articles: copies set apart, stories grouped, each story compared.

    ``lang`` picks the language of story labels; findings and summaries carry both.
    """
    analyses = _unique_ids(analyses)
    # each outlet's page template, where the batch holds several of its articles
    templates.learn([a.document for a in analyses], lambda d: d.article.outlet)
    copies = [[analyses[i].article.id for i in g] for g in copy_groups(analyses)]
    dropped = {aid for group in copies for aid in group[1:]}
    kept = [a for a in analyses if a.article.id not in dropped]
    _link_entities(kept)
    stories = _stories(kept)
    compared, set_aside = [], []
    for story in stories:
        if len(story.articles) < 2:
            set_aside.extend(story.articles)
            continue
        members = [a for a in kept if a.article.id in set(story.articles)]
        if not story.label:
            story.label = story_label([a.article for a in members])
        compared.append(compare_story(story, members))
    if not compared:  # every article a copy of one report: nothing to compare, nothing set aside
        set_aside = [a for a in set_aside if not any(a == g[0] for g in copies)]
    return Comparison(list(analyses), compared, set_aside, copies)


def _unique_ids(analyses: list[Analysis]) -> list[Analysis]:
    """The analyses with every id distinct: a second article under an id already given gets
    ``~2`` (``~3`` ...) after it, with a warning (a file given twice is a copy, shown as one)."""
    seen: dict[str, int] = {}
    for a in analyses:
        aid = a.article.id
        if aid in seen:
            seen[aid] += 1
            new = f"{aid}~{seen[aid]}"
            log.warning("article id %r given twice: the second is %r", aid, new)
            a.article.id = new
            for c in a.claims:
                c.id = c.id.replace(aid, new, 1)
        else:
            seen[aid] = 1
    return analyses


def _link_entities(analyses: Sequence[Analysis]) -> None:
    from riwaya.extract.entities import link_across

    link_across(list(analyses))


def _stories(analyses: list[Analysis]) -> list[Story]:
    """Stories of the articles; two given alone are always one (with their link probability)."""
    if len(analyses) == 2:
        from riwaya.models.similarity import article_similarity

        a, b = analyses
        p = article_similarity(a, b)
        return [Story(f"story-{a.article.id}", [a.article.id, b.article.id], confidence=round(p, 4))]
    from riwaya.comparison.stories import group_stories

    return list(group_stories(analyses))
