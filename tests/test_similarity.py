"""Article similarity: the seeds are one story; unrelated corpus articles are not."""

from __future__ import annotations

import gzip
import json
from itertools import islice

import pytest

from conftest import need
from riwaya.model import Analysis, Article
from riwaya.models.similarity import article_similarity, text_similarity
from riwaya.pipeline import analyze_article


def analysis(aid: str, text: str) -> Analysis:
    return analyze_article(Article(id=aid, text=text))


@pytest.fixture(scope="module")
def corpus_sample(data_dir) -> list[Analysis]:
    path = need(data_dir / "corpus" / "saudinewsnet.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in islice(f, 0, 4000, 200)]  # 20 articles, days apart
    return [analysis(r["id"], r["text"]) for r in rows]


def test_seeds_are_one_story_far_above_unrelated_articles(seed_paths, corpus_sample) -> None:
    a, b = (analysis(p.name, p.read_text(encoding="utf-8")) for p in seed_paths)
    seeds = article_similarity(a, b)
    unrelated = max(article_similarity(x, y) for i, x in enumerate(corpus_sample)
                    for y in corpus_sample[i + 1:])
    assert seeds > unrelated + 0.1


def test_text_similarity_is_bounded_and_symmetric() -> None:
    a, b = "اجتمع وزراء التحالف في روما لبحث الوضع في ليبيا", "وزراء التحالف يجتمعون في روما بشأن ليبيا"
    s = text_similarity(a, b)
    assert 0 < s <= 1
    assert abs(s - text_similarity(b, a)) < 1e-9
    assert text_similarity(a, a) == pytest.approx(1.0)
    assert text_similarity(a, "ارتفعت أسعار الذهب في الأسواق العالمية") < s


def test_text_similarity_ranks_agree_pairs_above_unrelated(data_dir) -> None:
    text = need(data_dir / "pairs" / "ans-dev.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line]
    agree = [text_similarity(r["a"], r["b"]) for r in rows if r["label"] == "agree"]
    neutral = [text_similarity(r["a"], r["b"]) for r in rows if r["label"] == "neutral"]
    auc = sum((x > y) + 0.5 * (x == y) for x in agree for y in neutral) / (len(agree) * len(neutral))
    assert auc > 0.9


def test_one_topic_negatives_are_alike_corpus_articles_weeks_apart(data_dir, tmp_path, monkeypatch) -> None:
    """The same-story models learn that shared topic words weeks apart are not one story: their
    one-topic negatives are corpus articles alike in words and 10 days or more apart."""
    from datetime import datetime

    from riwaya.models.similarity import PairView, cosine
    from riwaya.tasks import clusters

    with gzip.open(data_dir / "corpus" / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = list(islice(f, 0, None, 500))
    (tmp_path / "corpus").mkdir()
    with gzip.open(tmp_path / "corpus" / "saudinewsnet.jsonl.gz", "wt", encoding="utf-8") as f:
        f.writelines(rows)
    when = {str(r["id"]): datetime.fromisoformat(r["published"]) for r in map(json.loads, rows)}
    monkeypatch.setattr(clusters, "HARD_STEP", 1)
    monkeypatch.setattr(clusters, "HARD_PAIRS", 8)
    pairs = clusters._hard_negatives(tmp_path)
    assert len(pairs) == 8
    gaps = [abs(when[a.article.id] - when[b.article.id]).days for a, b in pairs]
    assert min(gaps) >= clusters.HARD_GAP_DAYS
    alike = [cosine(PairView(a).keys, PairView(b).keys) for a, b in pairs]
    assert alike == sorted(alike, reverse=True) and alike[-1] > 0.1
