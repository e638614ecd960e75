"""Sentence-pair stance: does ``b`` agree with, contradict, or say something else than ``a``?

One model for news headlines (ANS), everyday scenes (SICK-ar) and lead/headline pairs (ArbTE):

1. a small *register* classifier (which of the three kinds of text a pair looks like);
2. logistic regressions over sparse features of the pair — character n-grams of ``b``, what
   changed between ``a`` and ``b`` on matching keys (``A:w``, ``B:w``, swaps ``X:w|v``) and the
   character n-grams of the changed words — one over all pairs and one over news pairs only;
3. gradient boosting over the hand features of :mod:`riwaya.models.features` (negation,
   ruling-out, opposite words, numbers, dates, hedging, soft alignment, word order) and the
   word-vector features (our own vectors: how close the changed words are, sentence cosines,
   the changed words' mean-vector difference), stacked with the out-of-fold probabilities of 1–2
   and of a logistic regression over the hand and (sentence-)vector features.

Weights: ``weights/stance.npz`` (arrays: vocabularies, idf, coefficients, tree nodes; card
``stance.md``), scored with numpy (:mod:`riwaya.models.estimators`), and ``weights/stance_vectors.npz``
(:mod:`riwaya.models.wordvectors`, rebuilt by the same training). Training uses scikit-learn.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from riwaya.errors import ModelMissingError
from riwaya.models.estimators import (
    Linear,
    Tfidf,
    Trees,
    dense_rows,
    export_linear,
    export_tfidf,
    export_trees,
    stack_columns,
)
from riwaya.models.features import (
    VECTOR_DIFF_DIMS,
    VECTOR_NAMES,
    Side,
    dense_features,
    diff_tokens,
    explain_pair,
    fold,
    keys,
    pair_vector_features,
    stopwords,
)
from riwaya.models.io import load_npz, save_npz, shipped
from riwaya.models.wordvectors import VECTORS_FILE, Vectors
from riwaya.models.wordvectors import build as build_vectors
from riwaya.models.wordvectors import vectors as load_vectors
from riwaya.resources import CORPUS, WEIGHTS_DIR, derived, load_lines

LABELS = ("agree", "contradict", "neutral")
MODEL_FILE = "stance.npz"
FORMAT = "riwaya.stance/1"
SETS = ("ans", "sick-ar", "arbte")
# The news pairs (:func:`news_pairs`: claim-article sentences, compare evidence lines) as a fourth
# register. Off in the shipped recipe: measured 2026-12 (benchmarks/bench_stance_news.py, CHANGELOG),
# they cost ANS dev agree/contradict F1 (0.776 -> 0.765) and did not make the seeds' or the compare
# contradictions `contradict` (43 news contradictions among 790 news pairs, even weighted).
NEWS_PAIRS = False
NEWS_REGISTERS = (0, len(SETS))  # linear1's pairs: ANS headlines and the news pairs
CLAIM_ARTICLE_TRAIN = "claim-article/unifiedfc-train.jsonl"
COMPARE_TRAIN = "compare/unifiedfc-train.jsonl"
# a compare/ relation as the pair model should read its evidence lines
RELATION_LABELS = {"agreement": "agree", "contradiction_explicit": "contradict",
                   "contradiction_implicit": "contradict", "update": "neutral"}
# claim-article: the article label, as its stance-carrying sentences read against the claim
ARTICLE_LABELS = {"agree": "agree", "disagree": "contradict", "unrelated": "neutral"}
MIN_COVER = 0.3  # a sentence carries the article's stance only if it holds this much of the claim
MAX_KEYS = 80  # longer lines are page furniture or several sentences run together
PER_ARTICLE = {"agree": 2, "contradict": 2, "neutral": 1}
# the four vectorizers: analyzer, n-gram range, preprocessor ("fold", or None: lower-case)
VECTORIZERS = {
    "register_chars": ("char_wb", (2, 3), "fold"),
    "chars": ("char_wb", (2, 4), "fold"),
    "diff": ("tokens", (1, 1), None),
    "diff_chars": ("char_wb", (2, 4), None),
}
LINEAR = ("linear0", "linear1")  # over all pairs, over news pairs only

__all__ = ["LABELS", "evidence_pair", "explain_pair", "load", "news_pairs", "predict_labels", "predict_pairs",
           "train"]


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


class Model:
    """The shipped stance model: vectorizers, linear models, the stacked booster (arrays)."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        meta = json.loads(str(arrays["meta"]))
        if meta.get("format") != FORMAT:
            raise ModelMissingError(f"stance model format {meta.get('format')!r}, expected {FORMAT}")
        self.vectorizers = {
            name: Tfidf.read(arrays, name, analyzer, ngrams, fold if pre == "fold" else None)
            for name, (analyzer, ngrams, pre) in VECTORIZERS.items()}
        self.register = Linear.read(arrays, "register")
        self.linear = [Linear.read(arrays, name) for name in LINEAR]
        self.vector_lr = Linear.read(arrays, "vector_lr")
        self.booster = Trees(arrays, "booster")
        self.mu, self.sd = arrays["mu"], arrays["sd"]
        self.vec_mu, self.vec_sd = arrays["vec_mu"], arrays["vec_sd"]

    def _sparse(self, p: _Pairs) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """The linear models' rows: b's char n-grams, the changed words and their char n-grams,
        the standardised hand features (values in the order of the sparse product's sums)."""
        v = self.vectorizers
        row, col, val, _ = stack_columns([
            v["chars"].transform(p.b), v["diff"].transform(p.diff),
            v["diff_chars"].transform([_changed_text(t) for t in p.diff]),
            dense_rows((p.dense - self.mu) / self.sd)])
        return row, col, val, len(p.b)

    def _register(self, p: _Pairs) -> np.ndarray:
        x = self.vectorizers["register_chars"].transform([f"{a} {b}" for a, b in zip(p.a, p.b, strict=True)])
        return self.register.probabilities(self.register.decision_float32(x))

    def stack(self, p: _Pairs) -> np.ndarray:
        """The booster's input: hand features, register, linear and vector-model probabilities,
        vector features."""
        x = self._sparse(p)
        block = np.hstack([p.dense, p.vec[:, :len(VECTOR_NAMES) - VECTOR_DIFF_DIMS], p.sent])
        block = (block - self.vec_mu) / self.vec_sd
        parts = [p.dense, self._register(p)]
        parts += [lr.probabilities(lr.decision_sparse(*x)) for lr in self.linear]
        parts += [p.vec, self.vector_lr.probabilities(self.vector_lr.decision(block))]
        return np.hstack(parts)

    def probabilities(self, pairs: list[tuple[str, str]], vectors: Vectors) -> np.ndarray:
        """Probabilities (pairs × :data:`LABELS`)."""
        return self.booster.probabilities(self.stack(_Pairs(pairs, vectors)))


@cache
def load(weights_dir: Path = WEIGHTS_DIR) -> Model:
    """The shipped model (loaded once)."""
    path = shipped(weights_dir / MODEL_FILE, "pairs")
    if weights_dir != WEIGHTS_DIR:
        return Model(load_npz(path))
    return Model(derived("stance", lambda: load_npz(path)))  # (arrays unzipped once, on disk)


def _vectors() -> Vectors:
    vectors = load_vectors()  # (the same cached load as the features' default)
    if vectors is None:
        raise ModelMissingError(f"{WEIGHTS_DIR / VECTORS_FILE} missing: run `riwaya train pairs`")
    return vectors


def probabilities(pairs: list[tuple[str, str]]) -> np.ndarray:
    """Unrounded probabilities (pairs × :data:`LABELS`) of the shipped model."""
    return load().probabilities([(a or "", b or "") for a, b in pairs], _vectors())


def predict_pairs(pairs: list[tuple[str, str]]) -> list[dict[str, float]]:
    """Probabilities of agree / contradict / neutral for each ``(a, b)`` pair."""
    if not pairs:
        return []
    return [{lab: round(float(v), 6) for lab, v in zip(LABELS, row, strict=True)}
            for row in probabilities(pairs)]


def predict_labels(pairs: list[tuple[str, str]]) -> list[str]:
    return [max(p, key=p.__getitem__) for p in predict_pairs(pairs)]


def evidence_pair(row: dict) -> tuple[str, str]:
    """A ``compare/`` row's adjudicated evidence as one pair: its ``a_lines`` joined, its
    ``b_lines`` joined (lines of the ``\\n``-separated ``a`` and ``b``)."""
    a, b = row["a"].split("\n"), row["b"].split("\n")
    return (" ".join(a[i].strip() for i in row["a_lines"]), " ".join(b[i].strip() for i in row["b_lines"]))


# --------------------------------------------------------------------------- training
def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def train(data_dir: Path, out_dir: Path, folds: int = 3) -> dict:
    """Fit the whole stack on the three ``pairs/*-train`` sets (and the word vectors first, where
    the corpus is there); deterministic: fixed seeds and order, one thread for the native libraries."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return _train(data_dir, out_dir, folds)


def _train(data_dir: Path, out_dir: Path, folds: int) -> dict:
    rows, register = training_rows(data_dir)
    report = {}
    if (data_dir / CORPUS).exists():
        report = build_vectors(data_dir, out_dir)
    vecs = load_vectors(out_dir)
    if vecs is None:
        raise ModelMissingError(f"{out_dir / 'stance_vectors.npz'} missing and no corpus to build it from")
    save_npz(out_dir / MODEL_FILE, export(fit_rows(rows, register, vecs, folds)))
    load.cache_clear()
    load_vectors.cache_clear()
    return {**report, "train_pairs": len(rows), "file": MODEL_FILE,
            "size_bytes": (out_dir / MODEL_FILE).stat().st_size}


def fit_rows(rows: list[dict], register: list[int], vecs: Vectors, folds: int = 3) -> dict[str, Any]:
    """:func:`fit` on the rows of :func:`training_rows` (the news pairs' labels balanced, where
    there are any): the fitted scikit-learn stack, as ``riwaya train pairs`` exports it."""
    p = _Pairs([(r["a"], r["b"]) for r in rows], vecs)
    y = np.array([LABELS.index(r["label"]) for r in rows])
    reg = np.array(register)
    weighted = news_weights(y, reg) if (reg == len(SETS)).any() else None
    return fit(p, y, reg, folds, sample_weight=weighted)


def training_rows(data_dir: Path, news: bool = NEWS_PAIRS) -> tuple[list[dict], list[int]]:
    """The training pairs (``a``, ``b``, ``label``) and the register of each (its set's index
    in :data:`SETS`; with ``news``, the news pairs of :func:`news_pairs` last)."""
    rows, register = [], []
    for i, name in enumerate(SETS):
        part = _read(data_dir / "pairs" / f"{name}-train.jsonl")
        rows += part
        register += [i] * len(part)
    extra = news_pairs(data_dir) if news else []
    return rows + extra, register + [len(SETS)] * len(extra)


# cues the news pairs look for beyond the lexicon (kept out of it: the shipped claim-article model
# counts the lexicon's words; a claim-article rebuild with them in it scored dev macro-F1 0.489,
# without 0.440, the shipped file 0.499: CHANGELOG)
NEWS_CUES = ("الخبر كاذب", "كاذب", "كاذبة", "عار عن الصحة", "عارية عن الصحة", "لا أساس له من الصحة")


@cache
def _refutation() -> tuple[str, ...]:
    """Folded words and phrases an article uses to call a claim false (``data/stance_refutation.txt``
    and :data:`NEWS_CUES`)."""
    return tuple(fold(w) for w in (*load_lines("stance_refutation.txt"), *NEWS_CUES))


def refutes(sentence: str) -> bool:
    """Whether a sentence holds a refutation cue («نفى»، «الخبر كاذب»، «شائعة»، «عار عن الصحة» ...)."""
    folded = fold(sentence)
    return any(w in folded for w in _refutation())


def _content(text: str) -> set[str]:
    stop = stopwords()
    return {k for k in keys(text) if k not in stop and len(k) > 1}


def stance_sentences(claim: str, lines: list[str], label: str, rationale: Iterable[int] = ()) -> list[int]:
    """The lines of an article that carry its ``label`` (``agree``, ``contradict``, ``neutral``)
    towards ``claim``: lines holding at least :data:`MIN_COVER` of the claim's content words (and
    at most :data:`MAX_KEYS` words), most of the claim first, at most :data:`PER_ARTICLE`; for
    ``contradict`` only lines with a refutation cue or among the corpus's ``rationale`` lines
    (cue lines first), for ``agree`` only lines without a cue."""
    ck = _content(claim)
    if not ck:
        return []
    marked = set(rationale)
    scored = []
    for i, line in enumerate(lines):
        lk = keys(line)
        if not lk or len(lk) > MAX_KEYS:
            continue
        cover = len(ck & set(lk)) / len(ck)
        cue = refutes(line)
        if cover < MIN_COVER or (label == "agree" and cue) or (
                label == "contradict" and not (cue or i in marked)):
            continue
        scored.append((label == "contradict" and not cue, -cover, i))
    return [i for *_, i in sorted(scored)[:PER_ARTICLE[label]]]


def news_pairs(data_dir: Path) -> list[dict]:
    """Training pairs that look like news (train splits only):

    - claim ↔ the stance-carrying sentences (:func:`stance_sentences`) of each UnifiedFC train
      article: ``agree`` articles give agree pairs, ``disagree`` ones contradict pairs (sentences
      with a refutation cue, then the corpus's rationale lines), ``unrelated`` ones neutral pairs
      (the sentence closest to the claim);
    - each ``compare/`` train pair's adjudicated evidence lines (:func:`evidence_pair`), both
      ways round, read as :data:`RELATION_LABELS` says (an update is a later state, not a
      contradiction: neutral).
    """
    out: list[dict] = []
    for r in _read(data_dir / CLAIM_ARTICLE_TRAIN):
        label = ARTICLE_LABELS.get(r["label"])
        if label is None:
            continue
        lines = r["article"].split("\n")
        for i in stance_sentences(r["claim"], lines, label, r.get("rationale_sentences") or ()):
            out.append({"id": f"{r['id']}:{i}", "a": r["claim"], "b": lines[i].strip(), "label": label})
    for r in _read(data_dir / COMPARE_TRAIN):
        label = RELATION_LABELS.get(r["relation"])
        if label is None or not (r["a_lines"] and r["b_lines"]):
            continue
        a, b = evidence_pair(r)
        out += [{"id": f"{r['id']}:ab", "a": a, "b": b, "label": label},
                {"id": f"{r['id']}:ba", "a": b, "b": a, "label": label}]
    return out


def news_weights(y: np.ndarray, register_y: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Sample weights: 1 for the pairs of :data:`SETS`; the news pairs' labels balanced (each
    label's news pairs weigh ``scale`` × the news pairs' count / 3 in all), so that the few news
    contradictions count."""
    w = np.ones(len(y))
    news = register_y == len(SETS)
    for c in range(len(LABELS)):
        mask = news & (y == c)
        if mask.any():
            w[mask] = scale * news.sum() / (len(LABELS) * mask.sum())
    return w


def fit(p: _Pairs, y: np.ndarray, register_y: np.ndarray, folds: int = 3,
        sample_weight: np.ndarray | None = None) -> dict[str, Any]:
    """The fitted stack (scikit-learn objects and arrays, as :func:`export` takes them);
    ``sample_weight`` weighs the pairs' labels in every fit but the register's."""
    import scipy.sparse as sp
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    skf = StratifiedKFold(folds, shuffle=True, random_state=0)
    sw = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)

    def weights(mask: np.ndarray | None = None) -> dict[str, Any]:  # no weights: scikit-learn's own path
        return {} if sw is None else {"sample_weight": sw if mask is None else sw[mask]}

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

    def sparse(x_dense: np.ndarray):  # the linear models' rows, as Model._sparse builds them
        return sp.hstack([
            model["chars"].transform(p.b), model["diff"].transform(p.diff),
            model["diff_chars"].transform([_changed_text(t) for t in p.diff]),
            sp.csr_matrix((x_dense - model["mu"]) / model["sd"])]).tocsr()

    def probas(fitted: Any, x: Any) -> np.ndarray:
        out = np.zeros((x.shape[0], len(LABELS)))
        out[:, fitted.classes_] = fitted.predict_proba(x)
        return out

    x = sparse(p.dense)
    linear, oofs = [], []
    for mask in (np.ones(len(y), bool), np.isin(register_y, NEWS_REGISTERS)):
        full = lr(3).fit(x[mask], y[mask], **weights(mask))
        oof = probas(full, x)
        part = cross_val_predict(lr(3), x[mask], y[mask], cv=skf, method="predict_proba",
                                 params=weights(mask))
        oof[np.ix_(mask, full.classes_)] = part
        linear.append(full)
        oofs.append(oof)
    model["linear"] = linear
    block = np.hstack([p.dense, p.vec[:, :len(VECTOR_NAMES) - VECTOR_DIFF_DIMS], p.sent])
    model["vec_mu"], model["vec_sd"] = block.mean(0), block.std(0) + 1e-6
    block = (block - model["vec_mu"]) / model["vec_sd"]
    model["vector_lr"] = LogisticRegression(C=0.3, max_iter=3000).fit(block, y, **weights())
    vector_oof = cross_val_predict(LogisticRegression(C=0.3, max_iter=3000), block, y, cv=skf,
                                   method="predict_proba", params=weights())
    # a third of the features at each split: best of four settings by out-of-fold train F1
    booster = HistGradientBoostingClassifier(max_iter=400, learning_rate=0.05, max_features=0.3,
                                             random_state=0)
    booster.fit(np.hstack([p.dense, reg_oof, *oofs, p.vec, vector_oof]), y, **weights())
    model["booster"] = booster
    return model


def export(model: dict[str, Any]) -> dict[str, np.ndarray]:
    """The arrays of ``stance.npz`` from the fitted scikit-learn objects of :func:`train`."""
    meta = {"format": FORMAT, "labels": list(LABELS), "vectorizers": VECTORIZERS, "linear": list(LINEAR)}
    arrays: dict[str, np.ndarray] = {"meta": np.array(json.dumps(meta, sort_keys=True))}
    for name, (analyzer, ngrams, pre) in VECTORIZERS.items():
        v = model[name]
        if (v.analyzer if analyzer == "char_wb" else "tokens") != analyzer or (
                analyzer == "char_wb" and (tuple(v.ngram_range) != ngrams
                                           or (v.preprocessor is not None) != (pre == "fold"))):
            raise ValueError(f"stance: vectorizer {name} is not set as VECTORIZERS says")
        arrays.update(export_tfidf(v, name))
    arrays.update(export_linear(model["register"], "register"))
    for name, fitted in zip(LINEAR, model["linear"], strict=True):
        arrays.update(export_linear(fitted, name))
    arrays.update(export_linear(model["vector_lr"], "vector_lr"))
    for name in ("mu", "sd", "vec_mu", "vec_sd"):
        arrays[name] = np.asarray(model[name], dtype=np.float64)
    arrays.update(export_trees(model["booster"], "booster"))
    return arrays
