"""Hostile and careless inputs: poison dates, runaway regexes, deep or broken JSON, odd Parquet
columns, huge articles. Each gives articles or one clear line, never a traceback or a stall."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest

from riwaya.cli import main
from riwaya.errors import InputError
from riwaya.ingest import read

LIBYA = "قال وزير الخارجية الإيطالي إن المحادثات بين الأطراف الليبية في روما ستستمر غدا."


def _read_all(paths) -> tuple[list, list[InputError]]:
    errors: list[InputError] = []
    return list(read(paths, on_error=errors.append)), errors


# --------------------------------------------------------------------------- 1. poison dates
RSS_POISON = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>feed</title>
<item><title>a</title><link>http://localhost/a</link><pubDate>Mon, 01 Jan 0001 00:00:00 GMT</pubDate>
<description>{LIBYA}</description></item>
<item><title>b</title><link>http://localhost/b</link><pubDate>Tue, 02 Feb 2016 10:00:00 GMT</pubDate>
<description>{LIBYA} وأضاف أن الاجتماع المقبل سيعقد في تونس.</description></item>
</channel></rss>"""


def _poison_inputs(tmp_path):
    jl = tmp_path / "p.jsonl"
    jl.write_text(
        json.dumps({"id": "a", "source": "x", "published": "0001-01-01", "text": LIBYA}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "b", "source": "y", "published": "9999-12-31T23:59:59", "text": LIBYA + " أمس"},
                     ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "c", "source": "z", "published": "2016-02-02", "text": LIBYA + " اليوم"},
                     ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    feed = tmp_path / "p.xml"
    feed.write_text(RSS_POISON, encoding="utf-8")
    return jl, feed


def test_out_of_range_publication_dates_read_as_unknown(tmp_path):
    jl, feed = _poison_inputs(tmp_path)
    articles, errors = _read_all([jl, feed])
    assert not errors
    when = {a.id: a.published for a in articles}
    assert when["a"] is None and when["b"] is None
    assert when["c"] == datetime(2016, 2, 2)
    assert when["http://localhost/a"] is None
    assert when["http://localhost/b"] == datetime(2016, 2, 2, 10, tzinfo=UTC)
    assert next(a for a in articles if a.id == "a").meta["published_raw"] == "0001-01-01"


def test_parquet_row_with_year_one_reads_as_undated(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({
        "id": ["a", "b"],
        "text": [LIBYA, LIBYA + " أمس"],
        "published": pa.array([datetime(1, 1, 1), datetime(2016, 2, 2)], pa.timestamp("us")),
    })
    path = tmp_path / "p.parquet"
    pq.write_table(table, path)
    articles, errors = _read_all([path])
    assert not errors
    assert [a.published for a in articles] == [None, datetime(2016, 2, 2)]


def test_ingest_of_poison_dates_completes_and_groups_the_rest(tmp_path, capsys):
    jl, feed = _poison_inputs(tmp_path)
    db = tmp_path / "w.db"
    assert main(["ingest", str(jl), str(feed), "--db", str(db), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "5 new, 0 duplicate, 0 failed" in out
    # the stories are clean: nothing is left for a re-run to trip over
    assert main(["ingest", str(jl), str(feed), "--db", str(db), "--workers", "1"]) == 0
    assert "0 new, 5 duplicate, 0 failed" in capsys.readouterr().out
    from riwaya.store import open_store

    with open_store(db, read_only=True) as store:
        assert store.count()["dirty"] == 0


def test_an_article_given_a_year_one_date_through_the_api_is_stored_undated(tmp_path):
    from riwaya.model import Article
    from riwaya.store import open_store
    from riwaya.store.ingester import Ingester

    with open_store(tmp_path / "w.db") as store, Ingester(store) as ingester:
        summary = ingester.ingest([Article("a", LIBYA, published=datetime(1, 1, 1)),
                                   Article("b", LIBYA + " أمس", published=datetime(9999, 12, 31))])
        assert (summary.new, summary.failed) == (2, [])
        assert store.article("a").published is None


def test_story_index_takes_year_one_as_unknown_time():
    from riwaya.compare.stories import _time

    assert _time(datetime(1, 1, 1)) is None
    assert _time("0001-01-01T00:00:00") is None
    assert _time(datetime(2016, 2, 2)) is not None
