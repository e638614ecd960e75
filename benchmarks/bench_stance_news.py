#!/usr/bin/env python
"""The pair-stance model on news sentences: the seeds' intervention contradiction, and the
adjudicated evidence lines of ``compare/`` outlet pairs.

1. Seeds: each sentence of seed 000 reporting the troops (``موافقة مبدئية لنشر 1000 جندي``, the
   special forces and ``ادخال ألف جندي بريطاني``) against each sentence of seed 002 where
   ministers or the coalition rule out an intervention (Hammond, Gentiloni, Fabius, the coalition
   in the headline and the lead); the model should say ``contradict``.
2. ``compare/`` rows: a row's ``a_lines`` joined and its ``b_lines`` joined make one pair; its
   relation says what the model should read: ``agreement`` → agree, ``contradiction_*`` →
   contradict, ``update`` → not agree nor contradict (a later state: neutral), ``different_matter``
   → neutral (these rows carry no evidence lines, so they are counted, not scored). Accuracy per
   relation, with a 95% bootstrap interval over the rows; what the model said, counted.

    .venv/bin/python benchmarks/bench_stance_news.py [COMPARE.jsonl ...]

Defaults to ``compare/unifiedfc-train.jsonl`` and ``-dev.jsonl``. Where the model is trained
with the news pairs (``riwaya.models.stance.NEWS_PAIRS``, off in the shipped recipe), the train
split's evidence lines are among its training pairs (``news_pairs``) and its figures there are
in-sample; dev's never are.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from riwaya.models.stance import LABELS, evidence_pair, predict_pairs

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT = [SHARED / "data" / "compare" / f"unifiedfc-{s}.jsonl" for s in ("train", "dev")]
EXPECTED = {"agreement": "agree", "contradiction_explicit": "contradict",
            "contradiction_implicit": "contradict", "update": "neutral", "different_matter": "neutral"}
# the seed sentences, found by a phrase each holds
REPORTS = ("موافقة مبدئية لنشر 1000 جندي", "ادخال ألف جندي بريطاني")
DENIALS = ("استبعد نشر قوات على الأرض", "ليس هناك حماسة", "من غير الوارد إطلاقا",
           "التحالف يستبعد تدخلا عسكريا", "استبعد التحالف الدولي تدخلا عسكريا")


def _sentence(path: Path, phrase: str) -> str:
    import riwaya
    from riwaya.text import build_document

    article = next(iter(riwaya.read(str(path))))
    doc = build_document(article)
    for s in doc.sentences:
        text = " ".join(article.text[s.start:s.end].split())  # (no-break spaces as spaces)
        if phrase in text:
            return text
    raise LookupError(f"{path.name}: no sentence holds {phrase!r}")


def seeds() -> int:
    """Print the model's reading of each seed pair; returns how many it reads as contradict."""
    s000 = next((SHARED / "seeds").glob("000_*.txt"), None)
    s002 = next((SHARED / "seeds").glob("002_*.txt"), None)
    if s000 is None or s002 is None:
        print("seeds not found", file=sys.stderr)
        return 0
    phrases = [(r, d) for r in REPORTS for d in DENIALS]
    probs = predict_pairs([(_sentence(s000, r), _sentence(s002, d)) for r, d in phrases])
    hits = 0
    print(f"seeds: 000's troops against 002's ruling-out ({len(phrases)} sentence pairs)")
    for (r, d), p in zip(phrases, probs, strict=True):
        label = max(p, key=p.__getitem__)
        hits += label == "contradict"
        print(f"  {label:10s} agree {p['agree']:.3f} contradict {p['contradict']:.3f} "
              f"neutral {p['neutral']:.3f}  «{r}» / «{d}»")
    print(f"  contradict: {hits}/{len(phrases)}")
    return hits


def _interval(hits: np.ndarray, rounds: int = 1000) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    means = [hits[rng.integers(0, len(hits), len(hits))].mean() for _ in range(rounds)]
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def evidence(path: Path) -> None:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    scored = [r for r in rows if r["a_lines"] and r["b_lines"]]
    probs = predict_pairs([evidence_pair(r) for r in scored])
    said: dict[str, Counter] = {}
    hits: dict[str, list[bool]] = {}
    for r, p in zip(scored, probs, strict=True):
        label = max(p, key=p.__getitem__)
        said.setdefault(r["relation"], Counter())[label] += 1
        hits.setdefault(r["relation"], []).append(label == EXPECTED[r["relation"]])
    print(f"{path.name}: {len(rows)} rows, {len(scored)} with evidence lines")
    for relation in sorted(EXPECTED):
        unscored = sum(r["relation"] == relation for r in rows) - len(hits.get(relation, []))
        if relation not in hits:
            if unscored:
                print(f"  {relation:24s} {unscored} rows, no evidence lines")
            continue
        h = np.array(hits[relation], dtype=float)
        lo, hi = _interval(h)
        counts = ", ".join(f"{lab} {said[relation][lab]}" for lab in LABELS)
        print(f"  {relation:24s} → {EXPECTED[relation]:10s} {int(h.sum())}/{len(h)} = {h.mean():.3f} "
              f"[{lo:.3f}, {hi:.3f}]  (said: {counts})")


def main(argv: list[str]) -> int:
    seeds()
    for path in [Path(a) for a in argv] or DEFAULT:
        evidence(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
