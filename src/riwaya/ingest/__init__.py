"""Ingest: any news source to :class:`~riwaya.model.Article` objects.

:func:`read` takes paths, folders, glob patterns and ``-`` (standard input) and yields articles
lazily. Readers: plain text, HTML pages, JSON and JSON Lines (optionally gzipped), RSS and Atom
feeds, Parquet (with the optional pyarrow); the format comes from the file name, else from the
content. Text encodings are detected (UTF-8 with or without BOM, UTF-16/32 with BOM,
windows-1256, ISO-8859-6, others by guess).
"""

from __future__ import annotations

import gzip
import logging
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, cast

from riwaya.errors import InputError
from riwaya.ingest.decode import decode, is_binary
from riwaya.ingest.fields import content_id, parse_datetime
from riwaya.ingest.sources import Input, expand
from riwaya.model import Article

if TYPE_CHECKING:
    from riwaya.ingest.fetch import Fetcher

__all__ = ["MAX_BYTES", "ReadStats", "content_id", "parse_datetime", "read", "read_inputs"]

MAX_BYTES = 20_000_000
log = logging.getLogger("riwaya.ingest")


@dataclass(slots=True)
class ReadStats:
    """What one :func:`read` got through: inputs opened, articles yielded, records skipped."""

    inputs: int = 0
    articles: int = 0
    skipped: int = 0

    def summary(self) -> str:
        return (f"read {self.articles:,} article{'s' * (self.articles != 1)} from {self.inputs:,} "
                f"input{'s' * (self.inputs != 1)}; skipped {self.skipped:,}")


def _warn(err: InputError) -> None:
    log.warning("skipped %s", err)


def read(inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
         strict: bool = False, max_bytes: int = MAX_BYTES,
         on_error: Callable[[InputError], None] | None = None,
         stats: ReadStats | None = None, fetcher: Fetcher | None = None) -> Iterator[Article]:
    """Yield the articles in ``inputs`` (a path, or several), lazily, in order.

    An ``http(s)://`` input is fetched (by ``fetcher``, else a :class:`~riwaya.ingest.fetch.Fetcher`
    holding the same ``max_bytes``) and its feed entries or page read by the same readers; a feed
    counts whole or not at all.

    Each bad input or record (missing path, empty or binary file, undecodable bytes, bad JSON
    line, truncated gzip, malformed feed, over ``max_bytes``) is an :class:`InputError` passed
    to ``on_error`` (default: a logged warning) and skipped; with ``strict`` the first one is
    raised instead. ``max_bytes`` bounds what is held in memory at once: a whole file, or one
    record of a JSON Lines stream (which may itself be larger). ``stats`` is updated as it goes.
    """
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    stats = stats if stats is not None else ReadStats()
    fail = _failing(strict, on_error, stats)

    def fail_input(err: InputError) -> None:  # an input that names nothing still counts
        stats.inputs += 1
        fail(err)

    yield from _read_inputs(expand(inputs, fail_input), strict, max_bytes, fail, stats, fetcher)


def read_inputs(inputs: Iterable[Input], *, strict: bool = False, max_bytes: int = MAX_BYTES,
                on_error: Callable[[InputError], None] | None = None,
                stats: ReadStats | None = None) -> Iterator[Article]:
    """:func:`read` of inputs already expanded into :class:`~riwaya.ingest.sources.Input` objects
    (one part of an archive: a file, or some rows of a Parquet file), with the same errors."""
    stats = stats if stats is not None else ReadStats()
    yield from _read_inputs(inputs, strict, max_bytes, _failing(strict, on_error, stats), stats, None)


def _failing(strict: bool, on_error: Callable[[InputError], None] | None,
             stats: ReadStats) -> Callable[[InputError], None]:
    """What a bad input or record does: counted, then raised (``strict``) or reported."""
    report = on_error or _warn

    def fail(err: InputError) -> None:
        stats.skipped += 1
        if strict:
            raise err
        report(err)

    return fail


def _read_inputs(inputs: Iterable[Input], strict: bool, max_bytes: int,
                 fail: Callable[[InputError], None], stats: ReadStats,
                 fetcher: Fetcher | None) -> Iterator[Article]:
    for source in inputs:
        stats.inputs += 1
        try:
            if source.url:
                if fetcher is None:
                    from riwaya.ingest.fetch import Fetcher

                    fetcher = Fetcher(max_bytes=max_bytes)
                articles: Iterable[Article] = list(fetcher.articles(source.origin, fail))
            else:
                articles = _read_source(source, max_bytes, fail)
            for article in articles:
                stats.articles += 1
                yield article
        except InputError as err:
            if strict:
                raise
            fail(err)


def _read_source(source: Input, max_bytes: int,
                 skip: Callable[[InputError], None]) -> Iterator[Article]:
    origin = source.origin
    try:
        size = source.size()
        if size == 0:
            raise InputError(origin, "empty file")
        stream = source.open()
    except OSError as exc:
        raise InputError(origin, exc.strerror or str(exc)) from None
    try:
        yield from _read_stream(stream, source, size, max_bytes, skip)
    except OSError as exc:  # includes gzip.BadGzipFile
        raise InputError(origin, f"cannot read ({exc.strerror or exc})") from None
    finally:
        if source.path is not None:
            stream.close()


def _peek(stream: IO[bytes]) -> bytes:
    peek = getattr(stream, "peek", None)
    return peek(4096)[:4096] if peek else b""


def _read_stream(stream: IO[bytes], source: Input, size: int | None, max_bytes: int,
                 skip: Callable[[InputError], None]) -> Iterator[Article]:
    origin = source.origin
    head = _peek(stream)
    if source.format == "parquet" or head.startswith(b"PAR1"):
        from riwaya.ingest.parquet import read_parquet

        yield from read_parquet(stream, origin, max_bytes, skip, seekable=source.path is not None,
                                rows=source.rows)
        return
    compressed = head.startswith(b"\x1f\x8b")
    if compressed:
        stream = cast(IO[bytes], gzip.GzipFile(fileobj=stream, mode="rb"))
        try:
            head = _peek(stream)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise InputError(origin, f"truncated or corrupt gzip ({exc})") from None
    if not head:
        raise InputError(origin, "empty file" + (" (after decompression)" if compressed else ""))
    if is_binary(head):
        raise InputError(origin, "binary file, not text or a known format")
    fmt = source.format or sniff(head) or "text"
    try:
        if fmt == "jsonl":
            from riwaya.ingest.records import read_jsonl

            yield from read_jsonl(stream, origin, max_bytes, skip)
            return
        if size is not None and size > max_bytes and not compressed:
            raise InputError(origin, f"file is {size:,} bytes, over the limit of {max_bytes:,} "
                                     "(raise it with --max-size)")
        data = stream.read(max_bytes + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(origin, f"truncated or corrupt gzip ({exc})") from None
    if len(data) > max_bytes:
        raise InputError(origin, f"over the size limit of {max_bytes:,} bytes"
                                 f"{' after decompression' if compressed else ''} "
                                 "(raise it with --max-size)")
    if not data.strip():
        raise InputError(origin, "empty file")
    if is_binary(data[:8192]):
        raise InputError(origin, "binary file, not text or a known format")
    yield from _parse(fmt, data, origin, skip)


def _parse(fmt: str, data: bytes, origin: str,
           skip: Callable[[InputError], None]) -> Iterator[Article]:
    if fmt == "text":
        from riwaya.ingest.plaintext import article_from_text

        yield article_from_text(decode(data, origin), origin)
    elif fmt == "html":
        from riwaya.ingest.webpage import article_from_html

        yield article_from_html(data, origin)
    elif fmt == "json":
        from riwaya.ingest.records import read_json

        yield from read_json(decode(data, origin), origin, skip)
    elif fmt == "feed":
        from riwaya.ingest.feeds import read_feed

        yield from read_feed(data, origin, skip)
    else:  # pragma: no cover - sniff and FORMATS only name the formats above
        raise InputError(origin, f"unknown format {fmt!r}")


def sniff(head: bytes) -> str | None:
    """The format of content with no telling file name, from its first bytes (None: binary)."""
    if is_binary(head):
        return None
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if probe.startswith(b"["):
        return "json"
    if probe.startswith(b"{"):
        nl = probe.find(b"\n")  # a long first line may not fit in ``head``: still JSON Lines
        return "jsonl" if nl == -1 or probe[:nl].rstrip().endswith(b"}") else "json"
    if probe.startswith(b"<"):
        lower = probe[:2048].lower()
        if any(tag in lower for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
            return "feed"
        if probe.startswith(b"<?xml") and b"<html" not in lower:
            return "feed"
        return "html"
    return "text"
