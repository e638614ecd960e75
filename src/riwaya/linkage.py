"""Average-link hierarchical clustering: ``scipy.cluster.hierarchy``'s ``linkage(method="average")``,
``fcluster(criterion="distance")`` and ``scipy.spatial.distance.squareform``, in numpy.

The same algorithm step by step (nearest-neighbour chain with the same tie rules, the same
distance updates, the stable sort by height and relabelling, the same depth-first numbering of
flat clusters), so trees and labels are scipy's to the bit, without importing
``scipy.cluster`` (a second or more of a cold start: it pulls in ``scipy.stats``,
``scipy.spatial`` and ``scipy.sparse``). Made for the small sets a comparison clusters (claims of
one story, articles of one batch): the chain's scans are numpy, the merges a Python loop.
:func:`components` is single link: the connected components of given edges (copies, stories).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def squareform(distance: np.ndarray, checks: bool = True) -> np.ndarray:
    """The condensed form (upper triangle, row by row) of a square distance matrix (``checks``:
    that it is symmetric with a zero diagonal)."""
    distance = np.asarray(distance)
    if checks and (not np.array_equal(distance, distance.T) or distance.diagonal().any()):
        raise ValueError("the distance matrix must be symmetric with a zero diagonal")
    n = len(distance)
    i, j = np.triu_indices(n, k=1)
    return np.ascontiguousarray(np.asarray(distance, dtype=np.float64)[i, j])


def linkage(condensed: np.ndarray, method: str = "average") -> np.ndarray:
    """``scipy.cluster.hierarchy.linkage(condensed, method="average")``: rows ``(a, b, height,
    size)``, merge by merge in order of height."""
    if method != "average":
        raise ValueError(f"linkage method {method!r}: only 'average' is implemented")
    y = np.asarray(condensed, dtype=np.float64)
    n = round((1 + float(np.sqrt(1 + 8 * len(y)))) / 2)
    if n * (n - 1) // 2 != len(y):
        raise ValueError("not a condensed distance matrix")
    if not np.isfinite(y).all():
        raise ValueError("the condensed distance matrix must contain only finite values")
    d = np.zeros((n, n))
    iu = np.triu_indices(n, k=1)
    d[iu] = y
    d += d.T  # d[i, j] is D[condensed_index(i, j)] for i != j
    size = np.ones(n, dtype=np.int64)
    z = np.zeros((n - 1, 4))
    chain: list[int] = []
    index = np.arange(n)
    for k in range(n - 1):
        if not chain:
            chain.append(int(np.flatnonzero(size > 0)[0]))
        while True:  # along the chain of nearest neighbours to two mutual ones
            x = chain[-1]
            if len(chain) > 1:
                y_ = chain[-2]
                current = d[x, y_]
            else:
                y_, current = -1, np.inf
            live = (size > 0) & (index != x)
            row = np.where(live, d[x], np.inf)
            best = int(np.argmin(row))  # the first of the smallest, as scipy's strict < scan
            if row[best] < current:
                y_, current = best, row[best]
            if len(chain) > 1 and y_ == chain[-2]:
                break
            chain.append(y_)
        del chain[-2:]
        if x > y_:
            x, y_ = y_, x
        nx, ny = int(size[x]), int(size[y_])
        z[k] = (x, y_, current, nx + ny)
        size[x] = 0
        size[y_] = nx + ny
        others = (size > 0) & (index != y_)
        merged = (nx * d[x, others] + ny * d[y_, others]) / (nx + ny)
        d[others, y_] = merged
        d[y_, others] = merged
    z = z[np.argsort(z[:, 2], kind="mergesort")]
    _relabel(z, n)
    return z


def _relabel(z: np.ndarray, n: int) -> None:
    """scipy's ``label``: clusters numbered n, n+1, ... in merge order, the smaller root first."""
    parent = np.arange(2 * n - 1)
    next_label = n
    sizes = np.ones(2 * n - 1, dtype=np.int64)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = int(parent[root])
        while parent[x] != root:  # path compression, as scipy's union-find does
            parent[x], x = root, int(parent[x])
        return root

    for i in range(n - 1):
        a, b = find(int(z[i, 0])), find(int(z[i, 1]))
        z[i, 0], z[i, 1] = (a, b) if a < b else (b, a)
        parent[a] = parent[b] = next_label
        sizes[next_label] = sizes[a] + sizes[b]
        z[i, 3] = sizes[next_label]
        next_label += 1


def fcluster(z: np.ndarray, t: float, criterion: str = "distance") -> np.ndarray:
    """``scipy.cluster.hierarchy.fcluster(z, t, criterion="distance")``: flat clusters (numbered
    from 1, depth first from the root) whose members are joined below height ``t``."""
    if criterion != "distance":
        raise ValueError(f"fcluster criterion {criterion!r}: only 'distance' is implemented")
    n = len(z) + 1
    out = np.zeros(n, dtype=np.int32)
    if n == 1:
        return out
    # the tallest merge within each subtree (for an average-link tree, its own height)
    tallest = np.zeros(n - 1)
    for i in range(n - 1):
        a, b = int(z[i, 0]), int(z[i, 1])
        tallest[i] = max([z[i, 2], *(tallest[c - n] for c in (a, b) if c >= n)])
    visited = np.zeros(2 * n - 1, dtype=bool)
    stack = [2 * n - 2]
    clusters, leader = 0, -1
    while stack:
        root = stack[-1] - n
        left, right = int(z[root, 0]), int(z[root, 1])
        if leader == -1 and tallest[root] <= t:
            leader = root
            clusters += 1
        if left >= n and not visited[left]:
            visited[left] = True
            stack.append(left)
            continue
        if right >= n and not visited[right]:
            visited[right] = True
            stack.append(right)
            continue
        if left < n:
            if leader == -1:
                clusters += 1
            out[left] = clusters
        if right < n:
            if leader == -1:
                clusters += 1
            out[right] = clusters
        if leader == root:
            leader = -1
        stack.pop()
    return out


def components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The connected components of ``n`` items joined by ``edges`` (single link): lists of
    indices in increasing order, ordered by their first item."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in edges:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())

