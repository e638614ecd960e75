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


def viterbi(scores: np.ndarray, lengths: list[int], trans: np.ndarray) -> np.ndarray:
    """Best label index of every token of several sentences laid end to end in ``scores``.

    ``scores`` is (tokens × labels); ``lengths`` the sentences' lengths (they sum to the tokens).
    The forward pass runs the sentences side by side (sentences on the last, contiguous axis),
    three numpy calls a step; the back pointers are found afterwards for all tokens at once (the
    first predecessor whose sum equals the stored best) and followed back in plain Python. Same
    sums, same comparisons and same ties (the first best label) as a plain Viterbi.
    """
    total = len(scores)
    lens = [m for m in lengths if m]
    if not lens:
        return np.zeros(total, dtype=np.intp)
    starts, pos = [], 0
    for m in lengths:
        if m:
            starts.append(pos)
        pos += m
    longest, n, labels = max(lens), len(lens), trans.shape[0]
    size = np.array(lens)
    at = np.minimum(np.array(starts) + np.arange(longest)[:, None], total - 1)  # (step, sentence)
    em = scores[at].transpose(0, 2, 1).copy()  # (step, label, sentence); past the end: unused
    alpha = np.empty((longest, labels, n))
    alpha[0] = em[0]
    high = np.empty((longest, labels, n))  # the best predecessor's sum, before the state score
    cand = np.empty((labels, labels, n))
    tt = np.ascontiguousarray(np.broadcast_to(trans[:, :, None], cand.shape))
    add, best = np.add, np.maximum.reduce  # the ufuncs themselves: no Python wrapper a step
    for t in range(1, longest):
        add(alpha[t - 1][:, None, :], tt, out=cand)
        h = high[t]
        best(cand, axis=0, out=h)
        add(h, em[t], out=alpha[t])
    # back pointers of every token (sentence by sentence): the first predecessor label whose sum
    # equals the best one (the same sums as above, so equality is exact)
    tok = np.flatnonzero((np.arange(longest) < size[:, None]).ravel())  # sentence * longest + step
    step, sent = tok % longest, tok // longest
    prev = alpha[np.maximum(step - 1, 0), :, sent]  # (tokens, label)
    top = high[step, :, sent]
    back_of = np.zeros(top.shape, dtype=np.intp)
    for i in range(labels - 1, -1, -1):
        np.copyto(back_of, i, where=(prev[:, i, None] + trans[i]) == top)
    back = back_of.ravel().tolist()  # [token * labels + label]
    final = alpha[size - 1, :, np.arange(n)].argmax(axis=1).tolist()
    path = [0] * len(tok)
    end = 0
    for m, y in zip(lens, final, strict=True):
        end += m
        i = end - 1
        path[i] = y
        while i > end - m:
            y = back[i * labels + y]
            i -= 1
            path[i] = y
    if len(path) == total:
        return np.array(path, dtype=np.intp)
    out = np.zeros(total, dtype=np.intp)
    out[np.concatenate([np.arange(s, s + m) for s, m in zip(starts, lens, strict=True)])] = path
    return out
