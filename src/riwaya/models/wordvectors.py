"""Word vectors on matching keys, trained by us: PPMI of a co-occurrence window, truncated SVD.

Trained on SaudiNewsNet (``corpus/saudinewsnet.jsonl.gz``, CC BY-NC-SA 4.0) plus the sentences of
the ``pairs/*-train`` sets (everyday-scene words the news corpus lacks). Stored as unit vectors
quantised to int8 (``weights/stance_vectors.npz``; card ``stance_vectors.md``). Used by the
stance features for soft alignment: how close a word only in one text is to the words only in
the other (a synonym, an opposite, or something unrelated).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import numpy as np

from riwaya.resources import CORPUS, WEIGHTS_DIR, derived, restore

VECTORS_FILE = "stance_vectors.npz"
VOCAB = 30000
DIMS = 96
WINDOW = 4
MIN_COUNT = 5


class Vectors:
    """Unit word vectors by key (float32 in memory); unknown keys have none."""

    def __init__(self, words: list[str], matrix: np.ndarray, counts: np.ndarray):
        self.index = {w: i for i, w in enumerate(words)}
        self.matrix = matrix
        # idf-like weight from corpus frequency; unknown (rarer than the vocabulary) keys get the most
        self.weight = np.log(float(counts.sum()) / np.maximum(counts, 1)).astype(np.float32)
        self.unknown_weight = float(np.log(float(counts.sum()) / max(int(counts.min()) - 1, 1)))

        self._texts: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def rows(self, ks: Iterable[str]) -> np.ndarray:
        """Vectors of the known keys among ``ks`` (shape ``(n, DIMS)``; unknown ones skipped)."""
        idx = [self.index[k] for k in ks if k in self.index]
        return self.matrix[idx]

    def forget(self) -> None:
        """Drop the texts kept by :meth:`text` (one batch of pairs shares them, not the next)."""
        self._texts.clear()

    def text(self, ks: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows, mean and weight-averaged vector of a text's sorted content keys, kept for reuse
        (a sentence met in many pairs); zero vectors when none is known."""
        got = self._texts.get(ks)
        if got is None:
            if len(self._texts) > 50_000:
                self._texts.clear()
            idx = [self.index[k] for k in ks if k in self.index]
            rows = self.matrix[idx]
            if idx:
                w = self.weight[idx]
                got = (rows, rows.mean(0), (rows * w[:, None]).sum(0) / max(float(w.sum()), 1e-6))
            else:
                zero = np.zeros(self.matrix.shape[1], dtype=np.float32)
                got = (rows, zero, zero)
            self._texts[ks] = got
        return got


@cache
def vectors(directory: Path | None = None) -> Vectors | None:
    """The shipped vectors (or those in ``directory``); ``None`` when the file is absent."""
    path = (directory or WEIGHTS_DIR) / VECTORS_FILE
    if not path.exists():
        return None

    def read() -> Vectors:
        with np.load(path, allow_pickle=False) as z:
            words = z["words"].tolist()
            q = z["vectors"].astype(np.float32)
            counts = z["counts"]
        norms = np.linalg.norm(q, axis=1, keepdims=True)
        return Vectors(words, q / np.maximum(norms, 1e-6), counts)

    if directory is not None:
        return read()
    return restore(Vectors, derived("stance-vectors", lambda: vars(read())))  # (disk cache)


# --------------------------------------------------------------------------- training
def _corpus_texts(data_dir: Path) -> Iterator[str]:
    with gzip.open(data_dir / CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                yield r.get("title") or ""
                yield r.get("text") or ""
    seen: set[str] = set()
    for path in sorted((data_dir / "pairs").glob("*-train.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    for t in (r.get("a"), r.get("b")):
                        if isinstance(t, str) and t not in seen:
                            seen.add(t)
                            yield t


def _usable(k: str) -> bool:
    return len(k) >= 2 and not k[:1].isdigit()


def build(data_dir: Path, out_dir: Path) -> dict:
    """Fit the vectors (deterministic) and write ``stance_vectors.npz``."""
    import scipy.sparse as sp
    from sklearn.utils.extmath import randomized_svd

    from riwaya.models.features import keys

    docs = [keys(t) for t in _corpus_texts(data_dir)]
    counts = Counter(k for d in docs for k in d if _usable(k))
    vocab = [w for w, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if c >= MIN_COUNT][:VOCAB]
    index = {w: i for i, w in enumerate(vocab)}
    n = len(vocab)
    rows, cols, vals = [], [], []
    for d in docs:
        ids = np.array([index.get(k, -1) for k in d], dtype=np.int64)
        for off in range(1, WINDOW + 1):
            x, y = ids[:-off], ids[off:]
            ok = (x >= 0) & (y >= 0)
            if ok.any():
                rows.append(x[ok])
                cols.append(y[ok])
                vals.append(np.full(int(ok.sum()), 1.0 / off, dtype=np.float32))
    r, c, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    co = sp.coo_matrix((v, (r, c)), shape=(n, n)).tocsr()
    co = (co + co.T).tocsr()
    total = co.sum()
    row_sum = np.asarray(co.sum(1)).ravel()
    ctx = np.asarray(co.sum(0)).ravel() ** 0.75
    ctx /= ctx.sum()
    co = co.tocoo()
    pmi = np.log(co.data * 1.0 / (row_sum[co.row] / total) / ctx[co.col] / total)
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep].astype(np.float32), (co.row[keep], co.col[keep])), shape=(n, n))
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # the SVD's sums in one order, whatever the machine's cores
        u, s, _ = randomized_svd(ppmi, DIMS, n_iter=5, random_state=0)
    emb = u * np.sqrt(s)
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-6)
    q = np.clip(np.round(emb * 127), -127, 127).astype(np.int8)
    path = out_dir / VECTORS_FILE
    freq = np.array([counts[w] for w in vocab], dtype=np.int32)
    np.savez_compressed(path, words=np.array(vocab), vectors=q, counts=freq)
    vectors.cache_clear()
    return {"vectors_words": n, "vectors_dims": DIMS, "vectors_bytes": path.stat().st_size}
