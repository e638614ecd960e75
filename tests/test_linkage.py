"""riwaya.linkage gives scipy.cluster.hierarchy's average-link trees and flat clusters exactly,
ties included (the comparison's matter grouping relies on the same labels)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.cluster import hierarchy
from scipy.spatial import distance

from riwaya import linkage


@pytest.mark.parametrize("seed", range(6))
def test_average_linkage_and_flat_clusters_are_scipys(seed):
    rng = np.random.default_rng(seed)
    for _ in range(40):
        n = int(rng.integers(2, 40))
        x = rng.random((n, 3))
        d = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1))
        if seed % 2:
            d = np.round(d * 4) / 4  # many equal distances: the tie rules must match too
        np.fill_diagonal(d, 0.0)
        condensed = linkage.squareform(d, checks=False)
        assert np.array_equal(condensed, distance.squareform(d, checks=False))
        ours, theirs = linkage.linkage(condensed, method="average"), hierarchy.linkage(condensed, "average")
        assert np.array_equal(ours, theirs)
        for t in (0.0, 0.1, 0.3, 0.6, 2.0):
            assert np.array_equal(linkage.fcluster(ours, t=t, criterion="distance"),
                                  hierarchy.fcluster(theirs, t=t, criterion="distance"))


def test_only_what_is_implemented_is_accepted():
    with pytest.raises(ValueError):
        linkage.linkage(np.array([1.0]), method="ward")
    with pytest.raises(ValueError):
        linkage.fcluster(np.zeros((1, 4)), t=1.0, criterion="maxclust")
    with pytest.raises(ValueError):
        linkage.linkage(np.array([1.0, np.nan, 2.0]))
