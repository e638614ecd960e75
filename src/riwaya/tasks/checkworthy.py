"""Check-worthiness: is this statement one a fact-checker would triage first?

A char + word TF-IDF and logistic regression trained on CLEF CheckThat! 2022 task 1A (Arabic
tweets). The weights are stored as plain arrays (vocabulary, idf, coefficients), not a pickle:
``checkworthy.npz`` + ``checkworthy.json`` in ``riwaya/weights``. :func:`scores` is what the claims
stage calls, once per article with all its claim texts.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import numpy as np

from riwaya.resources import WEIGHTS_DIR

DATA = {
    "train": ["checkworthy/checkthat2022-1a-train.jsonl"],
    "dev": ["checkworthy/checkthat2022-1a-dev.jsonl"],
}
KEY = "label"
NAME = "checkworthy"

_URL = re.compile(r"https?://\S+|www\.\S+")
_USER = re.compile(r"@\w+")
_DIGITS = re.compile(r"[0-9\u0660-\u0669]+")
_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ؤ": "ء", "ئ": "ء"})

# Feature settings (tuned on dev; see the model card).
CHAR_NGRAMS = (2, 4)
WORD_NGRAMS = (1, 2)
MAX_CHAR = 20000
MAX_WORD = 5000
C = 0.5


def preprocess(text: str) -> str:
    """Tweets and news sentences alike: links, handles and digits as placeholders, letters folded."""
    text = _URL.sub(" URL ", text)
    text = _USER.sub(" USER ", text)
    text = _DIGITS.sub("0", text)
    return _MARKS.sub("", text).translate(_FOLD).lower()


def _vectorizers(char_vocab=None, word_vocab=None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    char = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True,
                           min_df=2, max_features=MAX_CHAR, vocabulary=char_vocab, dtype=np.float32)
    word = TfidfVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, sublinear_tf=True,
                           min_df=2, max_features=MAX_WORD, token_pattern=r"(?u)\b\w+\b",
                           vocabulary=word_vocab, dtype=np.float32)
    return char, word


class Model:
    """The shipped model: two vectorizers and a linear scorer."""

    def __init__(self, char, word, coef: np.ndarray, intercept: float, threshold: float):
        self.char, self.word = char, word
        self.coef, self.intercept, self.threshold = coef, intercept, threshold

    def decision(self, texts: list[str]) -> np.ndarray:
        from scipy.sparse import hstack

        clean = [preprocess(t) for t in texts]
        x = hstack([self.char.transform(clean), self.word.transform(clean)]).tocsr()
        return x @ self.coef + self.intercept

    def proba(self, texts: list[str]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision(texts)))


@cache
def load(weights_dir: Path = WEIGHTS_DIR) -> Model:
    meta = json.loads((weights_dir / f"{NAME}.json").read_text(encoding="utf-8"))
    arrays = np.load(weights_dir / f"{NAME}.npz")
    char_vocab = {t: i for i, t in enumerate(meta["char_vocabulary"])}
    word_vocab = {t: i for i, t in enumerate(meta["word_vocabulary"])}
    char, word = _vectorizers(char_vocab, word_vocab)
    char.idf_ = arrays["char_idf"].astype(np.float64)
    word.idf_ = arrays["word_idf"].astype(np.float64)
    coef = arrays["coef"].astype(np.float32)
    return Model(char, word, coef, float(meta["intercept"]), float(meta["threshold"]))


def scores(texts: list[str]) -> list[float]:
    """Probability that each text is check-worthy (one batch)."""
    if not texts:
        return []
    return [float(p) for p in load().proba(texts)]


def predict(rows: list[dict]) -> list[dict]:
    model = load()
    texts = [str(r.get("text", "")) for r in rows]
    dec = model.decision(texts)
    threshold = np.log(model.threshold / (1 - model.threshold))
    return [{"id": r["id"], KEY: int(d >= threshold)} for r, d in zip(rows, dec, strict=True)]


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _f1_pos(gold: list[int], pred: list[int]) -> float:
    tp = sum(g == 1 and p == 1 for g, p in zip(gold, pred, strict=True))
    fp = sum(g == 0 and p == 1 for g, p in zip(gold, pred, strict=True))
    fn = sum(g == 1 and p == 0 for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def train(data_dir: Path, out_dir: Path) -> dict:
    """Fit on ``train``, pick the decision threshold on ``dev``, write the weights."""
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    train_rows = [r for f in DATA["train"] for r in _read(data_dir / f)]
    dev_rows = [r for f in DATA["dev"] for r in _read(data_dir / f)]
    char, word = _vectorizers()
    texts = [preprocess(r["text"]) for r in train_rows]
    y = np.array([int(r["label"]) for r in train_rows])
    x = hstack([char.fit_transform(texts), word.fit_transform(texts)]).tocsr()
    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced", solver="liblinear")
    clf.fit(x, y)

    coef = clf.coef_[0].astype(np.float32)
    char_vocab = sorted(char.vocabulary_, key=char.vocabulary_.get)
    word_vocab = sorted(word.vocabulary_, key=word.vocabulary_.get)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_dir / f"{NAME}.npz", coef=coef, char_idf=char.idf_.astype(np.float32),
                        word_idf=word.idf_.astype(np.float32))
    meta = {"intercept": float(clf.intercept_[0]), "threshold": 0.5,
            "char_vocabulary": char_vocab, "word_vocabulary": word_vocab}

    # Tune the probability threshold on dev (a coarse grid keeps it from overfitting 235 rows).
    model = Model(*_vectorizers({t: i for i, t in enumerate(char_vocab)},
                                {t: i for i, t in enumerate(word_vocab)}),
                  coef, meta["intercept"], 0.5)
    model.char.idf_, model.word.idf_ = char.idf_, word.idf_
    dev_gold = [int(r["label"]) for r in dev_rows]
    dev_p = model.proba([r["text"] for r in dev_rows])
    f1_at = {t: _f1_pos(dev_gold, [int(p >= t) for p in dev_p]) for t in (0.3, 0.35, 0.4, 0.45, 0.5)}
    best = max(f1_at, key=lambda t: (f1_at[t], -abs(t - 0.5)))
    meta["threshold"] = best
    (out_dir / f"{NAME}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    load.cache_clear()
    return {"train_rows": len(train_rows), "dev_rows": len(dev_rows), "threshold": best,
            "dev_f1_label_1_by_threshold": f1_at, "dev_f1_label_1": f1_at[best],
            "features": len(char_vocab) + len(word_vocab)}
