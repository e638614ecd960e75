"""The fuzzing harness, bounded for the suite: hypothesis drives hostile bytes, JSON, dates,
numbers and Unicode through the readers, the pipeline, the comparison and the store
(:mod:`fuzz_targets`). ``scripts/fuzz.py --minutes 30`` runs the same targets for longer.

``RIWAYA_FUZZ_EXAMPLES`` scales the number of inputs of each test (default: the suite's).
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzz_targets as ft

SCALE = float(os.environ.get("RIWAYA_FUZZ_EXAMPLES", "1"))


def bounded(n: int):
    """Hypothesis settings for ``n`` inputs (times the scale); no example database is written,
    and the time bound per input is the targets' own (the first input loads the models)."""
    return settings(max_examples=max(1, int(n * SCALE)), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


@pytest.fixture(scope="module", autouse=True)
def _models_loaded():
    """The pipeline's models loaded once, before any input is timed."""
    from riwaya.pipeline import analyze_article

    analyze_article(ft.Article("warm", "قال الوزير إن الاجتماع انتهى في روما أمس."))


@bounded(300)
@given(st.binary(max_size=3000), st.sampled_from(ft.EXTENSIONS))
def test_any_bytes_under_any_name(data, ext):
    ft.reader_bytes(data, ext)


@bounded(100)
@given(st.sampled_from([b"<?xml version='1.0'?><rss><channel><item>", b"PAR1", b"\x1f\x8b\x08\x00",
                        b'{"text": "', b"[{", b"<html><body><p>", b"\xef\xbb\xbf", b"\xff\xfe",
                        b'<html><head><meta charset="base64">',
                        b'<?xml version="1.0" encoding="idna"?><rss>']),
       st.binary(max_size=2000), st.sampled_from(ft.EXTENSIONS))
def test_bytes_that_start_like_a_format(head, rest, ext):
    ft.reader_bytes(head + rest, ext)


@bounded(200)
@given(st.lists(ft.records, max_size=5), st.booleans())
def test_any_json_records(recs, as_lines):
    ft.reader_records(recs, as_lines)


@bounded(200)
@given(st.lists(st.tuples(ft.hostile_text, ft.words_text, ft.date_strings), min_size=1, max_size=4))
def test_any_feed_entries(items):
    ft.reader_feed(items)


@bounded(40)
@given(st.lists(st.tuples(ft.words_text, st.one_of(st.none(), st.datetimes(min_value=datetime(1, 1, 1)))),
                min_size=1, max_size=4))
def test_any_parquet_rows(rows):
    pytest.importorskip("pyarrow")
    ft.reader_parquet(rows)


@bounded(80)
@given(st.one_of(ft.hostile_text, ft.words_text), ft.published_times)
def test_any_text_and_date_through_the_pipeline(text, published):
    ft.analyze_text(text, published)


@bounded(60)
@given(st.lists(ft.reader_text, min_size=2, max_size=3), st.lists(ft.published_times, min_size=3, max_size=3))
def test_any_articles_compared(texts, published):
    ft.compare_texts(texts, published)


@bounded(15)
@given(st.lists(st.builds(
    ft.Article,
    id=st.one_of(ft.hostile_text, st.just("https://x.org/?p=1/2")),
    text=ft.words_text,
    title=st.one_of(st.none(), ft.hostile_text),
    source=st.one_of(st.none(), ft.hostile_text),
    published=ft.published_times,
    meta=st.dictionaries(st.text(max_size=5), ft.json_values, max_size=3),
), min_size=1, max_size=4))
def test_any_articles_stored(tmp_path_factory, articles):
    ft.store_articles(tmp_path_factory.mktemp("fuzz") / "w.db", articles)
