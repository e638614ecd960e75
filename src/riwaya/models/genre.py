"""Genre: is an article an opinion piece (a column, an editorial) rather than a report?

A column is not an event report: two columns on one topic, or a column and the news it comments
on, are not one story, and the store's grouping keeps them apart
(:class:`riwaya.comparison.stories.StoryIndex`). A logistic regression over style features of
the text layer, none of them a topic word: how often each function word, reporting verb and
first-person word occurs (``data/genre_first_person.txt``), first-person clitics (-ني, -نا),
exclamation and question marks, ellipses, quotation marks, numbers, a dateline in the lead, a
rhetorical title, and the length.

Labels come from the outlets' own sections in SaudiNewsNet: an ``alwatan`` article under
``/Articles/`` and a ``3alyoum`` one under ``/opinion/`` is a column, every other article of
those two outlets is not, but for alwatan's readers' and debate sections, left out (weak
labels: no article is read). Weights: ``weights/genre.json``
(a :class:`~riwaya.models.estimators.StandardLogistic` with its feature names and threshold;
card ``genre.md``).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from riwaya.errors import ModelMissingError
from riwaya.models.estimators import StandardLogistic
from riwaya.models.io import shipped
from riwaya.resources import CORPUS, WEIGHTS_DIR, load_lines
from riwaya.text.normalize import key
from riwaya.text.stopwords import reporting_verbs, stopwords

if TYPE_CHECKING:
    from riwaya.model import Document

NAME = "genre"
MODEL_FILE = "genre.json"
FORMAT = "riwaya.genre/1"
DATA = {"train": [CORPUS], "dev": [CORPUS]}
DEV_EVERY = 5  # every 5th labelled article (in corpus order) is dev, never trained on
MIN_PRECISION = 0.9  # the threshold: the lowest probability at which train's out-of-fold precision holds this
C = 0.1
MIN_DOC_SHARE = 0.05  # a function word counted one by one is in this share of training texts or more
DIGITS = 8  # significant digits kept of each fitted number
CAP = 20.0  # rates of marks and numbers per 100 words above this read as this (tables, lists)
_ARABIC = re.compile("[\u0621-\u064a]")
UNSURE_SECTIONS = ("Citizen_Journalist", "Discussion", "Dialogue")  # readers' pieces, debates: left out
FIRST_PERSON_CLITICS = ("ني", "نا")
_DATELINE = re.compile(r"^\W{0,3}[^\W\d]{2,}(?:\s+[^\W\d]+){0,3}\s*(?:[-–—:،]|\()")
STYLE = ["first_person", "first_person_clitics", "reporting", "exclaim", "question", "ellipsis",
         "quotes", "numbers", "dateline", "title_rhetorical", "log_tokens"]


@cache
def _first_person() -> frozenset[str]:
    return frozenset(key(w) for w in load_lines("genre_first_person.txt"))


@cache
def function_words() -> tuple[str, ...]:
    """The Arabic words that may be counted one by one: the text layer's function words and
    reporting verbs, and the first-person words, as keys (sorted). A model keeps those common
    enough in its training texts (:data:`MIN_DOC_SHARE`)."""
    words = stopwords() | reporting_verbs() | _first_person()
    return tuple(sorted(w for w in words if w and _ARABIC.search(w)))


def feature_names(words: Iterable[str]) -> list[str]:
    return [f"w:{w}" for w in words] + STYLE


def features(doc: Document, words: tuple[str, ...]) -> list[float]:
    """The style features of one :class:`~riwaya.model.Document`, over its Arabic words (an
    English caption is not the column's style): rates per 100 words of each of ``words`` and
    of the :data:`STYLE` cues."""
    text = doc.article.text
    arabic = [t for t in doc.tokens if t.kind == "word" and _ARABIC.search(t.key)]
    n = max(len(arabic), 1)
    per = 100.0 / n
    index = _word_index(words)
    counts = [0.0] * len(words)
    first = reporting = clitics = 0
    fp, rv = _first_person(), reporting_verbs()
    for t in arabic:
        i = index.get(t.key)
        if i is not None:
            counts[i] += per
        first += t.key in fp
        reporting += t.key in rv
        clitics += t.suffix in FIRST_PERSON_CLITICS
    numbers = sum(t.kind in ("number", "percent") for t in doc.tokens)
    title = (doc.article.title or "").strip()
    style = [first * per, clitics * per, reporting * per, min(text.count("!") * per, CAP),
             min((text.count("؟") + text.count("?")) * per, CAP),
             min((text.count("..") + text.count("…")) * per, CAP),
             min(sum(text.count(q) for q in '"«»“”') * per, CAP), min(numbers * per, CAP),
             float(bool(_DATELINE.match(text.lstrip()[:60]))),
             float(title.endswith(("!", "؟", "?", "..", "…"))), math.log(n)]
    return counts + style


@cache
def _word_index(words: tuple[str, ...]) -> dict[str, int]:
    return {w: i for i, w in enumerate(words)}


@cache
def load() -> dict[str, Any]:
    """The shipped model (``weights/genre.json``)."""
    path = shipped(WEIGHTS_DIR / MODEL_FILE, NAME)
    model = json.loads(path.read_text(encoding="utf-8"))
    model["words"] = tuple(model["words"])
    if model.get("format") != FORMAT or model.get("features") != feature_names(model["words"]):
        raise ModelMissingError(f"{path}: not this version's model: run `riwaya train {NAME}`")
    return model


@cache
def _scorer() -> StandardLogistic:
    return StandardLogistic.of(load())


def opinion_probability(doc: Document) -> float:
    """The probability that the article of ``doc`` is an opinion piece."""
    return _scorer().probability(features(doc, load()["words"]))


def is_opinion(doc: Document) -> bool:
    """Whether ``doc``'s article reads as an opinion piece (probability at the shipped threshold)."""
    return opinion_probability(doc) >= float(load()["threshold"])


# --------------------------------------------------------------------------- training
def weak_label(row: dict) -> bool | None:
    """A corpus row's label from its outlet's section (None: an outlet without one)."""
    url = str(row.get("url") or "")
    if row.get("source") == "alwatan":
        if any(f"/{part}/" in url for part in UNSURE_SECTIONS):
            return None
        return "/Articles/" in url
    if row.get("source") == "3alyoum":
        return "/opinion/" in url
    return None


def labelled_rows(data_dir: Path) -> list[tuple[dict, bool]]:
    with gzip.open(data_dir / CORPUS, "rt", encoding="utf-8") as f:
        rows = (json.loads(line) for line in f if line.strip())
        return [(r, y) for r in rows if (y := weak_label(r)) is not None]


def documents(rows: Iterable[dict]) -> list[Document]:
    """The text layer of rows ``{id, text, title?}`` (a corpus row, a ``genre`` task row)."""
    from riwaya.model import Article
    from riwaya.text import build_document

    return [build_document(Article(id=str(r["id"]), text=str(r.get("text") or ""), title=r.get("title")))
            for r in rows]


def _fit(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    fit = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit((x - means) / scales, y)
    return {"weights": _digits(fit.coef_[0]), "means": _digits(means), "scales": _digits(scales),
            "intercept": _digits(fit.intercept_)[0]}


def _digits(values: Any) -> list[float]:
    """Floats to :data:`DIGITS` significant digits: the solver's and numpy's last bits depend on
    the CPU's vector kernels, these digits do not, so a rebuild gives the shipped bytes."""
    return [float(f"{float(v):.{DIGITS}g}") for v in values]


def _probabilities(model: dict[str, Any], x: np.ndarray) -> np.ndarray:
    scorer = StandardLogistic.of(model)
    return scorer.probabilities(list(x.T), (len(x),))


def _threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The lowest probability (0.05 steps) whose precision reaches :data:`MIN_PRECISION`."""
    for t in np.arange(0.5, 0.999, 0.05):
        flagged = p >= t
        if flagged.any() and y[flagged].mean() >= MIN_PRECISION:
            return round(float(t), 2)
    return 0.95


def _figures(p: np.ndarray, y: np.ndarray, threshold: float, rounds: int = 1000) -> dict[str, Any]:
    def prf(pp: np.ndarray, yy: np.ndarray) -> tuple[float, float, float]:
        flagged = pp >= threshold
        tp = float((flagged & yy).sum())
        prec = tp / max(flagged.sum(), 1)
        rec = tp / max(yy.sum(), 1)
        return prec, rec, 2 * prec * rec / max(prec + rec, 1e-12)

    rng = np.random.default_rng(0)
    draws = np.array([prf(p[i], y[i]) for i in rng.integers(0, len(y), (rounds, len(y)))])
    point = prf(p, y)
    out: dict[str, Any] = {"rows": len(y), "opinion": int(y.sum())}
    for k, name in enumerate(("precision", "recall", "f1")):
        low, high = np.percentile(draws[:, k], [2.5, 97.5])
        out[name] = {"value": round(point[k], 4),
                     "interval_95": [round(float(low), 4), round(float(high), 4)]}
    return out


def train(data_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Fit on the labelled corpus rows but every :data:`DEV_EVERY`-th; report dev, and each
    outlet's articles scored by a model fit on the other outlet alone (does the style carry
    across outlets?)."""
    rows = labelled_rows(data_dir)
    docs = documents(r for r, _ in rows)
    y = np.array([label for _, label in rows])
    dev = np.arange(len(rows)) % DEV_EVERY == DEV_EVERY - 1
    seen = np.array([features(d, function_words())[:len(function_words())] for d in docs]) > 0
    share = seen[~dev].mean(axis=0)
    words = tuple(w for w, s in zip(function_words(), share, strict=True) if s >= MIN_DOC_SHARE)
    x = np.array([features(d, words) for d in docs])
    outlet = np.array([r["source"] for r, _ in rows])
    # the threshold from out-of-fold probabilities on train (5 folds in corpus order)
    fold = np.arange(len(rows))[~dev] % 5
    oof = np.zeros(int((~dev).sum()))
    for k in range(5):
        part = _fit(x[~dev][fold != k], y[~dev][fold != k])
        oof[fold == k] = _probabilities(part, x[~dev][fold == k])
    model = {"format": FORMAT, "words": list(words), "features": feature_names(words),
             **_fit(x[~dev], y[~dev]), "threshold": _threshold(oof, y[~dev])}
    report: dict[str, Any] = {"threshold": model["threshold"],
                              "dev": _figures(_probabilities(model, x[dev]), y[dev], model["threshold"])}
    for held in sorted(set(outlet)):
        other = _fit(x[~dev & (outlet != held)], y[~dev & (outlet != held)])
        report[f"across_outlets:{held}"] = _figures(_probabilities(other, x[dev & (outlet == held)]),
                                                    y[dev & (outlet == held)], model["threshold"])
    text = json.dumps(model, ensure_ascii=False, indent=1) + "\n"
    (out_dir / MODEL_FILE).write_text(text, encoding="utf-8")
    return report
