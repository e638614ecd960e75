"""``clusters``: group all rows of a file into stories (rows ``{id, text}`` → ``{id, cluster}``)."""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Callable
from datetime import datetime
from itertools import combinations, islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from riwaya.comparison.stories import (
    BATCH_LIMIT,
    SETTINGS_FILE,
    StoryIndex,
    batch_features,
    batch_probability,
    batch_stories,
    group_stories,
    profile_similarity,
    story_signature,
)
from riwaya.errors import InputError
from riwaya.model import Analysis, Article
from riwaya.models.estimators import logistic
from riwaya.models.similarity import CALIBRATION_FILE, SIGNALS, PairView, view_signals
from riwaya.resources import CORPUS
from riwaya.tasks.metrics import bcubed
from riwaya.text import build_document, templates

DATA = {"train": ["clusters/unifiedfc-train.jsonl"], "dev": ["clusters/unifiedfc-dev.jsonl"]}
KEY = "cluster"


def _analyses(rows: list[dict]) -> list[Analysis]:
    out = []
    for r in rows:
        text = r.get("text")
        if not isinstance(text, str):
            raise InputError(f"row {r.get('id')}", "expected a \"text\" string")
        url = r.get("url") if isinstance(r.get("url"), str) else None
        host = urlsplit(url).hostname if url else None
        source = host.removeprefix("www.") if host else None
        out.append(Analysis(document=build_document(Article(id=str(r["id"]), text=text, url=url,
                                                            source=source))))
    return out


def _clusters(analyses: list[Analysis], threshold: float | None = None) -> dict[str, str]:
    return {aid: story.id for story in group_stories(analyses, threshold) for aid in story.articles}


def predict(rows: list[dict]) -> list[dict]:
    analyses = _analyses(rows)
    if len(analyses) <= BATCH_LIMIT:  # grouped all together: the models need entities and numbers
        analyses = _full(analyses)
    by_id = _clusters(_learn_templates(analyses))
    return [{"id": r["id"], KEY: by_id[str(r["id"])]} for r in rows]


def _learn_templates(analyses: list[Analysis]) -> list[Analysis]:
    """Each outlet's page template, learned from its articles in the set, left out of the signals
    (as :func:`predict` does, so the models are fit on what they will see)."""
    templates.learn([a.document for a in analyses], lambda d: d.article.outlet)
    return analyses


def _read(data_dir: Path, names: list[str]) -> list[dict]:
    return [json.loads(line) for n in names for line in open(data_dir / n, encoding="utf-8") if line.strip()]


def _bcubed_of(stories, rows: list[dict]) -> dict:
    by_id = {aid: s.id for s in stories for aid in s.articles}
    return bcubed([str(r["cluster"]) for r in rows], [by_id[str(r["id"])] for r in rows])


def train(data_dir: Path, out_dir: Path) -> dict:
    """Tune the incremental join threshold and the batch model on train (B-cubed F1), and
    calibrate the same-story probability of a pair (small sets); one thread for the native
    libraries, so the solvers' sums come in one order."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return _train(data_dir, out_dir)


def _train(data_dir: Path, out_dir: Path) -> dict:
    rows = _read(data_dir, DATA["train"])
    analyses = _analyses(rows)
    gold = [str(r["cluster"]) for r in rows]
    full = _learn_templates(_full(analyses))
    signatures = [story_signature(a) for a in full]  # with entity ids linked, as ingest has them
    scores: dict[tuple[float, float], float] = {}
    for weight in ENTITY_WEIGHTS:
        for step in range(5, 61):
            t = step / 100
            index = StoryIndex(threshold=t, entity_weight=weight)
            by_id = {str(r["id"]): index.add(str(r["id"]), sig)
                     for r, sig in zip(rows, signatures, strict=True)}
            scores[weight, t] = bcubed(gold, [by_id[str(r["id"])] for r in rows])["bcubed_f1"]
    top = max(scores.values())
    # the smallest entity weight within 0.005 of the best, then its best threshold
    weight = min(w for (w, _), f1 in scores.items() if f1 >= top - 0.005)
    f1, threshold = max((f1, -t) for (w, t), f1 in scores.items() if w == weight)
    best = (f1, -threshold)
    batch = _batch_model(full, gold)
    corpus = _corpus_sample(data_dir)
    hard = _hard_negatives(data_dir)
    index_model = _index_model(rows, full, gold, corpus, hard)
    settings = {"threshold": best[1], "entity_weight": weight,
                "train_bcubed_f1_index": round(best[0], 4), "batch": batch, "index_model": index_model}
    (out_dir / SETTINGS_FILE).write_text(json.dumps(settings) + "\n", encoding="utf-8")
    dev_rows = _read(data_dir, DATA["dev"]) if (data_dir / DATA["dev"][0]).exists() else []
    dev_full = _learn_templates(_full(_analyses(dev_rows)))
    cal = _calibrate(full, gold, corpus, dev_full, [str(r["cluster"]) for r in dev_rows], hard)
    (out_dir / CALIBRATION_FILE).write_text(json.dumps(cal) + "\n", encoding="utf-8")
    report = {"threshold": best[1], "entity_weight": weight, "train_bcubed_f1_index": round(best[0], 4),
              "index_model_threshold": index_model["threshold"],
              "train_bcubed_f1_index_model": index_model["train_bcubed_f1"],
              "batch_power": batch["power"], "batch_distance": batch["distance"],
              "train_bcubed_f1": batch["train_bcubed_f1"],
              "small_set_probability": cal.get("small_set_probability")}
    if dev_rows:
        report["dev"] = _bcubed_of(batch_stories(dev_full, batch), dev_rows)
    return report


def _index_model(rows: list[dict], full: list[Analysis], gold: list[str], corpus: list[Analysis],
                 hard: list[tuple[Analysis, Analysis]] | None = None) -> dict:
    """The :class:`StoryIndex` same-story model: a class-balanced logistic regression over
    :func:`~riwaya.comparison.stories.index_signals` of all train pairs plus one-topic and easy
    corpus negatives (as the pair calibration), then the join probability with the best train
    B-cubed F1 when the index files the train articles one by one.

    As in a store, copies of one report (:mod:`~riwaya.comparison.copies`) never reach the index:
    pairs of copies are left out of the fit, and a copy joins its report's story when filed."""

    from riwaya.comparison.copies import copy_groups
    from riwaya.comparison.stories import INDEX_SIGNALS, SIGNATURE_VERSION, index_signals, view_of

    def views(analyses: list[Analysis]) -> list:
        return [view_of(story_signature(a)) for a in analyses]

    report_of = {j: g[0] for g in copy_groups(full) for j in g[1:]}
    train_views = views(full)
    pairs = [(i, j) for i, j in combinations(range(len(full)), 2)
             if report_of.get(i, i) != report_of.get(j, j)]
    x = [index_signals(train_views[i], train_views[j]) for i, j in pairs]
    y = [int(gold[i] == gold[j]) for i, j in pairs]
    hard_views = _pair_views(hard or [], lambda a: view_of(story_signature(a)))
    x += [index_signals(va, vb) for va, vb in hard_views]
    y += [0] * len(hard_views)
    fit, _, means, scales = _fit_with_corpus_negatives(x, y, views(corpus), index_signals)
    model = {"signals": INDEX_SIGNALS, "signature": SIGNATURE_VERSION,
             "weights": [round(float(w), 6) for w in fit.coef_[0]],
             "intercept": round(float(fit.intercept_[0]), 6),
             "means": [round(float(v), 6) for v in means], "scales": [round(float(v), 6) for v in scales],
             "pairs": len(y), "positives": int(sum(y))}
    signatures = [story_signature(a) for a in full]
    grid: list[tuple[float, float, int, int]] = []  # (train F1, threshold, candidates, members)
    for candidates, members in INDEX_LINKS:  # candidate stories judged by average link
        for step in range(-8, 33):  # log-odds -2 .. 8 by 0.25: a balanced fit needs the high end
            threshold = round(logistic(step / 4), 5)
            index = StoryIndex(model={**model, "link": "average", "candidates": candidates,
                                      "members": members, "threshold": threshold})
            pred: list[str] = []
            for n, (r, sig) in enumerate(zip(rows, signatures, strict=True)):
                pred.append(pred[report_of[n]] if n in report_of else index.add(str(r["id"]), sig))
            grid.append((bcubed(gold, pred)["bcubed_f1"], threshold, candidates, members))
    # train F1 is flat (within +-0.01, noise on 372 articles) over a wide band of thresholds: the
    # lowest threshold within INDEX_TOLERANCE of the best, the best F1 among its link settings
    top = max(f1 for f1, *_ in grid)
    low = min(t for f1, t, *_ in grid if f1 >= top - INDEX_TOLERANCE)
    best = max((g for g in grid if g[1] == low and g[0] >= top - INDEX_TOLERANCE), key=lambda g: g[0])
    model.update(link="average", candidates=best[2], members=best[3], threshold=best[1],
                 train_bcubed_f1=round(best[0], 4))
    return model


def _batch_model(analyses: list[Analysis], gold: list[str]) -> dict:
    """Logistic weights over the batch features of all train pairs (class-balanced), then the
    profile power and average-link distance that give the best train B-cubed F1."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    n = len(analyses)
    upper = np.triu_indices(n, 1)
    x = np.column_stack([m[upper] for m in batch_features(analyses)])
    g = np.array(gold)
    y = (g[:, None] == g[None, :])[upper].astype(int)
    means, scales = x.mean(0), np.maximum(x.std(0), 1e-6)
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit((x - means) / scales, y)
    batch = {"features": [*SIGNALS, "batch_keys"], "weights": [round(float(w), 6) for w in model.coef_[0]],
             "intercept": round(float(model.intercept_[0]), 6),
             "means": [round(float(v), 6) for v in means], "scales": [round(float(v), 6) for v in scales]}
    rows = [{"id": a.article.id, "cluster": c} for a, c in zip(analyses, gold, strict=True)]
    prob = batch_probability(analyses, batch)
    best = (0.0, 1, 0.5)
    for power in (1, 2, 3, 4, 6, 8, 12):
        sim = np.clip(1 - profile_similarity(prob, power), 0, None)
        for step in range(1, 90):
            stories = _cut(analyses, sim, step / 100)
            f1 = _bcubed_of(stories, rows)["bcubed_f1"]
            if f1 > best[0] + 1e-9:
                best = (f1, power, step / 100)
    batch.update(power=best[1], distance=best[2], train_bcubed_f1=round(best[0], 4))
    return batch


def _cut(analyses: list[Analysis], distance, threshold: float) -> list:
    from sklearn.cluster import AgglomerativeClustering

    from riwaya.model import Story

    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=threshold).fit(distance).labels_
    return [Story(id=str(label), articles=[a.article.id for a, x in zip(analyses, labels, strict=True)
                                           if x == label]) for label in set(labels)]


CORPUS_STEP = 100  # every 100th corpus article: days apart, essentially never one story
CORPUS_ARTICLES = 300
CORPUS_PAIRS = 3000
HARD_STEP = 10  # every 10th corpus article, with its publication date, for hard negatives
HARD_GAP_DAYS = 10  # articles this far apart report different events, however alike their words
HARD_PER_ARTICLE = 3  # each article's most alike articles HARD_GAP_DAYS or more apart ...
HARD_PAIRS = 3000  # ... of which the most alike pairs are kept
ENTITY_WEIGHTS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)  # the index's shared-entity term
INDEX_LINKS = ((5, 5), (5, 10), (10, 5), (10, 10), (20, 5), (20, 10))  # (candidates, members)
INDEX_TOLERANCE = 0.02  # train B-cubed F1 given up for the lowest join threshold (see _index_model)
SIM_SETS = 2000  # simulated small sets for the small-set threshold


def _full(analyses: list[Analysis]) -> list[Analysis]:
    """Full analyses (entities, quantities, dates), entity ids linked across the whole set."""
    from riwaya.extract.entities import link_across
    from riwaya.pipeline import analyze_article

    full = [analyze_article(a.article) for a in analyses]
    link_across(full)
    return full


def _corpus_sample(data_dir: Path) -> list[Analysis]:
    path = data_dir / CORPUS
    if not path.exists():
        return []
    from riwaya.pipeline import analyze_article

    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in islice(f, 0, CORPUS_STEP * CORPUS_ARTICLES, CORPUS_STEP)]
    return [analyze_article(Article(id=str(r["id"]), text=r["text"])) for r in rows]


def _hard_negatives(data_dir: Path) -> list[tuple[Analysis, Analysis]]:
    """Pairs of corpus articles on one topic but :data:`HARD_GAP_DAYS` or more apart: for each
    of every :data:`HARD_STEP`-th article, its :data:`HARD_PER_ARTICLE` nearest by content keys
    that far apart in time; the :data:`HARD_PAIRS` most alike pairs. Two openings of two festivals,
    two league matches or two ministry meetings weeks apart share their vocabulary but not their
    names, numbers or dates: a model that only saw random corpus pairs reads shared topic words as
    one story."""
    path = data_dir / CORPUS
    if not path.exists():
        return []
    import numpy as np
    import scipy.sparse as sp

    from riwaya.extract.entities import link_across
    from riwaya.pipeline import analyze_article

    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [r for r in (json.loads(line) for line in islice(f, 0, None, HARD_STEP)) if r.get("published")]
    analyses = [analyze_article(Article(id=str(r["id"]), text=r["text"])) for r in rows]
    days = np.array([datetime.fromisoformat(r["published"]).timestamp() / 86400 for r in rows])
    vocab: dict[str, int] = {}
    cells: tuple[list, list, list] = ([], [], [])
    for i, a in enumerate(analyses):
        for k, w in PairView(a).keys.items():
            cells[0].append(i)
            cells[1].append(vocab.setdefault(k, len(vocab)))
            cells[2].append(w)
    m = sp.csr_matrix((cells[2], (cells[0], cells[1])), shape=(len(rows), len(vocab)))
    sim = (m @ m.T).toarray()
    sim[np.abs(days[:, None] - days[None, :]) < HARD_GAP_DAYS] = 0.0
    pairs = {(min(i, int(j)), max(i, int(j))) for i in range(len(rows))
             for j in np.argsort(-sim[i], kind="stable")[:HARD_PER_ARTICLE] if sim[i, j] > 0}
    best = sorted(pairs, key=lambda p: (-sim[p], p))[:HARD_PAIRS]
    link_across(analyses)  # as the train set is linked across
    return [(analyses[i], analyses[j]) for i, j in best]


def _pair_views(pairs: list[tuple[Analysis, Analysis]], view: Callable[[Analysis], Any]) -> list[tuple]:
    """``view`` of both articles of each pair, computed once per article (one is in several pairs)."""
    seen: dict[int, Any] = {}

    def once(a: Analysis) -> Any:
        if id(a) not in seen:
            seen[id(a)] = view(a)
        return seen[id(a)]

    return [(once(a), once(b)) for a, b in pairs]


def _pair_f1(pred, gold) -> float:
    tp = float((pred & gold).sum())
    return 2 * tp / (pred.sum() + gold.sum()) if tp else 0.0


def _all_pairs(analyses: list[Analysis], gold: list[str]) -> tuple[list[list[float]], list[int], list]:
    views = [PairView(a) for a in analyses]
    x, y, pairs = [], [], []
    for i, j in combinations(range(len(analyses)), 2):
        x.append(view_signals(views[i], views[j]))
        y.append(int(gold[i] == gold[j]))
        pairs.append((i, j))
    return x, y, pairs


def _calibrate(analyses: list[Analysis], gold: list[str], corpus: list[Analysis],
               dev: list[Analysis], dev_gold: list[str],
               hard: list[tuple[Analysis, Analysis]] | None = None) -> dict:
    """Logistic weights turning the pair signals into a same-story probability.

    Positives and negatives: all pairs of ``clusters/`` train; one-topic negatives: SaudiNewsNet
    articles alike in words but weeks apart (:func:`_hard_negatives`); easy negatives: random pairs
    of SaudiNewsNet articles days apart. The small-set link probability is chosen on dev by
    simulation (:func:`_small_set_threshold`).
    """
    import numpy as np

    x, y, _ = _all_pairs(analyses, gold)
    hard = hard or []
    x += [view_signals(va, vb) for va, vb in _pair_views(hard, PairView)]
    y += [0] * len(hard)
    negatives = [PairView(a) for a in corpus]
    model, xs, means, scales = _fit_with_corpus_negatives(x, y, negatives, view_signals)
    prob = model.predict_proba((xs - means) / scales)[:, 1]
    gold_pairs = np.array(y, dtype=bool)
    link = max((_pair_f1(prob >= t / 100, gold_pairs), t / 100) for t in range(20, 96))
    cal = {"signals": SIGNALS, "link_probability": link[1], "train_pair_f1": round(float(link[0]), 4),
           "weights": [round(float(w), 6) for w in model.coef_[0]],
           "intercept": round(float(model.intercept_[0]), 6),
           "means": [round(float(v), 6) for v in means], "scales": [round(float(v), 6) for v in scales],
           "pairs": len(y), "positives": int(sum(y)),
           "corpus_negatives": CORPUS_PAIRS if len(negatives) > 1 else 0, "topic_negatives": len(hard),
           "trained_on": "clusters/unifiedfc-train + SaudiNewsNet pairs on one topic weeks apart "
                         "+ SaudiNewsNet pairs days apart",
           "note": f"class-balanced fit (train prior {math.fsum(y) / len(y):.4f})"}
    if dev:
        dx, _, dpairs = _all_pairs(dev, dev_gold)
        dprob = model.predict_proba((np.array(dx) - means) / scales)[:, 1]
        cal.update(_small_set_threshold(dict(zip(dpairs, dprob, strict=True)), dev_gold))
    return cal


def _small_set_threshold(prob: dict, gold: list[str]) -> dict:
    """The link probability that best recovers the grouping of simulated small sets on dev.

    Each set: 2-4 articles of one dev cluster plus 1-2 articles of other clusters, as a user
    handing ``compare`` a handful of articles would; score: mean B-cubed F1 of single-link groups.
    """
    import numpy as np

    members: dict[str, list[int]] = {}
    for i, g in enumerate(gold):
        members.setdefault(g, []).append(i)
    names = sorted(members)
    rng = np.random.default_rng(0)
    sets = []
    for _ in range(SIM_SETS):
        c = names[rng.integers(len(names))]
        k = int(rng.integers(2, min(4, len(members[c])) + 1))
        others = [i for i in range(len(gold)) if gold[i] != c]
        pick = [int(i) for i in rng.choice(members[c], k, replace=False)]
        pick += [int(i) for i in rng.choice(others, int(rng.integers(1, 3)), replace=False)]
        sets.append(pick)

    def linked(i: int, j: int) -> float:
        return prob[(i, j)] if i < j else prob[(j, i)]

    best = (0.0, 0.5)
    for step in range(20, 96, 5):
        t = step / 100
        total = 0.0
        for pick in sets:
            groups = _single_link(pick, lambda i, j, t=t: linked(i, j) >= t)
            total += bcubed([gold[i] for i in pick], [str(groups[i]) for i in pick])["bcubed_f1"]
        if total / len(sets) > best[0] + 1e-9:
            best = (total / len(sets), t)
    return {"small_set_probability": best[1], "small_set_dev_bcubed_f1": round(best[0], 4),
            "small_set_simulation": f"{SIM_SETS} sets on clusters/unifiedfc-dev: 2-4 of one story + 1-2 "
                                    "others"}


def _single_link(items: list[int], same) -> dict[int, int]:
    """The group (its first item) of each item when ``same(i, j)`` links pairs."""
    from riwaya.linkage import components

    edges = [(a, b) for a in range(len(items)) for b in range(a + 1, len(items)) if same(items[a], items[b])]
    return {items[k]: items[comp[0]] for comp in components(len(items), edges) for k in comp}


def _fit_with_corpus_negatives(x: list, y: list[int], corpus_views: list, signals):
    """A balanced logistic regression on standardised pair signals, with CORPUS_PAIRS random
    pairs of corpus articles added to ``x``/``y`` as different stories (seeded): the model, the
    signal matrix, its means and scales. Balanced: a probability under even odds, not under the
    training set's prior."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    for _ in range(CORPUS_PAIRS if len(corpus_views) > 1 else 0):
        i, j = rng.choice(len(corpus_views), 2, replace=False)
        x.append(signals(corpus_views[i], corpus_views[j]))
        y.append(0)
    xs = np.array(x)
    means, scales = xs.mean(0), np.maximum(xs.std(0), 1e-6)
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit((xs - means) / scales, y)
    return model, xs, means, scales
