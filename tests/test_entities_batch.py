"""Entities of several articles at once: the same as one article at a time, whatever the batch."""

from __future__ import annotations

import gzip
import json
from dataclasses import fields
from itertools import islice

import numpy as np

from riwaya.extract.entities import annotate, annotate_many
from riwaya.extract.entities.crf import viterbi
from riwaya.model import Analysis, Article
from riwaya.pipeline import analyze_all, analyze_article, analyze_many
from riwaya.text import build_document


def _articles(corpus_path, paths, n: int) -> list[Article]:
    with gzip.open(corpus_path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in islice(f, n)]
    arts = [Article(id=r["id"], text=r["text"]) for r in rows]
    arts += [Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in paths]
    arts.append(Article(id="empty", text="."))  # nothing to tag
    return arts


def _found(a: Analysis) -> tuple[str, str]:
    return repr(a.entities), repr(a.mentions)


def test_annotate_many_equals_annotate_one_by_one(corpus_path, news_paths):
    arts = _articles(corpus_path, news_paths, 40)
    one = []
    for art in arts:
        a = Analysis(build_document(art))
        annotate(a)
        one.append(_found(a))
    for size in (len(arts), 7):
        many = [Analysis(build_document(art)) for art in arts]
        for i in range(0, len(many), size):
            annotate_many(many[i:i + size])
        assert [_found(a) for a in many] == one
    annotate_many([])


def test_spans_of_a_batch_slice_the_text(corpus_path, news_paths):
    many = [Analysis(build_document(art)) for art in _articles(corpus_path, news_paths, 10)]
    annotate_many(many)
    for a in many:
        assert all(a.document.text[m.start:m.end] == m.text for m in a.mentions)


def _rest(a: Analysis) -> str:
    return repr([getattr(a, f.name) for f in fields(a) if f.name != "document"])


def test_analyze_many_and_analyze_all_equal_analyze_article(corpus_path, news_paths):
    arts = _articles(corpus_path, news_paths, 12)
    one = [_rest(analyze_article(a)) for a in arts]
    assert [_rest(a) for a in analyze_many(arts)] == one
    assert [_rest(a) for a in analyze_all(iter(arts))] == one
    assert analyze_many([]) == []


def test_analyze_all_is_lazy(monkeypatch):
    def articles():
        yield Article(id="a", text="قال وزير الخارجية الإيطالي باولو جنتيلوني في روما.")
        raise AssertionError("read past the first batch")

    monkeypatch.setattr("riwaya.pipeline.BATCH", 1)
    assert next(analyze_all(articles())).document.article.id == "a"


def test_viterbi_of_many_sentences_of_mixed_lengths_is_each_sentence_alone():
    """Large batches go back step by step, small ones token by token: both as one at a time."""
    rng = np.random.default_rng(7)
    trans = rng.integers(-3, 4, size=(9, 9)).astype(float)  # whole numbers: many ties
    lens = rng.integers(0, 60, size=400).tolist()
    scores = rng.integers(-4, 5, size=(sum(lens), 9)).astype(float)
    alone, base = [], 0
    for m in lens:
        alone += viterbi(scores[base:base + m], [m], trans).tolist()
        base += m
    assert viterbi(scores, lens, trans).tolist() == alone


def test_a_failing_batch_is_redone_one_article_at_a_time(monkeypatch):
    import riwaya.pipeline as pipeline

    def broken(chunk):
        raise ValueError("one bad article")

    monkeypatch.setattr(pipeline, "analyze_many", broken)
    articles = [Article(f"a{i}", f"قال وزير الخارجية الأميركي جون كيري في روما {i}.") for i in range(3)]
    out = list(pipeline.analyze_all(articles))
    assert [a.article.id for a in out] == ["a0", "a1", "a2"]
    assert all(a.entities for a in out)
