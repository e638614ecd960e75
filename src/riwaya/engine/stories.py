"""Stories at archive scale: grouping millions of articles as a distributed job.

The one-machine :class:`~riwaya.comparison.stories.StoryIndex` files articles one at a time, each
against the index of all before it: exact, but sequential and held in one process. Here the same
signatures (:func:`~riwaya.comparison.stories.story_signature`) and the same same-story model
(:func:`~riwaya.comparison.stories.index_signals`, the shipped ``index_model``) are used in four
steps that each run partition by partition:

1. **band**: each article's strongest keys (its signature's ``keys``) as a MinHash of
   :data:`KEY_PERM` values, each value with its index a band key (:data:`BANDS` bands of
   :data:`ROWS`): two articles share a key about as often as their key sets overlap (Jaccard);
2. **shuffle**: the band keys go to :data:`buckets <BUCKETS>` by hash, where the articles under
   one key are sorted by publication time (then id) and each is paired with the
   :data:`NEIGHBOURS` next ones inside :data:`~riwaya.comparison.stories.WINDOW_DAYS` (an unknown
   time pairs with any);
3. **score**: each candidate pair, on a worker holding both partitions, is judged by the model
   (probability ≥ its threshold) or is a near-copy (shingle MinHash agreement ≥ 0.8): an edge;
4. **components**: the connected components of the edges (:func:`riwaya.linkage.components`, on
   the client: edges are small), each then cut by average link as the index does (:func:`refine`:
   an article joins the group it is on average most probably the same story as, over that group's
   latest members), a task per group of components.

:func:`archive_stories` runs the steps in this process; :func:`distributed_stories` runs them as
Dask tasks (bands and scores where the partitions lie, the shuffle between workers) and gives the
same stories: every tie is broken by the articles' ids and times, never by where they were. The
candidates differ from the index's (shared sampled keys, not its inverted index) and so do some
stories: on ``clusters/`` dev, B-cubed F1 0.73 here, 0.77 with
:func:`~riwaya.comparison.stories.index_stories`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from riwaya.comparison.copies import NUM_PERM, decode_minhash
from riwaya.model import Analysis, Story

KEY_PERM = 64  # MinHash values of an article's key set
BANDS, ROWS = 64, 1  # KEY_PERM = BANDS * ROWS: one shared sampled key makes a candidate
NEIGHBOURS = 50  # under one band key, each article is paired with at most this many later ones
BUCKETS = 16  # shuffle buckets of band keys (tasks of step 2)
PAIRS_HELD = 4_000_000  # candidate pairs held before their repeats are dropped (memory)
MIN_SHARED = 2  # a candidate pair is judged when its key MinHashes share this many values
_PRIME = np.uint64((1 << 61) - 1)
_MASK32 = np.uint64(0xFFFFFFFF)
_rng = np.random.RandomState(20)
_A = _rng.randint(1, 1 << 31, size=KEY_PERM).astype(np.uint64)
_B = _rng.randint(0, 1 << 31, size=KEY_PERM).astype(np.uint64)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F], dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class Signed:
    """One article as the story job sees it: its id, publication time (days since 1970, None:
    unknown) and story signature."""

    id: str
    time: float | None
    signature: dict[str, Any]


@dataclass(slots=True)
class Edge:
    a: str
    b: str
    p: float


def signed(analysis: Analysis) -> Signed:
    from riwaya.comparison.stories import _time, story_signature

    return Signed(analysis.article.id, _time(analysis.article.published), story_signature(analysis))


def read_analyses(path: str, start: int = 0, end: int | None = None) -> list[Signed]:
    """The articles of a ``riwaya analyze --format jsonl`` file (gzipped or not), lines
    ``[start, end)`` only (a partition of a large file), signed."""
    from itertools import islice

    from riwaya.model import Analysis
    from riwaya.store.codec import from_dict

    with _open(path) as f:
        lines = islice(f, start, end)
        return [signed(from_dict(Analysis, json.loads(line))) for line in lines if line.strip()]


def write_signatures(records: Iterable[Signed], path: str) -> None:
    """Signed articles as JSON Lines (``.gz``: gzipped), one ``{"id", "time", "signature"}`` a line."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as f:
        for r in records:
            row = {"id": r.id, "time": r.time, "signature": r.signature}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_signatures(path: str) -> list[Signed]:
    """What :func:`write_signatures` wrote."""
    with _open(path) as f:
        return [Signed(d["id"], d.get("time"), d["signature"]) for d in map(json.loads, f) if d]


def _open(path: str) -> Any:
    with open(path, "rb") as probe:
        zipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rt", encoding="utf-8") if zipped else open(path, encoding="utf-8")


# --------------------------------------------------------------------------- step 1: bands
def _uid(article_id: str) -> int:
    """A 63-bit number for an id: the order of articles everywhere (never their position)."""
    return int.from_bytes(hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def key_minhash(keys: Iterable[str]) -> np.ndarray | None:
    """MinHash (:data:`KEY_PERM` values) of a set of keys; None for no keys."""
    hashed = np.array([int.from_bytes(hashlib.blake2b(k.encode("utf-8"), digest_size=4).digest(), "big")
                       for k in keys], dtype=np.uint64)
    if not hashed.size:
        return None
    values = (_A[:, None] * hashed[None, :] + _B[:, None]) % _PRIME
    return (values.min(axis=1) & _MASK32).astype(np.uint64)


def band_keys(minhash: np.ndarray) -> np.ndarray:
    """The :data:`BANDS` band keys of a key MinHash (uint64; a band's index is hashed in)."""
    rows = minhash.reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        mixed = (rows * _MIX[:ROWS]).sum(axis=1, dtype=np.uint64)
        mixed ^= np.arange(BANDS, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)
    return mixed


@dataclass(slots=True)
class Banded:
    """One partition's band keys, ready to shuffle: a row per (article, band)."""

    key: np.ndarray  # uint64
    time: np.ndarray  # float64 (NaN: unknown)
    uid: np.ndarray  # int64
    part: np.ndarray  # int32: the partition
    pos: np.ndarray  # int32: the article's place in it

    @classmethod
    def concat(cls, items: Sequence[Banded]) -> Banded:
        return cls(*(np.concatenate([getattr(b, f) for b in items]) if items else np.empty(0, dtype=t)
                     for f, t in (("key", np.uint64), ("time", np.float64), ("uid", np.int64),
                                  ("part", np.int32), ("pos", np.int32))))

    def take(self, mask: np.ndarray) -> Banded:
        return Banded(self.key[mask], self.time[mask], self.uid[mask], self.part[mask], self.pos[mask])


def band(records: Sequence[Signed], part: int) -> Banded:
    """Step 1 for one partition."""
    keys, times, uids, poss = [], [], [], []
    for pos, r in enumerate(records):
        mh = key_minhash((r.signature.get("keys") or {}).keys())
        if mh is None:
            continue
        keys.append(band_keys(mh))
        times.append(math.nan if r.time is None else r.time)
        uids.append(_uid(r.id))
        poss.append(pos)
    n = len(keys)
    return Banded(np.concatenate(keys) if keys else np.empty(0, dtype=np.uint64),
                  np.repeat(np.array(times, dtype=np.float64), BANDS),
                  np.repeat(np.array(uids, dtype=np.int64), BANDS),
                  np.full(n * BANDS, part, dtype=np.int32),
                  np.repeat(np.array(poss, dtype=np.int32), BANDS))


def split(banded: Banded, buckets: int) -> list[Banded]:
    """A partition's band keys cut into the shuffle's buckets (by key)."""
    which = (banded.key % np.uint64(buckets)).astype(np.int64)
    return [banded.take(which == b) for b in range(buckets)]


# --------------------------------------------------------------------------- step 2: pairs
def pairs(banded: Banded, window_days: float | None, neighbours: int = NEIGHBOURS) -> np.ndarray:
    """Candidate pairs of one bucket: under each key, articles in time order (then by id), each
    with its ``neighbours`` next inside the window. Rows ``(part_a, pos_a, part_b, pos_b)`` with
    ``a`` the smaller id, each pair once."""
    n = banded.key.size
    if n < 2:
        return np.empty((0, 4), dtype=np.int64)
    t = np.where(np.isnan(banded.time), np.inf, banded.time)  # unknown times last
    order = np.lexsort((banded.uid, t, banded.key))
    key, time, uid = banded.key[order], banded.time[order], banded.uid[order]
    code = (banded.part[order].astype(np.int64) << 32) | banded.pos[order].astype(np.int64)
    found: list[np.ndarray] = []
    held = 0
    for d in range(1, min(neighbours, n - 1) + 1):
        same = key[d:] == key[:-d]
        if not same.any():
            break
        gap = time[d:] - time[:-d]
        ok = same & (uid[d:] != uid[:-d])
        if window_days is not None:
            ok &= np.isnan(gap) | (np.abs(gap) <= window_days)
        i = np.nonzero(ok)[0]
        j = i + d
        swap = uid[i] > uid[j]
        a, b = np.where(swap, j, i), np.where(swap, i, j)
        found.append(np.stack([code[a], code[b]], axis=1))
        held += len(i)
        if held > PAIRS_HELD:  # the same pair comes under many keys: drop the repeats as we go
            found = [_unique_rows(np.concatenate(found))]
            held = len(found[0])
    if not found:
        return np.empty((0, 4), dtype=np.int64)
    rows = _unique_rows(np.concatenate(found))
    mask = np.int64(0xFFFFFFFF)
    return np.stack([rows[:, 0] >> 32, rows[:, 0] & mask, rows[:, 1] >> 32, rows[:, 1] & mask], axis=1)


def _unique_rows(rows: np.ndarray) -> np.ndarray:
    """The distinct rows of a two-column array, sorted."""
    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    keep = np.ones(len(rows), dtype=bool)
    keep[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    return rows[keep]


def by_partitions(rows: np.ndarray) -> dict[tuple[int, int], np.ndarray]:
    """Pairs grouped by the two partitions that hold them (step 3's tasks)."""
    out: dict[tuple[int, int], np.ndarray] = {}
    if not rows.size:
        return out
    lo, hi = np.minimum(rows[:, 0], rows[:, 2]), np.maximum(rows[:, 0], rows[:, 2])
    for pa, pb in np.unique(np.stack([lo, hi], axis=1), axis=0):
        out[int(pa), int(pb)] = rows[(lo == pa) & (hi == pb)]
    return out


# --------------------------------------------------------------------------- step 3: scores
class Judge:
    """Same-story decisions over signatures: the shipped index model, or (none trained) the key
    cosine against the index's threshold; near-copies always join."""

    def __init__(self, model: dict | None = None, threshold: float | None = None):
        from riwaya.comparison.stories import default_index_model, default_threshold

        self.model = model if model is not None else default_index_model()
        self.threshold = float(self.model["threshold"]) if self.model else (
            default_threshold() if threshold is None else threshold)
        self._views: dict[str, Any] = {}

    def _view(self, r: Signed) -> Any:
        from riwaya.comparison.stories import view_of

        view = self._views.get(r.id)
        if view is None:
            view = view_of(r.signature)
            if len(self._views) >= 200_000:  # a bound on memory, not a cache policy
                self._views.clear()
            self._views[r.id] = view
        return view

    def probability(self, a: Signed, b: Signed) -> float:
        from riwaya.comparison.stories import _cos, index_probability, index_signals

        if self.model:
            va, vb = self._view(a), self._view(b)
            if va is not None and vb is not None:
                return index_probability(index_signals(va, vb), self.model)
        return _cos(a.signature.get("keys") or {}, b.signature.get("keys") or {})


def _key_matrix(records: Sequence[Signed], wanted: np.ndarray) -> np.ndarray:
    """The key MinHashes of ``records[wanted]`` as rows (an article without keys: values no other
    row holds)."""
    out = np.empty((len(wanted), KEY_PERM), dtype=np.uint64)
    for n, i in enumerate(wanted.tolist()):
        mh = key_minhash((records[i].signature.get("keys") or {}).keys())
        out[n] = mh if mh is not None else np.uint64(1 << 40) + np.arange(KEY_PERM, dtype=np.uint64)
    return out


def shared_keys(left: Sequence[Signed], right: Sequence[Signed], rows: np.ndarray) -> np.ndarray:
    """For each pair, how many of the :data:`KEY_PERM` key MinHash values its two sides share (an
    estimate of their key sets' Jaccard, times :data:`KEY_PERM`), in one vectorised pass."""
    if not rows.size:
        return np.zeros(0, dtype=np.int64)
    ua, ia = np.unique(rows[:, 1], return_inverse=True)
    ub, ib = np.unique(rows[:, 3], return_inverse=True)
    ka, kb = _key_matrix(left, ua), _key_matrix(right, ub)
    out = np.empty(len(rows), dtype=np.int64)
    step = 65536
    for s in range(0, len(rows), step):  # bounded memory: 64 values a pair
        out[s:s + step] = (ka[ia[s:s + step]] == kb[ib[s:s + step]]).sum(axis=1)
    return out


def score(left: Sequence[Signed], right: Sequence[Signed], rows: np.ndarray,
          judge: Judge | None = None, min_shared: int = MIN_SHARED) -> list[Edge]:
    """Step 3: the pairs ``rows`` (``(part_a, pos_a, part_b, pos_b)``, ``a`` in ``left``, ``b`` in
    ``right``) that share at least ``min_shared`` key MinHash values and that the judge joins.
    With the model and views on both sides, the signals of many pairs are computed at once
    (:func:`batch_probabilities`); else pair by pair."""
    judge = judge or Judge()
    if rows.size and min_shared > 1:
        rows = rows[shared_keys(left, right, rows) >= min_shared]
    out = []
    step = 200_000
    for s in range(0, len(rows), step):
        chunk = rows[s:s + step]
        probs = batch_probabilities(left, right, chunk, judge)
        for (_pa, ia, _pb, ib), p in zip(chunk.tolist(), probs.tolist(), strict=True):
            a, b = left[ia], right[ib]
            if math.isnan(p):
                p = judge.probability(a, b)
            if p >= judge.threshold:
                out.append(Edge(a.id, b.id, round(p, 6)))
    return out


@lru_cache(maxsize=1 << 20)
def _column(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=4).digest(), "big") >> 1


class _Features:
    """The index model's per-article inputs of some articles, as sparse rows (columns: hashes of
    the keys, so that a pair's sums run in the same order whatever else is in the batch)."""

    def __init__(self, records: Sequence[Signed], wanted: np.ndarray):
        from riwaya.comparison.stories import _signature_entities

        self.ok = np.zeros(len(wanted), dtype=bool)
        weighted: dict[str, list[dict[str, float]]] = {"keys": [], "entity_weight": [], "lead": []}
        sets: dict[str, list[Iterable[str]]] = {"top": [], "entities": [], "quantities": [], "dates": []}
        self.minhash = np.zeros((len(wanted), NUM_PERM), dtype=np.uint32)
        self.has_minhash = np.zeros(len(wanted), dtype=bool)
        for n, i in enumerate(wanted.tolist()):
            sig = records[i].signature
            view = sig.get("view")
            if not isinstance(view, dict):
                view = {}
            else:
                self.ok[n] = True
            keys = sig.get("keys") or {}
            weighted["keys"].append(keys)
            weighted["entity_weight"].append(view.get("entities") or {})
            weighted["lead"].append(view.get("lead") or {})
            sets["top"].append(list(keys)[:30])
            sets["entities"].append(_signature_entities(sig))
            sets["quantities"].append(set(view.get("quantities") or ()))
            sets["dates"].append(set(view.get("dates") or ()))
            mh = sig.get("minhash")
            values = decode_minhash(mh) if isinstance(mh, str) else None
            if values is not None:  # the copies' MinHash (riwaya.comparison.copies), as the index reads it
                self.minhash[n] = values
                self.has_minhash[n] = True
        self.weighted = {k: _csr(v) for k, v in weighted.items()}
        self.binary = {k: _csr([dict.fromkeys(x, 1.0) for x in v]) for k, v in sets.items()}
        self.key_binary = _csr([dict.fromkeys(k, 1.0) for k in weighted["keys"]])
        self.size = {k: np.asarray(m.sum(axis=1)).ravel() for k, m in self.binary.items()}


def _csr(rows: Sequence[dict[str, float]]) -> Any:
    import scipy.sparse as sp

    indptr, indices, data = [0], [], []
    for row in rows:
        for k, v in row.items():
            indices.append(_column(k))
            data.append(float(v))
        indptr.append(len(indices))
    m = sp.csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64),
                       np.array(indptr, dtype=np.int64)), shape=(len(rows), 1 << 31))
    m.sum_duplicates()  # sorted columns: every pair's sums in one order
    return m


def _dots(x: Any, y: Any, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    return np.asarray(x[ia].multiply(y[ib]).sum(axis=1)).ravel()


def batch_probabilities(left: Sequence[Signed], right: Sequence[Signed], rows: np.ndarray,
                        judge: Judge) -> np.ndarray:
    """The same-story probability of each pair under the index model, from the
    :func:`~riwaya.comparison.stories.index_signals` computed as arrays; NaN where a side has no
    ``view`` or no model is given (judged one by one then)."""
    from riwaya.models.estimators import StandardLogistic

    out = np.full(len(rows), np.nan)
    if not rows.size or judge.model is None:
        return out
    ua, ia = np.unique(rows[:, 1], return_inverse=True)
    ub, ib = np.unique(rows[:, 3], return_inverse=True)
    fa, fb = _Features(left, ua), _Features(right, ub)

    def jac(name: str) -> np.ndarray:
        inter = _dots(fa.binary[name], fb.binary[name], ia, ib)
        union = fa.size[name][ia] + fb.size[name][ib] - inter
        both = (fa.size[name][ia] > 0) & (fb.size[name][ib] > 0)
        return np.where(both, inter / np.where(union > 0, union, 1), 0.0)

    ta, tb = fa.size["top"][ia], fb.size["top"][ib]
    rare_ab = _dots(fa.binary["top"], fb.key_binary, ia, ib) / np.where(ta > 0, ta, 1)
    rare_ba = _dots(fb.binary["top"], fa.key_binary, ib, ia) / np.where(tb > 0, tb, 1)
    rare = np.where((ta > 0) & (tb > 0), (rare_ab + rare_ba) / 2, 0.0)
    equal = (fa.minhash[ia] == fb.minhash[ib]).sum(axis=1)
    has_mh = fa.has_minhash[ia] & fb.has_minhash[ib]
    mh = np.where(has_mh, equal / NUM_PERM, 0.0)
    columns = [_dots(fa.weighted["keys"], fb.weighted["keys"], ia, ib), jac("entities"),
               _dots(fa.weighted["entity_weight"], fb.weighted["entity_weight"], ia, ib), rare,
               _dots(fa.weighted["lead"], fb.weighted["lead"], ia, ib), mh, jac("quantities"), jac("dates")]
    probs = StandardLogistic.of(judge.model).probabilities(columns, (len(rows),))
    return np.where(fa.ok[ia] & fb.ok[ib], probs, np.nan)


def _score_group(left: Sequence[Signed], right: Sequence[Signed], pair_lists: Sequence[np.ndarray],
                 part_a: int, model: dict | None, threshold: float | None) -> list[Edge]:
    rows = np.unique(np.concatenate(pair_lists), axis=0) if pair_lists else np.empty((0, 4), np.int64)
    rows = _oriented(rows, part_a)
    return score(left, right, rows, Judge(model, threshold))


def _oriented(rows: np.ndarray, part_a: int) -> np.ndarray:
    """Pairs whose first side lies in ``part_a`` (the pair kept, its sides' order aside)."""
    if not rows.size:
        return rows
    flip = rows[:, 0] != part_a
    out = rows.copy()
    out[flip] = rows[flip][:, [2, 3, 0, 1]]
    return out


# --------------------------------------------------------------------------- step 4: components
def _order(times: dict[str, float | None]) -> list[str]:
    return sorted(times, key=lambda i: (times[i] is None, times[i] or 0.0, i))


def components_of(times: dict[str, float | None], edges: Sequence[Edge]) -> list[list[str]]:
    """The connected components of ``edges`` over the articles (ids in time order, then id)."""
    from riwaya.linkage import components

    ids = _order(times)
    index = {aid: i for i, aid in enumerate(ids)}
    return [[ids[i] for i in c] for c in components(len(ids), ((index[e.a], index[e.b]) for e in edges))]


def refine_all(comps: Sequence[Sequence[Signed]], edges: Sequence[Edge],
               judge: Judge | None = None) -> list[list[str]]:
    """:func:`refine` of each component (of its own edges)."""
    judge = judge or Judge()
    where = {r.id: n for n, comp in enumerate(comps) for r in comp}
    own: dict[int, list[Edge]] = defaultdict(list)
    for e in edges:
        if e.a in where:
            own[where[e.a]].append(e)
    return [g for n, comp in enumerate(comps) for g in refine(comp, own.get(n, []), judge)]


def stories_of(times: dict[str, float | None], groups: Iterable[Sequence[str]],
               edges: Iterable[Edge]) -> list[Story]:
    """Groups of article ids as stories, singletons added for the articles in no group: members in
    time order (then id), a story named after its first and listed in that order; confidence =
    the mean probability of the edges inside it (1 for one article)."""
    rank = {aid: n for n, aid in enumerate(_order(times))}
    story_of: dict[str, int] = {}
    members: list[list[str]] = []
    for g in groups:
        for aid in g:
            story_of[aid] = len(members)
        members.append(sorted(g, key=rank.__getitem__))
    for aid in times:
        if aid not in story_of:
            story_of[aid] = len(members)
            members.append([aid])
    inside: dict[int, list[float]] = defaultdict(list)
    for e in edges:
        if story_of[e.a] == story_of[e.b]:
            inside[story_of[e.a]].append(e.p)
    out = []
    for n in sorted(range(len(members)), key=lambda n: rank[members[n][0]]):
        ps = inside.get(n)
        conf = math.fsum(ps) / len(ps) if ps else 1.0  # exact: the edges' order does not matter
        out.append(Story(id=f"story-{members[n][0]}", articles=members[n],
                         confidence=round(min(max(conf, 0.0), 1.0), 4)))
    return out


# --------------------------------------------------------------------------- the two engines
def archive_stories(records: Sequence[Signed], window_days: float | None = None,
                    model: dict | None = None, threshold: float | None = None) -> list[Story]:
    """The four steps in this process (one partition, one bucket)."""
    from riwaya.comparison.stories import WINDOW_DAYS

    window = WINDOW_DAYS if window_days is None else window_days
    judge = Judge(model, threshold)
    edges = score(records, records, pairs(band(records, 0), window), judge)
    times = {r.id: r.time for r in records}
    by_id = {r.id: r for r in records}
    comps = [[by_id[i] for i in c] for c in components_of(times, edges) if len(c) > 1]
    return stories_of(times, refine_all(comps, edges, judge), edges)


def distributed_stories(partitions: Sequence[Callable[[], list[Signed]]], client: Any,
                        window_days: float | None = None, buckets: int = BUCKETS,
                        model: dict | None = None, threshold: float | None = None,
                        retries: int = 2) -> list[Story]:
    """The four steps as Dask tasks on ``client``: ``partitions`` are callables that load one
    partition's signed articles on a worker (:func:`read_signatures`, :func:`read_analyses`, …);
    the loaded partitions stay on the workers and only band keys, pairs, edges and the members of
    components (to be cut by :func:`refine`, a task per group of components) travel."""
    import operator
    import uuid

    from riwaya.comparison.stories import WINDOW_DAYS

    window = WINDOW_DAYS if window_days is None else window_days
    run = uuid.uuid4().hex[:8]  # task keys of this run only (a client may run several)

    def submit(fn: Callable[..., Any], *args: Any, key: str, **kw: Any) -> Any:
        return client.submit(fn, *args, key=f"riwaya-stories-{run}-{key}", **kw)

    loaded = [submit(load, key=f"load-{i}", retries=retries, pure=False) for i, load in enumerate(partitions)]
    banded = [submit(_band_split, recs, i, buckets, key=f"band-{i}", retries=retries)
              for i, recs in enumerate(loaded)]
    bucket_pairs = []
    for b in range(buckets):
        pieces = [submit(operator.getitem, s, b, key=f"piece-{i}-{b}") for i, s in enumerate(banded)]
        bucket_pairs.append(submit(_bucket_pairs, pieces, window, key=f"pairs-{b}", retries=retries))
    groups = client.gather([submit(_group_keys, p, key=f"groups-{b}") for b, p in enumerate(bucket_pairs)])
    holders: dict[tuple[int, int], list[int]] = defaultdict(list)
    for b, keys in enumerate(groups):
        for k in keys:
            holders[k].append(b)
    scored = []
    for (pa, pb), bs in sorted(holders.items()):
        lists = [submit(operator.getitem, bucket_pairs[b], (pa, pb), key=f"rows-{b}-{pa}-{pb}") for b in bs]
        scored.append(submit(_score_group, loaded[pa], loaded[pb], lists, pa, model, threshold,
                             key=f"score-{pa}-{pb}", retries=retries))
    times: dict[str, float | None] = {}
    for part in client.gather([submit(_times, recs, key=f"times-{i}") for i, recs in enumerate(loaded)]):
        times.update(part)
    edges = [e for part in client.gather(scored) for e in part]
    comps = [c for c in components_of(times, edges) if len(c) > 1]
    # components packed into as many chunks as partitions, largest first, each to the lightest chunk
    n_chunks = max(1, min(len(partitions), len(comps)))
    load_of, chunk_of = [0] * n_chunks, {}
    for n in sorted(range(len(comps)), key=lambda n: (-len(comps[n]), n)):
        c = min(range(n_chunks), key=lambda k: (load_of[k], k))
        load_of[c] += len(comps[n])
        chunk_of[n] = c
    member_chunk = {aid: (chunk_of[n], n) for n, comp in enumerate(comps) for aid in comp}
    members = client.scatter([member_chunk], broadcast=True)[0]  # sent once, not in every task
    picked = [submit(_pick, recs, members, n_chunks, key=f"pick-{i}", retries=retries)
              for i, recs in enumerate(loaded)]
    chunk_edges: list[list[Edge]] = [[] for _ in range(n_chunks)]
    for e in edges:
        chunk_edges[member_chunk[e.a][0]].append(e)
    refined = []
    for c in range(n_chunks):
        parts = [submit(operator.getitem, p, c, key=f"members-{i}-{c}") for i, p in enumerate(picked)]
        refined.append(submit(_refine_chunk, parts, chunk_edges[c], model, threshold,
                              key=f"refine-{c}", retries=retries))
    cut = [g for part in client.gather(refined) for g in part]
    return stories_of(times, cut, edges)


def _pick(records: Sequence[Signed], member_chunk: dict[str, tuple[int, int]],
          n_chunks: int) -> list[dict[int, list[Signed]]]:
    """A partition's members of components, by chunk and component."""
    out: list[dict[int, list[Signed]]] = [defaultdict(list) for _ in range(n_chunks)]
    for r in records:
        where = member_chunk.get(r.id)
        if where is not None:
            out[where[0]][where[1]].append(r)
    return out


def _refine_chunk(parts: Sequence[dict[int, list[Signed]]], edges: Sequence[Edge],
                  model: dict | None, threshold: float | None) -> list[list[str]]:
    comps: dict[int, dict[str, Signed]] = defaultdict(dict)
    for part in parts:
        for n, members in part.items():
            for r in members:
                comps[n].setdefault(r.id, r)
    ordered = [list(comps[n].values()) for n in sorted(comps)]
    return refine_all(ordered, edges, Judge(model, threshold))


def _band_split(records: Sequence[Signed], part: int, buckets: int) -> list[Banded]:
    return split(band(records, part), buckets)


def _bucket_pairs(pieces: Sequence[Banded], window: float | None) -> dict[tuple[int, int], np.ndarray]:
    return by_partitions(pairs(Banded.concat(pieces), window))


def _group_keys(groups: dict[tuple[int, int], np.ndarray]) -> list[tuple[int, int]]:
    return list(groups)


def _times(records: Sequence[Signed]) -> list[tuple[str, float | None]]:
    return [(r.id, r.time) for r in records]


def chunks(records: Sequence[Signed], n: int) -> Iterator[list[Signed]]:
    """``records`` cut into ``n`` nearly equal runs (tests and benchmarks)."""
    size = -(-len(records) // n) if records else 0
    for i in range(n):
        if records[i * size:(i + 1) * size]:
            yield list(records[i * size:(i + 1) * size])



def refine(members: Sequence[Signed], edges: Iterable[Edge], judge: Judge, recent: int = 5,
           candidates: int = 20) -> list[list[str]]:
    """One component cut by average link, as the index files articles: in time order (then id),
    each article joins the group whose ``recent`` latest members it is on average most probably
    the same story as (at or above the threshold), among the groups of its ``candidates`` most
    probable earlier neighbours (by the component's edges); else it opens a group. The cost is
    bounded by ``candidates * recent`` judgements an article, whatever the component's size."""
    order = sorted(members, key=lambda r: (r.time is None, r.time or 0.0, r.id))
    rank = {r.id: n for n, r in enumerate(order)}
    near: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for e in edges:
        later, earlier = (e.a, e.b) if rank[e.a] > rank[e.b] else (e.b, e.a)
        near[later].append((e.p, earlier))
    groups: list[list[Signed]] = []
    group_of: dict[str, int] = {}
    for r in order:
        known = {i: p for p, i in near.get(r.id, ())}
        best, best_p = None, -1.0
        for g in dict.fromkeys(group_of[i] for i in sorted(known, key=lambda i: (-known[i], i))[:candidates]):
            last = groups[g][-recent:]
            p = math.fsum(known[o.id] if o.id in known else judge.probability(r, o) for o in last) / len(last)
            if p > best_p:
                best, best_p = g, p
        if best is not None and best_p >= judge.threshold:
            groups[best].append(r)
            group_of[r.id] = best
        else:
            group_of[r.id] = len(groups)
            groups.append([r])
    return [[r.id for r in g] for g in groups]
