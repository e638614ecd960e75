"""A linear-chain CRF's weights and exact Viterbi decoding of many sentences at once, in numpy.

The weights come from a python-crfsuite model (read exactly from its feature table) and ship as
``weights/ner.npz``: label names, attribute names, the state weights (attribute × label) and the
label transitions. Decoding breaks ties as crfsuite does (the first best label wins), so it gives
crfsuite's tags for the same state scores.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class Weights:
    """A trained CRF: label names, attribute → row, state weights and label transitions."""

    labels: list[str]
    attrs: dict[str, int]
    state: np.ndarray  # (attributes, labels)
    trans: np.ndarray  # (from label, to label)

    def save(self, path: Path) -> None:
        names = sorted(self.attrs, key=self.attrs.__getitem__)
        with open(path, "wb") as f:  # given a path, numpy would add ".npz" to any other suffix
            np.savez_compressed(f, labels=np.array(self.labels), attrs=np.array("\n".join(names)),
                                state=self.state, trans=self.trans)

    @classmethod
    def read(cls, path: Path) -> Weights:
        with np.load(path) as z:
            names = str(z["attrs"]).split("\n")
            return cls([str(x) for x in z["labels"]], {a: i for i, a in enumerate(names)},
                       z["state"].astype(np.float64), z["trans"].astype(np.float64))

    @classmethod
    def from_crfsuite(cls, path: Path) -> Weights:
        """The exact weights of a python-crfsuite model file."""
        import pycrfsuite

        t = pycrfsuite.Tagger()
        t.open(str(path))
        info = t.info()  # label and attribute ids; its weights are rounded, so read the table
        labels = sorted(info.labels, key=lambda x: int(info.labels[x]))
        attrs = {a: int(i) for a, i in info.attributes.items()}
        data = Path(path).read_bytes()
        off = struct.unpack_from("<I", data, 28)[0]  # header: offset of the feature chunk
        chunk, _, count = struct.unpack_from("<4sII", data, off)
        if chunk != b"FEAT":
            raise ValueError(f"{path}: not a crfsuite CRF1d model")
        rec = np.frombuffer(data, count=count, offset=off + 12, dtype=np.dtype(
            [("type", "<i4"), ("src", "<i4"), ("dst", "<i4"), ("w", "<f8")]))
        state = np.zeros((len(attrs), len(labels)))
        trans = np.zeros((len(labels), len(labels)))
        s, tr = rec[rec["type"] == 0], rec[rec["type"] == 1]
        state[s["src"], s["dst"]] = s["w"]
        trans[tr["src"], tr["dst"]] = tr["w"]
        return cls(labels, attrs, state, trans)


_STEPWISE = 40  # sentences a step (on average) from which the back pass goes step by step


def viterbi(scores: np.ndarray, lengths: list[int], trans: np.ndarray) -> np.ndarray:
    """Best label index of every token of several sentences laid end to end in ``scores``.

    ``scores`` is (tokens × labels); ``lengths`` the sentences' lengths (they sum to the tokens).
    The sentences run side by side, longest first, so that the ones still going at a step are a
    prefix of those going at the step before: tokens are packed step by step (step ``t`` holds
    the ``k[t]`` sentences longer than ``t``), labels on the first axis and tokens on the
    contiguous one, and each step of the forward pass is three numpy calls over its own ``k[t]``
    sentences only (no padding, however long the batch's longest sentence). The back pointers are
    found afterwards (the first predecessor whose sum equals the stored best): for a few
    sentences, for all tokens at once, then followed token by token; for many, step by step
    along the best paths of all the sentences together. Same sums, same comparisons and same ties (the first
    best label) as a plain Viterbi.
    """
    total = len(scores)
    size = np.array(lengths, dtype=np.intp)
    keep = np.flatnonzero(size)
    if not len(keep):
        return np.zeros(total, dtype=np.intp)
    starts = (np.cumsum(size) - size)[keep]
    size = size[keep]
    order = np.argsort(-size, kind="stable")  # longest first
    size, starts = size[order], starts[order]
    n, longest, labels = len(size), int(size[0]), trans.shape[0]
    steps = np.arange(longest)
    k = np.searchsorted(-size, -steps, side="left")  # sentences going at each step (size > t)
    first = np.cumsum(k) - k  # each step's first packed token
    packed = int(first[-1] + k[-1])
    # packed token → token: its sentence (its index less its step's first) plus its step
    at = starts[np.arange(packed) - np.repeat(first, k)] + np.repeat(steps, k)
    k_list = k.tolist()
    off = [*first.tolist(), packed]
    em = np.ascontiguousarray(scores.take(at, axis=0).T)  # (label, packed token)
    alpha = np.empty((labels, packed))
    high = np.empty((labels, packed))  # the best predecessor's sum, before the state score
    alpha[:, :n] = em[:, :n]
    buf = np.empty(labels * labels * n)
    tt = np.ascontiguousarray(np.broadcast_to(trans[:, :, None], (labels, labels, n)))
    add, best = np.add, np.maximum.reduce  # the ufuncs themselves: no Python wrapper a step
    views: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # per number of sentences going
    for t in range(1, longest):
        m, a, b = k_list[t], off[t - 1], off[t]
        if m not in views:
            views[m] = buf[:labels * labels * m].reshape(labels, labels, m), tt[:, :, :m]
        cand, tm = views[m]
        add(alpha[:, None, a:a + m], tm, out=cand)
        h = high[:, b:b + m]
        best(cand, axis=0, out=h)
        add(h, em[:, b:b + m], out=alpha[:, b:b + m])
    last = np.array(off)[size - 1] + np.arange(n)  # each sentence's last packed token
    y = alpha[:, last].argmax(axis=0)  # (sentence)
    # back pointers: the first predecessor label whose sum equals the best one (the same sums as
    # above, so equality is exact)
    if packed < _STEPWISE * longest:  # few sentences a step: all pointers, then token by token
        step_of = np.repeat(steps, k)[n:]
        prev = alpha[:, np.arange(n, packed) - k[step_of - 1]]  # (label, token)
        top = high[:, n:]
        back = np.zeros((labels, packed - n), dtype=np.intp)  # (label at the token, token)
        for i in range(labels - 1, -1, -1):
            np.copyto(back, i, where=(prev[i] + trans[i][:, None]) == top)
        pointers, ends, width = back.ravel().tolist(), y.tolist(), packed - n
        walk = [0] * packed
        for j, m in enumerate(size.tolist()):
            y_ = ends[j]
            for t in range(m - 1, 0, -1):
                p = off[t] + j
                walk[p] = y_
                y_ = pointers[y_ * width + p - n]
            walk[j] = y_
        path = np.array(walk, dtype=np.intp)
    else:  # step by step, all the sentences still going at once, pointers of the path only
        path = np.empty(packed, dtype=np.intp)
        cols = np.arange(n)
        for t in range(longest - 1, 0, -1):
            m, a, b = k_list[t], off[t - 1], off[t]
            ym = y[:m]
            path[b:b + m] = ym
            y[:m] = ((alpha[:, a:a + m] + trans[:, ym]) == high[ym, b + cols[:m]]).argmax(axis=0)
        path[:n] = y
    out = np.zeros(total, dtype=np.intp)
    out[at] = path
    return out
