"""Copies: (near-)identical texts are one report carried by several outlets.

Two articles are copies when the Jaccard similarity of their word 5-gram shingles (on the text
layer's keys, page furniture left out) is at least :data:`COPY_JACCARD`. A handful of articles
are compared pair by pair; more go through MinHash LSH first (:class:`CopyIndex`, which a
workspace also keeps across runs: candidates from 16 bands of 8 MinHash values, each confirmed
by the exact Jaccard similarity). Copies are shown as one report and never compared with each
other.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable, Hashable, Iterable, Sequence, Sized
from typing import Any

import numpy as np

from riwaya.linkage import components
from riwaya.model import Analysis

COPY_JACCARD = 0.9
SHINGLE = 5
EXACT_UP_TO = 60  # articles compared pair by pair; beyond, LSH candidates only
NUM_PERM = 128
BANDS = 16  # of NUM_PERM // BANDS rows: a pair at Jaccard 0.9 shares a band with p > 0.9999

_RNG = np.random.default_rng(1)  # fixed: MinHashes kept in a store stay comparable
_A = _RNG.integers(1, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1)  # odd multipliers
_B = _RNG.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
_ROWS = NUM_PERM // BANDS
_FOLD = _RNG.integers(1, 2**63, _ROWS, dtype=np.uint64) | np.uint64(1)


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


def minhash(shingle_set: Iterable[int]) -> np.ndarray:
    """The MinHash (:data:`NUM_PERM` uint32 values) of a shingle set: for each of a fixed family
    of multiply-shift hash functions, the least value it takes over the set."""
    x = np.fromiter(shingle_set, dtype=np.uint64)
    if not x.size:
        return _EMPTY.copy()
    with np.errstate(over="ignore"):  # products wrap modulo 2**64: that is the hash family
        h = (_A[:, None] * x[None, :] + _B[:, None]) >> np.uint64(32)
    return h.min(axis=1).astype(np.uint32)


def encode_minhash(values: np.ndarray) -> str:
    """A MinHash as text (base64 of its little-endian bytes), to keep in a JSON signature."""
    return base64.b64encode(np.asarray(values, dtype="<u4").tobytes()).decode("ascii")


def decode_minhash(text: str) -> np.ndarray | None:
    """The MinHash :func:`encode_minhash` wrote (None if it is not one)."""
    try:
        values = np.frombuffer(base64.b64decode(text), dtype="<u4")
    except (ValueError, TypeError):
        return None
    return values.astype(np.uint32) if values.size == NUM_PERM else None


def _bands(values: np.ndarray) -> list[int]:
    """One integer per band of a MinHash (band number in the low bits: the bands share a table)."""
    rows = values.astype(np.uint64).reshape(BANDS, _ROWS)
    with np.errstate(over="ignore"):
        folded = (rows * _FOLD[None, :]).sum(axis=1, dtype=np.uint64)
    return [(int(v) & ~0xFF) | b for b, v in enumerate(folded)]


class CopyIndex:
    """Articles filed one by one; :meth:`find` names the earlier ones a new article copies.

    ``shingles_of(key)`` gives the shingle set of an article filed without one (one restored
    from a store: its MinHash is kept, its shingles are rebuilt only when it is a candidate).
    Filed shingles are kept as sorted ``uint32`` arrays (the hashes are CRC-32s): 4 bytes a
    shingle, where a frozenset of ints takes about 70, which over a whole corpus run is most of
    the ingesting process's memory.
    """

    def __init__(self, threshold: float = COPY_JACCARD,
                 shingles_of: Callable[[Hashable], frozenset[int] | None] | None = None):
        self.threshold = threshold
        self._table: dict[int, Any] = {}  # band → its one key, or a list of keys (most bands have one)
        self._sets: dict[Hashable, np.ndarray] = {}
        self._shingles_of = shingles_of

    def __len__(self) -> int:
        return len(self._sets)

    def candidates(self, values: np.ndarray) -> list[Hashable]:
        """Filed articles sharing a band with this MinHash, in filing order."""
        seen: dict[Hashable, None] = {}
        table = self._table
        for band in _bands(values):
            hit = table.get(band)
            if hit is None:
                continue
            for key in hit if isinstance(hit, list) else (hit,):
                seen[key] = None
        return list(seen)

    def add(self, key: Hashable, values: np.ndarray, shingle_set: frozenset[int] | None = None) -> None:
        """File an article by its MinHash (and its shingles, kept to confirm later candidates)."""
        if not shingle_set and shingle_set is not None:
            return  # nothing to copy: an empty text is no report
        table = self._table
        for band in _bands(values):
            hit = table.get(band)
            if hit is None:
                table[band] = key
            elif isinstance(hit, list):
                hit.append(key)
            else:
                table[band] = [hit, key]
        if shingle_set is not None:
            self._sets[key] = _sorted_array(shingle_set)

    def find(self, shingle_set: frozenset[int], values: np.ndarray | None = None) -> list[Hashable]:
        """Filed articles whose shingles have Jaccard similarity >= the threshold with these."""
        if not shingle_set:
            return []
        values = minhash(shingle_set) if values is None else values
        mine: np.ndarray | None = None
        out = []
        for key in self.candidates(values):
            other = self._sets.get(key)
            if other is None and self._shingles_of is not None:
                rebuilt = self._shingles_of(key)
                other = None if rebuilt is None else _sorted_array(rebuilt)
            if other is None or not _could_match(shingle_set, other, self.threshold):
                continue
            mine = _sorted_array(shingle_set) if mine is None else mine
            if _array_jaccard(mine, other) >= self.threshold:
                out.append(key)
        return out


def _sorted_array(shingle_set: frozenset[int]) -> np.ndarray:
    values = np.fromiter(shingle_set, dtype=np.uint32, count=len(shingle_set))
    values.sort()
    return values


def _array_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """:func:`jaccard` of two sets given as sorted arrays of distinct values."""
    if not a.size or not b.size:
        return 1.0 if a.size == b.size else 0.0
    common = np.intersect1d(a, b, assume_unique=True).size
    return common / (a.size + b.size - common)


def _could_match(a: Sized, b: Sized, threshold: float) -> bool:
    """Sizes alone bound the Jaccard similarity from above."""
    small, big = sorted((len(a), len(b)))
    return big > 0 and small / big >= threshold


def copy_groups(analyses: Sequence[Analysis], threshold: float = COPY_JACCARD) -> list[list[int]]:
    """Indices of the articles that are copies of one another, in groups of two or more (each
    group in input order)."""
    sets = [shingles(a) for a in analyses]
    edges = ((i, j) for i, j in _candidates(sets, threshold) if jaccard(sets[i], sets[j]) >= threshold)
    return [g for g in components(len(sets), edges) if len(g) > 1]


def _candidates(sets: list[frozenset[int]], threshold: float) -> Any:
    n = len(sets)
    if n <= EXACT_UP_TO:
        for i in range(n):
            for j in range(i + 1, n):
                if _could_match(sets[i], sets[j], threshold):
                    yield i, j
        return
    index = CopyIndex(threshold)
    for j, s in enumerate(sets):
        values = minhash(s)
        for key in index.candidates(values):
            i = int(key)  # type: ignore[call-overload]  # filed below under int keys
            if _could_match(sets[i], s, threshold):
                yield i, j
        index.add(j, values, s)
