"""Stories at newsroom scale (issue 17), on real corpus articles: copies are one report carried by
several outlets, outlet templates say nothing of a story, stories are events in time, and two
articles given alone are always compared."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conftest import corpus_rows
from riwaya.comparison.stories import StoryIndex, story_signature
from riwaya.model import Analysis, Article
from riwaya.pipeline import analyze_article

# identical texts the corpus carries under two outlets (aleqtisadiya, then alyaum a minute apart)
COPIES = [("snn-5146", "snn-6070"), ("snn-5150", "snn-6069")]


@pytest.fixture(scope="module")
def rows() -> dict[str, dict]:
    return corpus_rows({i for pair in COPIES for i in pair} | {"snn-10043", "snn-12356"})


def _article(r: dict, **kw) -> Article:
    from riwaya.ingest.records import article_from_record

    a = article_from_record(r, r["id"])
    for k, v in kw.items():
        setattr(a, k, v)
    return a


def _seeds(seed_paths, days: float = 0.0) -> list[Analysis]:
    when = datetime(2016, 1, 28, 9, tzinfo=UTC)
    return [analyze_article(Article(id=p.name, text=p.read_text(encoding="utf-8"), source=f"outlet{n}",
                                    published=when + timedelta(days=days * n)))
            for n, p in enumerate(seed_paths)]


def test_copies_across_runs_are_one_report_carried_by_two_outlets_and_never_compared(db, rows) -> None:
    from riwaya.store import open_store
    from riwaya.workspace.ingester import Ingester

    store = open_store(db)
    try:
        with Ingester(store, workers=1) as ing:  # the originals, then their copies in a later run
            first = ing.ingest([_article(rows[a]) for a, _ in COPIES])
        with Ingester(store, workers=1) as ing:
            second = ing.ingest([_article(rows[b]) for _, b in COPIES])
        assert first.new == 2 and first.copies == 0
        assert second.new == 2 and second.copies == 2
        for report, copy in COPIES:
            story = store.article_story(report)
            assert store.article_story(copy) == story
            page = store.story(story)
            assert [c["id"] for c in page["carried_by"][report]] == [copy]
            s = page["summary"]
            assert s.n_articles - s.n_reports >= 1 and set(s.outlets) >= {"aleqtisadiya", "alyaum"}
            for f in (page["comparison"] or {}).get("findings", []):  # a copy is never compared
                assert copy not in f["articles"]
            assert story not in store.dirty_stories()
        outlet = store.outlet("alyaum")
        assert outlet is not None and outlet["articles"] == 2 and outlet["reports"] == 2
    finally:
        store.close()


def test_an_outlets_template_is_left_out_of_its_signatures(rows) -> None:
    """Real articles of three weeks with the same line about the site appended, as an outlet's
    page has: its rare words are among the strongest keys of every signature (what made one
    outlet's unrelated articles join) until the outlet's template is learned; then they are page
    furniture, in no key, and the unrelated articles stay apart."""
    from riwaya.models.similarity import analysis_keys
    from riwaya.text import templates

    block = ("\nمجموعة الفنار الإعلامية: منصتها الرقمية ونشرتها الصباحية وملحق الفنار الأسبوعي للأعمال "
             "والمال والعقار والسيارات")
    ids = ["snn-5146", "snn-5150", "snn-10043", "snn-12356"]
    analyses = [analyze_article(_article(rows[i], text=rows[i]["text"] + block, source="site")) for i in ids]
    assert all("فنار" in story_signature(a)["keys"] for a in analyses)
    assert templates.learn([a.document for a in analyses], lambda d: "site") == len(analyses)
    for a in analyses:
        text = a.article.text
        start = text.index("مجموعة الفنار")
        assert any(s <= start and e == len(text) for s, e in a.document.furniture)
        assert not any("فنار" in k for k in analysis_keys(a))
        assert "فنار" not in story_signature(a)["keys"]
    index = StoryIndex()
    assert index.add("a", story_signature(analyses[0])) != index.add("c", story_signature(analyses[2]))


def test_an_article_joins_a_story_only_within_its_time_window(seed_paths) -> None:
    """The seeds (one story) a day apart are one story; the same two articles five weeks apart
    are two: an event is bounded in time."""
    near = _seeds(seed_paths, days=1)
    index = StoryIndex()
    assert index.add("a", story_signature(near[0])) == index.add("b", story_signature(near[1]))
    far = _seeds(seed_paths, days=35)
    index = StoryIndex()
    assert index.add("a", story_signature(far[0])) != index.add("b", story_signature(far[1]))
    # an undated article is placed at the time it is filed, which the caller gives
    index = StoryIndex()
    s = index.add("a", story_signature(near[0]))
    late = datetime(2016, 3, 10, tzinfo=UTC)
    assert index.add("u", {**story_signature(near[1]), "published": None}, late) != s


def test_two_articles_given_alone_are_compared_with_their_link_probability(seed_paths) -> None:
    """One seed dated five days after the other still makes one compared story (the link
    probability is its confidence), never two set-aside articles."""
    from riwaya.comparison.compare import compare_analyses
    from riwaya.models.similarity import article_similarity

    seeds = _seeds(seed_paths, days=5)
    p = article_similarity(*seeds)
    comparison = compare_analyses(seeds)
    assert not comparison.set_aside
    (story,) = comparison.stories
    assert sorted(story.story.articles) == sorted(p.name for p in seed_paths)
    assert story.story.confidence == pytest.approx(round(p, 4))


def test_seeds_are_one_story_in_either_order_and_lead_the_default_sort(new_db, rows, seed_paths) -> None:
    from riwaya.store import open_store
    from riwaya.workspace.ingester import Ingester

    corpus = [_article(rows[i]) for i in ("snn-10043", "snn-12356", "snn-5146")]
    for order in (seed_paths, tuple(reversed(seed_paths))):
        store = open_store(new_db())
        try:
            with Ingester(store, workers=1, findings=False) as ing:
                ing.ingest(corpus)
                ing.ingest([Article(id=p.name, text=p.read_text(encoding="utf-8"), source=f"o{n}")
                            for n, p in enumerate(order)])
            story = store.article_story(seed_paths[0].name)
            assert store.article_story(seed_paths[1].name) == story
            first_page = store.list_stories(min_articles=2, limit=20)
            assert first_page and first_page[0].id == story
        finally:
            store.close()


def test_contested_counts_matters_two_outlets_dispute_and_one_outlet_never_leads(db, rows) -> None:
    """A contradiction within one outlet's own articles is no contested matter; a story one outlet
    alone reports is labelled so and listed after every story several outlets report, however
    recent or contested it is."""
    from _workspace import fake_compare, fill
    from riwaya.model import Matter
    from riwaya.store import open_store

    def compare(story, analyses):
        sc = fake_compare(story, analyses)
        ids = [a.article.id for a in analyses]
        sc.matters = [Matter("m1", "matter", ids[:2], verdict="contradiction")]
        return sc

    texts = [rows[i]["text"] for i in ("snn-10043", "snn-12356", "snn-5146", "snn-5150")]
    alone = [Article(id=f"own{n}", text=t, source="one-outlet", meta={"story": "s-own"},
                     published=datetime(2016, 2, n + 1, tzinfo=UTC)) for n, t in enumerate(texts[:2])]
    shared = [Article(id=f"shared{n}", text=t, source=f"outlet{n}", meta={"story": "s-shared"},
                      published=datetime(2015, 1, n + 1, tzinfo=UTC)) for n, t in enumerate(texts[2:])]
    store = open_store(db)
    try:
        fill(store, shared + alone, comparer=compare)
        summaries = {s.id: s for s in store.list_stories(min_articles=2)}
        assert summaries["s-own"].single_outlet and summaries["s-own"].n_contested == 0
        assert summaries["s-own"].n_contradictions == 1  # still shown on its page
        assert not summaries["s-shared"].single_outlet and summaries["s-shared"].n_contested == 1
        for sort in ("newest", "contested", "largest"):
            assert [s.id for s in store.list_stories(sort=sort, min_articles=2)] == ["s-shared", "s-own"]
    finally:
        store.close()
