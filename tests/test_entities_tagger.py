"""The fast tagger: per-word cached scores and batched Viterbi give the reference CRF's tags."""

from __future__ import annotations

import json
from itertools import islice, pairwise, product

import numpy as np

from riwaya.extract.entities import tagger
from riwaya.extract.entities.crf import Weights, viterbi
from riwaya.model import Article
from riwaya.text import build_document


def _reference(words: list[str], w: Weights) -> list[str]:
    """Tags from the feature strings the model was trained on: summed weights, plain Viterbi."""
    zero = np.zeros(len(w.labels))
    e = np.array([sum((w.state[w.attrs[a]] for a in f if a in w.attrs), zero)
                  for f in tagger.sentence_features(words)])
    return [w.labels[y] for y in viterbi(e, [len(words)], w.trans)]


def test_viterbi_finds_the_best_path_of_each_sentence():
    rng = np.random.default_rng(0)
    trans = rng.normal(size=(3, 3))
    lens = [3, 0, 1, 4, 2]
    scores = rng.normal(size=(sum(lens), 3))
    got = viterbi(scores, lens, trans).tolist()
    base = 0
    for n in lens:
        if n:
            e = scores[base:base + n]
            best = max(product(range(3), repeat=n), key=lambda p: sum(e[i, y] for i, y in enumerate(p))
                       + sum(trans[a, b] for a, b in pairwise(p)))
            assert got[base:base + n] == list(best)
        base += n


def test_tags_match_the_reference_features(data_dir, seed_paths):
    w = Weights.read(tagger.MODEL)
    with open(data_dir / "ner" / "newsfane-dev.jsonl", encoding="utf-8") as f:
        sentences = [json.loads(line)["tokens"] for line in islice(f, 80)]
    doc = build_document(Article(id="s", text=seed_paths[1].read_text(encoding="utf-8")))
    sentences += [[doc.text[t.start:t.end] for t in doc.tokens[s.token_start:s.token_end]]
                  for s in doc.sentences]
    assert tagger.tag_many(sentences) == [_reference(s, w) if s else [] for s in sentences]
    assert tagger.tag(sentences[0]) == _reference(sentences[0], w)


def test_a_full_word_cache_restarts_without_losing_the_batch(data_dir, monkeypatch):
    """Regression: when the cache filled mid-batch, words cached earlier in it were dropped."""
    w = Weights.read(tagger.MODEL)
    with open(data_dir / "ner" / "newsfane-dev.jsonl", encoding="utf-8") as f:
        sentences = [json.loads(line)["tokens"] for line in islice(f, 40)]
    monkeypatch.setattr(tagger, "_CACHE_WORDS", 50)
    fresh = tagger.Tagger(w)
    for i in range(0, len(sentences), 4):  # each batch overflows a cache of 50 words
        batch = sentences[i:i + 4]
        assert fresh.tag_many(batch) == [_reference(s, w) if s else [] for s in batch]
