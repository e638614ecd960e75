"""Claim–article stance: relevant sentences and the shipped model on real UnifiedFC rows."""

from __future__ import annotations

import json
from itertools import islice

from conftest import need
from riwaya.models.claim_stance import LABELS, claim_article_stance, refutation_words, relevant_sentences
from riwaya.models.features import fold
from riwaya.tasks import claim_article


def _rows(data_dir, n: int) -> list[dict]:
    with open(need(data_dir / "claim-article" / "unifiedfc-dev.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in islice(f, n)]


def test_relevant_sentences_find_the_claim_in_an_article() -> None:
    claim = "قتل 14 من مقاتلي المعارضة إثر انفجار مستودع أسلحة في مدينة مارع"
    sentences = ["أسعار النفط ترتفع في الأسواق", "قتل 14 مقاتلا معارضا في انفجار مستودع للأسلحة بمارع",
                 "الطقس معتدل اليوم"]
    top = relevant_sentences(claim, sentences, k=2)
    assert top[0][0] == 1
    assert top[0][1] > top[1][1]


def test_rationale_sentences_rank_high_on_real_rows(data_dir) -> None:
    rows = [r for r in _rows(data_dir, 200) if r["label"] != "unrelated" and r["rationale_sentences"]][:20]
    hits = 0
    for r in rows:
        top = {i for i, _ in relevant_sentences(r["claim"], r["article"].split("\n"), k=5)}
        hits += bool(top & set(r["rationale_sentences"]))
    assert hits / len(rows) >= 0.5


def test_claim_article_predictions_on_real_rows(data_dir) -> None:
    rows = _rows(data_dir, 40)
    pred = claim_article.predict(rows)
    assert [p["id"] for p in pred] == [r["id"] for r in rows]
    assert {p["label"] for p in pred} <= set(LABELS)
    accuracy = sum(p["label"] == r["label"] for p, r in zip(pred, rows, strict=True)) / len(rows)
    assert accuracy > 0.5


def test_stance_probabilities_sum_to_one() -> None:
    probs = claim_article_stance("الجيش يسيطر على المدينة", ["نفى الجيش السيطرة على المدينة", "خبر آخر"])
    assert set(probs) == set(LABELS)
    assert abs(sum(probs.values()) - 1) < 1e-3


def test_refutation_words_cover_the_usual_denials() -> None:
    ref = refutation_words()
    for word in ("نفى", "شائعة", "مفبرك", "غير صحيح"):
        assert fold(word) in ref


def test_denying_article_leans_away_from_agree_on_a_real_claim(data_dir) -> None:
    claim = next(r["claim"] for r in _rows(data_dir, 100) if r["label"] == "agree")
    repeated = claim_article_stance(claim, [claim, "وأفادت مصادر محلية بتفاصيل الحادث."])
    denial = "ونفت المصادر هذه الأنباء ووصفتها بأنها شائعة مفبركة وغير صحيحة ومضللة."
    denied = claim_article_stance(claim, [claim, denial])
    assert denied["agree"] < repeated["agree"]


def test_sentence_scorer_finds_the_rationale_lines_of_dev_rows(data_dir) -> None:
    rows = [r for r in _rows(data_dir, 600) if r["rationale_sentences"]][:40]
    recall = []
    for r in rows:
        top = {i for i, _ in relevant_sentences(r["claim"], r["article"].split("\n"), k=3)}
        recall.append(len(top & set(r["rationale_sentences"])) / len(r["rationale_sentences"]))
    assert sum(recall) / len(recall) >= 0.8


def test_relevant_sentences_scores_are_probabilities_best_first() -> None:
    top = relevant_sentences("الجيش يسيطر على المدينة", ["خبر آخر", "الجيش يسيطر على المدينة اليوم", ""], k=3)
    assert top[0][0] == 1
    assert all(0.0 <= p <= 1.0 for _, p in top)
    assert [p for _, p in top] == sorted((p for _, p in top), reverse=True)
    assert relevant_sentences("الجيش يسيطر على المدينة", []) == []


def test_decision_offsets_keep_probabilities_and_labels_consistent(data_dir) -> None:
    rows = _rows(data_dir, 12)
    probs = [claim_article_stance(r["claim"], r["article"].split("\n")) for r in rows]
    labels = [p["label"] for p in claim_article.predict(rows)]
    assert labels == [max(p, key=p.get) for p in probs]
    assert all(abs(sum(p.values()) - 1) < 1e-3 for p in probs)
