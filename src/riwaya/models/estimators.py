"""Fitted estimators held as plain arrays, scored with numpy alone.

Training fits scikit-learn estimators (the ``train`` extra); ``export_*`` turns each into arrays
for a model file, and the classes here score with numpy, repeating scikit-learn's arithmetic
(dtypes, summation order, memory layout) so that their outputs are scikit-learn's to the last bit,
not merely close: a probability that feeds a tree's threshold must land on the same side of it.

- :func:`logistic`, :func:`softmax`: the one logistic and softmax every model uses;
- :class:`StandardLogistic`: a logistic regression over standardised signals (JSON weights);
- :class:`Tfidf`: a fitted ``TfidfVectorizer`` (char_wb n-grams or given tokens; sublinear tf,
  smoothed idf, l2 norm, float32) as a vocabulary and an idf vector;
- :class:`Linear`: a ``LogisticRegression`` (coefficients, intercepts) over dense or sparse rows;
- :class:`Trees`: a ``HistGradientBoostingClassifier`` as node arrays, evaluated for all trees at
  once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np

from riwaya.models.io import text_array, text_items


# --------------------------------------------------------------------------- logistic, softmax
@overload
def logistic(z: float) -> float: ...
@overload
def logistic(z: np.ndarray) -> np.ndarray: ...
def logistic(z: float | np.ndarray) -> float | np.ndarray:
    """``1 / (1 + e^-z)``: of a number (``math.exp``) or element-wise of an array (``np.exp``)."""
    if isinstance(z, np.ndarray):
        return 1 / (1 + np.exp(-z))
    try:
        return 1 / (1 + math.exp(-z))
    except OverflowError:  # z below about -709
        return 0.0


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax as scikit-learn computes it (a copy in ``z``'s memory order)."""
    x = np.array(z, copy=True)
    x -= np.max(x, axis=1).reshape((-1, 1))
    np.exp(x, out=x)
    x /= np.sum(x, axis=1).reshape((-1, 1))
    return x


@dataclass(frozen=True, slots=True)
class StandardLogistic:
    """``σ(b + Σ w·(x − μ)/s)``: a logistic regression over standardised signals, stored as JSON
    (``weights``, ``means``, ``scales``, ``intercept``)."""

    weights: tuple[float, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    intercept: float

    @classmethod
    def of(cls, model: Mapping[str, Any]) -> StandardLogistic:
        return cls(tuple(model["weights"]), tuple(model["means"]), tuple(model["scales"]),
                   float(model["intercept"]))

    def probability(self, signals: Sequence[float]) -> float:
        """Of one signal vector."""
        z = self.intercept + sum(w * (x - m) / sd for w, x, m, sd in
                                 zip(self.weights, signals, self.means, self.scales, strict=True))
        return logistic(z)

    def probabilities(self, columns: Iterable[np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
        """Of many at once: ``columns`` yields one array of ``shape`` per signal, in order."""
        z = np.full(shape, self.intercept)
        for w, m, sd, x in zip(self.weights, self.means, self.scales, columns, strict=True):
            z += w * (x - m) / sd
        return logistic(z)


# --------------------------------------------------------------------------- sparse rows
@dataclass(frozen=True, slots=True)
class Rows:
    """Sparse rows in CSR form: row ``i`` holds ``data[indptr[i]:indptr[i+1]]`` at those
    ``indices``, in the order its sums take them (as scikit-learn leaves them: ascending, except
    for :func:`batch_tfidf`'s)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    width: int

    @property
    def row_of(self) -> np.ndarray:
        """The row of each stored value."""
        return np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))

    def take(self, rows: np.ndarray) -> Rows:
        """These rows, in this order."""
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        at = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return Rows(indptr, self.indices[at], self.data[at], self.width)


def hstack_rows(blocks: Sequence[Rows]) -> Rows:
    """Blocks side by side (``scipy.sparse.hstack`` of CSR blocks): each row's values block by
    block, in their order."""
    row = np.concatenate([b.row_of for b in blocks])
    offsets = np.cumsum([0] + [b.width for b in blocks])
    cols = np.concatenate([b.indices + off for b, off in zip(blocks, offsets[:-1], strict=True)])
    data = np.concatenate([b.data for b in blocks])
    order = np.argsort(row, kind="stable")
    n = len(blocks[0].indptr) - 1
    indptr = np.concatenate(([0], np.cumsum(np.bincount(row, minlength=n))))
    return Rows(indptr, cols[order], data[order], int(offsets[-1]))


def dense_rows(x: np.ndarray) -> Rows:
    """The nonzero entries of a dense matrix as :class:`Rows` (what ``csr_matrix(x)`` keeps)."""
    nz = x != 0
    indptr = np.concatenate(([0], np.cumsum(nz.sum(1))))
    return Rows(indptr, np.nonzero(nz)[1], x[nz], x.shape[1])


def stack_columns(blocks: Sequence[Rows]) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """``scipy.sparse.hstack`` of blocks as ``(row of each value, column, value as float64,
    width)``: each row's values in block order, ascending within a block."""
    rows, cols, vals, offset = [], [], [], 0
    for b in blocks:
        rows.append(b.row_of)
        cols.append(b.indices.astype(np.int64) + offset)
        vals.append(b.data.astype(np.float64))
        offset += b.width
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), offset


# --------------------------------------------------------------------------- tf-idf
_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's: runs of two or more


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """``TfidfVectorizer(analyzer="char_wb")``'s n-grams: inside space-padded words; a word
    shorter than ``n`` counted once, whole."""
    out: list[str] = []
    append = out.append
    for w in _WHITE_SPACES.sub(" ", text).split():
        w = " " + w + " "
        size = len(w)
        for n in range(low, high + 1):
            offset = 0
            append(w[offset:offset + n])
            while offset + n < size:
                offset += 1
                append(w[offset:offset + n])
            if offset == 0:
                break
    return out


class Tfidf:
    """A fitted ``TfidfVectorizer(sublinear_tf=True, norm="l2", dtype=float32)``.

    ``analyzer``: ``"char_wb"`` (texts; ``preprocessor`` applied first, else lower-casing) or
    ``"tokens"`` (each document already a list of tokens).
    """

    def __init__(self, vocabulary: list[str], idf: np.ndarray, analyzer: str,
                 ngram_range: tuple[int, int] = (1, 1), preprocessor: Callable[[str], str] | None = None):
        self.vocabulary = {term: i for i, term in enumerate(vocabulary)}
        self.idf = idf.astype(np.float32)
        self.analyzer, self.ngram_range, self.preprocessor = analyzer, ngram_range, preprocessor

    def analyze(self, doc: Any) -> list[str]:
        if self.analyzer == "tokens":
            return list(doc)
        text = self.preprocessor(doc) if self.preprocessor else doc.lower()
        return char_wb_ngrams(text, *self.ngram_range)

    def transform(self, docs: Sequence[Any]) -> Rows:
        """Rows of ``docs``; a document met again (a sentence in many pairs) is analysed once."""
        row_of: dict = {}
        rows = [row_of.setdefault(tuple(d) if isinstance(d, list) else d, len(row_of)) for d in docs]
        x = self._transform_distinct(list(row_of))
        return x if len(row_of) == len(docs) else x.take(np.array(rows, dtype=np.int64))

    def _transform_distinct(self, docs: list) -> Rows:
        vocabulary, indices, counts, indptr = self.vocabulary, [], [], [0]
        for doc in docs:
            seen: dict[int, int] = {}
            for feature in self.analyze(doc):
                j = vocabulary.get(feature)
                if j is not None:
                    seen[j] = seen.get(j, 0) + 1
            for j in sorted(seen):
                indices.append(j)
                counts.append(seen[j])
            indptr.append(len(indices))
        ptr = np.array(indptr, dtype=np.int64)
        cols = np.array(indices, dtype=np.int64)
        data = np.array(counts, dtype=np.float32)
        # TfidfTransformer.transform: log(tf) + 1, times idf, then each row / its l2 norm, where
        # the norm sums float32 squares in a double, value by value
        np.log(data, data)
        data += 1.0
        data *= self.idf[cols]
        row = np.repeat(np.arange(len(docs)), np.diff(ptr))
        norm = np.sqrt(np.bincount(row, weights=(data * data).astype(np.float64), minlength=len(docs)))
        data = (data.astype(np.float64) / norm[row]).astype(np.float32)  # (a row's norm is > 0)
        return Rows(ptr, cols, data, len(vocabulary))

    @classmethod
    def read(cls, arrays: Mapping[str, np.ndarray], prefix: str, analyzer: str, ngram_range: Sequence[int],
             preprocessor: Callable[[str], str] | None) -> Tfidf:
        low, high = ngram_range
        return cls(text_items(arrays[f"{prefix}.vocabulary"]), arrays[f"{prefix}.idf"], analyzer,
                   (int(low), int(high)), preprocessor)


def export_tfidf(vectorizer: Any, prefix: str) -> dict[str, np.ndarray]:
    """Arrays of a fitted ``TfidfVectorizer`` of the kind :class:`Tfidf` scores."""
    p = vectorizer.get_params()
    if not (p["sublinear_tf"] and p["use_idf"] and p["smooth_idf"] and p["norm"] == "l2"
            and p["dtype"] is np.float32 and not p["binary"] and p["strip_accents"] is None
            and p["stop_words"] is None):
        raise ValueError(f"{prefix}: a TfidfVectorizer setting Tfidf does not reproduce")
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    return {f"{prefix}.vocabulary": text_array(vocabulary),
            f"{prefix}.idf": vectorizer.idf_.astype(np.float32)}


# --------------------------------------------------------------------------- logistic regression
class Linear:
    """A fitted ``LogisticRegression``: ``coef`` (classes × features) and ``intercept``, in the
    dtype it was fitted in (float32 on float32 rows)."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray):
        self.coef, self.intercept = coef, intercept

    def decision(self, x: np.ndarray) -> np.ndarray:
        """Margins of dense rows (``x @ coef.T + intercept``, as scikit-learn computes them)."""
        scores = x @ self.coef.T + self.intercept
        return scores.reshape(-1) if scores.shape[1] == 1 else scores

    def decision_sparse(self, row: np.ndarray, col: np.ndarray, val: np.ndarray, n: int) -> np.ndarray:
        """Margins (rows × classes) of sparse float64 rows given as values in row order (each
        row's values in the order scipy's CSR product sums them, one by one from zero)."""
        out = np.empty((n, self.coef.shape[0]))
        for k in range(self.coef.shape[0]):
            out[:, k] = np.bincount(row, weights=val * self.coef[k, col], minlength=n)
        return out + self.intercept

    def decision_float32(self, x: Rows) -> np.ndarray:
        """Margins of float32 CSR rows under float32 coefficients: each row's products added in
        float32, one by one from zero, as scipy's CSR product does for float32 operands."""
        n, k = len(x.indptr) - 1, self.coef.shape[0]
        lengths = np.diff(x.indptr)
        width = int(lengths.max()) if n else 0
        padded = np.zeros((n, width, k), dtype=np.float32)
        pos = np.arange(len(x.indices)) - np.repeat(x.indptr[:-1], lengths)
        padded[x.row_of, pos] = x.data[:, None] * self.coef[:, x.indices].T
        acc = np.zeros((n, k), dtype=np.float32)
        for j in range(width):
            acc += padded[:, j]
        return acc + self.intercept

    @staticmethod
    def probabilities(scores: np.ndarray) -> np.ndarray:
        """Class probabilities of a multinomial model from its margins (rows × classes)."""
        return softmax(scores)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}.coef": self.coef, f"{prefix}.intercept": self.intercept}

    @classmethod
    def read(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> Linear:
        return cls(arrays[f"{prefix}.coef"], arrays[f"{prefix}.intercept"])


def export_linear(model: Any, prefix: str) -> dict[str, np.ndarray]:
    """Arrays of a fitted ``LogisticRegression`` whose classes are ``0..k-1``."""
    if list(model.classes_) != list(range(len(model.classes_))):
        raise ValueError(f"{prefix}: classes {list(model.classes_)} are not 0..k-1")
    # the coefficients keep their memory order: ``x @ coef.T`` must make the same BLAS call
    return Linear(np.asarray(model.coef_), np.asarray(model.intercept_)).arrays(prefix)


# --------------------------------------------------------------------------- gradient-boosted trees
class Trees:
    """A fitted ``HistGradientBoostingClassifier`` (numeric features only) as node arrays.

    All trees' nodes lie end to end (``left``/``right`` index them); ``roots`` is iterations ×
    trees per iteration. A row goes right where its value is above the threshold, or is NaN and
    missing values go right. Raw scores start from ``baseline`` and add each iteration's leaf
    values in order, as scikit-learn sums them.

    All rows walk all trees at once, one step down at a time: a leaf leads to itself (threshold
    +inf, both children itself), and the trees are walked deepest first so that each step moves
    only the trees deeper than it.
    """

    def __init__(self, arrays: Mapping[str, np.ndarray], prefix: str):
        def get(name: str) -> np.ndarray:
            return arrays[f"{prefix}.{name}"]

        leaf = get("leaf").astype(bool)
        itself = np.arange(len(leaf))
        left = np.where(leaf, itself, get("left")).astype(np.intp)
        right = np.where(leaf, itself, get("right")).astype(np.intp)
        self._children = np.stack((left, right), axis=1).reshape(-1).astype(np.int32)  # 2n: left, 2n+1: right
        self._feature = np.where(leaf, 0, get("feature")).astype(np.int32)
        self._threshold = np.where(leaf, np.inf, get("threshold"))
        self._missing_right = ~get("missing_left").astype(bool) & ~leaf
        self._value, self._baseline = get("value"), get("baseline")
        self._shape = get("roots").shape
        roots = get("roots").reshape(-1).astype(np.intp)
        depth = np.zeros(len(roots), dtype=np.intp)  # of each tree, level by level from the roots
        frontier, tree, level = roots, np.arange(len(roots)), 0
        while len(frontier):
            depth[tree] = level
            inner = ~leaf[frontier]
            frontier, tree = frontier[inner], np.tile(tree[inner], 2)
            frontier = np.concatenate((left[frontier], right[frontier]))
            level += 1
        self._order = np.argsort(-depth, kind="stable")
        self._unorder = np.argsort(self._order, kind="stable")
        self._roots = roots[self._order].astype(np.int32)
        self._moving = [int(np.count_nonzero(depth > k)) for k in range(int(depth.max(initial=0)))]

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Raw scores (rows × trees per iteration)."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        n, width = x.shape
        iterations, per = self._shape
        flat = x.reshape(-1)
        offsets = (np.arange(n, dtype=np.int32 if n * width < 1 << 31 else np.intp) * width)[:, None]
        node = np.broadcast_to(self._roots, (n, len(self._roots))).copy()
        missing = bool(np.isnan(x).any())
        for moving in self._moving:  # the trees deeper than this step
            at = node[:, :moving]
            value = flat[offsets + self._feature[at]]
            right = value > self._threshold[at]
            if missing:  # (NaN > t is False)
                right = np.where(np.isnan(value), self._missing_right[at], right)
            node[:, :moving] = self._children[2 * at + right]
        leaves = self._value[node[:, self._unorder]].reshape(n, iterations, per)
        raw = np.zeros((n, per), order="F")  # scikit-learn's layout: its softmax sums follow it
        raw += self._baseline
        for i in range(iterations):
            raw += leaves[:, i, :]
        return raw

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities: softmax of the raw scores."""
        return softmax(self.raw(x))

_TREE_ARRAYS = ("feature", "threshold", "left", "right", "leaf", "missing_left", "value", "roots", "baseline")


def export_trees(model: Any, prefix: str) -> dict[str, np.ndarray]:
    """Arrays of a fitted ``HistGradientBoostingClassifier`` with classes ``0..k-1``, numeric
    features and no preprocessing step (what :class:`Trees` scores)."""
    if list(model.classes_) != list(range(len(model.classes_))):
        raise ValueError(f"{prefix}: classes {list(model.classes_)} are not 0..k-1")
    if model.is_categorical_ is not None or getattr(model, "_preprocessor", None) is not None:
        raise ValueError(f"{prefix}: categorical features are not exported")
    if model.n_trees_per_iteration_ < 2:
        raise ValueError(f"{prefix}: a binary booster (scored by expit) is not exported")
    parts: dict[str, list[np.ndarray]] = {k: [] for k in _TREE_ARRAYS[:7]}
    roots: list[list[int]] = []
    offset = 0
    for iteration in model._predictors:
        roots.append([])
        for predictor in iteration:
            nodes = predictor.nodes
            roots[-1].append(offset)
            parts["feature"].append(nodes["feature_idx"].astype(np.int32))
            parts["threshold"].append(nodes["num_threshold"].astype(np.float64))
            parts["left"].append((nodes["left"].astype(np.int64) + offset).astype(np.int32))
            parts["right"].append((nodes["right"].astype(np.int64) + offset).astype(np.int32))
            parts["leaf"].append(nodes["is_leaf"].astype(bool))
            parts["missing_left"].append(nodes["missing_go_to_left"].astype(bool))
            parts["value"].append(nodes["value"].astype(np.float64))
            offset += len(nodes)
    out = {f"{prefix}.{k}": np.concatenate(v) for k, v in parts.items()}
    out[f"{prefix}.roots"] = np.array(roots, dtype=np.int32)
    out[f"{prefix}.baseline"] = np.asarray(model._baseline_prediction, dtype=np.float64).reshape(-1)
    return out


# --------------------------------------------------------------------------- fitted on the batch
def l2_rows(x: Rows) -> Rows:
    """Each row over its l2 norm (``sklearn.preprocessing.normalize`` of CSR rows: the squares
    summed value by value in a double; an empty row left as it is)."""
    data = x.data.astype(np.float64)
    row = x.row_of
    norm = np.sqrt(np.bincount(row, weights=data * data, minlength=len(x.indptr) - 1))
    return Rows(x.indptr, x.indices, data / norm[row], x.width)


def batch_tfidf(docs: Sequence[Sequence[str]], min_df: int = 1) -> Rows:
    """``TfidfVectorizer(analyzer=<tokens as given>, sublinear_tf=True, min_df=min_df)
    .fit_transform(docs)``: float64 rows, values in the order scikit-learn leaves them (by each
    term's first appearance in the batch; columns numbered by sorted term). ValueError when no
    term is kept, as scikit-learn raises."""
    vocabulary: dict[str, int] = {}
    indptr, indices, counts = [0], [], []
    for doc in docs:
        seen: dict[int, int] = {}
        for token in doc:
            j = vocabulary.setdefault(token, len(vocabulary))
            seen[j] = seen.get(j, 0) + 1
        for j in sorted(seen):
            indices.append(j)
            counts.append(seen[j])
        indptr.append(len(indices))
    if not vocabulary:
        raise ValueError("empty vocabulary")
    ptr, cols = np.array(indptr, dtype=np.int64), np.array(indices, dtype=np.int64)
    data = np.array(counts, dtype=np.float64)
    df = np.bincount(cols, minlength=len(vocabulary))
    keep = (df <= 1.0 * len(docs)) & (df >= min_df)
    if not keep.any():
        raise ValueError("After pruning, no terms remain")
    terms = sorted(t for t, j in vocabulary.items() if keep[j])
    column = np.full(len(vocabulary), -1, dtype=np.int64)
    column[[vocabulary[t] for t in terms]] = np.arange(len(terms))
    kept = keep[cols]
    row = np.repeat(np.arange(len(docs)), np.diff(ptr))[kept]
    ptr = np.concatenate(([0], np.cumsum(np.bincount(row, minlength=len(docs)))))
    cols, data = column[cols[kept]], data[kept]
    doc_freq = np.bincount(cols, minlength=len(terms)).astype(np.float64) + 1
    idf = np.full_like(doc_freq, fill_value=len(docs) + 1, dtype=np.float64)
    idf /= doc_freq
    np.log(idf, out=idf)
    idf += 1.0
    np.log(data, data)
    data += 1.0
    data *= idf[cols]
    return l2_rows(Rows(ptr, cols, data, len(terms)))


def l2_dense(x: np.ndarray) -> np.ndarray:
    """``sklearn.preprocessing.normalize`` of dense rows (a copy)."""
    norms = np.sqrt(np.einsum("ij,ij->i", x, x))
    norms[norms < 10 * np.finfo(norms.dtype).eps] = 1.0
    return x / norms[:, None]


def average_link(distance: np.ndarray, threshold: float) -> list[int]:
    """Labels of ``AgglomerativeClustering(metric="precomputed", linkage="average",
    distance_threshold=threshold)``: scipy's average-link tree of the upper triangle
    (:mod:`riwaya.linkage`), with the merges below ``threshold`` made (the groups are
    scikit-learn's; their numbering may differ)."""
    from riwaya.linkage import linkage, squareform

    n = len(distance)
    tree = linkage(squareform(distance, checks=False), method="average")
    merges = n - (int(np.count_nonzero(tree[:, 2] >= threshold)) + 1)
    members: dict[int, list[int]] = {k: [k] for k in range(n)}
    for step in range(merges):
        a, b = int(tree[step, 0]), int(tree[step, 1])
        members[n + step] = members.pop(a) + members.pop(b)
    labels = [0] * n
    for label, leaves in enumerate(members.values()):
        for leaf in leaves:
            labels[leaf] = label
    return labels
