"""How strongly two claims speak about the same thing, across articles or within one.

Claims are scored on shared content stems (weighted by how rare they are in the story), shared
entities, shared event classes, and equal quantities and dates. The pair-stance model, where it
is asked, adds its agree / contradict / neutral reading of a cross-article pair.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from riwaya.comparison import pairs
from riwaya.comparison.views import ClaimView, event_classes
from riwaya.model import Quantity
from riwaya.text.normalize import key, stem

PAIR_BATCH = 1000  # pairs the pair-stance model judges at once


@dataclass(slots=True)
class Alignment:
    """Two claims judged to speak about the same thing."""

    a: ClaimView
    b: ClaimView
    score: float
    keys: frozenset[str]
    entities: frozenset[str]
    events: frozenset[str]
    same_quantity: bool = False
    same_date: bool = False
    stance: dict[str, float] | None = None  # the pair model's agree/contradict/neutral

    @property
    def opposite(self) -> bool:
        return self.a.negated != self.b.negated


class Weights:
    """Inverse document frequencies of stems and entities over a story's claims."""

    def __init__(self, views: Sequence[ClaimView]):
        n = len(views) + 1
        df = Counter(k for v in views for k in v.keys)
        self.keys = {k: math.log(n / c) + 0.5 for k, c in df.items()}
        edf = Counter(e for v in views for e in v.entities)
        self.entities = {e: math.log(n / c) + 0.5 for e, c in edf.items()}


def _weighted_overlap(a: frozenset[str], b: frozenset[str], w: dict[str, float]) -> float:
    """Ochiai overlap of two weighted sets (1 when equal, 0 when disjoint)."""
    if not a or not b:
        return 0.0
    # exact sums (fsum): a set's order follows the hash seed, and a last-bit difference would
    # reorder tied pairs between runs
    shared = math.fsum(w.get(k, 1.0) for k in a & b)
    if not shared:
        return 0.0
    return shared / math.sqrt(math.fsum(w.get(k, 1.0) for k in a) * math.fsum(w.get(k, 1.0) for k in b))


_UNIT_SUFFIX = re.compile(r"(?:يين|يون|ين|ون|ات|يا|ا|ه|ي)$")


def quantity_key(q: Quantity) -> tuple[str, str]:
    """What a quantity counts: its kind and unit — the unit's event class when it names one (so
    ``قتيلا`` and ``قتلى`` count the same thing), else the unit's key without plural endings."""
    if not q.unit or not q.unit.split():
        return q.kind, ""
    word = q.unit.split()[0]
    cls = event_classes().get(stem(word))
    if cls in ("killing", "injury", "deployment", "strike"):
        return q.kind, cls
    k = key(word)
    cut = _UNIT_SUFFIX.sub("", k)
    return q.kind, cut if len(cut) >= 3 else k


def same_quantity(a: ClaimView, b: ClaimView) -> bool:
    return any(qa.value is not None and qa.value == qb.value and quantity_key(qa) == quantity_key(qb)
               for qa in a.quantities for qb in b.quantities)


def same_date(a: ClaimView, b: ClaimView) -> bool:
    return any(da.value and da.value == db.value for da in a.dates for db in b.dates)


def score_pair(a: ClaimView, b: ClaimView, w: Weights,
               shared_vocab: frozenset[str] | None = None) -> Alignment:
    """How strongly two claims speak about the same thing, in [0, 1].

    ``shared_vocab`` (stems and entities found in both articles) keeps words only one article
    uses at all from diluting the overlap: they can never match anything on the other side.
    """
    ka, kb, ea, eb = a.keys, b.keys, a.entities, b.entities
    if shared_vocab is not None:
        ka, kb, ea, eb = ka & shared_vocab, kb & shared_vocab, ea & shared_vocab, eb & shared_vocab
    # a single shared word or name is weak evidence however short the claims are
    key_sim = _weighted_overlap(ka, kb, w.keys) * min(1.0, len(ka & kb) / 3)
    ent_sim = _weighted_overlap(ea, eb, w.entities) * min(1.0, len(ea & eb) / 2)
    events = a.events & b.events
    event_sim = len(events) / len(a.events | b.events) if events else 0.0
    same_q, same_d = same_quantity(a, b), same_date(a, b)
    score = 0.45 * key_sim + 0.3 * ent_sim + 0.25 * event_sim + 0.15 * same_q + 0.05 * same_d
    return Alignment(a, b, min(1.0, score), a.keys & b.keys, a.entities & b.entities, events,
                     same_q, same_d)


def align(by_article: Sequence[Sequence[ClaimView]], w: Weights, *,
          threshold: float = 0.2) -> list[Alignment]:
    """Every cross-article pair of claims scoring at least ``threshold``, best first."""
    vocab = [frozenset().union(*(v.keys | v.entities for v in views)) for views in by_article]
    sizes = [len(views) for views in by_article]
    if threshold > 0 and pairs.worth((sum(sizes) ** 2 - sum(n * n for n in sizes)) // 2):
        try:
            out = _align_together(by_article, vocab, w, threshold)
        except pairs.Inexact:
            pass
        else:
            out.sort(key=lambda al: -al.score)
            return out
    out = []
    for i, left in enumerate(by_article):
        for j in range(i + 1, len(by_article)):
            shared = vocab[i] & vocab[j]
            for a in left:
                for b in by_article[j]:
                    al = score_pair(a, b, w, shared)
                    if al.score >= threshold:
                        out.append(al)
    out.sort(key=lambda al: -al.score)
    return out


def _align_together(by_article: Sequence[Sequence[ClaimView]], vocab: list[frozenset[str]], w: Weights,
                    threshold: float) -> list[Alignment]:
    """:func:`align`'s pairs at or above ``threshold`` (> 0), scored together
    (:mod:`riwaya.comparison.pairs`), in the order the loop finds them."""
    import numpy as np

    views = [v for vs in by_article for v in vs]
    article = np.repeat(np.arange(len(by_article)), [len(vs) for vs in by_article])
    scorer = pairs.PairScorer(views, w)
    rows, cols, products = scorer.candidates()
    cross = article[rows] != article[cols]
    rows, cols = rows[cross], cols[cross]
    # each side's stems and names as far as the other article uses them at all (score_pair's shared_vocab)
    key_norms = np.array([[math.fsum(w.keys.get(k, 1.0) for k in v.keys & other) for other in vocab]
                          for v in views]).reshape(len(views), len(vocab))
    ent_norms = np.array([[math.fsum(w.entities.get(e, 1.0) for e in v.entities & other) for other in vocab]
                          for v in views]).reshape(len(views), len(vocab))
    scores = scorer.scores(rows, cols, products,
                           (key_norms[rows, article[cols]], key_norms[cols, article[rows]]),
                           (ent_norms[rows, article[cols]], ent_norms[cols, article[rows]]))
    kept = np.flatnonzero(scores >= threshold)
    kept = kept[np.lexsort((cols[kept], rows[kept], article[cols[kept]], article[rows[kept]]))]
    out = []
    for k in kept.tolist():
        a, b = views[rows[k]], views[cols[k]]
        out.append(Alignment(a, b, float(scores[k]), a.keys & b.keys, a.entities & b.entities,
                             a.events & b.events, same_quantity(a, b), same_date(a, b)))
    return out


def judge(alignments: Sequence[Alignment]) -> None:
    """The pair-stance model's reading of each alignment (a batch at a time, bounded memory)."""
    if not alignments:
        return
    from riwaya.models.stance import predict_pairs

    for k in range(0, len(alignments), PAIR_BATCH):
        batch = alignments[k:k + PAIR_BATCH]
        for al, p in zip(batch, predict_pairs([(al.a.claim.text, al.b.claim.text) for al in batch]),
                         strict=True):
            al.stance = dict(p)
