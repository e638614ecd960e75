""":func:`riwaya.comparison.align.score_pair` for every pair of many claims at once, to the bit.

A story of twenty articles holds hundreds of claims and a hundred thousand pairs; scoring them
one call at a time was most of the cost of its findings. Here the counts of shared stems, names,
event classes, quantities and dates are sparse products, and the weighted sums exact: every
weight is at least 0.5 (``log(n / df) + 0.5``, or 1.0 for a word the story never counted), so
``w * 2**53`` is a whole number below ``2**57`` and the sum of up to 63 of them is exact in
int64; converting that sum back rounds once, to the nearest double, which is what
:func:`math.fsum` returns. The arithmetic after the sums is ``score_pair``'s, in its order, so
each score equals ``score_pair(a, b, w[, shared]).score`` exactly (``tests/test_pairs.py``).
Pairs that share nothing score 0 and are never formed. Scipy's sparse module is imported only
for a story large enough to pay for it (a cold ``riwaya compare`` of two articles does not).
"""

from __future__ import annotations

import functools
import math
import operator
import sys
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from riwaya.comparison.views import ClaimView

MIN_PAIRS = 600  # from this many pairs on, they are scored together here ...
MIN_PAIRS_COLD = 4000  # ... once scipy.sparse is imported; before, from this many (its import costs 0.4 s)
_SCALE = 2.0**53
_MAX_TERMS = 63  # shared weights summed in int64 (each below 2**57)


class Inexact(ValueError):
    """A weight that is not a whole number once scaled by 2**53 (below 0.5): loop instead."""


def worth(n_pairs: int) -> bool:
    """Whether to score ``n_pairs`` pairs together rather than one by one."""
    return n_pairs >= (MIN_PAIRS if "scipy.sparse" in sys.modules else MIN_PAIRS_COLD)


def _scaled(weight: float) -> int:
    n = weight * _SCALE
    if n != math.floor(n) or n >= 2.0**57:
        raise Inexact(weight)
    return int(n)


def _incidence(sets: Sequence[Iterable[Hashable]], weights: dict[Any, float] | None = None) -> Any:
    """Views × items, 1 where a view holds an item (or its scaled weight), in CSR form."""
    from scipy.sparse import csr_matrix

    columns: dict[Hashable, int] = {}
    indptr, indices = [0], list[int]()
    for items in sets:
        indices.extend(columns.setdefault(x, len(columns)) for x in items)
        indptr.append(len(indices))
    if weights is None:
        data = np.ones(len(indices), dtype=np.int64)
    else:
        scaled = np.array([_scaled(weights.get(x, 1.0)) for x in columns], dtype=np.int64)
        data = scaled[np.asarray(indices, dtype=np.int64)] if indices else np.zeros(0, np.int64)
    return csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
                      shape=(len(sets), max(len(columns), 1)), dtype=np.int64)


def _quantities(v: ClaimView) -> set[tuple[float, tuple[str, str]]]:
    from riwaya.comparison.align import quantity_key

    return {(q.value, quantity_key(q)) for q in v.quantities if q.value is not None and q.value == q.value}


def _dates(v: ClaimView) -> set[str]:
    return {d.value for d in v.dates if d.value}


def _at(matrix: Any, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    return np.asarray(matrix[rows, cols]).ravel() if len(rows) else np.zeros(0, dtype=matrix.dtype)


class PairScorer:
    """``score_pair`` of many pairs of ``views`` under one :class:`~riwaya.comparison.align.Weights`."""

    def __init__(self, views: Sequence[ClaimView], w: Any, families: bool = False):
        self.views = views
        self.w = w
        keys = [v.keys for v in views]
        ents = [v.entities for v in views]
        self._keys = _incidence(keys)
        self._ents = _incidence(ents)
        self._keys_w = _incidence(keys, w.keys)
        self._ents_w = _incidence(ents, w.entities)
        self._events = _incidence([v.events for v in views])
        self._quantities = _incidence([_quantities(v) for v in views])
        self._dates = _incidence([_dates(v) for v in views])
        self._families = _incidence([v.families for v in views]) if families else None
        self.n_keys = np.array([len(k) for k in keys], dtype=np.int64)
        self.n_events = np.array([len(v.events) for v in views], dtype=np.int64)

    def candidates(self) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
        """Every pair ``i < j`` that shares a stem, name, event class, quantity or date (or an
        event family, when asked): the only pairs that can score above 0. Rows then columns
        ascending; with the products, to read each pair's counts from."""
        products = {
            "keys": self._keys @ self._keys.T,
            "ents": self._ents @ self._ents.T,
            "events": self._events @ self._events.T,
            "quantities": self._quantities @ self._quantities.T,
            "dates": self._dates @ self._dates.T,
        }
        if self._families is not None:
            products["families"] = self._families @ self._families.T
        from scipy.sparse import triu

        union = triu(functools.reduce(operator.add, products.values()), k=1).tocsr()
        union.sort_indices()
        coo = union.tocoo()
        return coo.row.astype(np.int64), coo.col.astype(np.int64), products

    def scores(self, rows: np.ndarray, cols: np.ndarray, products: dict[str, Any],
               key_norms: tuple[np.ndarray, np.ndarray] | None = None,
               ent_norms: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """``score_pair(views[i], views[j], w[, shared]).score`` for each pair; the norms (the
        weighted sizes of each side's stems and names, restricted to the shared vocabulary when
        the caller restricts) default to the whole sets."""
        nk = _at(products["keys"], rows, cols)
        ne = _at(products["ents"], rows, cols)
        nev = _at(products["events"], rows, cols)
        same_q = (_at(products["quantities"], rows, cols) > 0).astype(np.float64)
        same_d = (_at(products["dates"], rows, cols) > 0).astype(np.float64)
        if key_norms is None:
            whole = self._norms(self.w.keys, [v.keys for v in self.views])
            key_norms = whole[rows], whole[cols]
        if ent_norms is None:
            whole = self._norms(self.w.entities, [v.entities for v in self.views])
            ent_norms = whole[rows], whole[cols]
        key_sim = self._overlap(rows, cols, nk, self._keys_w @ self._keys.T, self.w.keys, "keys",
                                key_norms) * np.minimum(1.0, nk / 3)
        ent_sim = self._overlap(rows, cols, ne, self._ents_w @ self._ents.T, self.w.entities, "entities",
                                ent_norms) * np.minimum(1.0, ne / 2)
        union = self.n_events[rows] + self.n_events[cols] - nev
        event_sim = np.divide(nev, union, out=np.zeros(len(rows)), where=nev > 0)
        score = 0.45 * key_sim + 0.3 * ent_sim + 0.25 * event_sim + 0.15 * same_q + 0.05 * same_d
        return np.minimum(1.0, score)

    def _overlap(self, rows: np.ndarray, cols: np.ndarray, shared_n: np.ndarray, weighted: Any,
                 w: dict[str, float], attr: str, norms: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """``_weighted_overlap``: the shared weight over the geometric mean of the two sides'."""
        sums = _at(weighted, rows, cols).astype(np.float64) / _SCALE
        for k in np.flatnonzero(shared_n > _MAX_TERMS):  # past int64's exact range: fsum
            a, b = self.views[rows[k]], self.views[cols[k]]
            sums[k] = math.fsum(w.get(x, 1.0) for x in getattr(a, attr) & getattr(b, attr))
        denom = np.sqrt(norms[0] * norms[1])
        return np.divide(sums, denom, out=np.zeros(len(rows)), where=shared_n > 0)

    @staticmethod
    def _norms(w: dict[str, float], sets: Sequence[frozenset[str]]) -> np.ndarray:
        return np.array([math.fsum(w.get(x, 1.0) for x in s) for s in sets], dtype=np.float64)
