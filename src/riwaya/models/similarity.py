"""Article similarity: how likely two texts or two analyses report the same story.

``text_similarity`` is an idf-weighted cosine over content keys (idf from the SaudiNewsNet corpus,
shipped as ``weights/compare_idf.json.gz``), good for sentences and whole articles alike.
``article_similarity`` adds shared entities, quantities and dates and the publication-time gap and
turns them into a same-story probability with a small logistic calibration
(``weights/compare_same_story.json``, trained on ``clusters/`` train).
"""

from __future__ import annotations

import gzip
import io
import json
import math
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from riwaya.errors import ModelMissingError
from riwaya.model import Analysis
from riwaya.models.estimators import StandardLogistic
from riwaya.models.features import keys, stopwords
from riwaya.models.io import shipped
from riwaya.resources import WEIGHTS_DIR, derived

IDF_FILE = "compare_idf.json.gz"
CALIBRATION_FILE = "compare_same_story.json"
Vector = dict[str, float]


@cache
def idf_table() -> tuple[dict[str, float], float]:
    """``(idf by key, idf of an unseen key)``, loaded once."""
    path = shipped(WEIGHTS_DIR / IDF_FILE, "similarity")

    def build() -> dict:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
        n = data["documents"]
        return {"idf": {k: math.log((n + 1) / (df + 1)) + 1 for k, df in data["df"].items()},
                "unseen": math.log(n + 1) + 1}

    table = derived("compare-idf", build)  # (from the disk cache after a first run)
    return table["idf"], table["unseen"]


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


def analysis_keys(analysis: Analysis, home_language: bool = False) -> list[str]:
    """Matching keys of an analysed article's content sentences.

    With ``home_language``, an article mostly in Arabic leaves out its stretches in another
    language (an agency's English photo caption): the idf table, counted on Arabic news, has
    never seen their words, so each would weigh as much as the article's rarest Arabic word
    and they would outweigh what the article says in Arabic.
    """
    doc = analysis.document
    toks = doc.tokens
    if doc.sentences and any(not s.content for s in doc.sentences):
        toks = [t for s in doc.sentences if s.content for t in toks[s.token_start:s.token_end]]
    if doc.furniture:  # a page's menus and template say nothing of its story
        furniture = doc.furniture
        toks = [t for t in toks if not any(s <= t.start < e for s, e in furniture)]
    if home_language:
        foreign = [(g.start, g.end) for g in doc.segments if g.lang != "ar"]
        if foreign and 2 * sum(e - s for s, e in foreign) < sum(g.end - g.start for g in doc.segments):
            toks = [t for t in toks if not any(s <= t.start < e for s, e in foreign)]
    return [t.key for t in toks if t.key and not t.key[:1].isdigit()]


SIGNALS = ["words", "entities", "entity_weight", "rare_keys", "lead", "chars", "quantities", "dates"]
LEAD_KEYS = 60  # the title and lead: the first content keys of an article
RARE_TOP = 30  # an article's strongest keys compared for the rare-key signal


def _entity_vector(a: Analysis) -> Vector:
    """Entities weighted by how often the article names them and how rare their names are."""
    idf, unseen = idf_table()
    vec: Vector = {}
    for e in a.entities:
        name = e.name_ar or (e.names[0] if e.names else e.id)
        ks = [k for k in keys(name) if len(k) > 1] or [name]
        weight = max(idf.get(k, unseen) for k in ks)
        vec[e.id] = vec.get(e.id, 0.0) + (1 + math.log(max(len(e.mentions), 1))) * weight
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {k: v / norm for k, v in vec.items()}


def _char_vector(ks: list[str]) -> Vector:
    """Unit tf vector (sublinear) of character 4-grams of content keys (catches shared roots)."""
    stop = stopwords()
    counts: Counter[str] = Counter()
    for k in ks:
        if k in stop or len(k) < 3:
            continue
        w = f" {k} "
        counts.update(w[i:i + 4] for i in range(len(w) - 3))
    vec = {g: 1 + math.log(c) for g, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {g: v / norm for g, v in vec.items()}


def _rare_overlap(va: Vector, vb: Vector) -> float:
    """Share of each article's strongest (rarest, most repeated) keys the other one uses."""
    ta = sorted(va, key=lambda k: (-va[k], k))[:RARE_TOP]
    tb = sorted(vb, key=lambda k: (-vb[k], k))[:RARE_TOP]
    if not ta or not tb:
        return 0.0
    return (sum(k in vb for k in ta) / len(ta) + sum(k in va for k in tb) / len(tb)) / 2


class PairView:
    """What the pair signals need of one article, computed once per article."""

    __slots__ = ("analysis", "chars", "dates", "entities", "keys", "lead", "quantities")

    def __init__(self, a: Analysis):
        ks = analysis_keys(a)
        self.analysis = a
        self.keys = weighted_keys(ks)
        self.lead = weighted_keys(ks[:LEAD_KEYS])
        self.chars = _char_vector(ks)
        self.entities = _entity_vector(a)
        self.quantities = {q.value for q in a.quantities if q.value is not None}
        self.dates = {d.value for d in a.dates if d.value}


def _jaccard(x: set, y: set) -> float:
    return len(x & y) / len(x | y) if x and y else 0.0


def view_signals(x: PairView, y: PairView) -> list[float]:
    """The :data:`SIGNALS` of two articles' views."""
    ents = _jaccard(set(x.entities), set(y.entities))
    return [cosine(x.keys, y.keys), ents, cosine(x.entities, y.entities), _rare_overlap(x.keys, y.keys),
            cosine(x.lead, y.lead), cosine(x.chars, y.chars), _jaccard(x.quantities, y.quantities),
            _jaccard(x.dates, y.dates)]


def pair_signals(a: Analysis, b: Analysis) -> list[float]:
    """The :data:`SIGNALS` ``article_similarity`` combines: content keys, entities (shared and
    idf-weighted), shared rare keys, title/lead overlap, character 4-grams, quantities, dates.

    The publication gap is not a signal: ``clusters/`` carries no dates to learn its weight from
    (story grouping over a dated corpus uses a time window instead).

    Entity ids are compared as they are: link them across the articles first
    (:func:`riwaya.extract.entities.link_across`) so one real-world entity has one id.
    """
    return view_signals(PairView(a), PairView(b))


@cache
def _calibration() -> dict:
    path = shipped(WEIGHTS_DIR / CALIBRATION_FILE, "clusters")
    return json.loads(path.read_text(encoding="utf-8"))


def same_story_probability(signals: list[float]) -> float:
    cal = _calibration()
    if cal.get("signals") != SIGNALS:
        raise ModelMissingError(f"{WEIGHTS_DIR / CALIBRATION_FILE} is stale: run `riwaya train clusters`")
    return _scorer().probability(signals)


@cache
def _scorer() -> StandardLogistic:
    return StandardLogistic.of(_calibration())


def small_set_threshold() -> float:
    """The probability above which two of a handful of given articles are linked (see the card)."""
    return float(_calibration().get("small_set_probability", 0.5))


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
    # mtime=0: no time stamp in the gzip header, so a rebuild is byte-identical
    with gzip.GzipFile(out_dir / IDF_FILE, "wb", compresslevel=9, mtime=0) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8") as f:
        json.dump({"documents": n, "df": top}, f, ensure_ascii=False, sort_keys=True)
    idf_table.cache_clear()
    return {"documents": n, "keys": len(top)}


# --------------------------------------------------------------------------- all pairs at once
def _sparse(rows: list, binary: bool = False):
    """CSR matrix of dict (or set) rows over a shared column index."""
    import numpy as np
    import scipy.sparse as sp

    cols: dict = {}
    data, indices, indptr = [], [], [0]
    for row in rows:
        items = ((k, 1.0) for k in row) if binary else row.items()
        for k, v in items:
            indices.append(cols.setdefault(k, len(cols)))
            data.append(v)
        indptr.append(len(indices))
    return sp.csr_matrix((np.array(data, dtype=float), np.array(indices, dtype=np.int64), indptr),
                         shape=(len(rows), max(len(cols), 1)))


def _dense_product(x, y=None):
    return (x @ (x if y is None else y).T).toarray()


def _jaccard_matrix(sets: list[set]):
    import numpy as np

    b = _sparse(sets, binary=True)
    inter = _dense_product(b)
    size = np.array([len(s) for s in sets], dtype=float)
    union = size[:, None] + size[None, :] - inter
    out = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    empty = size == 0
    out[empty, :] = 0.0
    out[:, empty] = 0.0
    return out


def signal_matrices(views: list[PairView]):
    """The :data:`SIGNALS` of every pair of ``views``, one ``(n, n)`` array per signal in order,
    equal to :func:`view_signals` pair by pair (sparse products instead of a Python loop).
    A generator, so a caller can fold them in without holding all of them."""
    import numpy as np

    n = len(views)
    yield _dense_product(_sparse([v.keys for v in views]))
    yield _jaccard_matrix([set(v.entities) for v in views])
    yield _dense_product(_sparse([v.entities for v in views]))
    top = [set(sorted(v.keys, key=lambda k: (-v.keys[k], k))[:RARE_TOP]) for v in views]
    both = _sparse(top + [set(v.keys) for v in views], binary=True)  # one column index for both
    hits = _dense_product(both[:n], both[n:])  # hits[i, j]: i's strongest keys that j uses
    ntop = np.array([len(t) for t in top], dtype=float)
    share = np.divide(hits, ntop[:, None], out=np.zeros_like(hits), where=ntop[:, None] > 0)
    rare = (share + share.T) / 2
    rare[ntop == 0, :] = 0.0
    rare[:, ntop == 0] = 0.0
    yield rare
    del hits, share, rare
    yield _dense_product(_sparse([v.lead for v in views]))
    yield _dense_product(_sparse([v.chars for v in views]))
    yield _jaccard_matrix([v.quantities for v in views])
    yield _jaccard_matrix([v.dates for v in views])
