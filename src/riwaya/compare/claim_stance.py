"""Claim–article stance: does a whole article agree with, dispute, discuss, or ignore a claim?

The article's sentences that speak to the claim are found by idf-weighted key overlap; they are
judged with the sentence-pair stance model; refutation words (نفى، كذب، زائف، شائعة، مفبرك ...),
hedges and how much of the claim the article covers are added; a gradient-boosted classifier
trained on UnifiedFC train (``weights/claim_stance.pkl.gz``) makes the call.
"""

from __future__ import annotations

import gzip
import json
import pickle
from functools import cache
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from riwaya.compare.features import Side, fold, keys, ruling_out, stopwords
from riwaya.compare.similarity import cosine, weighted_keys
from riwaya.compare.stance import predict_pairs
from riwaya.errors import ModelMissingError
from riwaya.resources import WEIGHTS_DIR, load_lines

LABELS = ("agree", "disagree", "discuss", "unrelated")
MODEL_FILE = "claim_stance.pkl.gz"
TOP = 3


def relevant_sentences(claim: str, sentences: list[str], k: int = TOP) -> list[tuple[int, float]]:
    """Indexes of the ``k`` sentences most about the claim, with their similarity, best first."""
    cv = weighted_keys(keys(claim))
    scored = [(i, cosine(cv, weighted_keys(keys(s)))) for i, s in enumerate(sentences) if s.strip()]
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored[:k]


@cache
def refutation_words() -> tuple[str, ...]:
    """Folded words an article uses to call a claim false (``data/stance_refutation.txt``)."""
    return tuple(fold(w) for w in load_lines("stance_refutation.txt"))


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
    rarest = sorted(weights, key=weights.get, reverse=True)[:3]
    return [
        float(ref_all), ref_all / max(len(whole), 1) * 1000, float(sum(window.count(w) for w in ref)),
        ordered[-1], ordered[-2] if len(ordered) > 1 else 0.0, float(sum(v > 0.5 for v in cover)),
        sum(n in article_keys for n in nums) / len(nums) if nums else -1.0, float(len(nums)),
        best / max(len(sentences), 1),
        sum(v for k, v in weights.items() if k in article_keys) / total, max(weighted_cover),
        float(sum(v > 0.4 for v in weighted_cover)),
        sum(k in article_keys for k in rarest) / max(len(rarest), 1),
    ]


def _features(claims: list[str], articles: list[list[str]]) -> np.ndarray:
    picked = [relevant_sentences(c, sents) for c, sents in zip(claims, articles, strict=True)]
    pairs = [(c, sents[i]) for c, sents, top in zip(claims, articles, picked, strict=True) for i, _ in top]
    probs = iter(predict_pairs(pairs))
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


@cache
def _model():
    path = WEIGHTS_DIR / MODEL_FILE
    if not path.exists():
        raise ModelMissingError(f"{path} missing: run `riwaya train claim-article`")
    with gzip.open(path, "rb") as f:
        return pickle.load(f)  # our own shipped file, never user input


def predict_stances(claims: list[str], articles: list[list[str]]) -> list[dict[str, float]]:
    """Probabilities of agree / disagree / discuss / unrelated for each (claim, article sentences)."""
    if not claims:
        return []
    model = _model()
    x = _features(claims, articles)
    with threadpool_limits(1):
        probs = model.predict_proba(x)
    out = np.zeros((len(claims), len(LABELS)))
    out[:, model.classes_] = probs
    return [{lab: round(float(v), 6) for lab, v in zip(LABELS, row, strict=True)} for row in out]


def claim_article_stance(claim: str, sentences: list[str]) -> dict[str, float]:
    return predict_stances([claim], [sentences])[0]


def train(rows: list[dict], out_dir: Path) -> dict:
    """Fit on UnifiedFC rows (``claim``, ``article`` lines, ``label``); balanced class weights."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = _features([r["claim"] for r in rows], [r["article"].split("\n") for r in rows])
    y = np.array([LABELS.index(r["label"]) for r in rows])
    model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.03, max_depth=3,
                                           min_samples_leaf=10, l2_regularization=1.0,
                                           class_weight="balanced", random_state=0).fit(x, y)
    with gzip.open(out_dir / MODEL_FILE, "wb", compresslevel=9) as f:
        pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
    _model.cache_clear()
    return {"train_rows": len(rows), "file": MODEL_FILE}


def read_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
