"""Claim alignment across articles: which claims speak about the same thing.

Each claim becomes a :class:`ClaimInfo` (content stems, event concepts, entities, quantities,
dates, stance, sourcing) built from the annotations earlier stages put on the
:class:`~riwaya.model.Analysis`; nothing here re-reads the text except through token keys and
spans. Two claims from different articles are scored on shared content words (weighted by how
rare they are in the story), shared entities, shared event concepts, and equal quantities and
dates. Alignment is one-to-many: a claim may align with several claims of another article.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from riwaya.model import Analysis, Claim, DateExpr, Quantity, Source
from riwaya.resources import load_json, load_lines

_DIACRITICS = re.compile(r"[\u064B-\u0652\u0670\u0640]")
_FOLD = str.maketrans("أإآٱىة", "اااايه")
_PROCLITIC = re.compile(r"^(?:وال|بال|فال|كال|لل|ال|و|ف)(?=\w{3})")

NEGATIVE_CUES = frozenset({"negation", "ruling_out"})
WEAK_SOURCES = frozenset({"anonymous", "media", "unattributed"})
STRONG_SOURCES = frozenset({"named_person", "organization"})
PAIR_BATCH = 1000  # aligned pairs the pair-stance model judges at once


def fold(word: str) -> str:
    """A matching form of a word: diacritics and tatweel removed, alef/ya/ta marbuta folded."""
    return _DIACRITICS.sub("", word).translate(_FOLD).lower()


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("arabic")


@cache
def stem(word: str) -> str:
    """A coarse matching stem of one word (folded, a leading و/ال stripped, Snowball stem)."""
    w = _PROCLITIC.sub("", fold(word))
    if not w or not w[0].isalpha():
        return w
    if "a" <= w[0] <= "z":
        return w[:6]
    return _stemmer().stemWord(w)


@cache
def stopwords() -> frozenset[str]:
    return frozenset(stem(w) for w in load_lines("compare_stopwords.txt")) | frozenset(
        {"ان", "قال", "اكد", "اضاف", "اوضح", "افاد", "ذكر", "هذا", "الذي", "التي", "انه", "عن"})


@cache
def concepts() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Event concepts as ``{concept: stems}`` and the set of contestable concepts."""
    data = load_json("compare_concepts.json")
    table, contestable = {}, set()
    for name, spec in data.items():
        if name.startswith("_"):
            continue
        table[name] = frozenset(stem(w) for phrase in spec["words"] for w in phrase.split())
        if spec.get("contestable"):
            contestable.add(name)
    return table, frozenset(contestable)


@dataclass(slots=True)
class ClaimInfo:
    """One claim as alignment sees it."""

    article: str
    index: int  # position in the article's claims (or content sentences when it has none)
    claim: Claim
    analysis: Analysis
    keys: frozenset[str] = frozenset()
    concepts: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateExpr] = field(default_factory=list)
    negated: bool = False
    future: bool = False
    hedged: bool = False
    claim_id: str | None = None  # None for a sentence standing in for a missing claim

    @property
    def stance(self) -> int:
        """+1 when the claim affirms its matter, -1 when it negates or rules it out."""
        return -1 if self.negated else 1

    @property
    def source(self) -> Source:
        return self.claim.source

    @property
    def second_hand(self) -> bool:
        """Relayed through media or anonymous sources (a chain of two or more links)."""
        chain = self.claim.chain
        return len(chain) > 1 and any(s.kind in ("media", "anonymous") for s in chain)

    @property
    def on_record(self) -> bool:
        return self.source.kind in STRONG_SOURCES and not self.second_hand


@dataclass(slots=True)
class Alignment:
    """Two claims of different articles judged to speak about the same thing."""

    a: ClaimInfo
    b: ClaimInfo
    score: float
    keys: frozenset[str]
    entities: frozenset[str]
    concepts: frozenset[str]
    same_quantity: bool = False
    same_date: bool = False
    stance: dict[str, float] | None = None  # the pair model's agree/contradict/neutral

    @property
    def opposite(self) -> bool:
        return self.a.negated != self.b.negated


def _claims_of(analysis: Analysis) -> list[tuple[Claim, str | None]]:
    if analysis.claims:
        return [(c, c.id) for c in analysis.claims]
    # No claim extractor ran: each content sentence stands in for a claim (no claim id).
    doc, out = analysis.document, []
    for i, s in enumerate(doc.sentences):
        if s.content and s.end - s.start > 15:
            out.append((Claim(f"s{i}", s.start, s.end, doc.text[s.start:s.end], i), None))
    return out


def claim_infos(analysis: Analysis) -> list[ClaimInfo]:
    """Everything alignment needs to know about each claim of one article."""
    doc = analysis.document
    starts = [t.start for t in doc.tokens]
    table, _ = concepts()
    stops = stopwords()
    out = []
    for index, (claim, claim_id) in enumerate(_claims_of(analysis)):
        lo = bisect.bisect_left(starts, claim.start)
        hi = bisect.bisect_left(starts, claim.end)
        keys: set[str] = set()
        for tok in doc.tokens[lo:hi]:
            word = tok.stem or tok.key or doc.text[tok.start:tok.end]
            k = stem(word)
            if len(k) >= 2 and k not in stops and not k[0].isdigit():
                keys.add(k)
        found = frozenset(name for name, stems in table.items() if keys & stems)
        ents = set(claim.entities)
        if not ents:
            ents = {m.entity for m in analysis.mentions
                    if m.entity and claim.start <= m.start and m.end <= claim.end}
        quantities = [analysis.quantities[i] for i in claim.quantities if i < len(analysis.quantities)]
        if not quantities and not claim.quantities:
            quantities = [q for q in analysis.quantities if claim.start <= q.start < claim.end]
        dates = [analysis.dates[i] for i in claim.dates if i < len(analysis.dates)]
        if not dates and not claim.dates:
            dates = [d for d in analysis.dates if claim.start <= d.start < claim.end]
        cues = [analysis.cues[i] for i in claim.cues if i < len(analysis.cues)]
        if not cues and not claim.cues:
            cues = [c for c in analysis.cues if claim.start <= c.start < claim.end]
        # a claim from the claims stage carries its own polarity; a sentence standing in for one
        # is read from the cues inside it
        negated = (claim.polarity == "negative" or claim.modality == "ruled_out"
                   or (claim_id is None and any(c.kind in NEGATIVE_CUES for c in cues)))
        future = (claim.modality == "future" or any(c.kind == "future" for c in cues)
                  or any(d.tense == "future" for d in dates))
        hedged = claim.hedged or claim.modality == "hedged" or any(c.kind == "hedge" for c in cues)
        out.append(ClaimInfo(
            analysis.article.id, index, claim, analysis, frozenset(keys), found, frozenset(ents),
            quantities, dates, negated, future, hedged, claim_id))
    return out


def _idf(infos: Sequence[ClaimInfo]) -> dict[str, float]:
    """Inverse document frequency of stems over the claims of a story."""
    df = Counter(k for info in infos for k in info.keys)
    n = len(infos) + 1
    return {k: math.log(n / c) + 0.5 for k, c in df.items()}


def _weighted_overlap(a: frozenset[str], b: frozenset[str], w: dict[str, float]) -> float:
    """Ochiai overlap of two weighted sets (1 when equal, 0 when disjoint)."""
    if not a or not b:
        return 0.0
    # exact sums (fsum): a set's order follows the hash seed, and a last-bit difference would
    # reorder tied pairs, so that two runs on the same articles gave different findings
    shared = math.fsum(w.get(k, 1.0) for k in a & b)
    if not shared:
        return 0.0
    return shared / math.sqrt(math.fsum(w.get(k, 1.0) for k in a) * math.fsum(w.get(k, 1.0) for k in b))


def quantity_key(q: Quantity) -> tuple[str, str]:
    """What a quantity counts: its kind and its unit (an event concept such as ``casualties``
    when the unit names one, so ``قتيلا`` and ``قتلى`` count the same thing; else its stem)."""
    if not q.unit or not q.unit.split():
        return q.kind, ""
    word = q.unit.split()[0]
    table, _ = concepts()
    for name in ("casualties", "troops"):
        if stem(word) in table[name]:
            return q.kind, name
    return q.kind, unit_key(word)


_UNIT_SUFFIX = re.compile(r"(?:يين|يون|ين|ون|ات|يا|ا|ه|ي)$")


def unit_key(word: str) -> str:
    """A counted noun's matching form: folded, article stripped, plural and case endings cut
    (``مدنيا``, ``مدنيين`` → ``مدن``; ``غارة``, ``غارات`` → ``غار``)."""
    w = _PROCLITIC.sub("", fold(word))
    cut = _UNIT_SUFFIX.sub("", w)
    return cut if len(cut) >= 3 else w


def _same_quantity(a: ClaimInfo, b: ClaimInfo) -> bool:
    return any(qa.value is not None and qa.value == qb.value and quantity_key(qa) == quantity_key(qb)
               for qa in a.quantities for qb in b.quantities)


def _same_date(a: ClaimInfo, b: ClaimInfo) -> bool:
    return any(da.value and da.value == db.value for da in a.dates for db in b.dates)


def score_pair(a: ClaimInfo, b: ClaimInfo, idf: dict[str, float],
               entity_idf: dict[str, float] | None = None,
               shared_vocab: frozenset[str] | None = None) -> Alignment:
    """How strongly two claims speak about the same thing, in [0, 1].

    ``shared_vocab`` (stems and entities found in both articles) keeps words only one article
    uses at all from diluting the overlap: they can never match anything on the other side.
    """
    ka, kb, ea, eb = a.keys, b.keys, a.entities, b.entities
    if shared_vocab is not None:
        ka, kb, ea, eb = ka & shared_vocab, kb & shared_vocab, ea & shared_vocab, eb & shared_vocab
    # a single shared word or name is weak evidence however short the claims are
    key_sim = _weighted_overlap(ka, kb, idf) * min(1.0, len(ka & kb) / 3)
    ent_sim = _weighted_overlap(ea, eb, entity_idf or {}) * min(1.0, len(ea & eb) / 2)
    concept_sim = (len(a.concepts & b.concepts) / len(a.concepts | b.concepts)
                   if a.concepts and b.concepts else 0.0)
    same_q, same_d = _same_quantity(a, b), _same_date(a, b)
    score = 0.45 * key_sim + 0.3 * ent_sim + 0.25 * concept_sim + 0.15 * same_q + 0.05 * same_d
    return Alignment(a, b, min(1.0, score), a.keys & b.keys, a.entities & b.entities,
                     a.concepts & b.concepts, same_q, same_d)


def _pair_model():
    try:
        from riwaya.compare.stance import predict_pairs
    except ImportError:
        return None
    return predict_pairs


def align(infos_by_article: Sequence[Sequence[ClaimInfo]], *, threshold: float = 0.2,
          use_model: bool = True, judged: Callable[[Alignment], bool] | None = None) -> list[Alignment]:
    """Every cross-article pair of claims scoring at least ``threshold``, best first.

    The pair-stance model, when it is installed, labels each kept pair (agree / contradict /
    neutral) as one more signal for the findings; ``judged`` narrows that to the pairs a caller
    will read the label of (the others keep ``stance`` None).
    """
    every = [info for infos in infos_by_article for info in infos]
    idf = _idf(every)
    ent_df = Counter(e for info in every for e in info.entities)
    entity_idf = {e: math.log((len(every) + 1) / c) + 0.5 for e, c in ent_df.items()}
    out: list[Alignment] = []
    vocab = [frozenset().union(*(i.keys | i.entities for i in infos)) for infos in infos_by_article]
    for i, left in enumerate(infos_by_article):
        for j in range(i + 1, len(infos_by_article)):
            right, shared = infos_by_article[j], vocab[i] & vocab[j]
            for a in left:
                for b in right:
                    al = score_pair(a, b, idf, entity_idf, shared)
                    if al.score >= threshold:
                        out.append(al)
    out.sort(key=lambda al: -al.score)
    if use_model and out:
        predict = _pair_model()
        if predict is not None:
            todo = out if judged is None else [al for al in out if judged(al)]
            probs: list[dict[str, float]] = []
            try:  # a batch at a time: a large story's thousands of pairs stay within bounded memory
                for k in range(0, len(todo), PAIR_BATCH):
                    probs += predict([(al.a.claim.text, al.b.claim.text) for al in todo[k:k + PAIR_BATCH]])
            except Exception:  # the model is a helper signal; alignment stands without it
                probs = []
            for al, p in zip(todo, probs, strict=False):
                al.stance = dict(p)
    return out
