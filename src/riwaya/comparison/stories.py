"""Story grouping: which articles report the same story, incrementally, as events in time.

Each article is reduced to a small JSON-ready *signature* (its strongest idf-weighted keys, the
MinHash of its word 5-gram shingles, its entity ids and publication time, and what the same-story
model reads besides), so a store can persist it and rebuild a :class:`StoryIndex`. A new article
looks up candidates through an inverted index over its keys (never all pairs), among the articles
within :data:`WINDOW_DAYS` of it, and joins the candidate story that the same-story model (tuned on
``clusters/`` train) finds most probable, judged on the story's members nearest to it in time; or
it opens a story. Copies of one report are found before, by :mod:`riwaya.comparison.copies`.
"""

from __future__ import annotations

import json
import math
import sys
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import datetime
from itertools import pairwise
from typing import Any

import numpy as np

from riwaya.comparison.copies import decode_minhash, encode_minhash, minhash, shingles
from riwaya.linkage import components
from riwaya.model import Analysis, Article, Story
from riwaya.models.estimators import (
    Rows,
    StandardLogistic,
    average_link,
    batch_tfidf,
    hstack_rows,
    l2_dense,
    l2_rows,
)
from riwaya.models.similarity import analysis_keys, weighted_keys
from riwaya.resources import WEIGHTS_DIR

SIGNATURE_VERSION = 2  # 2: the MinHash is that of the copies' word 5-gram shingles
TOP_KEYS = 40
JOIN_THRESHOLD = 0.26  # fallback; the shipped value is tuned on clusters/ train (compare_stories.json)
SETTINGS_FILE = "compare_stories.json"
MAX_POSTING = 2000  # keys in more signatures than this (within the window) are too common to retrieve by
RETRIEVE_KEYS = 15  # an article's strongest keys look up candidates
POSTING_WINDOW = 100  # only the articles under a key nearest in time are candidates (bounded cost per add)
WINDOW_DAYS = 7.0  # an article joins a story only through members this close to it in time
CANDIDATES = 5  # the best-retrieved earlier articles the same-story model decides among
STORY_MEMBERS = 10  # a candidate story is judged on up to this many of its members nearest in time
VIEW_LEAD_KEYS = 20
VIEW_VALUES = 30
INDEX_SIGNALS = ["keys", "entities", "entity_weight", "rare_keys", "lead", "minhash", "quantities", "dates"]


def _top(vec: dict[str, float], n: int) -> dict[str, float]:
    top = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
    return {k: round(v / norm, 4) for k, v in top}


def signature_from_keys(ks: list[str], entities: list[str] | None = None,
                        published: datetime | None = None,
                        shingle_set: frozenset[int] | None = None) -> dict[str, Any]:
    """The signature of an article from its content keys and copy shingles (see
    :func:`story_signature`)."""
    return {
        "v": SIGNATURE_VERSION,
        "keys": _top(weighted_keys(ks), TOP_KEYS),
        "minhash": encode_minhash(minhash(shingle_set or ())),
        "entities": sorted(set(entities or [])),
        "published": published.isoformat() if published else None,
    }


def story_signature(analysis: Analysis, shingle_set: frozenset[int] | None = None) -> dict[str, Any]:
    """A small JSON-serialisable dict that stands for the article in a :class:`StoryIndex`:
    its strongest keys, the MinHash of its copy shingles (:func:`~riwaya.comparison.copies.shingles`,
    given or computed here), its entity ids and publication time, and what the index's same-story
    model reads besides (``view``: the entities weighted as :mod:`~riwaya.models.similarity`
    weighs them, the lead's strongest keys, quantities, dates). The keys are those of the
    article's own language (an Arabic article's English caption left out): the index compares each
    article with thousands, where unseen foreign words mislead most. Page furniture, and the
    outlet's template where it was learned, are left out of all of them. ``opinion`` is set
    where the article reads as a column (:mod:`riwaya.models.genre`)."""
    from riwaya.models.genre import is_opinion
    from riwaya.models.similarity import LEAD_KEYS, _entity_vector

    ks = analysis_keys(analysis, home_language=True)
    sig = signature_from_keys(ks, [e.id for e in analysis.entities], analysis.article.published,
                              shingles(analysis) if shingle_set is None else shingle_set)
    sig["view"] = {
        "entities": {k: round(v, 4) for k, v in _entity_vector(analysis).items()},
        "lead": _top(weighted_keys(ks[:LEAD_KEYS]), VIEW_LEAD_KEYS),
        "quantities": sorted({str(q.value) for q in analysis.quantities
                              if q.value is not None})[:VIEW_VALUES],
        "dates": sorted({str(d.value) for d in analysis.dates if d.value})[:VIEW_VALUES],
    }
    if is_opinion(analysis.document):
        sig["opinion"] = True
    return sig


def text_signature(text: str, published: datetime | None = None) -> dict[str, Any]:
    """The signature of a raw text (its text layer only: no entities, no view)."""
    from riwaya.text import build_document

    analysis = Analysis(document=build_document(Article(id="_", text=text)))
    return signature_from_keys(analysis_keys(analysis), None, published, shingles(analysis))


def _time(value: Any) -> float | None:
    """A time as days since the epoch (naive times read as UTC), or None."""
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
    if not model or model.get("signals") != INDEX_SIGNALS or model.get("signature") != SIGNATURE_VERSION:
        return None
    return model


class _View:
    """What the index's same-story model reads of one signature."""

    __slots__ = ("dates", "entities", "entity_weight", "keys", "lead", "minhash", "quantities", "top")

    def __init__(self, signature: dict[str, Any]):
        view = signature["view"]
        self.keys: dict[str, float] = signature.get("keys", {})
        self.top = tuple(self.keys)[:30]  # (a tuple: a set of 30 words takes seven times the memory)
        self.entities = _signature_entities(signature)
        self.entity_weight: dict[str, float] = view.get("entities", {})
        self.lead: dict[str, float] = view.get("lead", {})
        self.quantities = set(view.get("quantities", ()))
        self.dates = set(view.get("dates", ()))
        mh = signature.get("minhash")
        self.minhash = decode_minhash(mh) if isinstance(mh, str) else None


def view_of(signature: dict[str, Any]) -> _View | None:
    """The model's view of a signature (None: one stored before this signature version)."""
    if signature.get("v") != SIGNATURE_VERSION or not isinstance(signature.get("view"), dict):
        return None
    return _View(signature)


def _cos(x: dict[str, float], y: dict[str, float]) -> float:
    if len(x) > len(y):
        x, y = y, x
    return sum([v * y[k] for k, v in x.items() if k in y], 0.0)  # (the words both hold, in x's order)


def _jac(x: set | frozenset, y: set | frozenset) -> float:
    return len(x & y) / len(x | y) if x and y else 0.0


def index_signals(a: _View, b: _View) -> list[float]:
    """The :data:`INDEX_SIGNALS` of two signatures: the pair signals of
    :mod:`~riwaya.models.similarity` as far as signatures carry them (strongest keys, entities,
    lead, quantities, dates), with the MinHash agreement of word 5-gram shingles in place of
    char n-grams."""
    rare = 0.0
    if a.top and b.top:
        rare = (len(b.keys.keys() & a.top) / len(a.top) + len(a.keys.keys() & b.top) / len(b.top)) / 2
    mh = 0.0
    if a.minhash is not None and b.minhash is not None:
        mh = np.count_nonzero(a.minhash == b.minhash) / a.minhash.size
    return [_cos(a.keys, b.keys), _jac(a.entities, b.entities), _cos(a.entity_weight, b.entity_weight), rare,
            _cos(a.lead, b.lead), mh, _jac(a.quantities, b.quantities), _jac(a.dates, b.dates)]


def index_probability(signals: list[float], model: dict) -> float:
    return StandardLogistic.of(model).probability(signals)


class StoryIndex:
    """A growing set of articles grouped into stories; ``add`` one article at a time.

    Candidates come from an inverted index over signature keys (never all pairs), within
    ``window_days`` of the new article. With a trained ``model`` (``compare_stories.json``
    ``index_model``) the stories of the best-retrieved candidates are judged by the mean
    same-story probability (over :func:`index_signals`) of their members nearest in time within
    the window (average link: a story that drifted away from the new article's days does not
    take it, and one similar article cannot chain two stories together); the article joins the
    most probable at or above ``model["threshold"]``. Signatures stored before the current
    version (or no model) are judged by the retrieval score against ``threshold``. An opinion
    piece (signature ``opinion``) neither joins a story nor takes one in: a column on a topic is
    not a report of its events (its copies still join it, through the store).
    """

    def __init__(self, threshold: float | None = None, window_days: float | None = WINDOW_DAYS,
                 entity_weight: float | None = None, model: dict | bool | None = None):
        self.threshold = default_threshold() if threshold is None else threshold
        self.entity_weight = default_entity_weight() if entity_weight is None else entity_weight
        if model is None:  # the shipped model, unless a threshold was asked for (the legacy rule)
            model = default_index_model() if threshold is None else False
        self.model: dict | None = model if isinstance(model, dict) else None
        self._views: list[_View | None] = []
        self.window_days = window_days
        self._postings: dict[str, _Posting] = defaultdict(_Posting)
        self._ids: list[str] = []
        self._vectors: list[dict[str, float]] = []
        self._times: list[float | None] = []
        self._entities: list[frozenset[str]] = []  # signatures stored before entities: empty
        self._entity_df: dict[str, int] = defaultdict(int)
        self._opinion: list[bool] = []
        self._story_of: list[int] = []
        self._stories: list[list[int]] = []
        self._scores: list[list[float]] = []
        self._index: dict[str, int] = {}
        self._names: dict[int, str] = {}  # stories restored under their stored ids
        self._named: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, article_id: str, signature: dict[str, Any], published: Any = None) -> str:
        """File one article (at ``published``, else its signature's time); return the id of the
        story it joins or opens."""
        if article_id in self._index:
            return self.story_of(article_id)
        signature = _compact(signature)
        vec = signature["keys"]
        when = _time(published if published is not None else signature.get("published"))
        view = self._view(signature)
        best, score, joins = None, 0.0, False
        if not signature.get("opinion"):  # a column is not an event report: it opens its own story
            best, score, joins = self._best_match(vec, when, _signature_entities(signature), view)
        story = self._story_of[best] if best is not None and joins else None
        if story is None:
            story = len(self._stories)
            self._stories.append([])
            self._scores.append([])
        self._file(article_id, signature, when, view, story, score)
        return self._story_id(story)

    def _file(self, article_id: str, signature: dict[str, Any], when: float | None,
              view: _View | None, story: int, score: float) -> None:
        i = len(self._ids)
        self._stories[story].append(i)
        self._scores[story].append(score)
        self._ids.append(article_id)
        self._index[article_id] = i
        self._vectors.append(signature["keys"])
        self._times.append(when)
        self._views.append(view)
        self._opinion.append(bool(signature.get("opinion")))
        entities = _signature_entities(signature)
        self._entities.append(entities)
        for e in entities:
            self._entity_df[e] += 1
        self._story_of.append(story)
        for k in signature["keys"]:
            self._postings[k].add(i, when)

    def _entity_idf(self, entity: str) -> float:
        return math.log((len(self._ids) + 1) / (self._entity_df.get(entity, 0) + 1)) + 1.0

    def _view(self, signature: dict[str, Any]) -> _View | None:
        return None if self.model is None else view_of(signature)

    def _near(self, j: int, when: float | None) -> bool:
        """Whether filed article ``j`` lies within the window of time ``when``."""
        if self.window_days is None or when is None:
            return True
        t = self._times[j]
        return t is None or abs(when - t) <= self.window_days

    def _best_match(self, vec: dict[str, float], when: float | None,
                    entities: frozenset[str] = frozenset(),
                    view: _View | None = None) -> tuple[int | None, float, bool]:
        """The earlier article to join: ``(index, score, whether it clears the bar)``."""
        scores: dict[int, float] = defaultdict(float)
        for k, w in list(vec.items())[:RETRIEVE_KEYS]:  # signature keys are strongest first
            posting = self._postings.get(k)
            if posting is None:
                continue
            for j in posting.near(when, self.window_days):
                scores[j] += w * self._vectors[j][k]
        opinion, times, window = self._opinion, self._times, self.window_days
        if when is None or window is None:
            scores = {j: s for j, s in scores.items() if not opinion[j]}
        else:  # (what :meth:`_near` says, inline: this runs over every retrieved article)
            scores = {j: s for j, s in scores.items()
                      if not opinion[j] and ((t := times[j]) is None or abs(when - t) <= window)}
        if view is not None:
            return self._most_probable(scores, view, entities, when)
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

    def _most_probable(self, scores: dict[int, float], view: _View, entities: frozenset[str],
                       when: float | None) -> tuple[int | None, float, bool]:
        """Among the best-retrieved candidates, the most probable same story under the model."""
        model = self.model
        assert model is not None
        if model.get("link") == "average":
            return self._most_probable_story(scores, view, entities, when)
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

    def _members(self, story: int, when: float | None, m: int) -> list[int]:
        """Up to ``m`` members of a story within the window of ``when``, nearest in time first
        (without a time: the most recently filed)."""
        members = self._stories[story]
        if when is None or self.window_days is None:
            return members[-m:]
        times = self._times
        near = [j for j in members if self._near(j, when)]
        near.sort(key=lambda j: (abs(when - t) if (t := times[j]) is not None else self.window_days, -j))
        return near[:m]

    def _most_probable_story(self, scores: dict[int, float], view: _View, entities: frozenset[str],
                             when: float | None) -> tuple[int | None, float, bool]:
        """Judge candidate *stories*: the stories of the best-retrieved articles, each by the mean
        same-story probability over its members nearest in time (average link, which resists the
        chaining a single most similar article invites)."""
        model = self.model
        assert model is not None
        k, m = int(model.get("candidates", CANDIDATES)), int(model.get("members", STORY_MEMBERS))
        best, best_p = None, -1.0
        for s in dict.fromkeys(self._story_of[j] for j in sorted(scores, key=lambda j: (-scores[j], j))[:k]):
            members = self._members(s, when, m)
            if not members:
                continue
            p = sum(self._pair_probability(view, j, entities, scores.get(j, 0.0))
                    for j in members) / len(members)
            if p > best_p:
                best, best_p = members[0], p
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
        when = _time(published if published is not None else signature.get("published"))
        self._file(article_id, signature, when, self._view(signature), story, 1.0)
        return story_id

    def _story_id(self, story: int) -> str:
        return self._names.get(story) or f"story-{self._ids[self._stories[story][0]]}"

    def story_of(self, article_id: str) -> str:
        return self._story_id(self._story_of[self._index[article_id]])

    def stories(self) -> list[Story]:
        """Every story so far, singletons included; confidence = mean join similarity."""
        out = []
        for s, members in enumerate(self._stories):
            joins = self._scores[s][1:]
            conf = sum(joins) / len(joins) if joins else 1.0
            out.append(Story(id=self._story_id(s), articles=[self._ids[i] for i in members],
                             confidence=round(min(max(conf, 0.0), 1.0), 4)))
        return out


class _Posting:
    """The articles filed under one key: dated ones in time order (an article may arrive long after
    later ones: feeds catch up, archives come outlet by outlet), undated ones in filing order."""

    __slots__ = ("ids", "times", "undated")

    def __init__(self) -> None:
        self.times: list[float] = []
        self.ids: list[int] = []
        self.undated: list[int] = []

    def add(self, i: int, when: float | None) -> None:
        if when is None:
            self.undated.append(i)
            return
        at = bisect_right(self.times, when)
        self.times.insert(at, when)
        self.ids.insert(at, i)

    def near(self, when: float | None, window: float | None) -> list[int]:
        """Up to :data:`POSTING_WINDOW` dated articles nearest to ``when`` within ``window`` days
        (without a time: the latest), and the latest undated ones; none when more than
        :data:`MAX_POSTING` fall in the window (the key is too common there to tell stories apart)."""
        times, ids = self.times, self.ids
        if when is None or window is None:
            lo, hi = max(0, len(ids) - POSTING_WINDOW), len(ids)
        else:
            lo, hi = bisect_left(times, when - window), bisect_right(times, when + window)
            if hi - lo > MAX_POSTING:
                return []
            if hi - lo > POSTING_WINDOW:  # the nearest in time, on either side of ``when``
                mid = bisect_left(times, when, lo, hi)
                left, right = mid, mid
                while right - left < POSTING_WINDOW:
                    if left > lo and (right >= hi or when - times[left - 1] <= times[right] - when):
                        left -= 1
                    else:
                        right += 1
                lo, hi = left, right
        return ids[lo:hi] + self.undated[-POSTING_WINDOW:]


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
    sims = {(i, j): same_story_probability(view_signals(views[i], views[j]))
            for i in range(n) for j in range(i + 1, n)}
    groups = components(n, (pair for pair, p in sims.items() if p >= link))
    out = []
    for members in groups:
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
