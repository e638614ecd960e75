"""Ingest sources: paths (files, folders, JSON Lines, feed files) and feed or page URLs.

Yields articles, and ``(origin, reason)`` for every input or record that could not be read,
so the ingest summary can list failures with their reasons.
"""

from __future__ import annotations

from collections.abc import Iterator

from riwaya.errors import InputError
from riwaya.ingest.fetch import Fetcher
from riwaya.model import Article
from riwaya.store.records import Failure

Item = Article | Failure


def iter_sources(
    sources: list[str], fetcher: Fetcher | None = None, max_bytes: int | None = None
) -> Iterator[Item]:
    """The articles of ``sources`` (read by :func:`riwaya.ingest.read`, URLs fetched by
    ``fetcher``), each failure as a :class:`Failure` in its place."""
    from riwaya.ingest import MAX_BYTES, read

    failures: list[Failure] = []

    def on_error(err: InputError) -> None:
        failures.append(Failure(err.origin, err.problem))

    limit = MAX_BYTES if max_bytes is None else max_bytes
    fetcher = fetcher or Fetcher(max_bytes=limit)
    for article in read(sources, on_error=on_error, max_bytes=limit, fetcher=fetcher):
        yield from _drain(failures)
        yield article
    yield from _drain(failures)


def _drain(failures: list[Failure]) -> Iterator[Item]:
    while failures:
        yield failures.pop(0)
