"""The BiLSTM beside the CRF: its numpy forward pass, and training that rebuilds the same bytes."""

from __future__ import annotations

import hashlib
import json
from itertools import islice

import numpy as np
import pytest

from riwaya.extract.entities import neural, tagger
from riwaya.extract.entities.neural import Network


def _infos(words: list[str]) -> list[tuple[tuple[str, ...], str]]:
    return [(x[0], x[2][2:]) for x in map(tagger._word_features, words)]


def test_log_probabilities_do_not_depend_on_the_batch():
    """Sentences tagged together or one by one get the same scores (padding never leaks)."""
    nn = neural.network()
    if nn is None:
        pytest.skip("no network shipped")
    sentences = [["قال", "الرئيس", "جورج", "بوش", "في", "واشنطن"], ["وصل", "شوماخر"], ["روما"],
                 ["أعلنت", "شركة", "متسوبيشي", "أن", "الأمم", "المتحدة", "في", "نيويورك", "."]]
    flat = [w for s in sentences for w in s]
    zero = np.zeros(len(flat), dtype=np.intp)
    together = nn.log_probs(nn.project(_infos(flat)), zero, [len(s) for s in sentences])
    alone = np.concatenate([nn.log_probs(nn.project(_infos(s)), zero[:len(s)], [len(s)])
                            for s in sentences])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    np.testing.assert_allclose(np.exp(together).sum(axis=1), 1.0, atol=1e-5)
    assert nn.log_probs(nn.project([]), zero[:0], []).shape == (0, len(nn.labels))


@pytest.mark.slow
def test_training_twice_gives_the_same_bytes_and_a_network_that_runs(data_dir, tmp_path):
    pytest.importorskip("torch")
    from riwaya.tasks.ner import _read

    rows = list(islice(_read(data_dir / "ner" / "anercorp-train.jsonl"), 60))
    digests = []
    for run in ("a", "b"):
        path = tmp_path / run / "ner_nn.npz"
        neural.train(rows, path, weight=1.0, epochs=1, target=[i % 2 == 0 for i in range(len(rows))])
        digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    nn = Network(tmp_path / "a" / "ner_nn.npz")
    with np.load(tmp_path / "a" / "ner_nn.npz", allow_pickle=False) as z:
        assert list(z["keys"]) == sorted(z["keys"]) and list(z["feats"]) == sorted(z["feats"])
    words = rows[0].tokens
    lp = nn.log_probs(nn.project(_infos(words)), np.zeros(len(words), dtype=np.intp), [len(words)])
    assert lp.shape == (len(words), len(nn.labels)) and np.isfinite(lp).all()
    json.dumps(nn.labels)  # plain strings


def test_a_restarted_word_cache_keeps_the_network_inputs(data_dir, monkeypatch):
    """The network's cached input projections restart with the CRF's word cache."""
    nn = neural.network()
    if nn is None:
        pytest.skip("no network shipped")
    w = tagger.Weights.read(tagger.MODEL)
    with open(data_dir / "ner" / "anercorp-a.jsonl", encoding="utf-8") as f:
        sentences = [json.loads(line)["tokens"] for line in islice(f, 24)]
    want = tagger.Tagger(w, nn).tag_many(sentences)
    monkeypatch.setattr(tagger, "_CACHE_WORDS", 50)
    small = tagger.Tagger(w, nn)
    got = [t for i in range(0, len(sentences), 4) for t in small.tag_many(sentences[i:i + 4])]
    assert small.restarts > 0 and got == want


def test_a_sentence_longer_than_a_run_is_left_to_the_crf():
    nn = neural.network()
    if nn is None:
        pytest.skip("no network shipped")
    short, long = ["وصل", "شوماخر", "إلى", "روما"], ["-"] * (neural.MAX_RUN + 1)
    flat = short + long + short
    lp = nn.log_probs(nn.project(_infos(flat)), np.zeros(len(flat), dtype=np.intp), [4, len(long), 4])
    alone = nn.log_probs(nn.project(_infos(short)), np.zeros(4, dtype=np.intp), [4])
    assert not lp[4:-4].any()
    np.testing.assert_allclose(lp[:4], alone, atol=1e-5)
    np.testing.assert_allclose(lp[-4:], alone, atol=1e-5)
