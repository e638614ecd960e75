"""``compare_analyses``: group articles into stories, then compare each story claim by claim."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from riwaya.compare import findings as F
from riwaya.compare.align import align, claim_infos
from riwaya.compare.summary import summarize
from riwaya.model import Analysis, Comparison, Finding, Story, StoryComparison

log = logging.getLogger(__name__)

KIND_ORDER = ["contradiction", "sourcing_contrast", "numeric_discrepancy", "date_discrepancy",
              "timing", "naming", "agreement", "unique"]


def _link_entities(analyses: Sequence[Analysis]) -> None:
    try:
        from riwaya.extract.entities import link_across
    except ImportError:
        log.debug("entity linking across articles is not available")
        return
    link_across(list(analyses))


def _stories(analyses: Sequence[Analysis]) -> list[Story]:
    ids = [a.article.id for a in analyses]
    try:
        from riwaya.compare.stories import group_stories
    except ImportError:
        log.warning("story grouping is not available: comparing all articles as one story")
        return [Story("S1", ids)]
    return list(group_stories(list(analyses)))


def _safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text) or "S"


def compare_story(story: Story, analyses: Sequence[Analysis], *, use_model: bool = True) -> StoryComparison:
    """Align the claims of one story's articles and derive its findings and summary."""
    by_id = {a.article.id: a for a in analyses}
    infos = {aid: claim_infos(by_id[aid]) for aid in story.articles}
    alignments = align([infos[aid] for aid in story.articles], use_model=use_model, judged=F.reads_stance)
    ctx = F.StoryContext(by_id, infos, alignments)
    found: list[Finding] = []
    for fn in (F.contradictions, F.agreements, F.sourcing_contrasts, F.timing,
               F.numeric_discrepancies, F.date_discrepancies, F.naming, F.unique):
        found.extend(fn(ctx))
    found.sort(key=lambda f: (KIND_ORDER.index(f.kind), -f.confidence))
    prefix = _safe_id(story.id)
    for n, finding in enumerate(found, 1):
        finding.id = f"{prefix}-F{n}"
    return StoryComparison(story, found, summarize(found, by_id))


def compare_analyses(analyses: list[Analysis], *, lang: str = "ar", use_model: bool = True) -> Comparison:
    """Compare analysed articles: stories first (unrelated articles set aside), then each story.

    ``lang`` picks the language of story labels; findings and summaries carry both Arabic and
    English.
    """
    seen: set[str] = set()
    for a in analyses:
        if a.article.id in seen:
            raise ValueError(f"article id {a.article.id!r} given twice")
        seen.add(a.article.id)
    _link_entities(analyses)
    stories = _stories(analyses)
    compared, set_aside = [], []
    for story in stories:
        if len(story.articles) < 2:
            set_aside.extend(story.articles)
            continue
        members = [a for a in analyses if a.article.id in set(story.articles)]
        if not story.label:
            first = members[0].article
            story.label = (first.title or first.text.strip().split("\n", 1)[0])[:80]
        compared.append(compare_story(story, members, use_model=use_model))
    return Comparison(list(analyses), compared, set_aside)
