"""The fast tagger: per-word cached scores and batched Viterbi give the reference CRF's tags."""

from __future__ import annotations

import gzip
import json
from itertools import islice, pairwise, product

import numpy as np

from riwaya.extract.entities import tagger
from riwaya.extract.entities.crf import Weights, viterbi
from riwaya.extract.entities.neural import Network, network
from riwaya.model import Article
from riwaya.text import build_document
from riwaya.text.normalize import analyze
from riwaya.text.tokenize import token_numbers, token_strings


def _reference(words: list[str], w: Weights, nn: Network | None = None) -> list[str]:
    """Tags from the feature strings the model was trained on: summed weights (plus the
    network's weighted log-probabilities of this sentence alone, when given), plain Viterbi."""
    zero = np.zeros(len(w.labels))
    e = np.array([sum((w.state[w.attrs[a]] for a in f if a in w.attrs), zero)
                  for f in tagger.sentence_features(words)])
    if nn is not None:
        infos = [(x[0], x[2][2:]) for x in map(tagger._word_features, words)]
        gaz = [nn.gaz.get(g, 0) if g else 0
               for g in tagger.gazetteer_tags([k for _, k in infos], words)]
        lp = nn.log_probs(nn.project(infos), np.array(gaz, dtype=np.intp), [len(words)])
        e = e + nn.weight * lp[:, [nn.labels.index(x) for x in w.labels]]
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
    """The shipped tagger (the CRF and, when shipped, the network) against the reference."""
    w, nn = Weights.read(tagger.MODEL), network()
    with open(data_dir / "ner" / "newsfane-dev.jsonl", encoding="utf-8") as f:
        sentences = [json.loads(line)["tokens"] for line in islice(f, 80)]
    doc = build_document(Article(id="s", text=seed_paths[1].read_text(encoding="utf-8")))
    sentences += [[doc.text[t.start:t.end] for t in doc.tokens[s.token_start:s.token_end]]
                  for s in doc.sentences]
    assert tagger.tag_many(sentences) == [_reference(s, w, nn) if s else [] for s in sentences]
    assert tagger.tag(sentences[0]) == _reference(sentences[0], w, nn)
    assert tagger.Tagger(w).tag_many(sentences) == [_reference(s, w) if s else [] for s in sentences]


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


def test_words_found_by_their_tokenizer_numbers_tag_as_by_string(data_dir, seed_paths, monkeypatch):
    """Rows found by the tokenizer's word numbers: the words' own, also across cache restarts."""
    w = Weights.read(tagger.MODEL)
    with gzip.open(data_dir / "corpus" / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in islice(f, 3)]
    texts += [p.read_text(encoding="utf-8") for p in seed_paths]
    docs = [build_document(Article(id=str(i), text=t)) for i, t in enumerate(texts)]
    monkeypatch.setattr(tagger, "_CACHE_WORDS", 300)  # the seeds overflow it
    fresh = tagger.Tagger(w)
    for doc in docs + docs:  # the second time round, words are found by number
        words, numbers = token_strings(doc.tokens, doc.text), token_numbers(doc.tokens)
        assert numbers is not None
        sentences = [list(words[s.token_start:s.token_end]) for s in doc.sentences]
        flat = [x for s in sentences for x in s]
        rows = fresh.word_rows(flat, [numbers[i] for s in doc.sentences
                                      for i in range(s.token_start, s.token_end)])
        assert [fresh.keys[r] for r in rows.tolist()] == [analyze(x)[0] for x in flat]
        best = fresh.tag_ids(rows, [len(s) for s in sentences], tagger.known_names(sentences)).tolist()
        tags = [fresh.labels[y] for y in best]
        at = 0
        for s in sentences[:12]:
            assert tags[at:at + len(s)] == _reference(s, w)
            at += len(s)


def _plain_viterbi(e: np.ndarray, trans: np.ndarray) -> list[int]:
    """Textbook Viterbi of one sentence; ties go to the first best label, as in crfsuite."""
    score, back = list(e[0]), []
    for t in range(1, len(e)):
        ptr, new = [], []
        for j in range(len(trans)):
            cand = [score[i] + trans[i, j] for i in range(len(trans))]
            best = max(range(len(cand)), key=lambda i, c=cand: (c[i], -i))
            ptr.append(best)
            new.append(cand[best] + e[t, j])
        back.append(ptr)
        score = new
    y = [max(range(len(score)), key=lambda i: (score[i], -i))]
    for ptr in reversed(back):
        y.append(ptr[y[-1]])
    return y[::-1]


def test_batched_viterbi_equals_a_plain_one_ties_included():
    rng = np.random.default_rng(1)
    for trial in range(40):
        labels = 9
        trans = rng.integers(-3, 4, size=(labels, labels)).astype(float)  # whole numbers: many ties
        lens = rng.integers(0, 30, size=rng.integers(1, 8)).tolist()
        scores = rng.integers(-4, 5, size=(sum(lens), labels)).astype(float)
        if trial % 2:
            trans, scores = trans + rng.normal(size=trans.shape), scores + rng.normal(size=scores.shape)
        got, base = viterbi(scores, lens, trans).tolist(), 0
        for n in lens:
            if n:
                assert got[base:base + n] == _plain_viterbi(scores[base:base + n], trans)
            base += n


def test_known_names_given_or_found_give_the_same_tags(data_dir):
    with open(data_dir / "ner" / "newsfane-dev.jsonl", encoding="utf-8") as f:
        sentences = [json.loads(line)["tokens"] for line in islice(f, 60)]
    names = tagger.known_names(sentences)
    assert names  # the rows name places and people the gazetteers know
    assert tagger.tag_many(sentences, names=names) == tagger.tag_many(sentences)
    words = [w for s in sentences for w in s]
    flat = tagger.tag_flat(words, [len(s) for s in sentences], names)
    assert flat == [t for tags in tagger.tag_many(sentences) for t in tags]
