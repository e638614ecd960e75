"""Page templates learned from a batch: what repeats across several articles of one outlet.

An outlet's pages share menus, headers, "related stories" lists and sign-offs that no fixed list
can know. Where a batch (a file of articles, a store) holds at least :data:`MIN_ARTICLES` articles
of one outlet, every run of :data:`GRAM` words found in that many of them is that outlet's
template: its spans join each document's page furniture (the text stays as published; claims and
matching skip those words). No labels, no tuning: the outlet's own repetition is the signal.

A store sees thousands of an outlet's articles, where set phrases of its news (a title, a
formula) recur too: there (:class:`TemplateBook`) a run is template when it is found in at least
:data:`SHARE` of the outlet's :data:`WINDOW` latest articles, as a site's menu or sign-off is.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence

from riwaya.model import Document
from riwaya.text.furniture import merge

GRAM = 6  # words in a row
MIN_ARTICLES = 3  # articles of one outlet a run must appear in
WINDOW = 100  # an outlet's latest articles a store learns its template from
SHARE = 0.5  # ... and the share of them a run must appear in


def _words(doc: Document) -> list[int]:
    return [i for i, t in enumerate(doc.tokens) if t.kind in ("word", "number")]


def _grams(doc: Document, words: list[int]) -> list[int]:
    keys = [doc.tokens[i].key for i in words]
    return [zlib.crc32("\x1f".join(keys[k:k + GRAM]).encode()) for k in range(len(keys) - GRAM + 1)]


def grams(doc: Document) -> frozenset[int]:
    """The hashes of a document's runs of :data:`GRAM` words (what a :class:`TemplateBook` counts)."""
    return frozenset(_grams(doc, _words(doc)))


def needed(n: int, share: float = 0.0) -> int:
    """Articles of ``n`` of one outlet a run must appear in to be its template."""
    return max(MIN_ARTICLES, math.ceil(share * n))


def _mark(doc: Document, words: list[int], gs: list[int], is_template: Callable[[int], bool]) -> bool:
    spans = [(doc.tokens[words[k]].start, doc.tokens[words[k + GRAM - 1]].end)
             for k, g in enumerate(gs) if is_template(g)]
    if spans:
        doc.furniture = merge([*doc.furniture, *spans])
    return bool(spans)


def learn(documents: Sequence[Document], outlet: Callable[[Document], str], share: float = 0.0,
          known: Mapping[str, tuple[int, Mapping[int, int]]] | None = None) -> int:
    """Add each outlet's template spans to its documents' ``furniture``; the number of documents
    changed. A run is template when found in :func:`needed` of the outlet's documents; ``known``
    adds, per outlet, earlier articles ``(how many, {run: in how many})`` (a
    :meth:`TemplateBook.known` snapshot) to those given. Outlets with fewer than
    :data:`MIN_ARTICLES` documents in all are left alone."""
    by_outlet: dict[str, list[Document]] = defaultdict(list)
    for doc in documents:
        by_outlet[outlet(doc)].append(doc)
    changed = 0
    for name, docs in by_outlet.items():
        before, counts = (known or {}).get(name, (0, {}))
        if before + len(docs) < MIN_ARTICLES:
            continue
        words = [_words(d) for d in docs]
        runs = [_grams(d, w) for d, w in zip(docs, words, strict=True)]
        seen = Counter(g for rs in runs for g in set(rs))
        bar = needed(before + len(docs), share)
        template = {g for g, n in seen.items() if n + counts.get(g, 0) >= bar}
        for doc, ws, rs in zip(docs, words, runs, strict=True):
            changed += _mark(doc, ws, rs, template.__contains__)
    return changed


class TemplateBook:
    """Each outlet's runs of words, counted over its :data:`WINDOW` latest articles, as a store
    learns its templates while articles arrive (one at a time, from any number of outlets)."""

    def __init__(self, window: int = WINDOW, share: float = SHARE):
        self.window = window
        self.share = share
        self._recent: dict[str, deque[frozenset[int]]] = defaultdict(deque)
        self._counts: dict[str, Counter[int]] = defaultdict(Counter)

    def add(self, outlet: str, runs: Iterable[int]) -> None:
        """Count one more article of ``outlet`` (its :func:`grams`); the oldest leaves the window."""
        runs = frozenset(runs)
        recent, counts = self._recent[outlet], self._counts[outlet]
        recent.append(runs)
        counts.update(runs)
        if len(recent) > self.window:
            for g in recent.popleft():
                if counts[g] <= 1:
                    del counts[g]
                else:
                    counts[g] -= 1

    def known(self, outlets: Iterable[str], coming: int) -> dict[str, tuple[int, dict[int, int]]]:
        """What :func:`learn` needs of these outlets before ``coming`` more of their articles:
        how many are in the window, and the counts of the runs those articles could still make
        template (small: a worker is sent it with each batch)."""
        out = {}
        for name in outlets:
            recent = self._recent.get(name)
            if not recent:
                continue
            n = len(recent)
            floor = needed(n + coming, self.share) - coming
            out[name] = (n, {g: c for g, c in self._counts[name].items() if c >= floor})
        return out
