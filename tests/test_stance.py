"""Sentence-pair stance: contradiction devices on real pairs, and the shipped model."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from conftest import DATA, need
from riwaya.models.features import Side, antonym_pairs, dense_features, explain_pair
from riwaya.models.stance import LABELS, predict_labels, predict_pairs


@cache
def _rows(name: str) -> dict[str, dict]:
    path = need(DATA / "pairs" / f"{name}.jsonl")
    rows = (json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line)
    return {r["id"]: r for r in rows}


def pair(row_id: str) -> tuple[str, str]:
    name = row_id.rsplit("-", 1)[0]
    r = _rows(name)[row_id]
    return r["a"], r["b"]


@pytest.mark.shared
@pytest.mark.parametrize(("row_id", "device"), [
    ("sick-ar-train-3", "negation_mismatch"),      # تشتري / لا تشتري
    ("ans-train-21", "negation_mismatch"),         # أكثر أمنا / غير آمنة
    ("ans-train-1", "antonym"),                     # ارتفاع / انخفاضا
    ("ans-train-7", "antonym"),                     # يرتفع / انخفاض
    ("ans-train-59", "antonym"),                    # السجن / اطلاق سراح
    ("ans-train-25", "antonym"),                    # يتراجع / يرتفع
    ("ans-train-282", "number_mismatch"),           # ٧٧ / ٦٦ مليار
    ("ans-train-432", "date_mismatch"),             # 2020 / 2030
    ("ans-train-3", "changed_entity"),              # أبل / تسلا
    ("ans-train-76", "hedging"),                    # قد لا يظهر / يعلن ظهور
    ("ans-train-10", "ruling_out"),                 # توافق / تنفي
])
def test_contradiction_devices_fire_on_real_pairs(row_id: str, device: str) -> None:
    a, b = pair(row_id)
    assert device in explain_pair(a, b)


@pytest.mark.shared
def test_devices_stay_quiet_on_a_paraphrase() -> None:
    a, b = pair("sick-ar-train-0")  # the same sentence twice
    assert explain_pair(a, b) == []


@pytest.mark.shared
def test_same_digits_in_two_scripts_are_no_mismatch() -> None:
    a, b = pair("ans-train-7")  # 12 أسبوعا / ١٢ اسبوعا
    assert "number_mismatch" not in explain_pair(a, b)


def test_antonyms_are_matched_through_clitics() -> None:
    assert antonym_pairs(Side.read("والأسعار في ارتفاع"), Side.read("الأسعار في انخفاض"))


@pytest.mark.shared
def test_dense_features_are_symmetric_in_shape() -> None:
    a, b = pair("ans-train-2")
    assert len(dense_features(Side.read(a), Side.read(b))) == len(dense_features(Side.read(b), Side.read(a)))


@pytest.mark.shared
def test_predict_pairs_gives_distributions() -> None:
    a, b = pair("sick-ar-train-3")
    probs = predict_pairs([(a, b), (a, a), ("", "")])
    assert len(probs) == 3
    for p in probs:
        assert set(p) == set(LABELS)
        assert abs(sum(p.values()) - 1) < 1e-3
    assert probs[0]["contradict"] > probs[0]["agree"]
    assert probs[1]["agree"] > probs[1]["contradict"]


@pytest.mark.shared
def test_model_reads_real_dev_pairs_better_than_chance() -> None:
    rows = list(_rows("sick-ar-dev").values())[:120]
    pred = predict_labels([(r["a"], r["b"]) for r in rows])
    accuracy = sum(p == r["label"] for p, r in zip(pred, rows, strict=True)) / len(rows)
    assert accuracy > 0.6


@pytest.mark.shared
def test_a_pair_scores_the_same_alone_and_in_a_batch_that_repeats_its_texts() -> None:
    rows = list(_rows("ans-dev").values())[:6]
    claim = rows[0]["a"]
    batch = [(claim, r["b"]) for r in rows] + [(r["a"], r["b"]) for r in rows] + [(claim, rows[1]["b"])]
    together = predict_pairs(batch)
    alone = [predict_pairs([p])[0] for p in batch]
    for x, y in zip(together, alone, strict=True):
        assert x == pytest.approx(y, abs=1e-6)
    assert together[1] == together[-1]
