"""Ingest sources: paths (files, folders, JSON Lines, feed files) and feed or page URLs.

Yields articles, and ``(origin, reason)`` for every input or record that could not be read,
so the ingest summary can list failures with their reasons.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from riwaya.errors import InputError
from riwaya.fetch import Fetcher, is_url
from riwaya.model import Article
from riwaya.store.records import Failure

Item = Article | Failure


def iter_sources(
    sources: list[str], fetcher: Fetcher | None = None, max_bytes: int | None = None
) -> Iterator[Item]:
    from riwaya.ingest import MAX_BYTES, read

    fetcher = fetcher or Fetcher()
    failures: list[Failure] = []

    def on_error(err: InputError) -> None:
        failures.append(Failure(err.origin, err.problem))

    def drain() -> Iterator[Item]:
        while failures:
            yield failures.pop(0)

    for source in sources:
        try:
            articles: Iterable[Article]
            if is_url(source):
                articles = list(fetcher.articles(source, on_error))  # whole feed or nothing
            else:
                limit = MAX_BYTES if max_bytes is None else max_bytes
                articles = read([source], on_error=on_error, max_bytes=limit)
            for article in articles:
                yield article
                yield from drain()
        except InputError as err:
            on_error(err)
        yield from drain()
