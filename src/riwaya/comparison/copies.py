"""Copies: (near-)identical texts are one report carried by several outlets.

Two articles are copies when the Jaccard similarity of their word 5-gram shingles (on the text
layer's keys, page furniture left out) is at least :data:`COPY_JACCARD`. A handful of articles
are compared pair by pair; more go through MinHash LSH (datasketch) first. Copies are shown as
one report and never compared with each other.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from riwaya.linkage import components
from riwaya.model import Analysis

COPY_JACCARD = 0.9
SHINGLE = 5
EXACT_UP_TO = 60  # articles compared pair by pair; beyond, LSH candidates only
_PERMUTATIONS = 128


def shingles(analysis: Analysis) -> frozenset[int]:
    """Hashes of the word 5-grams of an article's content (keys, furniture left out)."""
    doc = analysis.document
    furniture = doc.furniture
    keys = [t.key for t in doc.tokens if t.kind in ("word", "number", "percent")
            and not any(s <= t.start < e for s, e in furniture)]
    if len(keys) < SHINGLE:
        return frozenset({_hash(keys)}) if keys else frozenset()
    return frozenset(_hash(keys[i:i + SHINGLE]) for i in range(len(keys) - SHINGLE + 1))


def _hash(words: list[str]) -> int:
    """A stable hash of a shingle (the same in every process, unlike ``hash``)."""
    return zlib.crc32("\x1f".join(words).encode())


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.0
    return len(a & b) / len(a | b)


def copy_groups(analyses: Sequence[Analysis], threshold: float = COPY_JACCARD) -> list[list[int]]:
    """Indices of the articles that are copies of one another, in groups of two or more (each
    group in input order)."""
    sets = [shingles(a) for a in analyses]
    edges = ((i, j) for i, j in _candidates(sets, threshold) if jaccard(sets[i], sets[j]) >= threshold)
    return [g for g in components(len(sets), edges) if len(g) > 1]


def _candidates(sets: list[frozenset[int]], threshold: float):
    n = len(sets)
    if n <= EXACT_UP_TO:
        for i in range(n):
            for j in range(i + 1, n):
                # sizes alone bound the Jaccard similarity from above
                small, big = sorted((len(sets[i]), len(sets[j])))
                if big and small / big >= threshold:
                    yield i, j
        return
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold * 0.9, num_perm=_PERMUTATIONS)
    hashes = []
    for i, s in enumerate(sets):
        m = MinHash(num_perm=_PERMUTATIONS, seed=1)
        m.update_batch([x.to_bytes(4, "little") for x in s])
        hashes.append(m)
        lsh.insert(str(i), m)
    seen = set()
    for i, m in enumerate(hashes):
        for key in lsh.query(m):
            j = int(key)
            if j != i and (min(i, j), max(i, j)) not in seen:
                seen.add((min(i, j), max(i, j)))
                yield min(i, j), max(i, j)
