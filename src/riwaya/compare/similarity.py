"""Article similarity: how likely two texts or two analyses report the same story.

``text_similarity`` is an idf-weighted cosine over content keys (idf from the SaudiNewsNet corpus,
shipped as ``weights/compare_idf.json.gz``), good for sentences and whole articles alike.
``article_similarity`` adds shared entities, quantities and dates and the publication-time gap and
turns them into a same-story probability with a small logistic calibration
(``weights/compare_same_story.json``, trained on ``clusters/`` train).
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from riwaya.compare.features import keys, stopwords
from riwaya.errors import ModelMissingError
from riwaya.model import Analysis
from riwaya.resources import WEIGHTS_DIR

IDF_FILE = "compare_idf.json.gz"
CALIBRATION_FILE = "compare_same_story.json"
Vector = dict[str, float]


@cache
def idf_table() -> tuple[dict[str, float], float]:
    """``(idf by key, idf of an unseen key)``, loaded once."""
    path = WEIGHTS_DIR / IDF_FILE
    if not path.exists():
        raise ModelMissingError(f"{path} missing: run `riwaya train similarity`")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    n = data["documents"]
    idf = {k: math.log((n + 1) / (df + 1)) + 1 for k, df in data["df"].items()}
    return idf, math.log(n + 1) + 1


def weighted_keys(ks: Iterable[str]) -> Vector:
    """Unit-length idf-weighted vector (sublinear tf) of content keys."""
    idf, unseen = idf_table()
    stop = stopwords()
    counts = Counter(k for k in ks if k not in stop and len(k) > 1)
    vec = {k: (1 + math.log(c)) * idf.get(k, unseen) for k, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {k: v / norm for k, v in vec.items()}


def cosine(x: Vector, y: Vector) -> float:
    if len(x) > len(y):
        x, y = y, x
    return sum(v * y.get(k, 0.0) for k, v in x.items())


def text_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two raw texts (sentences or whole articles)."""
    return cosine(weighted_keys(keys(a)), weighted_keys(keys(b)))


def analysis_keys(analysis: Analysis) -> list[str]:
    """Matching keys of an analysed article's content sentences."""
    doc = analysis.document
    toks = doc.tokens
    if doc.sentences and any(not s.content for s in doc.sentences):
        toks = [t for s in doc.sentences if s.content for t in toks[s.token_start:s.token_end]]
    return [t.key for t in toks if t.key and not t.key[:1].isdigit()]


def pair_signals(a: Analysis, b: Analysis, va: Vector | None = None, vb: Vector | None = None) -> list[float]:
    """The signals ``article_similarity`` combines: keys, entities, quantities, dates, time gap.

    ``va``/``vb`` are the articles' key vectors when the caller already has them.
    """
    va = weighted_keys(analysis_keys(a)) if va is None else va
    vb = weighted_keys(analysis_keys(b)) if vb is None else vb
    words = cosine(va, vb)
    ea = {e.id for e in a.entities}
    eb = {e.id for e in b.entities}
    ents = len(ea & eb) / len(ea | eb) if ea and eb else 0.0
    qa = {q.value for q in a.quantities if q.value is not None}
    qb = {q.value for q in b.quantities if q.value is not None}
    quants = len(qa & qb) / len(qa | qb) if qa and qb else 0.0
    da = {d.value for d in a.dates if d.value}
    db = {d.value for d in b.dates if d.value}
    dates = len(da & db) / len(da | db) if da and db else 0.0
    return [words, ents, quants, dates, _gap_days(a, b)]


def _gap_days(a: Analysis, b: Analysis) -> float:
    """Days between publications, capped at 30; 0 when a date is unknown."""
    pa, pb = a.article.published, b.article.published
    if pa is None or pb is None:
        return 0.0
    try:
        return min(abs((pa - pb).total_seconds()) / 86400, 30.0)
    except TypeError:  # naive vs aware datetimes
        return min(abs((pa.replace(tzinfo=None) - pb.replace(tzinfo=None)).total_seconds()) / 86400, 30.0)


@cache
def _calibration() -> dict:
    path = WEIGHTS_DIR / CALIBRATION_FILE
    if not path.exists():
        raise ModelMissingError(f"{path} missing: run `riwaya train clusters`")
    return json.loads(path.read_text(encoding="utf-8"))


def same_story_probability(signals: list[float]) -> float:
    cal = _calibration()
    z = cal["intercept"] + sum(w * x for w, x in zip(cal["weights"], signals, strict=True))
    return 1 / (1 + math.exp(-z))


def article_similarity(a: Analysis, b: Analysis) -> float:
    """Calibrated probability that two analysed articles report the same story."""
    return same_story_probability(pair_signals(a, b))


# --------------------------------------------------------------------------- training
def train_idf(corpus: Path, out_dir: Path, keep: int = 120_000) -> dict:
    """Document frequencies of keys over the SaudiNewsNet corpus (CC BY-NC-SA 4.0)."""
    df: Counter[str] = Counter()
    n = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            n += 1
            df.update(set(keys((row.get("title") or "") + "\n" + row.get("text", ""))))
    top = {k: c for k, c in df.most_common() if c >= 2}
    top = dict(sorted(top.items(), key=lambda kv: (-kv[1], kv[0]))[:keep])
    with gzip.open(out_dir / IDF_FILE, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump({"documents": n, "df": top}, f, ensure_ascii=False, sort_keys=True)
    idf_table.cache_clear()
    return {"documents": n, "keys": len(top)}
