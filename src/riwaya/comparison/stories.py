"""Story grouping: which articles report the same story, incrementally, with near-duplicates.

Each article is reduced to a small JSON-ready *signature* (its strongest idf-weighted keys, a
MinHash of its word shingles, its entity ids and publication time), so a store can persist it and
rebuild a :class:`StoryIndex`. A new article looks up candidates through an inverted index over
its keys (never all pairs), joins the story of the most similar earlier article when the
similarity clears a threshold tuned on ``clusters/`` train, or opens a story. Syndicated copies
(MinHash LSH, Jaccard ≥ 0.8 over word 3-shingles) join their original's story and are reported
by :meth:`StoryIndex.duplicate_of`, so a story counts them as one report.
"""

from __future__ import annotations

import json
import math
import sys
from collections import defaultdict
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from riwaya.model import Analysis, Story
from riwaya.models.estimators import (
    Rows,
    StandardLogistic,
    average_link,
    batch_tfidf,
    hstack_rows,
    l2_dense,
    l2_rows,
)
from riwaya.models.features import keys
from riwaya.models.similarity import analysis_keys, weighted_keys
from riwaya.resources import WEIGHTS_DIR

if TYPE_CHECKING:
    from datasketch import MinHash

TOP_KEYS = 40
NUM_PERM = 64
SHINGLE = 3
JOIN_THRESHOLD = 0.26  # fallback; the shipped value is tuned on clusters/ train (compare_stories.json)
SETTINGS_FILE = "compare_stories.json"
DUPLICATE_THRESHOLD = 0.8
MAX_POSTING = 2000  # keys in more signatures than this are too common to retrieve by
RETRIEVE_KEYS = 15  # an article's strongest keys look up candidates
POSTING_WINDOW = 100  # only the most recent articles under a key are candidates (bounded cost per add)
WINDOW_DAYS = 7.0
CANDIDATES = 5  # the best-retrieved earlier articles the same-story model decides among
STORY_MEMBERS = 10  # a candidate story is judged on up to this many of its most recent members
VIEW_LEAD_KEYS = 20
VIEW_VALUES = 30
INDEX_SIGNALS = ["keys", "entities", "entity_weight", "rare_keys", "lead", "minhash", "quantities", "dates"]


_PERMUTATIONS: list = []


def _new_minhash(hashvalues: list[int] | None = None) -> MinHash:
    """A MinHash of the one scheme signatures use (datasketch >= 2 names it; older ones cannot)."""
    from datasketch import MinHash  # imported on first use: a third of a second at start-up

    values = None if hashvalues is None else np.array(hashvalues, dtype=np.uint64)
    perms = _PERMUTATIONS[0] if _PERMUTATIONS else None  # computed once, not per article
    try:
        m = MinHash(num_perm=NUM_PERM, seed=1, hashvalues=values, permutations=perms, scheme="affine32")
    except TypeError:  # datasketch < 2.0: one scheme only
        m = MinHash(num_perm=NUM_PERM, seed=1, hashvalues=values, permutations=perms)
    if not _PERMUTATIONS:
        _PERMUTATIONS.append(m.permutations)
    return m


def _minhash(ks: list[str]) -> list[int]:
    shingles = {" ".join(ks[i:i + SHINGLE]).encode("utf-8") for i in range(max(len(ks) - SHINGLE + 1, 1))}
    m = _new_minhash()
    m.update_batch(list(shingles))
    return [int(v) for v in m.hashvalues]


def _top(vec: dict[str, float], n: int) -> dict[str, float]:
    top = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
    return {k: round(v / norm, 4) for k, v in top}


def signature_from_keys(ks: list[str], entities: list[str] | None = None,
                        published: datetime | None = None) -> dict[str, Any]:
    """The signature of an article from its content keys (see :func:`story_signature`)."""
    return {
        "keys": _top(weighted_keys(ks), TOP_KEYS),
        "minhash": _minhash(ks),
        "entities": sorted(set(entities or [])),
        "published": published.isoformat() if published else None,
    }


def story_signature(analysis: Analysis) -> dict[str, Any]:
    """A small JSON-serialisable dict that stands for the article in a :class:`StoryIndex`:
    its strongest keys, a MinHash of its word shingles, its entity ids and publication time, and
    what the index's same-story model reads besides (``view``: the entities weighted as
    :mod:`~riwaya.models.similarity` weighs them, the lead's strongest keys, quantities, dates).
    The keys are those of the article's own language (an Arabic article's English caption left
    out): the index compares each article with thousands, where unseen foreign words mislead most."""
    from riwaya.models.similarity import LEAD_KEYS, _entity_vector

    ks = analysis_keys(analysis, home_language=True)
    sig = signature_from_keys(ks, [e.id for e in analysis.entities], analysis.article.published)
    sig["view"] = {
        "entities": {k: round(v, 4) for k, v in _entity_vector(analysis).items()},
        "lead": _top(weighted_keys(ks[:LEAD_KEYS]), VIEW_LEAD_KEYS),
        "quantities": sorted({str(q.value) for q in analysis.quantities
                              if q.value is not None})[:VIEW_VALUES],
        "dates": sorted({str(d.value) for d in analysis.dates if d.value})[:VIEW_VALUES],
    }
    return sig


def text_signature(text: str, published: datetime | None = None) -> dict[str, Any]:
    """The signature of a raw text (no analysis needed)."""
    return signature_from_keys([k for k in keys(text) if not k[:1].isdigit()], None, published)


def _time(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime):
        try:
            return value.replace(tzinfo=None).timestamp() / 86400
        except (OverflowError, OSError, ValueError):  # out of the platform's range: unknown
            return None
    return None


def default_threshold() -> float:
    """The join threshold tuned by ``riwaya train clusters`` (B-cubed F1 on train)."""
    return float(_settings().get("threshold", JOIN_THRESHOLD))


def default_entity_weight() -> float:
    """How much shared linked entities add to the index's key similarity (tuned on train; 0 = off)."""
    return float(_settings().get("entity_weight", 0.0))


def _entity_overlap(a: frozenset[str], b: frozenset[str], idf) -> float:
    """Idf-weighted Ochiai overlap of two entity sets, damped below two shared entities."""
    shared = a & b
    if not shared:
        return 0.0
    num = math.fsum(idf(e) for e in shared)  # exact: independent of the sets' (hash-seeded) order
    norm = math.sqrt(math.fsum(idf(e) for e in a) * math.fsum(idf(e) for e in b))
    return num / norm * min(1.0, len(shared) / 2)


def default_index_model() -> dict | None:
    """The index's same-story model tuned by ``riwaya train clusters`` (None: not trained)."""
    model = _settings().get("index_model")
    return model if model and model.get("signals") == INDEX_SIGNALS else None


class _View:
    """What the index's same-story model reads of one signature (None where it has no ``view``)."""

    __slots__ = ("dates", "entities", "entity_weight", "keys", "lead", "minhash", "quantities", "top")

    def __init__(self, signature: dict[str, Any], minhash: np.ndarray | None):
        view = signature["view"]
        self.keys: dict[str, float] = signature.get("keys", {})
        self.top = set(list(self.keys)[:30])
        self.entities = _signature_entities(signature)
        self.entity_weight: dict[str, float] = view.get("entities", {})
        self.lead: dict[str, float] = view.get("lead", {})
        self.quantities = set(view.get("quantities", ()))
        self.dates = set(view.get("dates", ()))
        self.minhash = minhash


def _cos(x: dict[str, float], y: dict[str, float]) -> float:
    if len(x) > len(y):
        x, y = y, x
    return sum(v * y.get(k, 0.0) for k, v in x.items())


def _jac(x: set | frozenset, y: set | frozenset) -> float:
    return len(x & y) / len(x | y) if x and y else 0.0


def index_signals(a: _View, b: _View) -> list[float]:
    """The :data:`INDEX_SIGNALS` of two signatures: the pair signals of
    :mod:`~riwaya.models.similarity` as far as signatures carry them (strongest keys, entities,
    lead, quantities, dates), with the MinHash agreement of word shingles in place of char n-grams."""
    rare = 0.0
    if a.top and b.top:
        rare = (sum(k in b.keys for k in a.top) / len(a.top)
                + sum(k in a.keys for k in b.top) / len(b.top)) / 2
    mh = float(np.mean(a.minhash == b.minhash)) if a.minhash is not None and b.minhash is not None else 0.0
    return [_cos(a.keys, b.keys), _jac(a.entities, b.entities), _cos(a.entity_weight, b.entity_weight), rare,
            _cos(a.lead, b.lead), mh, _jac(a.quantities, b.quantities), _jac(a.dates, b.dates)]


def index_probability(signals: list[float], model: dict) -> float:
    return StandardLogistic.of(model).probability(signals)


class StoryIndex:
    """A growing set of articles grouped into stories; ``add`` one article at a time.

    Candidates come from an inverted index over signature keys (never all pairs). With a trained
    ``model`` (``compare_stories.json`` ``index_model``) the :data:`CANDIDATES` best-retrieved ones
    are judged by a same-story probability over :func:`index_signals` and the article joins the
    most probable at or above ``model["threshold"]``; signatures stored before the ``view`` field
    (or no model) are judged by the retrieval score against ``threshold``, as before.
    """

    def __init__(self, threshold: float | None = None, duplicate_threshold: float = DUPLICATE_THRESHOLD,
                 window_days: float | None = WINDOW_DAYS, entity_weight: float | None = None,
                 model: dict | bool | None = None):
        self.threshold = default_threshold() if threshold is None else threshold
        self.entity_weight = default_entity_weight() if entity_weight is None else entity_weight
        if model is None:  # the shipped model, unless a threshold was asked for (the legacy rule)
            model = default_index_model() if threshold is None else False
        self.model: dict | None = model if isinstance(model, dict) else None
        self._views: list[_View | None] = []
        self.window_days = window_days
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=duplicate_threshold, num_perm=NUM_PERM)
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._ids: list[str] = []
        self._vectors: list[dict[str, float]] = []
        self._times: list[float | None] = []
        self._entities: list[frozenset[str]] = []  # signatures stored before entities: empty
        self._entity_df: dict[str, int] = defaultdict(int)
        self._story_of: list[int] = []
        self._stories: list[list[int]] = []
        self._scores: list[list[float]] = []
        self._duplicate: dict[str, str] = {}
        self._index: dict[str, int] = {}
        self._names: dict[int, str] = {}  # stories restored under their stored ids
        self._named: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, article_id: str, signature: dict[str, Any], published: Any = None) -> str:
        """File one article; return the id of the story it joins or opens."""
        if article_id in self._index:
            return self.story_of(article_id)
        signature = _compact(signature)
        vec = signature["keys"]
        when = _time(published if published is not None else signature.get("published"))
        i = len(self._ids)
        mh = _new_minhash(signature["minhash"])
        story, score = None, 0.0
        dups = self._lsh.query(mh) if vec else []
        if dups:
            original = min(self._index[d] for d in dups)
            self._duplicate[article_id] = self._ids[original]
            story, score = self._story_of[original], 1.0
        else:
            view = self._view(signature, mh)
            best, score, joins = self._best_match(vec, when, _signature_entities(signature), view)
            if best is not None and joins:
                story = self._story_of[best]
        if story is None:
            story = len(self._stories)
            self._stories.append([])
            self._scores.append([])
        self._stories[story].append(i)
        self._scores[story].append(score)
        self._ids.append(article_id)
        self._index[article_id] = i
        self._vectors.append(vec)
        self._times.append(when)
        self._views.append(self._view(signature, mh))
        self._file_entities(_signature_entities(signature))
        self._story_of.append(story)
        if vec:
            self._lsh.insert(article_id, mh)
        for k in vec:
            self._postings[k].append(i)
        return self._story_id(story)

    def _file_entities(self, entities: frozenset[str]) -> None:
        self._entities.append(entities)
        for e in entities:
            self._entity_df[e] += 1

    def _entity_idf(self, entity: str) -> float:
        return math.log((len(self._ids) + 1) / (self._entity_df.get(entity, 0) + 1)) + 1.0

    def _view(self, signature: dict[str, Any], mh: Any = None) -> _View | None:
        if self.model is None or not isinstance(signature.get("view"), dict):
            return None
        values = mh.hashvalues if mh is not None else signature.get("minhash")
        return _View(signature, None if values is None else np.asarray(values, dtype=np.uint64))

    def _best_match(self, vec: dict[str, float], when: float | None,
                    entities: frozenset[str] = frozenset(),
                    view: _View | None = None) -> tuple[int | None, float, bool]:
        """The earlier article to join: ``(index, score, whether it clears the bar)``."""
        scores: dict[int, float] = defaultdict(float)
        for k, w in list(vec.items())[:RETRIEVE_KEYS]:  # signature keys are strongest first
            posting = self._postings.get(k)
            if not posting or len(posting) > MAX_POSTING:
                continue
            for j in posting[-POSTING_WINDOW:]:
                scores[j] += w * self._vectors[j][k]
        if self.window_days is not None and when is not None:
            times = self._times
            scores = {j: s for j, s in scores.items()
                      if (t := times[j]) is None or abs(when - t) <= self.window_days}
        if view is not None:
            return self._most_probable(scores, view, entities)
        if self.entity_weight and entities:  # candidates still come from shared keys only
            for j, s in scores.items():
                if self._entities[j] and s + self.entity_weight >= self.threshold:  # else hopeless
                    scores[j] += self.entity_weight * _entity_overlap(entities, self._entities[j],
                                                                      self._entity_idf)
        best, best_score = None, 0.0
        for j, s in scores.items():
            if s > best_score:
                best, best_score = j, s
        return best, best_score, best is not None and best_score >= self.threshold

    def _most_probable(self, scores: dict[int, float], view: _View,
                       entities: frozenset[str]) -> tuple[int | None, float, bool]:
        """Among the best-retrieved candidates, the most probable same story under the model."""
        model = self.model
        assert model is not None
        if model.get("link") == "average":
            return self._most_probable_story(scores, view, entities)
        best, best_p = None, -1.0
        for j in sorted(scores, key=lambda j: (-scores[j], j))[:CANDIDATES]:
            p = self._pair_probability(view, j, entities, scores[j])
            if p > best_p:
                best, best_p = j, p
        return best, max(best_p, 0.0), best is not None and best_p >= model["threshold"]

    def _pair_probability(self, view: _View, j: int, entities: frozenset[str], score: float) -> float:
        """Same-story probability of the new article (``view``) and earlier article ``j``."""
        other = self._views[j]
        if other is not None:
            assert self.model is not None
            return index_probability(index_signals(view, other), self.model)
        s = score  # stored before views: the retrieval score decides, as before
        if self.entity_weight and entities and self._entities[j]:
            s += self.entity_weight * _entity_overlap(entities, self._entities[j], self._entity_idf)
        return 1.0 if s >= self.threshold else 0.0

    def _most_probable_story(self, scores: dict[int, float], view: _View,
                             entities: frozenset[str]) -> tuple[int | None, float, bool]:
        """Judge candidate *stories*: the stories of the best-retrieved articles, each by the mean
        same-story probability over its most recent members (average link, which resists the
        chaining a single most similar article invites)."""
        model = self.model
        assert model is not None
        k, m = int(model.get("candidates", CANDIDATES)), int(model.get("members", STORY_MEMBERS))
        best, best_p = None, -1.0
        for s in dict.fromkeys(self._story_of[j] for j in sorted(scores, key=lambda j: (-scores[j], j))[:k]):
            members = self._stories[s][-m:]
            p = sum(self._pair_probability(view, j, entities, scores.get(j, 0.0))
                    for j in members) / len(members)
            if p > best_p:
                best, best_p = members[-1], p
        return best, max(best_p, 0.0), best is not None and best_p >= model["threshold"]

    def restore(self, article_id: str, signature: dict[str, Any], published: Any, story_id: str) -> str:
        """File a stored article under the story id a store kept for it (no regrouping).

        Rebuilding an index this way keeps stored stories as they are even when the similarity
        model changed since; later :meth:`add` calls can join them.
        """
        if article_id in self._index:
            return self.story_of(article_id)
        story = self._named.get(story_id)
        if story is None:
            story = len(self._stories)
            self._stories.append([])
            self._scores.append([])
            self._names[story] = story_id
            self._named[story_id] = story
        signature = _compact(signature)
        vec = signature["keys"]
        i = len(self._ids)
        self._stories[story].append(i)
        self._scores[story].append(1.0)
        self._ids.append(article_id)
        self._index[article_id] = i
        self._vectors.append(vec)
        self._times.append(_time(published if published is not None else signature.get("published")))
        self._views.append(self._view(signature))
        self._file_entities(_signature_entities(signature))
        self._story_of.append(story)
        if vec and signature.get("minhash"):
            self._lsh.insert(article_id, _new_minhash(signature["minhash"]))
        for k in vec:
            self._postings[k].append(i)
        return story_id

    def _story_id(self, story: int) -> str:
        return self._names.get(story) or f"story-{self._ids[self._stories[story][0]]}"

    def story_of(self, article_id: str) -> str:
        return self._story_id(self._story_of[self._index[article_id]])

    def duplicate_of(self, article_id: str) -> str | None:
        """The earlier article this one is a near-copy of (syndicated text), or None."""
        return self._duplicate.get(article_id)

    def stories(self) -> list[Story]:
        """Every story so far, singletons included; confidence = mean join similarity."""
        out = []
        for s, members in enumerate(self._stories):
            joins = self._scores[s][1:]
            conf = sum(joins) / len(joins) if joins else 1.0
            out.append(Story(id=self._story_id(s), articles=[self._ids[i] for i in members],
                             confidence=round(min(max(conf, 0.0), 1.0), 4)))
        return out


def _compact(signature: dict[str, Any]) -> dict[str, Any]:
    """The signature with its keys and entity ids interned: an index of 30,000 signatures holds
    each distinct word once instead of once per article."""
    out = dict(signature)
    intern = sys.intern
    out["keys"] = {intern(k): v for k, v in (signature.get("keys") or {}).items()}
    if signature.get("entities"):
        out["entities"] = [intern(e) for e in signature["entities"] if isinstance(e, str)]
    view = signature.get("view")
    if isinstance(view, dict):
        out["view"] = {**view, "entities": {intern(k): v for k, v in (view.get("entities") or {}).items()},
                       "lead": {intern(k): v for k, v in (view.get("lead") or {}).items()}}
    return out


def _signature_entities(signature: dict[str, Any]) -> frozenset[str]:
    return frozenset(e for e in signature.get("entities") or () if isinstance(e, str))


BATCH_LIMIT = 3000  # up to this many articles at once, group them all together (average link)
BATCH_MIN = 50  # fewer articles say too little about which words are common: use the index


def _settings() -> dict:
    path = WEIGHTS_DIR / SETTINGS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _batch_matrix(key_lists: list[list[str]]):
    """Cosine similarities of keys and key bigrams, weighted by idf *within the batch*.

    Words every article of the batch shares (the war, the country) count little; the words and
    bigrams a few articles share are what tells one story from another.
    """
    import scipy.sparse as sp

    words = batch_tfidf(key_lists)
    bigrams = [[f"{a} {b}" for a, b in pairwise(ks)] for ks in key_lists]
    try:
        pairs = l2_rows(batch_tfidf(bigrams, min_df=2))
        x = hstack_rows([words, Rows(pairs.indptr, pairs.indices, pairs.data * 0.7, pairs.width)])
    except ValueError:  # no bigram in two articles
        x = words
    x = l2_rows(x)
    m = sp.csr_matrix((x.data, x.indices, x.indptr), shape=(len(key_lists), x.width))
    return (m @ m.T).toarray()


BATCH_SIGNALS = "pair signals + in-batch key cosine"


def batch_features(analyses: list[Analysis]):
    """Every pair's features for the batch model: the pair :data:`~riwaya.models.similarity.SIGNALS`
    then the in-batch key cosine; yielded one ``(n, n)`` matrix at a time."""
    from riwaya.models.similarity import PairView, signal_matrices

    stop = _stop()
    yield from signal_matrices([PairView(a) for a in analyses])
    yield _batch_matrix([[k for k in analysis_keys(a) if k not in stop and len(k) > 1] for a in analyses])


def batch_probability(analyses: list[Analysis], model: dict):
    """Same-story probability of every pair of the batch under the batch model's logistic weights."""
    prob = StandardLogistic.of(model).probabilities(batch_features(analyses), (len(analyses), len(analyses)))
    np.fill_diagonal(prob, 1.0)
    return prob


def profile_similarity(prob, power: float):
    """Second-order similarity: the cosine of two articles' probability profiles (raised to
    ``power``) over the whole batch, so articles linked to the same others come together."""
    rows = l2_dense(np.power(prob, power))
    return rows @ rows.T


def batch_stories(analyses: list[Analysis], settings: dict | None = None) -> list[Story]:
    """All articles grouped at once: average-link clustering of second-order similarities of the
    batch model's same-story probabilities (settings tuned by ``riwaya train clusters``).

    The analyses need entities, quantities and dates (``analyze_article``), their entity ids linked
    across the batch."""
    settings = _settings().get("batch") if settings is None else settings
    if len(analyses) < 2 or not settings:
        return [Story(id=f"story-{a.article.id}", articles=[a.article.id]) for a in analyses]
    prob = batch_probability(analyses, settings)
    sim = profile_similarity(prob, settings["power"])
    labels = average_link(np.clip(1 - sim, 0, None), settings["distance"])
    members: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        members[int(label)].append(i)
    out = []
    for group in sorted(members.values()):
        pair_probs = [prob[i, j] for n, i in enumerate(group) for j in group[n + 1:]]
        conf = float(np.mean(pair_probs)) if pair_probs else 1.0
        out.append(Story(id=f"story-{analyses[group[0]].article.id}",
                         articles=[analyses[i].article.id for i in group],
                         confidence=round(min(max(conf, 0.0), 1.0), 4)))
    return out


def _stop() -> frozenset[str]:
    from riwaya.models.features import stopwords

    return stopwords()


def group_stories(analyses: list[Analysis], threshold: float | None = None) -> list[Story]:
    """Group analysed articles into stories (singletons included).

    From :data:`BATCH_MIN` to :data:`BATCH_LIMIT` articles are grouped all together
    (:func:`batch_stories`); fewer or more go through a :class:`StoryIndex`, oldest first.
    """
    if threshold is None and len(analyses) < BATCH_MIN:
        return small_stories(analyses)
    if BATCH_MIN <= len(analyses) <= BATCH_LIMIT and threshold is None:
        return batch_stories(analyses)
    return index_stories(analyses, threshold)


def small_stories(analyses: list[Analysis]) -> list[Story]:
    """A handful of articles: linked when ``article_similarity`` clears the small-set probability
    (chosen on ``clusters/`` dev by simulating small sets; see the model card), single link."""
    from riwaya.models.similarity import (
        PairView,
        same_story_probability,
        small_set_threshold,
        view_signals,
    )

    link = small_set_threshold()
    n = len(analyses)
    views = [PairView(a) for a in analyses]
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sims: dict[tuple[int, int], float] = {}
    for i in range(n):
        for j in range(i + 1, n):
            sims[i, j] = same_story_probability(view_signals(views[i], views[j]))
            if sims[i, j] >= link:
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    out = []
    for members in sorted(groups.values()):
        inside = [sims[i, j] for k, i in enumerate(members) for j in members[k + 1:]]
        conf = sum(inside) / len(inside) if inside else 1.0
        out.append(Story(id=f"story-{analyses[members[0]].article.id}",
                         articles=[analyses[i].article.id for i in members], confidence=round(conf, 4)))
    return out


def index_stories(analyses: list[Analysis], threshold: float | None = None) -> list[Story]:
    """Group through a :class:`StoryIndex` (incremental), oldest first."""
    order = sorted(range(len(analyses)), key=lambda i: (
        _time(analyses[i].article.published) is None, _time(analyses[i].article.published) or 0.0, i))
    index = StoryIndex(threshold=threshold)
    for i in order:
        a = analyses[i]
        index.add(a.article.id, story_signature(a), a.article.published)
    return index.stories()
