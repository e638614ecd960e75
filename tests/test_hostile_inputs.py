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
    from riwaya.comparison.stories import _time

    assert _time(datetime(1, 1, 1)) is None
    assert _time("0001-01-01T00:00:00") is None
    assert _time(datetime(2016, 2, 2)) is not None


# --------------------------------------------------------------------------- 2. runaway regexes
def _timed_analysis(text: str) -> float:
    from riwaya.model import Article
    from riwaya.pipeline import analyze_article

    start = time.perf_counter()
    analyze_article(Article("x", text))
    return time.perf_counter() - start


def test_one_long_word_is_analysed_in_linear_time():
    _timed_analysis(LIBYA)  # models loaded before timing
    for word in ("ب" * 40_000, "a" * 40_000, "1" * 40_000, "-" * 40_000, "%" * 40_000):
        assert _timed_analysis(LIBYA + " " + word + " " + LIBYA) < 3, word[:1]


@pytest.mark.parametrize("unit", ["وقال ", "لا ", "أمس ", "قال: «", "a-", "+1"])
def test_a_sentence_packed_with_cues_is_analysed_in_bounded_time(unit):
    _timed_analysis(LIBYA)
    text = (unit * (8_000 // len(unit)))
    assert _timed_analysis(text) < 4


def test_the_four_word_test_of_claims_is_unchanged():
    import random
    import re

    from riwaya.extract.claims import _enough_words

    reference = re.compile(r"\w+(?:\W+\w+){3}")  # the pattern it replaces, on short texts
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice("ab ب1_.,،\n-") for _ in range(rng.randint(0, 24)))
        s = rng.randint(0, len(text))
        e = rng.randint(s, len(text))
        assert bool(reference.search(text, s, e)) == _enough_words(text, s, e), (text, s, e)


# --------------------------------------------------------------------------- 9. work per article
def test_a_very_long_article_is_analysed_up_to_a_bound_and_says_so(tmp_path, capsys):
    from riwaya.text.document import MAX_CHARS

    paragraph = LIBYA + " وأضاف أن الاجتماع المقبل سيعقد في تونس بحضور ممثلين عن الأمم المتحدة.\n"
    text = paragraph * (3 * MAX_CHARS // len(paragraph))
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    assert main(["analyze", str(path), "--format", "jsonl", "-o", str(tmp_path / "a.jsonl")]) == 0
    assert time.perf_counter() - start < 60
    data = json.loads((tmp_path / "a.jsonl").read_text(encoding="utf-8"))
    cut = data["document"]["analysed_to"]
    assert 0.9 * MAX_CHARS <= cut <= MAX_CHARS and text[cut] == "\n"
    assert data["document"]["sentences"][-1]["end"] <= cut
    assert max(c["end"] for c in data["claims"]) <= cut
    assert main(["analyze", str(path)]) == 0
    assert f"analysed: the first {cut:,} characters only" in capsys.readouterr().out


def test_a_cut_analysis_round_trips_through_the_store_codec():
    from riwaya.model import Article
    from riwaya.pipeline import analyze_article
    from riwaya.store import codec
    from riwaya.text.document import MAX_CHARS

    article = Article("x", (LIBYA + "\n") * (MAX_CHARS // len(LIBYA) + 10))
    analysis = analyze_article(article)
    again = codec.decode_analysis(codec.encode_analysis(analysis), article)
    assert again.document.analysed_to == analysis.document.analysed_to is not None
