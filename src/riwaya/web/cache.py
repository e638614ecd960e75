"""Rendered pages kept while the store is unchanged: a desk's twenty readers asking for the same
story list and story pages are answered from memory, not by rendering each request again.

Entries are keyed by the request's path and query and stamped with the store's version
(:meth:`~riwaya.store.base.Store.version`: for SQLite, the database and WAL files' sizes and
times, which every commit changes); a stamp that no longer matches is a miss. The least recently
used entries go first once the cache holds ``max_bytes``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Page:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class PageCache:
    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_page: int = 4 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.max_page = max_page  # larger pages are not kept
        self._pages: OrderedDict[str, tuple[object, Page]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str, version: object) -> Page | None:
        with self._lock:
            entry = self._pages.get(key)
            if entry is None or entry[0] != version:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return entry[1]

    def put(self, key: str, version: object, page: Page) -> None:
        if len(page.body) > self.max_page:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._size -= len(old[1].body)
            self._pages[key] = (version, page)
            self._size += len(page.body)
            while self._size > self.max_bytes and self._pages:
                _, (_, dropped) = self._pages.popitem(last=False)
                self._size -= len(dropped.body)
