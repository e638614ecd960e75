"""``clusters``: group all rows of a file into stories (rows ``{id, text}`` → ``{id, cluster}``)."""

from __future__ import annotations

import json
import math
from itertools import combinations
from pathlib import Path

from riwaya.compare.similarity import CALIBRATION_FILE, analysis_keys, pair_signals, weighted_keys
from riwaya.compare.stories import SETTINGS_FILE, StoryIndex, batch_stories, group_stories, story_signature
from riwaya.errors import InputError
from riwaya.model import Analysis, Article
from riwaya.tasks.metrics import bcubed
from riwaya.text import build_document

DATA = {"train": ["clusters/unifiedfc-train.jsonl"], "dev": ["clusters/unifiedfc-dev.jsonl"]}
KEY = "cluster"


def _analyses(rows: list[dict]) -> list[Analysis]:
    out = []
    for r in rows:
        text = r.get("text")
        if not isinstance(text, str):
            raise InputError(f"row {r.get('id')}", "expected a \"text\" string")
        out.append(Analysis(document=build_document(Article(id=str(r["id"]), text=text))))
    return out


def _clusters(analyses: list[Analysis], threshold: float | None = None) -> dict[str, str]:
    return {aid: story.id for story in group_stories(analyses, threshold) for aid in story.articles}


def predict(rows: list[dict]) -> list[dict]:
    by_id = _clusters(_analyses(rows))
    return [{"id": r["id"], KEY: by_id[str(r["id"])]} for r in rows]


def _read(data_dir: Path, names: list[str]) -> list[dict]:
    return [json.loads(line) for n in names for line in open(data_dir / n, encoding="utf-8") if line.strip()]


def train(data_dir: Path, out_dir: Path) -> dict:
    """Tune the join threshold on train (B-cubed F1) and calibrate the same-story probability."""
    rows = _read(data_dir, DATA["train"])
    analyses = _analyses(rows)
    gold = [str(r["cluster"]) for r in rows]
    signatures = [story_signature(a) for a in analyses]
    best = (0.0, 0.0)
    for step in range(5, 61):
        t = step / 100
        index = StoryIndex(threshold=t)
        by_id = {str(r["id"]): index.add(str(r["id"]), sig) for r, sig in zip(rows, signatures, strict=True)}
        f1 = bcubed(gold, [by_id[str(r["id"])] for r in rows])["bcubed_f1"]
        if f1 > best[0] + 1e-9:
            best = (f1, t)
    batch = (0.0, 0.0)
    for step in range(50, 100, 2):
        d = step / 100
        by_id = {aid: s.id for s in batch_stories(analyses, d) for aid in s.articles}
        f1 = bcubed(gold, [by_id[str(r["id"])] for r in rows])["bcubed_f1"]
        if f1 > batch[0] + 1e-9:
            batch = (f1, d)
    settings = {"threshold": best[1], "train_bcubed_f1_index": round(best[0], 4),
                "batch_distance": batch[1], "train_bcubed_f1": round(batch[0], 4)}
    (out_dir / SETTINGS_FILE).write_text(json.dumps(settings) + "\n", encoding="utf-8")
    from riwaya.pipeline import analyze_article

    full = [analyze_article(a.article) for a in analyses]  # entities, quantities, dates filled
    cal = _calibrate(full, gold)
    (out_dir / CALIBRATION_FILE).write_text(json.dumps(cal) + "\n", encoding="utf-8")
    report = dict(settings)
    dev = data_dir / DATA["dev"][0]
    if dev.exists():
        dev_rows = _read(data_dir, DATA["dev"])
        by_id = {aid: s.id for s in batch_stories(_analyses(dev_rows), batch[1]) for aid in s.articles}
        report["dev"] = bcubed([str(r["cluster"]) for r in dev_rows], [by_id[str(r["id"])] for r in dev_rows])
    return report


def _pair_f1(pred, gold) -> float:
    tp = float((pred & gold).sum())
    return 2 * tp / (pred.sum() + gold.sum()) if tp else 0.0


def _calibrate(analyses: list[Analysis], gold: list[str]) -> dict:
    """Logistic weights turning ``pair_signals`` into a same-story probability."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x, y = [], []
    vectors = [weighted_keys(analysis_keys(a)) for a in analyses]
    for i, j in combinations(range(len(analyses)), 2):
        x.append(pair_signals(analyses[i], analyses[j], vectors[i], vectors[j]))
        y.append(int(gold[i] == gold[j]))
    # balanced: a probability under even odds, not under this corpus's 1-in-60 prior
    model = LogisticRegression(C=1.0, max_iter=1000, class_weight="balanced").fit(np.array(x), np.array(y))
    prob = model.predict_proba(np.array(x))[:, 1]
    gold_pairs = np.array(y, dtype=bool)
    link = max((_pair_f1(prob >= t / 100, gold_pairs), t / 100) for t in range(20, 96))
    return {"signals": ["words", "entities", "quantities", "dates", "gap_days"],
            "link_probability": link[1], "train_pair_f1": round(float(link[0]), 4),
            "weights": [round(float(w), 6) for w in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 6),
            "pairs": len(y), "positives": int(sum(y)), "trained_on": "clusters/unifiedfc-train",
            "note": f"class-balanced fit (train prior {math.fsum(y) / len(y):.4f})"}
