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
    The sentences run side by side, longest first, so each step is a few numpy operations for
    all the sentences still running.
    """
    lens = np.asarray(lengths, dtype=np.intp)
    out = np.zeros(len(scores), dtype=np.intp)
    starts = (np.cumsum(lens) - lens)[lens > 0]
    lens = lens[lens > 0]
    if not len(lens):
        return out
    order = np.argsort(-lens, kind="stable")
    starts, lens = starts[order], lens[order]
    longest, n = int(lens[0]), len(lens)
    at = starts + np.arange(longest)[:, None]  # (step, sentence) → token; past the end: clipped
    inside = np.arange(longest)[:, None] < lens
    em = scores[np.minimum(at, len(scores) - 1)]
    running = np.searchsorted(-lens, -np.arange(longest), side="left").tolist()  # longer than t
    back = np.empty((longest, n, scores.shape[1]), dtype=np.intp)
    last = np.empty((n, scores.shape[1]))
    score = em[0]
    for t in range(1, longest):
        a = running[t]
        if a < len(score):
            last[a:len(score)] = score[a:]
            score = score[:a]
        cand = score[:, :, None] + trans
        back[t, :a] = cand.argmax(axis=1)
        score = cand.max(axis=1)
        score += em[t, :a]
    last[:len(score)] = score
    y = last.argmax(axis=1)
    path = np.empty((longest, n), dtype=np.intp)
    path[lens - 1, np.arange(n)] = y
    rows = np.arange(n)
    for t in range(longest - 1, 0, -1):
        a = running[t]
        y[:a] = back[t, rows[:a], y[:a]]
        path[t - 1, :a] = y[:a]
    out[at[inside]] = path[inside]
    return out
