"""Ingest stores articles first and recomputes each touched story's findings once, at the end."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from _workspace import fake_compare, fill
from riwaya.model import Article
from riwaya.store import open_store
from riwaya.workspace.ingester import Ingester
from riwaya.workspace.sample import pick_compared, story_sample

TEXTS = [
    "قال وزير الخارجية الإيطالي في روما إن التدخل العسكري في ليبيا غير وارد في الوقت الحاضر.",
    "أعلن التحالف الدولي بعد اجتماعه في روما أنه لا يعد لتدخل عسكري وشيك في ليبيا.",
    "ذكرت نشرة فرنسية أن تدخلا غربيا في ليبيا يجري الإعداد له بعد اجتماع روما.",
    "افتتحت البلدية جسرا جديدا على نهر المدينة يخفف الزحام في ساعات الذروة.",
    "قالت البلدية إن الجسر الجديد سيحمل عشرين ألف سيارة يوميا عند افتتاحه.",
    "أكد رئيس البلدية أن أعمال الجسر انتهت قبل موعدها بشهرين.",
]


def articles() -> list[Article]:
    return [
        Article(id=f"a{i}", text=t, source=f"outlet{i % 3}", meta={"story": "libya" if i < 3 else "bridge"})
        for i, t in enumerate(TEXTS)
    ]


@pytest.fixture
def store(db):
    s = open_store(db)
    yield s
    s.close()


def test_each_touched_story_is_compared_once_whatever_the_batch(store):
    calls: list[tuple[str, int]] = []

    def counting(story, analyses):
        calls.append((story, len(analyses)))
        return fake_compare(story, analyses)

    summary = fill(store, articles(), batch=2, comparer=counting)
    assert sorted(calls) == [("bridge", 3), ("libya", 3)]  # once each, with all their articles
    assert (summary.new, summary.recomputed, store.count()["dirty"]) == (6, 2, 0)
    assert summary.store_seconds > 0 and summary.findings_seconds > 0


def test_no_findings_leaves_stories_marked_until_recomputed(store, tmp_path):
    from riwaya.web.app import create_app

    summary = fill(store, articles(), findings=False)
    assert (summary.new, summary.recomputed) == (6, 0)
    assert store.count()["dirty"] == 2 and store.count()["findings"] == 0
    assert store.story("libya")["comparison"] is None
    with TestClient(create_app(store=store), base_url="http://127.0.0.1") as client:
        page = client.get("/story/libya").text
        assert "قيد التحديث" in page and "Being updated" in page
    with Ingester(store, comparer=fake_compare) as ing:
        assert ing.recompute_dirty() == 2
    assert store.count()["dirty"] == 0
    assert [f["kind"] for f in store.story("libya")["comparison"]["findings"]] == [
        "contradiction", "unique", "agreement",
    ]
    with TestClient(create_app(store=store), base_url="http://127.0.0.1") as client:
        assert "قيد التحديث" not in client.get("/story/libya").text


def test_a_story_gaining_articles_is_marked_and_its_old_findings_kept_meanwhile(store):
    fill(store, articles()[:2])
    before = store.story("libya")["comparison"]
    fill(store, articles()[2:3], findings=False)
    stored = store.story("libya")
    assert stored["summary"].dirty and stored["comparison"] == before
    assert stored["summary"].n_articles == 3


def test_findings_computed_in_workers_reading_the_store_match_in_process(tmp_path, db):
    found = []
    for workers, where in ((1, tmp_path / "w1.db"), (2, db)):  # workers reopen the store: file or URL
        with open_store(where) as store:
            fill(store, articles(), findings=False)
            with Ingester(store, workers=workers, comparer=fake_compare) as ing:
                assert ing.recompute(["libya", "bridge"]) == 2
            found.append({s: store.story(s)["view"] for s in ("libya", "bridge")})
    assert found[0] == found[1]


def test_a_large_story_is_compared_on_a_sample_decoded_alone(store):
    many = [
        Article(id=f"m{i}", text=f"{TEXTS[i % 3]} الفقرة {i}.", source=f"o{i % 5}",
                meta={"story": "big"})
        for i in range(30)
    ]
    fill(store, many, findings=False)
    sample, total = story_sample(store, "big", 24)
    assert total == 30 and len(sample) == 24
    assert {a.article.source for a in sample} == {f"o{i}" for i in range(5)}  # every outlet kept


def test_pick_compared_keeps_the_newest_of_each_outlet_oldest_first():
    members = [(f"x{i}", "a" if i < 8 else f"o{i}", f"2016-01-{i + 1:02d}") for i in range(12)]
    picked = pick_compared(members, 5)
    assert picked == ["x7", "x8", "x9", "x10", "x11"]
    assert pick_compared(members[:3], 5) == ["x0", "x1", "x2"]


def test_riwaya_story_recomputes_a_marked_story_before_showing_it(db, seed_paths, capsys):
    from riwaya.cli import main
    from riwaya.ingest import read

    with open_store(db) as store:
        fill(store, list(read([str(p) for p in seed_paths])), findings=False)
        assert store.count()["dirty"] == 1
    assert main(["story", "s-main", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "findings not computed yet" not in out and "[" in out
    with open_store(db, read_only=True) as store:
        assert store.count()["dirty"] == 0
