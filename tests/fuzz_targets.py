"""Fuzzing targets: hostile bytes, JSON, dates, numbers and Unicode through the readers, the
pipeline, the comparison and the store codec. Each either gives articles (or an analysis) or
an :class:`~riwaya.errors.InputError`, never another exception, within :data:`SECONDS` per input.

``tests/test_fuzz.py`` runs them briefly in the suite; ``scripts/fuzz.py`` runs them for as
long as it is told. ``COUNTS`` tallies the inputs each target was given.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from riwaya.errors import InputError
from riwaya.model import Article

SECONDS = 10.0  # CPU seconds per input (a real stall is minutes)
COUNTS: Counter[str] = Counter()

# --------------------------------------------------------------------------- strategies
ODD = [
    "\ud800", "\udfff", "\ud83d", "\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u061c", "\x1b[31m",
    "\x1b]0;title\x07", "\x00", "\r", "\r\n", "\u2028", "\ufeff", "\ufffd", "ـ", "،", "؛", "؟", "«", "»",
    "\u064b", "\u0670", "ﻻ", "١٢٣", "٪", "%", "@", "http://", "www.", "#", "&amp;", "<b>", "</p>", "<!--",
    "قال", "وقال", "إن", "أن", "لا", "لم", "نفى", "أمس", "غدا", "مليون", "عشرات", "عام", "يناير", "2016",
    "10:30", "1.5", "1,000", "-", "+", "_", "...", "…", "\t", "\n\n", " ",
]
ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
pieces = st.one_of(st.sampled_from(ODD), st.text(ARABIC, max_size=12), st.text(max_size=8),
                   st.characters(codec=None))
hostile_text = st.lists(pieces, max_size=60).map("".join)
words_text = st.lists(st.one_of(st.sampled_from(ODD), st.text(ARABIC, min_size=1, max_size=9)),
                      max_size=120).map(" ".join)

# what a reader can give: no lone surrogates (the readers refuse them)
reader_text = st.one_of(words_text, hostile_text).map(lambda s: s.encode("utf-8", "replace").decode("utf-8"))

numbers = st.one_of(st.integers(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True, allow_infinity=True), st.just(2**63), st.just(-(2**63) - 1))
date_strings = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(lambda d: d.isoformat()),
    st.sampled_from(["0001-01-01", "9999-12-31T23:59:59", "0000-00-00", "2015-07-21 02:51:32", "Z",
                     "Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 +1400", "2016-02-30",
                     "1970-01-01T00:00:00-24:00", "", " ", "-1", "1e400"]),
    hostile_text,
)
dates = st.one_of(st.none(), date_strings, numbers, st.booleans())
json_scalars = st.one_of(st.none(), st.booleans(), numbers.filter(lambda x: not isinstance(x, float)
                                                                  or math.isfinite(x)), hostile_text)
json_values = st.recursive(
    json_scalars,
    lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(hostile_text, kids, max_size=4)),
    max_leaves=12,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(hostile_text, numbers, st.none()),
        "text": st.one_of(words_text, hostile_text, json_values),
        "title": st.one_of(hostile_text, json_values),
        "source": st.one_of(hostile_text, json_values),
        "url": st.one_of(hostile_text, st.just("https://example.org/?p=1")),
        "published": dates,
        "meta": json_values,
        "extra": json_values,
    },
)
EXTENSIONS = ["", ".txt", ".html", ".json", ".jsonl", ".xml", ".rss", ".parquet", ".txt.gz", ".jsonl.gz"]


# --------------------------------------------------------------------------- helpers
class _Clock:
    """Counts an input and bounds its time: :data:`SECONDS` of this process's CPU (what a
    runaway algorithm burns, whatever else the machine runs) and six times that of wall clock
    (a hang)."""

    def __init__(self, what: str):
        self.what = what

    def __enter__(self) -> _Clock:
        COUNTS[self.what] += 1
        self.start, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        cpu, wall = time.process_time() - self.cpu, time.perf_counter() - self.start
        said = f"{self.what}: {cpu:.1f} CPU s, {wall:.1f} s for one input"
        assert cpu < SECONDS and wall < 6 * SECONDS, said


def read_file(content: bytes, name: str) -> tuple[list[Article], list[InputError]]:
    """Every article of one file, and the errors reported on the way (nothing else may escape)."""
    from riwaya.ingest import read

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        errors: list[InputError] = []
        articles = list(read([path], on_error=errors.append))
    return articles, errors


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_articles(articles: list[Article]) -> None:
    """What a reader gives is storable and printable: text, UTF-8, sane dates."""
    for a in articles:
        assert isinstance(a.id, str) and isinstance(a.text, str)
        for value in (a.id, a.text, a.title, a.source, a.url, a.author, a.credits):
            if value is not None:
                value.encode("utf-8")  # no lone surrogate got through
        json.dumps(a.meta, ensure_ascii=False).encode("utf-8")
        if a.published is not None:
            assert 1800 <= a.published.year <= 2199


# --------------------------------------------------------------------------- targets
def reader_bytes(data: bytes, ext: str) -> None:
    """Any bytes under any name: articles or InputErrors."""
    with _Clock("reader: bytes"):
        if ext.endswith(".gz"):
            data = gzip.compress(data)
        articles, _ = read_file(data, "input" + ext)
        check_articles(articles)


def reader_records(recs: list[dict[str, Any]], as_lines: bool) -> None:
    """Any JSON records (JSON Lines or one list): articles or InputErrors."""
    with _Clock("reader: JSON records"):
        if as_lines:
            data = "".join(json.dumps(r, ensure_ascii=bool(i % 2)) + "\n" for i, r in enumerate(recs))
            name = "r.jsonl"
        else:
            data, name = json.dumps(recs), "r.json"
        articles, _ = read_file(data.encode("utf-8", "surrogatepass"), name)
        check_articles(articles)


def reader_feed(items: list[tuple[str, str, str]]) -> None:
    """An RSS feed with hostile titles, bodies and dates."""
    from xml.sax.saxutils import escape

    with _Clock("reader: feed"):
        body = "".join(f"<item><title>{escape(_xml(t))}</title><description>{escape(_xml(d))}</description>"
                       f"<pubDate>{escape(_xml(p))}</pubDate><guid>{i}</guid></item>"
                       for i, (t, d, p) in enumerate(items))
        xml = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>f</title>{body}' \
              "</channel></rss>"
        articles, _ = read_file(xml.encode("utf-8", "surrogatepass"), "feed.xml")
        check_articles(articles)


def _xml(s: str) -> str:
    """Characters XML 1.0 can carry (the rest cannot be in any feed)."""
    return "".join(c for c in s if c in "\t\n\r" or 0x20 <= ord(c) <= 0xD7FF or 0xE000 <= ord(c) <= 0xFFFD)


def reader_parquet(rows: list[tuple[str, Any]]) -> None:
    """A Parquet file with hostile text and dates of any year."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with _Clock("reader: parquet"):
        buf = io.BytesIO()
        texts = [t.encode("utf-8", "replace").decode("utf-8") for t, _ in rows]
        table = pa.table({"text": texts, "published": pa.array([d for _, d in rows], pa.timestamp("us"))})
        pq.write_table(table, buf)
        articles, _ = read_file(buf.getvalue(), "p.parquet")
        check_articles(articles)


def analyze_text(text: str, published: datetime | None) -> None:
    """Any text and any date through the whole pipeline, and the result through the codec."""
    from riwaya.model import to_dict
    from riwaya.pipeline import analyze_article
    from riwaya.store import codec

    with _Clock("analyze"):
        article = Article("fuzz", text, published=published)
        analysis = analyze_article(article)
        for claim in analysis.claims:
            assert 0 <= claim.start <= claim.end <= len(text)
        if _utf8(text):  # what a reader can give (they refuse lone surrogates) is stored exactly
            again = codec.decode_analysis(codec.encode_analysis(analysis), article)
            assert to_dict(again) == to_dict(analysis)


def compare_texts(texts: list[str], published: list[datetime | None]) -> None:
    """Two or three hostile articles (distinct ids) compared, story by story."""
    import riwaya

    with _Clock("compare"):
        articles = [Article(f"a{i}", t, source=f"outlet{i}", published=p)
                    for i, (t, p) in enumerate(zip(texts, published, strict=False))]
        comparison = riwaya.compare(articles)
        from riwaya.model import to_dict
        from riwaya.store import codec

        for story in comparison.stories:
            assert codec.story_comparison_from_dict(codec.unpack(codec.pack(codec.plain(story)))) == story
        json.dumps(to_dict(comparison.stories), ensure_ascii=False)


def store_articles(db: Path, articles: list[Article]) -> None:
    """Hostile articles (odd meta, dates of any year, ids with '/') ingested into a store."""
    from riwaya.store import open_store
    from riwaya.workspace.ingester import Ingester

    with _Clock("store: ingest"), open_store(db) as store, Ingester(store) as ingester:
        summary = ingester.ingest(articles)
        assert summary.new + summary.duplicate + len(summary.failed) == len(articles)
        assert all(reason.startswith("not storable: ") for _, reason in summary.failed), summary.failed
        rows = [r[0] for r in store._conn().execute("SELECT text FROM articles")]
        assert len(rows) == summary.new and set(rows) <= {a.text for a in articles}


published_times = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)),
)
