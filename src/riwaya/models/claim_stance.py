"""Claim–article stance: does a whole article agree with, dispute, discuss, or ignore a claim?

The article's three sentences closest to the claim (idf-weighted key overlap) are judged with the
sentence-pair stance model; refutation words (نفى، كذب، زائف، شائعة، مفبرك ...), hedges and how
much of the claim the article covers are added; a gradient-boosted classifier trained on UnifiedFC
train makes the call, with per-label decision offsets tuned for macro-F1 by cross-validation on
train. A separate *sentence scorer* (logistic regression on the rationale lines UnifiedFC marks:
idf-weighted and plain key overlap, shared word pairs and character 4-grams, the claim's numbers
and rarest words, position, length, reporting verbs, questions) picks the evidence sentences
(:func:`relevant_sentences`).

Weights: ``weights/claim_stance.npz`` (arrays: the scorer's coefficients, the classifier's tree
nodes, the decision offsets; card ``claim_stance.md``), scored with numpy
(:mod:`riwaya.models.estimators`). Training uses scikit-learn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from itertools import pairwise, product
from pathlib import Path
from typing import Any

import numpy as np

from riwaya.errors import ModelMissingError
from riwaya.models.estimators import Linear, Trees, export_linear, export_trees, logistic
from riwaya.models.features import Side, fold, keys, ruling_out, stopwords
from riwaya.models.io import load_npz, save_npz, shipped
from riwaya.models.similarity import cosine, weighted_keys
from riwaya.models.stance import predict_pairs
from riwaya.resources import WEIGHTS_DIR, load_lines

LABELS = ("agree", "disagree", "discuss", "unrelated")
MODEL_FILE = "claim_stance.npz"
FORMAT = "riwaya.claim_stance/1"
TOP = 3


@cache
def _lexicon(name: str) -> tuple[str, ...]:
    """Folded entries of a ``data/claim_*.txt`` list (matched as substrings of folded text)."""
    return tuple(fold(line) for line in load_lines(name))


def _grams(text: str, n: int = 4) -> set[str]:
    t = " ".join(fold(text).split())
    return {t[i:i + n] for i in range(len(t) - n + 1)}


@dataclass(slots=True)
class _Claim:
    """The claim read once: content keys, weights, word pairs, numbers, rarest words, 4-grams."""

    keys: set[str]
    weights: dict[str, float]
    pairs: set[tuple[str, str]]
    numbers: set[str]
    rarest: set[str]
    grams: set[str]

    @classmethod
    def read(cls, claim: str) -> _Claim:
        stop = stopwords()
        ck = [k for k in keys(claim) if k not in stop and len(k) > 1]
        weights = weighted_keys(ck)
        return cls(set(ck), weights, set(pairwise(ck)),
                   {k for k in ck if k[:1].isdigit()},
                   set(sorted(weights, key=weights.__getitem__, reverse=True)[:3]), _grams(claim))


def sentence_features(claim: _Claim, sentences: list[str]) -> np.ndarray:
    """One row per sentence: how much it speaks to the claim, where it stands, how it reports."""
    stop = stopwords()
    total = sum(claim.weights.values()) or 1.0
    reporting = _lexicon("claim_reporting.txt")
    n = len(sentences)
    rows = []
    for i, s in enumerate(sentences):
        sk = [k for k in keys(s) if k not in stop and len(k) > 1]
        ss = set(sk)
        sg = _grams(s)
        shared = len(claim.grams & sg)
        rows.append([
            cosine(claim.weights, weighted_keys(sk)), len(claim.keys & ss) / max(len(claim.keys), 1),
            sum(v for k, v in claim.weights.items() if k in ss) / total,
            len(claim.pairs & set(pairwise(sk))) / max(len(claim.pairs), 1),
            shared / max(len(claim.grams), 1), shared / max(len(claim.grams | sg), 1),
            len(claim.numbers & ss) / len(claim.numbers) if claim.numbers else -1.0,
            len(claim.rarest & ss) / max(len(claim.rarest), 1),
            i / max(n, 1), float(i == 0), float(i == n - 1), math.log1p(len(sk)),
            float(any(w in fold(s) for w in reporting)), float("?" in s or "؟" in s),
        ])
    return np.array(rows, dtype=np.float64).reshape(n, 14)


@cache
def refutation_words() -> tuple[str, ...]:
    """Folded words an article uses to call a claim false (``data/stance_refutation.txt``)."""
    return tuple(fold(w) for w in load_lines("stance_refutation.txt"))


def _idf_sentences(claim: str, sentences: list[str], k: int = TOP) -> list[tuple[int, float]]:
    """The ``k`` sentences closest to the claim by idf-weighted key overlap, best first."""
    cv = weighted_keys(keys(claim))
    scored = [(i, cosine(cv, weighted_keys(keys(s)))) for i, s in enumerate(sentences) if s.strip()]
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored[:k]


def _ranked(scorer: Any, claim: _Claim, sentences: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Sentence features and the scorer's margins (higher = more about the claim); ``scorer``:
    a :class:`~riwaya.models.estimators.Linear`, or a scikit-learn one in training."""
    sf = sentence_features(claim, sentences)
    if not len(sentences):
        return sf, np.zeros(0)
    return sf, scorer.decision(sf) if isinstance(scorer, Linear) else scorer.decision_function(sf)


def relevant_sentences(claim: str, sentences: list[str], k: int = TOP) -> list[tuple[int, float]]:
    """Indexes of the ``k`` sentences that speak most to the claim (shipped sentence scorer),
    with the probability that each is a rationale line, best first."""
    if not sentences:
        return []
    _, margin = _ranked(load().sentences, _Claim.read(claim), sentences)
    order = np.argsort(-margin, kind="stable")[:k]
    return [(int(i), logistic(float(margin[i]))) for i in order]


def _article_cues(claim: str, sentences: list[str]) -> list[float]:
    """Refutation words (whole article and around the sentence covering most of the claim),
    how much of the claim the article and its best sentences cover (idf-weighted and plain, its
    three rarest words), and whether its numbers appear."""
    stop = stopwords()
    ck = {k for k in keys(claim) if k not in stop}
    nums = [k for k in ck if k[:1].isdigit()]
    sentence_keys = [set(keys(s)) for s in sentences]
    article_keys = set().union(*sentence_keys)
    cover = [len(ck & sk) / max(len(ck), 1) for sk in sentence_keys] or [0.0]
    best = int(np.argmax(cover))
    whole = fold(" ".join(sentences))
    window = fold(" ".join(sentences[max(0, best - 1):best + 2]))
    ref = refutation_words()
    ref_all = sum(whole.count(w) for w in ref)
    ordered = sorted(cover)
    weights = weighted_keys(keys(claim))
    total = sum(weights.values()) or 1.0
    weighted_cover = [sum(v for k, v in weights.items() if k in sk) / total
                      for sk in sentence_keys] or [0.0]
    rarest = sorted(weights, key=weights.__getitem__, reverse=True)[:3]
    return [
        float(ref_all), ref_all / max(len(whole), 1) * 1000, float(sum(window.count(w) for w in ref)),
        ordered[-1], ordered[-2] if len(ordered) > 1 else 0.0, float(sum(v > 0.5 for v in cover)),
        sum(n in article_keys for n in nums) / len(nums) if nums else -1.0, float(len(nums)),
        best / max(len(sentences), 1),
        sum(v for k, v in weights.items() if k in article_keys) / total, max(weighted_cover),
        float(sum(v > 0.4 for v in weighted_cover)),
        sum(k in article_keys for k in rarest) / max(len(rarest), 1),
    ]


def _pair_probabilities(pairs: list[tuple[str, str]]) -> list[dict[str, float]]:
    """The sentence-pair model on each distinct pair once."""
    distinct = list(dict.fromkeys(pairs))
    probs = dict(zip(distinct, predict_pairs(distinct), strict=True))
    return [probs[p] for p in pairs]


def _features(claims: list[str], articles: list[list[str]]) -> np.ndarray:
    picked = [_idf_sentences(c, sents) for c, sents in zip(claims, articles, strict=True)]
    pairs = [(c, sents[i]) for c, sents, top in zip(claims, articles, picked, strict=True) for i, _ in top]
    probs = iter(_pair_probabilities(pairs))
    refute = ruling_out()
    rows = []
    for claim, sents, top in zip(claims, articles, picked, strict=True):
        whole = " ".join(sents)
        cv = weighted_keys(keys(claim))
        av = weighted_keys(keys(whole))
        ck = set(cv)
        covered = len(ck & set(av)) / max(len(ck), 1)
        sims = [s for _, s in top] + [0.0] * (TOP - len(top))
        ps = [next(probs) for _ in top]
        agree = [p["agree"] for p in ps] or [0.0]
        contra = [p["contradict"] for p in ps] or [0.0]
        neutral = [p["neutral"] for p in ps] or [1.0]
        top_sides = [Side.read(sents[i]) for i, _ in top]
        whole_keys = keys(whole)
        n_refute = sum(k in refute for k in whole_keys)
        rows.append([
            cosine(cv, av), covered, *sims, float(np.mean(sims)),
            max(agree), float(np.mean(agree)), max(contra), float(np.mean(contra)), min(neutral),
            agree[0], contra[0],
            float(sum(s.ruling_out for s in top_sides)), float(sum(s.negation for s in top_sides)),
            float(sum(s.hedge for s in top_sides)),
            float(n_refute), n_refute / max(len(whole_keys), 1) * 1000, float(len(sents)),
            float(np.log1p(len(whole_keys))),
            *_article_cues(claim, sents),
        ])
    return np.array(rows, dtype=np.float64).reshape(len(claims), -1)


class Model:
    """The shipped model: the sentence scorer, the stance classifier and its decision offsets."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        meta = json.loads(str(arrays["meta"]))
        if meta.get("format") != FORMAT:
            raise ModelMissingError(f"claim-article model format {meta.get('format')!r}, expected {FORMAT}")
        self.sentences = Linear.read(arrays, "sentences")
        self.stance = Trees(arrays, "stance")
        self.bias = np.asarray(meta["bias"], dtype=np.float64)


@cache
def load(weights_dir: Path = WEIGHTS_DIR) -> Model:
    """The shipped model (loaded once)."""
    return Model(load_npz(shipped(weights_dir / MODEL_FILE, "claim-article")))


def _probabilities(model: Any, x: np.ndarray) -> np.ndarray:
    """Class probabilities of the stance classifier: the shipped :class:`Trees`, or a fitted
    scikit-learn one in training."""
    if isinstance(model, Trees):
        return model.probabilities(x)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        probs = model.predict_proba(x)
    out = np.zeros((len(x), len(LABELS)))
    out[:, model.classes_] = probs
    return out


def _shift(probs: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Probabilities with per-label log offsets (the decision rule tuned for macro-F1), renormalised."""
    p = probs * np.exp(bias)
    return p / p.sum(axis=1, keepdims=True)


def probabilities(claims: list[str], articles: list[list[str]]) -> np.ndarray:
    """Unrounded probabilities (claims × :data:`LABELS`) of the shipped model."""
    model = load()
    return _shift(model.stance.probabilities(_features(claims, articles)), model.bias)


def predict_stances(claims: list[str], articles: list[list[str]]) -> list[dict[str, float]]:
    """Probabilities of agree / disagree / discuss / unrelated for each (claim, article sentences)."""
    if not claims:
        return []
    return [{lab: round(float(v), 6) for lab, v in zip(LABELS, row, strict=True)}
            for row in probabilities(claims, articles)]


def claim_article_stance(claim: str, sentences: list[str]) -> dict[str, float]:
    return predict_stances([claim], [sentences])[0]


def train_sentence_scorer(rows: list[dict]):
    """Logistic regression: is this line one of the row's rationale sentences? (rows that mark any)"""
    from sklearn.linear_model import LogisticRegression

    x, y = [], []
    for r in rows:
        if not r.get("rationale_sentences"):
            continue
        sents = r["article"].split("\n")
        x.append(sentence_features(_Claim.read(r["claim"]), sents))
        y += [int(i in r["rationale_sentences"]) for i in range(len(sents))]
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return LogisticRegression(C=0.1, max_iter=2000, class_weight="balanced").fit(np.vstack(x), y)


def classifier():
    """The stance classifier: gradient boosting, balanced class weights, depth 3."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=300, learning_rate=0.03, max_depth=3,
                                          min_samples_leaf=10, l2_regularization=1.0,
                                          class_weight="balanced", random_state=0)


def _macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    f1 = []
    for c in range(len(LABELS)):
        tp = float(np.sum((pred == c) & (y == c)))
        denom = float(np.sum(pred == c) + np.sum(y == c))
        f1.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(f1))


def tune_bias(x: np.ndarray, y: np.ndarray, groups: list[str], repeats: int = 2) -> list[float]:
    """Per-label log offsets that maximise macro-F1 of out-of-fold probabilities (5-fold cross-
    validation grouped by claim, ``repeats`` shufflings of the claims; grid of 0.25 in [-1, 1])."""
    from sklearn.model_selection import GroupKFold

    names = sorted(set(groups))
    oof = np.zeros((len(y), len(LABELS)))
    for seed in range(repeats):
        order = np.random.RandomState(seed).permutation(len(names))
        g = np.array([order[names.index(n)] for n in groups])
        for tr, te in GroupKFold(5).split(x, y, g):
            oof[te] += _probabilities(classifier().fit(x[tr], y[tr]), x[te]) / repeats
    logp = np.log(oof + 1e-9)
    grid = np.arange(-1.0, 1.01, 0.25)
    best, bias = _macro_f1(y, logp.argmax(1)), np.zeros(len(LABELS))
    for b in product(grid, repeat=len(LABELS) - 1):
        cand = np.array([0.0, *b])
        score = _macro_f1(y, (logp + cand).argmax(1))
        if score > best + 1e-9:
            best, bias = score, cand
    return [float(v) for v in bias]


TRAIN = "claim-article/unifiedfc-train.jsonl"


def train(data_dir: Path, out_dir: Path) -> dict:
    """Rebuild ``claim_stance.npz`` from UnifiedFC train (after the pair model: its probabilities
    are features)."""
    return fit(read_rows(data_dir / TRAIN), out_dir)


def fit(rows: list[dict], out_dir: Path) -> dict:
    """Fit on UnifiedFC rows (``claim``, ``article`` lines, ``label``): the sentence scorer on the
    rationale lines, the classifier on all rows, its decision offsets by cross-validation on them.
    Deterministic, single-threaded."""
    model = fitted(rows)
    save_npz(out_dir / MODEL_FILE, export(model))
    load.cache_clear()
    return {"train_rows": len(rows), "features": int(model["stance"].n_features_in_),
            "bias": dict(zip(LABELS, model["bias"], strict=True)), "file": MODEL_FILE}


def fitted(rows: list[dict]) -> dict[str, Any]:
    """The scikit-learn sentence scorer and classifier and the decision offsets that :func:`fit`
    exports (``sentences``, ``stance``, ``bias``)."""
    from threadpoolctl import threadpool_limits

    scorer = train_sentence_scorer(rows)
    x = _features([r["claim"] for r in rows], [r["article"].split("\n") for r in rows])
    y = np.array([LABELS.index(r["label"]) for r in rows])
    with threadpool_limits(1):
        bias = tune_bias(x, y, [str(r.get("claim_id", r["claim"])) for r in rows])
        stance = classifier().fit(x, y)
    return {"sentences": scorer, "stance": stance, "bias": bias}


def export(model: dict[str, Any]) -> dict[str, np.ndarray]:
    """The arrays of ``claim_stance.npz`` from the fitted scikit-learn objects and offsets."""
    meta = {"format": FORMAT, "labels": list(LABELS), "bias": [float(b) for b in model["bias"]]}
    return {"meta": np.array(json.dumps(meta, sort_keys=True)),
            **export_linear(model["sentences"], "sentences"), **export_trees(model["stance"], "stance")}


def read_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
