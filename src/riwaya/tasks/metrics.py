"""Task metrics, computed as the project's held-out judge computes them."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NamedTuple


def label_f1(gold: Sequence[str], pred: Sequence[str]) -> dict:
    """Per-label F1 over the gold labels, their macro average and accuracy."""
    labels = sorted(set(gold))
    per: dict[str, float] = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        per[label] = _f1(tp, fp, fn)
    out = {
        "macro_f1": sum(per.values()) / len(per) if per else 0.0,
        "per_label": per,
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0,
    }
    if "agree" in per and "contradict" in per:
        out["macro_f1_agree_contradict"] = (per["agree"] + per["contradict"]) / 2
    return out


def _f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


class EntitySpan(NamedTuple):
    """An entity of a BIO sequence: tokens ``start`` to ``end`` (exclusive) of one type."""

    start: int
    end: int
    type: str


def bio_spans(tags: Sequence[str]) -> set[EntitySpan]:
    """The entity spans of a BIO sequence; a stray ``I-`` opens an entity."""
    spans: set[EntitySpan] = set()
    start: int | None = None
    kind: str | None = None
    for i, tag in enumerate([*tags, "O"]):
        opens = tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != kind)
        if tag == "O" or opens:
            if start is not None and kind is not None:
                spans.add(EntitySpan(start, i, kind))
            start, kind = (i, tag[2:]) if tag != "O" else (None, None)
    return spans


def ner_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict:
    """Entity-level F1 per type and micro F1 over PERS/LOC/ORG."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g, p = bio_spans(g_tags), bio_spans(p_tags)
        for s in p:
            (tp if s in g else fp)[s.type] += 1
        for s in g - p:
            fn[s.type] += 1
    types = ("PERS", "LOC", "ORG", "MISC")
    per = {t: _f1(tp[t], fp[t], fn[t]) for t in types}
    prec = {t: tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0 for t in types}
    rec = {t: tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0 for t in types}
    core = ("PERS", "LOC", "ORG")
    micro = _f1(sum(tp[t] for t in core), sum(fp[t] for t in core), sum(fn[t] for t in core))
    return {"micro_f1_pers_loc_org": micro, "per_type": per, "precision": prec, "recall": rec}


def ner_interval(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], rounds: int = 2000,
                 seed: int = 0) -> tuple[float, float]:
    """A 95% bootstrap interval of the micro-F1 over PERS/LOC/ORG, sentences resampled."""
    import numpy as np

    core = ("PERS", "LOC", "ORG")
    counts = np.zeros((len(gold), 3))  # per sentence: true positives, false positives, misses
    for i, (g_tags, p_tags) in enumerate(zip(gold, pred, strict=True)):
        g = {s for s in bio_spans(g_tags) if s[2] in core}
        p = {s for s in bio_spans(p_tags) if s[2] in core}
        counts[i] = len(g & p), len(p - g), len(g - p)
    draws = np.random.default_rng(seed).integers(0, len(gold), size=(rounds, len(gold)))
    tp, fp, fn = counts[draws].sum(axis=1).T
    f1 = np.divide(2 * tp, 2 * tp + fp + fn, out=np.zeros(rounds), where=tp > 0)
    lo, hi = np.percentile(f1, [2.5, 97.5])
    return float(lo), float(hi)


def bcubed(gold: Sequence[str], pred: Sequence[str]) -> dict:
    """B-cubed precision, recall and F1 of a clustering."""
    g, p = defaultdict(set), defaultdict(set)
    for i, (a, b) in enumerate(zip(gold, pred, strict=True)):
        g[a].add(i)
        p[b].add(i)
    n = len(gold)
    prec = sum(len(p[pred[i]] & g[gold[i]]) / len(p[pred[i]]) for i in range(n)) / n
    rec = sum(len(p[pred[i]] & g[gold[i]]) / len(g[gold[i]]) for i in range(n)) / n
    return {"bcubed_precision": prec, "bcubed_recall": rec,
            "bcubed_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0}


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sx = math.sqrt(sum((a - mx) ** 2 for a in x))
    sy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sxy / (sx * sy) if sx and sy else 0.0


CONTRADICTIONS = ("contradiction_explicit", "contradiction_implicit")


def compare_scores(gold_rows: Sequence[dict], pred: Sequence[list[dict]]) -> dict:
    """How far contradiction and agreement findings can be trusted, pair by pair: false
    contradictions on agreement and different-matter pairs, contradiction recall (on the
    adjudicated evidence lines), agreement on evidence, and how update pairs are called."""

    def hit(finding: dict, row: dict) -> bool:  # the evidence touches the adjudicated lines, both sides
        a, b = set(row.get("a_lines") or []), set(row.get("b_lines") or [])
        return bool(a & set(finding.get("a_lines") or [])) and bool(b & set(finding.get("b_lines") or []))

    def kinds(fs: list[dict]) -> set:
        return {f.get("kind") for f in fs}

    by_rel: dict[str, list] = defaultdict(list)
    for row, findings in zip(gold_rows, pred, strict=True):
        by_rel[row["relation"]].append((row, findings or []))
    out: dict = {"pairs": {k: len(v) for k, v in sorted(by_rel.items())}}
    clean = by_rel["agreement"] + by_rel["different_matter"]
    if clean:
        out["false_contradiction_rate"] = sum("contradiction" in kinds(fs) for _, fs in clean) / len(clean)
    contra = [x for rel in CONTRADICTIONS for x in by_rel[rel]]
    if contra:
        placed = [any(f.get("kind") == "contradiction" and hit(f, r) for f in fs) for r, fs in contra]
        out["contradiction_recall"] = sum("contradiction" in kinds(fs) for _, fs in contra) / len(contra)
        out["contradiction_recall_on_evidence"] = sum(placed) / len(contra)
        claims: dict[str, list[bool]] = defaultdict(list)
        for (r, _), p in zip(contra, placed, strict=True):
            claims[r["claim_id"]].append(p)
        per_claim = [sum(v) / len(v) for v in claims.values()]
        out["contradiction_recall_on_evidence_per_claim"] = sum(per_claim) / len(per_claim)
    agree = by_rel["agreement"]
    if agree:
        out["agreement_recall_on_evidence"] = sum(
            any(f.get("kind") == "agreement" and hit(f, r) for f in fs) for r, fs in agree) / len(agree)
    upd = by_rel["update"]
    if upd:
        n = len(upd)
        out["update_pairs_called_contradiction"] = sum("contradiction" in kinds(fs) for _, fs in upd) / n
        out["update_pairs_called_timing"] = sum(bool(kinds(fs) & {"timing", "update"}) for _, fs in upd) / n
    return out


def score(task: str, gold_rows: list[dict], pred_rows: list[dict]) -> dict:
    """Score prediction rows against gold rows of ``task`` (matched by ``id``)."""
    return _score(task, gold_rows, _matched(task, gold_rows, pred_rows))


def intervals(task: str, gold_rows: list[dict], pred_rows: list[dict], rounds: int = 1000,
              seed: int = 0) -> dict[str, tuple[float, float]]:
    """95% bootstrap intervals of the task's headline figures (the top-level numbers of
    :func:`score`), gold rows resampled with their predictions. Small sets swing by points; this
    says by how many. Clusters have none: resampling repeats articles inside their clusters."""
    if task == "clusters":
        return {}
    import numpy as np

    pred = _matched(task, gold_rows, pred_rows)
    if task == "ner":  # sentence counts resampled at once: thousands of sentences, quickly
        return {"micro_f1_pers_loc_org": ner_interval([r["tags"] for r in gold_rows], pred, rounds, seed)}
    draws = np.random.default_rng(seed).integers(0, len(gold_rows), size=(rounds, len(gold_rows)))
    seen: dict[str, list[float]] = defaultdict(list)
    for idx in draws:
        for name, value in _score(task, [gold_rows[i] for i in idx], [pred[i] for i in idx]).items():
            if isinstance(value, float):
                seen[name].append(value)
    return {name: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5)))
            for name, v in seen.items() if len(v) >= rounds // 2}


def _matched(task: str, gold_rows: list[dict], pred_rows: list[dict]) -> list:
    key = {"ner": "tags", "clusters": "cluster", "similarity": "score",
           "compare": "findings"}.get(task, "label")
    by_id = {str(r["id"]): r[key] for r in pred_rows}
    missing = [r["id"] for r in gold_rows if str(r["id"]) not in by_id]
    if missing:
        raise ValueError(f"{len(missing)} ids have no prediction, e.g. {missing[:3]}")
    return [by_id[str(r["id"])] for r in gold_rows]


def _score(task: str, gold_rows: list[dict], pred: list) -> dict:
    if task in ("pairs", "claim-article", "checkworthy", "genre"):
        return label_f1([str(r["label"]) for r in gold_rows], [str(p) for p in pred])
    if task == "ner":
        for r, p in zip(gold_rows, pred, strict=True):
            if len(p) != len(r["tokens"]):
                raise ValueError(f"{r['id']}: {len(p)} tags for {len(r['tokens'])} tokens")
        return ner_scores([r["tags"] for r in gold_rows], pred)
    if task == "compare":
        return compare_scores(gold_rows, pred)
    if task == "clusters":
        return bcubed([str(r["cluster"]) for r in gold_rows], [str(c) for c in pred])
    if task == "similarity":
        if "overall" in gold_rows[0]:  # SemEval-style: 1 = most similar
            y = [-float(r["overall"]) for r in gold_rows]
        else:
            y = [float(r["score"]) for r in gold_rows]
        return {"pearson": pearson([float(v) for v in pred], y)}
    raise KeyError(task)
