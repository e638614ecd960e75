"""Sentence-pair stance: does ``b`` agree with, contradict, or say something else than ``a``?

One model for news headlines (ANS), everyday scenes (SICK-ar) and lead/headline pairs (ArbTE):

1. a small *register* classifier (which of the three kinds of text a pair looks like);
2. logistic regressions over sparse features of the pair — character n-grams of ``b``, what
   changed between ``a`` and ``b`` on matching keys (``A:w``, ``B:w``, swaps ``X:w|v``) and the
   character n-grams of the changed words — one over all pairs and one over news pairs only;
3. gradient boosting over the hand features of :mod:`riwaya.comparison.features` (negation,
   ruling-out, opposite words, numbers, dates, hedging, soft alignment, word order) and the
   word-vector features (our own vectors: how close the changed words are, sentence cosines,
   the changed words' mean-vector difference), stacked with the out-of-fold probabilities of 1–2
   and of a logistic regression over the hand and (sentence-)vector features.

Weights: ``weights/stance.pkl.gz`` (scikit-learn objects, our own file; see ``stance.md``) and
``weights/stance_vectors.npz`` (:mod:`riwaya.comparison.wordvectors`, rebuilt by the same training).
"""

from __future__ import annotations

import gzip
import json
import pickle
from functools import cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from threadpoolctl import ThreadpoolController

from riwaya.comparison.features import (
    VECTOR_DIFF_DIMS,
    VECTOR_NAMES,
    Side,
    dense_features,
    diff_tokens,
    explain_pair,
    fold,
    pair_vector_features,
)
from riwaya.comparison.wordvectors import Vectors
from riwaya.comparison.wordvectors import build as build_vectors
from riwaya.comparison.wordvectors import vectors as load_vectors
from riwaya.errors import ModelMissingError
from riwaya.resources import WEIGHTS_DIR, load_pickle

LABELS = ("agree", "contradict", "neutral")
MODEL_FILE = "stance.pkl.gz"
SETS = ("ans", "sick-ar", "arbte")

__all__ = ["LABELS", "explain_pair", "predict_labels", "predict_pairs", "train"]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _changed_text(tokens: list[str]) -> str:
    a = " ".join(t[2:] for t in tokens if t.startswith("A:"))
    b = " ".join("ب" + t[2:] for t in tokens if t.startswith("B:"))
    return f"{a} | {b}"


class _Pairs:
    """The pair read once: sides, dense features, change tokens."""

    def __init__(self, pairs: list[tuple[str, str]], vectors: Vectors | None = None):
        self.a = [a for a, _ in pairs]
        self.b = [b for _, b in pairs]
        read: dict[str, Side] = {}  # a claim or sentence met in many pairs is read once
        for text in (*self.a, *self.b):
            if text not in read:
                read[text] = Side.read(text)
        sides = [(read[a], read[b]) for a, b in pairs]
        dense = [dense_features(x, y) for x, y in sides]
        self.dense = np.array(dense, dtype=np.float64).reshape(len(pairs), -1)
        both = [pair_vector_features(x, y, vectors) for x, y in sides]
        if vectors is not None:
            vectors.forget()
        self.vec = np.array([v for v, _ in both], dtype=np.float64).reshape(len(pairs), -1)
        self.sent = np.array([s for _, s in both], dtype=np.float64).reshape(len(pairs), -1)
        self.diff = [diff_tokens(x, y) for x, y in sides]


class _Vectorizer:
    """A fitted ``TfidfVectorizer`` whose analyzer is built once, not at every ``transform``.

    Counting follows ``CountVectorizer._count_vocab``; the tf-idf step is the vectorizer's own
    transformer, so the output is the same matrix.
    """

    def __init__(self, vectorizer):
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary = vectorizer.vocabulary_
        self.dtype = vectorizer.dtype
        self.tfidf = vectorizer._tfidf

    def transform(self, docs: list) -> sp.csr_matrix:
        """Rows of ``docs``; a document met again (a sentence in many pairs) is analysed once."""
        row_of: dict = {}
        rows = [row_of.setdefault(tuple(d) if isinstance(d, list) else d, len(row_of)) for d in docs]
        x = self._transform_distinct([d if not isinstance(d, tuple) else list(d) for d in row_of])
        return x if len(row_of) == len(docs) else x[rows]

    def _transform_distinct(self, docs: list) -> sp.csr_matrix:
        vocabulary, indices, values, indptr = self.vocabulary, [], [], [0]
        for doc in docs:
            counts: dict[int, int] = {}
            for feature in self.analyze(doc):
                j = vocabulary.get(feature)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            indices.extend(counts)
            values.extend(counts.values())
            indptr.append(len(indices))
        x = sp.csr_matrix((np.array(values, dtype=np.intc), np.array(indices, dtype=np.int32),
                           np.array(indptr, dtype=np.int32)),
                          shape=(len(docs), len(vocabulary)), dtype=self.dtype)
        x.sort_indices()
        return self.tfidf.transform(x, copy=False)


@cache
def _vectorizers() -> dict[str, _Vectorizer]:
    model = _model()
    return {name: _Vectorizer(model[name]) for name in ("chars", "diff", "diff_chars", "register_chars")}


@cache
def _threadpools() -> ThreadpoolController:
    """The native thread pools, found once (a scan of the loaded libraries costs ~3 ms)."""
    return ThreadpoolController()


def _sparse(model: dict, p: _Pairs, vec: dict | None = None) -> sp.csr_matrix:
    vec = vec or model
    dense = (p.dense - model["mu"]) / model["sd"]
    return sp.hstack([
        vec["chars"].transform(p.b),
        vec["diff"].transform(p.diff),
        vec["diff_chars"].transform([_changed_text(t) for t in p.diff]),
        sp.csr_matrix(dense),
    ]).tocsr()


def _register(model: dict, p: _Pairs, vec: dict | None = None) -> np.ndarray:
    vec = vec or model
    return model["register"].predict_proba(vec["register_chars"].transform(
        [f"{a} {b}" for a, b in zip(p.a, p.b, strict=True)]))


def _probas(lr, x) -> np.ndarray:
    out = np.zeros((x.shape[0], len(LABELS)))
    out[:, lr.classes_] = lr.predict_proba(x)
    return out


def _vector_block(model: dict, p: _Pairs) -> np.ndarray:
    """Input of the word-vector logistic regression: hand, vector and sentence-vector features."""
    x = np.hstack([p.dense, p.vec[:, :len(VECTOR_NAMES) - VECTOR_DIFF_DIMS], p.sent])
    return (x - model["vec_mu"]) / model["vec_sd"]


def _stack(model: dict, p: _Pairs, vec: dict | None = None) -> np.ndarray:
    x = _sparse(model, p, vec)
    parts = [p.dense, _register(model, p, vec)] + [_probas(lr, x) for lr in model["linear"]] + [p.vec]
    parts.append(_probas(model["vector_lr"], _vector_block(model, p)))
    return np.hstack(parts)


@cache
def _model() -> dict:
    path = WEIGHTS_DIR / MODEL_FILE
    if not path.exists():
        raise ModelMissingError(f"{path} missing: run `riwaya train pairs`")
    with gzip.open(path, "rb") as f:
        return load_pickle(f)  # our own shipped file, never user input


def predict_pairs(pairs: list[tuple[str, str]]) -> list[dict[str, float]]:
    """Probabilities of agree / contradict / neutral for each ``(a, b)`` pair."""
    if not pairs:
        return []
    model = _model()
    vectors = load_vectors()
    if vectors is None:
        raise ModelMissingError(f"{WEIGHTS_DIR / 'stance_vectors.npz'} missing: run `riwaya train pairs`")
    p = _Pairs([(a or "", b or "") for a, b in pairs], vectors)
    vec = _vectorizers()
    with _threadpools().limit(limits=1):  # OpenMP threads only spin on a busy machine: one core is faster
        probs = model["booster"].predict_proba(_stack(model, p, vec))
    out = np.zeros((len(pairs), len(LABELS)))
    out[:, model["booster"].classes_] = probs
    return [{lab: round(float(v), 6) for lab, v in zip(LABELS, row, strict=True)} for row in out]


def predict_labels(pairs: list[tuple[str, str]]) -> list[str]:
    return [max(p, key=p.get) for p in predict_pairs(pairs)]


# --------------------------------------------------------------------------- training
def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def train(data_dir: Path, out_dir: Path, folds: int = 3) -> dict:
    """Fit the whole stack on the three ``pairs/*-train`` sets; deterministic, single-threaded."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    rows, register = [], []
    for i, name in enumerate(SETS):
        part = _read(data_dir / "pairs" / f"{name}-train.jsonl")
        rows += part
        register += [i] * len(part)
    register_y = np.array(register)
    y = np.array([LABELS.index(r["label"]) for r in rows])
    report = {}
    if (data_dir / "corpus" / "saudinewsnet.jsonl.gz").exists():
        report = build_vectors(data_dir, out_dir)
    vecs = load_vectors(out_dir)
    if vecs is None:
        raise ModelMissingError(f"{out_dir / 'stance_vectors.npz'} missing and no corpus to build it from")
    p = _Pairs([(r["a"], r["b"]) for r in rows], vecs)
    skf = StratifiedKFold(folds, shuffle=True, random_state=0)

    def lr(c: float) -> LogisticRegression:
        return LogisticRegression(C=c, max_iter=2000, tol=1e-3)

    reg_chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), min_df=3, sublinear_tf=True,
                                max_features=15000, preprocessor=fold, dtype=np.float32)
    xr = reg_chars.fit_transform([f"{a} {b}" for a, b in zip(p.a, p.b, strict=True)])
    reg_model = lr(10).fit(xr, register_y)
    reg_oof = cross_val_predict(lr(10), xr, register_y, cv=skf, method="predict_proba")

    model: dict = {
        "register_chars": reg_chars, "register": reg_model,
        "chars": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True,
                                 max_features=25000, preprocessor=fold, dtype=np.float32).fit(p.b),
        "diff": TfidfVectorizer(analyzer=_identity, min_df=1, sublinear_tf=True,
                                dtype=np.float32).fit(p.diff),
        "diff_chars": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True,
                                      max_features=25000, dtype=np.float32).fit(
            [_changed_text(t) for t in p.diff]),
        "mu": p.dense.mean(0), "sd": p.dense.std(0) + 1e-6,
    }
    for name in ("chars", "diff", "diff_chars"):
        model[name].stop_words_ = None  # the pruned vocabulary is not needed to transform
    x = _sparse(model, p)
    linear, oofs = [], []
    for mask in (np.ones(len(y), bool), register_y == 0):
        full = lr(3).fit(x[mask], y[mask])
        oof = _probas(full, x)
        part = cross_val_predict(lr(3), x[mask], y[mask], cv=skf, method="predict_proba")
        oof[np.ix_(mask, full.classes_)] = part
        linear.append(full)
        oofs.append(oof)
    model["linear"] = linear
    block = np.hstack([p.dense, p.vec[:, :len(VECTOR_NAMES) - VECTOR_DIFF_DIMS], p.sent])
    model["vec_mu"], model["vec_sd"] = block.mean(0), block.std(0) + 1e-6
    block = _vector_block(model, p)
    model["vector_lr"] = LogisticRegression(C=0.3, max_iter=3000).fit(block, y)
    vector_oof = cross_val_predict(LogisticRegression(C=0.3, max_iter=3000), block, y, cv=skf,
                                   method="predict_proba")
    # a third of the features at each split: best of four settings by out-of-fold train F1
    booster = HistGradientBoostingClassifier(max_iter=400, learning_rate=0.05, max_features=0.3,
                                             random_state=0)
    booster.fit(np.hstack([p.dense, reg_oof, *oofs, p.vec, vector_oof]), y)
    model["booster"] = booster
    # mtime=0: no time stamp in the gzip header, so a rebuild is byte-identical
    with gzip.GzipFile(out_dir / MODEL_FILE, "wb", compresslevel=9, mtime=0) as f:
        pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
    _model.cache_clear()
    _vectorizers.cache_clear()
    load_vectors.cache_clear()
    return {**report, "train_pairs": len(y), "file": MODEL_FILE,
            "size_bytes": (out_dir / MODEL_FILE).stat().st_size}
