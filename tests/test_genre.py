"""Opinion pieces (riwaya.models.genre) on real articles, and what the story index makes of them."""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np
import pytest

import riwaya
from conftest import DATA, corpus_rows, need
from riwaya.comparison.stories import StoryIndex, story_signature
from riwaya.model import Article
from riwaya.models import genre
from riwaya.pipeline import analyze_article
from riwaya.resources import WEIGHTS_DIR
from riwaya.text import build_document

pytestmark = pytest.mark.shared


def _document(row: dict):
    return build_document(Article(id=row["id"], text=row["text"], title=row.get("title")))


def test_held_out_columns_and_reports_are_told_apart():
    """The dev split the model never trained on (every 5th labelled corpus article): the first
    400 of them, columns by their outlet's section."""
    need(DATA / genre.CORPUS)
    rows = genre.labelled_rows(DATA)
    dev = [(r, y) for k, (r, y) in enumerate(rows) if k % genre.DEV_EVERY == genre.DEV_EVERY - 1][:400]
    said = np.array([genre.is_opinion(_document(r)) for r, _ in dev])
    gold = np.array([y for _, y in dev])
    assert gold.sum() >= 40
    assert (said & gold).sum() / said.sum() >= 0.8  # precision
    assert (said & gold).sum() / gold.sum() >= 0.8  # recall


def test_the_seeds_are_reports(seed_paths):
    """Al Jazeera's seed opens with an English photo caption: English words are not counted."""
    for path in seed_paths:
        article = next(iter(riwaya.read(path)))
        assert not genre.is_opinion(build_document(article)), path.name


def test_a_column_neither_joins_a_story_nor_takes_one_in():
    """A column on the Jeddah harassment case (aljazirah, 7 August) and three reports of the
    prosecution's demand two days later; two columns on privatising health care (aleqtisadiya,
    okaz), four days apart. Read as reports, the index put the first column with the reports and
    the two columns together."""
    ids = ["snn-23973", "snn-26374", "snn-27267", "snn-27153", "snn-849", "snn-9815"]
    rows = corpus_rows(set(ids))
    index = StoryIndex()
    stories = {}
    for i in sorted(ids, key=lambda i: rows[i]["published"]):
        row = rows[i]
        article = Article(id=i, text=row["text"], title=row["title"], source=row["source"],
                          published=datetime.fromisoformat(row["published"]))
        signature = story_signature(analyze_article(article))
        assert bool(signature.get("opinion")) == (i in {"snn-23973", "snn-849", "snn-9815"}), i
        stories[i] = index.add(i, signature, article.published)
    assert stories["snn-26374"] == stories["snn-27267"] == stories["snn-27153"]
    assert len({stories["snn-23973"], stories["snn-26374"], stories["snn-849"], stories["snn-9815"]}) == 4


def test_the_shipped_model_is_this_version_s():
    model = json.loads((WEIGHTS_DIR / genre.MODEL_FILE).read_text(encoding="utf-8"))
    assert model["features"] == genre.feature_names(model["words"])
    assert set(model["words"]) <= set(genre.function_words())
    assert 0.5 <= model["threshold"] < 1


def test_an_article_page_says_a_column_stands_alone(tmp_path):
    """The web app's article page and its API say which stored article reads as a column."""
    from fastapi.testclient import TestClient

    from _workspace import fill
    from riwaya.store import open_store
    from riwaya.web.app import create_app

    rows = corpus_rows({"snn-849", "snn-26374"})
    db = str(tmp_path / "desk.db")
    store = open_store(db)
    fill(store, [Article(id=i, text=r["text"], title=r["title"], source=r["source"])
                 for i, r in rows.items()])
    store.close()
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        assert client.get("/api/articles/snn-849").json()["opinion"] is True
        assert client.get("/api/articles/snn-26374").json()["opinion"] is False
        assert "مقال رأي" in client.get("/article/snn-849").text
        assert "مقال رأي" not in client.get("/article/snn-26374").text


def test_the_json_and_html_reports_mark_a_column():
    """A comparison's JSON report (schema 2.1) says which article reads as a column; the HTML
    report labels it beside its outlet."""
    from riwaya.api import compare
    from riwaya.report.html import render_html
    from riwaya.report.jsonreport import comparison_dict

    rows = corpus_rows({"snn-23973", "snn-26374"})  # a column on the Jeddah case, and a report of it
    comparison = compare([Article(id=i, text=r["text"], title=r["title"], source=r["source"])
                          for i, r in sorted(rows.items())])
    flags = {a["id"]: a["opinion"] for a in comparison_dict(comparison)["articles"]}
    assert flags == {"snn-23973": True, "snn-26374": False}
    assert comparison.stories  # (two articles given alone are always compared)
    assert "مقال رأي" in render_html(comparison)
