"""The sequence tagger: CRF features over words (with gazetteer and clitic features) and tagging.

The model is a linear-chain CRF (python-crfsuite, as used by sklearn-crfsuite) stored in
``weights/ner.crfsuite``; :mod:`riwaya.tasks.ner` trains it. Features only read the words of one
sentence, so the tagger works both on pre-tokenised rows (clitics split: ``و``, ``ه``) and on
document tokens (clitics attached).
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

from riwaya.extract.entities.gazetteer import load
from riwaya.extract.entities.lexicon import context_keys, triggers
from riwaya.resources import WEIGHTS_DIR
from riwaya.text.normalize import analyze, fold
from riwaya.text.wordfreq import counts

MODEL = WEIGHTS_DIR / "ner.crfsuite"


def _shape(word: str) -> str:
    c = word[0]
    if "\u0600" <= c <= "\u06ff":
        return "ar"
    if c.isdigit():
        return "num"
    if c.isalpha():
        if word.isupper() and len(word) > 1:
            return "CAPS"
        return "Cap" if c.isupper() else "low"
    return "punct"


def _freq(f: str) -> str:
    n = counts().get(f, 0)
    return str(min(int(math.log2(n + 1)), 14) // 2)


_OFFSETS = (-2, -1, 1, 2)


@cache
def _word_features(word: str) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]], str]:
    """(own features, features lent to the neighbour at each offset, key), cached per word."""
    k, st, pre, suf = analyze(word)
    f = fold(word)
    trig = triggers().get(k, "")
    own = [
        "w=" + f, "k=" + k, "st=" + st, "sh=" + _shape(word), "fq=" + _freq(f),
        "k1=" + k[:1], "k2=" + k[:2], "k3=" + k[:3], "e1=" + k[-1:], "e2=" + k[-2:], "e3=" + k[-3:],
        "len=" + str(min(len(k), 8)),
    ]
    if pre:
        own.append("pre=" + pre)
        own.append("al" if pre.endswith("ال") or pre.endswith("لل") else "cl")
    if suf:
        own.append("suf=" + suf)
    if trig:
        own.append("trig=" + trig)
    if k in context_keys():
        own.append("ctx")
    near = ("k=" + k, "sh=" + _shape(word), "e2=" + k[-2:], "trig=" + trig, "pre=" + pre)
    lent = {d: tuple(f"{d}{x}" for x in near) for d in _OFFSETS}
    return tuple(own), lent, "k=" + k


def gazetteer_tags(keys: list[str], words: list[str]) -> list[str]:
    """``B-TYPE``/``I-TYPE`` (with subtype) of the longest known names over a sentence."""
    gaz = load()
    out = [""] * len(keys)
    i = 0
    while i < len(keys):
        hit = gaz.match(keys, words, i)
        if hit is None:
            i += 1
            continue
        n, entry = hit
        label = entry.type + ("." + entry.subtype if entry.subtype else "")
        for j in range(i, i + n):
            out[j] = ("B-" if j == i else "I-") + label
        i += n
    return out


def sentence_features(words: list[str]) -> list[list[str]]:
    """CRF features of each word of one sentence (window ±2, gazetteer B/I, triggers, clitics)."""
    info = [_word_features(w) for w in words]
    keys = [x[2][2:] for x in info]
    gaz = gazetteer_tags(keys, words)
    n = len(words)
    feats: list[list[str]] = []
    for i in range(n):
        f = ["b", *info[i][0]]
        if gaz[i]:
            f.append("g=" + gaz[i])
            f.append("gt=" + gaz[i][:2] + gaz[i][2:].split(".")[0])
        for d in _OFFSETS:
            j = i + d
            if 0 <= j < n:
                f.extend(info[j][1][d])
                if gaz[j]:
                    f.append(f"{d}g=" + gaz[j].split(".")[0])
            else:
                f.append(f"{d}pad")
        if i > 0:
            f.append("bi=" + info[i - 1][2] + "|" + info[i][2])
        if i + 1 < n:
            f.append("bi+=" + info[i][2] + "|" + info[i + 1][2])
        feats.append(f)
    return feats


@cache
def _tagger(path: str):
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


def available(path: Path = MODEL) -> bool:
    return path.exists()


def tag(words: list[str], path: Path = MODEL) -> list[str]:
    """BIO tags for one sentence with the shipped model."""
    if not words:
        return []
    return list(_tagger(str(path)).tag(sentence_features(words)))


def tag_marginals(words: list[str], path: Path = MODEL) -> tuple[list[str], list[float]]:
    """BIO tags and the marginal probability of each chosen tag."""
    if not words:
        return [], []
    t = _tagger(str(path))
    tags = list(t.tag(sentence_features(words)))
    return tags, [t.marginal(y, i) for i, y in enumerate(tags)]


def train(sentences: list[tuple[list[str], list[str]]], path: Path, c1: float = 0.05,
          c2: float = 0.02, iterations: int = 150) -> None:
    """Fit the CRF on ``(words, tags)`` pairs (deterministic: L-BFGS, fixed order)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for words, tags in sentences:
        trainer.append(sentence_features(words), tags)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True, "feature.minfreq": 1})
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
    _tagger.cache_clear()
