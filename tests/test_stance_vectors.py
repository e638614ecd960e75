"""Pair-stance features added with our word vectors: opposite-word forms, negation counts, order."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import DATA, need
from riwaya.models.features import (
    DENSE_NAMES,
    VECTOR_DIFF_DIMS,
    VECTOR_NAMES,
    Side,
    antonym_pairs,
    dense_features,
    explain_pair,
    sentence_vector_features,
    vector_features,
)
from riwaya.models.wordvectors import vectors


def _dense(a: str, b: str) -> dict[str, float]:
    return dict(zip(DENSE_NAMES, dense_features(Side.read(a), Side.read(b)), strict=True))


def _vec(a: str, b: str) -> dict[str, float]:
    return dict(zip(VECTOR_NAMES, vector_features(Side.read(a), Side.read(b)), strict=True))


def _cos(x: str, y: str) -> float:
    v = vectors()
    assert v is not None
    return float(v.matrix[v.index[x]] @ v.matrix[v.index[y]])


@pytest.mark.parametrize(("a", "b"), [
    ("حزب النهضة يعلن فوزه في الانتخابات", "حزب النهضة يخسر الانتخابات"),  # noun / verb
    ("أسعار النفط ترتفع اليوم", "أسعار النفط تنخفض اليوم"),  # feminine imperfect
    ("الوزارة رفضت الخطة", "الوزارة وافقت على الخطة"),  # past feminine
])
def test_opposite_words_meet_in_other_forms(a: str, b: str) -> None:
    assert antonym_pairs(Side.read(a), Side.read(b))
    assert "antonym" in explain_pair(a, b)


def test_a_word_and_its_own_form_are_no_opposites() -> None:
    assert not antonym_pairs(Side.read("الدولار يرتفع"), Side.read("الدولار ارتفع"))


def test_a_two_word_negation_counts_once() -> None:
    # لا يوجد is one negation: its parity differs from the plain sentence's
    assert _dense("لا يوجد رجل يتحدث", "رجل يتحدث")["neg_parity"] == 1.0
    assert "negation_mismatch" in explain_pair("لا يوجد رجل يتحدث", "رجل يتحدث")
    assert "negation_mismatch" in explain_pair("لايوجد رجل يتحدث", "رجل يتحدث")


def test_swapped_roles_show_in_word_order() -> None:
    swapped = _dense("الكلب يطارد القطة في الحديقة", "القطة تطارد الكلب في الحديقة")
    same = _dense("الكلب يطارد القطة في الحديقة", "الكلب يطارد القطة في الحديقة")
    assert swapped["order_discordance"] > 0 and same["order_discordance"] == 0
    assert swapped["bigram_jaccard"] < same["bigram_jaccard"] == 1.0


def test_vectors_put_related_words_closer_than_unrelated_ones() -> None:
    assert _cos("جيتار", "غيتار") > _cos("جيتار", "حكومه") + 0.3
    assert _cos("اعتقال", "احتجاز") > _cos("اعتقال", "كلب") + 0.3


def test_vector_features_see_a_replaced_word() -> None:
    same = _vec("رجل يعزف على الجيتار", "رجل يعزف على الجيتار")
    synonym = _vec("رجل يعزف على الجيتار", "رجل يعزف على الغيتار")
    unrelated = _vec("رجل يعزف على الجيتار", "رجل يعزف على الحكومة")
    assert same["b_subset_a"] == 1.0 and same["vec_sentence_cos"] == pytest.approx(1.0, abs=1e-3)
    assert synonym["vec_a2b_max"] > unrelated["vec_a2b_max"]
    assert len(_vec("", "")) == len(VECTOR_NAMES)
    for a, b in [("", "نص"), ("نص", ""), ("123", "٤٥٦")]:
        assert np.isfinite(list(_vec(a, b).values())).all()


def test_no_vectors_file_reads_as_none(tmp_path) -> None:
    assert vectors(tmp_path) is None
    assert vector_features(Side.read("رجل يتحدث"), Side.read("رجل يغني"), None) == vector_features(
        Side.read("رجل يتحدث"), Side.read("رجل يغني"))  # None means the shipped vectors


def test_sentence_vector_features_have_a_fixed_size_and_see_no_change_in_a_repeat() -> None:
    same = sentence_vector_features(Side.read("رجل يعزف على الجيتار"), Side.read("رجل يعزف على الجيتار"))
    other = sentence_vector_features(Side.read("رجل يعزف على الجيتار"), Side.read("امرأة تطبخ"))
    assert same.shape == other.shape == (6 * VECTOR_DIFF_DIMS,)
    assert np.abs(same[VECTOR_DIFF_DIMS:2 * VECTOR_DIFF_DIMS]).max() == 0  # |u - v| of a repeat
    assert np.abs(other[VECTOR_DIFF_DIMS:2 * VECTOR_DIFF_DIMS]).max() > 0
    assert np.isfinite(sentence_vector_features(Side.read(""), Side.read(""))).all()


_FEATURES_OF_FILE = """
import json, sys
from riwaya.models.features import Side, vector_features
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")][:300]
print(json.dumps([vector_features(Side.read(r["a"]), Side.read(r["b"])) for r in rows]))
"""


@pytest.mark.shared
def test_vector_features_do_not_depend_on_the_process_hash_seed() -> None:
    """Set iteration order changes with PYTHONHASHSEED; the features (and so a rebuild) must not."""
    path = need(DATA / "pairs" / "ans-train.jsonl")
    out = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", _FEATURES_OF_FILE, str(path)], env=env,
                             capture_output=True, text=True, check=True)
        out.append(run.stdout)
    assert out[0] == out[1]
