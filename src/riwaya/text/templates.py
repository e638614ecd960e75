"""Page templates learned from a batch: what repeats across several articles of one outlet.

An outlet's pages share menus, headers, "related stories" lists and sign-offs that no fixed list
can know. Where a batch (a file of articles, a store) holds at least :data:`MIN_ARTICLES` articles
of one outlet, every run of :data:`GRAM` words found in that many of them is that outlet's
template: its spans join each document's page furniture (the text stays as published; claims and
matching skip those words). No labels, no tuning: the outlet's own repetition is the signal.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from riwaya.model import Document
from riwaya.text.furniture import merge

GRAM = 6  # words in a row
MIN_ARTICLES = 3  # articles of one outlet a run must appear in


def _words(doc: Document) -> list[int]:
    return [i for i, t in enumerate(doc.tokens) if t.kind in ("word", "number")]


def _grams(doc: Document, words: list[int]) -> list[int]:
    keys = [doc.tokens[i].key for i in words]
    return [zlib.crc32("\x1f".join(keys[k:k + GRAM]).encode()) for k in range(len(keys) - GRAM + 1)]


def learn(documents: Sequence[Document], outlet: Callable[[Document], str]) -> int:
    """Add each outlet's template spans to its documents' ``furniture``; the number of documents
    changed. Outlets with fewer than :data:`MIN_ARTICLES` documents are left alone."""
    by_outlet: dict[str, list[Document]] = defaultdict(list)
    for doc in documents:
        by_outlet[outlet(doc)].append(doc)
    changed = 0
    for docs in by_outlet.values():
        if len(docs) < MIN_ARTICLES:
            continue
        words = [_words(d) for d in docs]
        grams = [_grams(d, w) for d, w in zip(docs, words, strict=True)]
        seen = Counter(g for gs in grams for g in set(gs))
        for doc, ws, gs in zip(docs, words, grams, strict=True):
            spans = [(doc.tokens[ws[k]].start, doc.tokens[ws[k + GRAM - 1]].end)
                     for k, g in enumerate(gs) if seen[g] >= MIN_ARTICLES]
            if spans:
                doc.furniture = merge([*doc.furniture, *spans])
                changed += 1
    return changed
