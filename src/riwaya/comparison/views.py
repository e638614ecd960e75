"""Claims as the comparison reads them: content keys, events, arguments, stance and stage.

A :class:`ClaimView` is built from what earlier stages put on the :class:`~riwaya.model.Analysis`
(the text layer's keys and stems, entity mentions, cues with their scopes, quantities, dates,
quotes): nothing here re-reads or re-normalises the text. What it adds is what the comparison
needs to judge a claim against another outlet's:

- ``keys``: content stems outside page furniture and outside entity names' own words;
- ``events``: the event classes of ``data/compare_events.json`` its predicate words name;
- ``stance``: whether the claim asserts, anticipates, denies or hedges what it says — a denial
  only where a negation or ruling-out cue governs a predicate (its scope's first words), or the
  claim calls its content a rumour; ``denied`` holds what the denial governs;
- ``stage``: how far along the event is as told (anticipated, ongoing, done).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cache

from riwaya.extract.entities import country_of
from riwaya.model import Analysis, Claim, DateExpr, PositionKind, Quantity, Source
from riwaya.resources import load_json, load_lines
from riwaya.text.normalize import key, stem
from riwaya.text.phrases import Phrases, phrase_list
from riwaya.text.stopwords import is_content, reporting_verbs

WEAK_SOURCES = frozenset({"anonymous", "media", "unattributed"})
STRONG_SOURCES = frozenset({"named_person", "organization"})
NEGATIVE_CUES = frozenset({"negation", "ruling_out"})
# rejecting (رفض) opposes what another did; it denies nothing happened
# words after a negation that make it deny nothing that happened: what was not said or revealed
# (لم يذكر، لم يكشف), what is no longer so (لم تعد), what is not allowed or possible (لن نسمح،
# لا يمكن): refusals and opinions, not denials
_NOT_DENIED = frozenset(key(w) for w in (
    "يذكر", "تذكر", "يكشف", "تكشف", "يعلن", "تعلن", "يوضح", "توضح", "يحدد", "تحدد", "يشر", "تشر", "يعلق",
    "تعلق", "يتضح", "يتسن", "يتسنى", "يعرف", "تعرف", "يتم", "تتم", "قال", "يقل", "تقل", "يعد", "تعد", "نعد",
    "يزال", "تزال", "يسمح", "تسمح", "نسمح", "أسمح", "يجوز", "يجب", "ينبغي", "يمكن", "تستطيع", "يستطيع",
    "نستطيع", "تستطع", "يستطع", "نستطع", "قدره", "يقبل", "تقبل", "نقبل", "نتردد", "تتردد", "يتردد", "تتهاون",
    "نتهاون", "يتهاون", "تغب", "يغب", "يتوقف", "تتوقف", "يتوقفوا", "يفوت", "تفوت", "جزء", "جزءا"))
# words in a negation's scope that make it no denial: «لم يتبق سوى …» (only, not none) and a
# condition («لن نتدخل إذا نشب نزاع»: a promise about what has not happened)
_CONDITION = frozenset(key(w) for w in ("إذا", "اذا", "لو"))
_EXCEPTIVE = frozenset(key(w) for w in ("سوى", "إلا", "الا", "إذا", "اذا", "لو"))
# cues that deny nothing happened: rejecting (رفض) opposes what another did; غير and بدون negate
# a word (قوات غير سورية، بدون تأخير), not a statement
_NOT_DENIALS = frozenset(key(w) for w in ("رفض", "رفضت", "يرفض", "ترفض", "رفضوا", "يرفضون", "رافضا", "رافضة",
                                          "refused", "rejected", "غير", "بدون", "دون", "without"))
# words before a negation that make it no denial: fearing or expecting that something will not
# happen (يخشى ألا، يتوقع ألا)
_NOT_DENIED_AFTER = frozenset(key(w) for w in (
    "يخشى", "تخشى", "يخشون", "خشية", "مخاوف", "يخاف", "تخاف", "يتوقع", "تتوقع", "توقع", "يرجح", "ترجح",
    "يأمل", "تأمل", "نأمل", "يجب", "ينبغي", "ضرورة"))
SCOPE_WORDS = 4  # content words after a negation whose event classes it governs
ANTICIPATED, ONGOING, DONE = 0, 1, 2
STAGE_NAMES = ("anticipated", "ongoing", "done")


@cache
def event_classes() -> dict[str, str]:
    """Stem → event class of the one-word entries of ``data/compare_events.json``."""
    out: dict[str, str] = {}
    for name, spec in load_json("compare_events.json").items():
        if not name.startswith("_"):
            for word in spec["words"]:
                if " " not in word:
                    out.setdefault(stem(word), name)
    return out


@cache
def event_phrases() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """The several-word entries («عملية عسكرية») as stem tuples with their class, by first stem."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for name, spec in load_json("compare_events.json").items():
        if not name.startswith("_"):
            for word in spec["words"]:
                if " " in word:
                    stems = tuple(stem(w) for w in word.split())
                    out.setdefault(stems[0], []).append((stems, name))
    return {k: tuple(v) for k, v in out.items()}


@cache
def _listed_keys() -> frozenset[str]:
    return frozenset(key(w) for name, spec in load_json("compare_events.json").items()
                     if not name.startswith("_") for w in spec["words"])


_NISBA = ("ي", "يه", "يا", "يين", "يون")  # adjectives made of a noun: «الاجتماعي» is no meeting


def _classes_at(tokens, indices: list[int]) -> dict[int, str]:
    """The event class of each of ``indices`` (content tokens outside names, in order) that names
    one, phrases first; a word names its stem's class unless it is an adjective made of it."""
    singles, phrases, listed = event_classes(), event_phrases(), _listed_keys()
    stems = [tokens[i].stem for i in indices]
    out: dict[int, str] = {}
    k = 0
    while k < len(indices):
        for phrase, name in phrases.get(stems[k], ()):
            if tuple(stems[k:k + len(phrase)]) == phrase:
                for j in range(k, k + len(phrase)):
                    out[indices[j]] = name
                k += len(phrase)
                break
        else:
            word = tokens[indices[k]].key
            if stems[k] in singles and (word in listed or not word.endswith(_NISBA)):
                out[indices[k]] = singles[stems[k]]
            k += 1
    return out


@cache
def event_family(name: str) -> str:
    """The family of kinds of event a class belongs to (intervention, deployment and operation are
    one military action): one matter may tell it in several."""
    return load_json("compare_events.json")[name]["family"]


def event_label(name: str, lang: str = "ar") -> str:
    """What a matter about event class ``name`` is called."""
    return load_json("compare_events.json")[name][lang]


@cache
def _stages() -> dict[tuple[str, ...], int]:
    """Stage words and phrases as text-layer key tuples, each with its stage."""
    out: dict[tuple[str, ...], int] = {}
    for i, name in enumerate(STAGE_NAMES):
        for entry in load_json("compare_states.json")[name]:
            out.setdefault(tuple(key(w) for w in entry.split()), i)
    return out


@cache
def _rumour_phrases() -> Phrases[None]:
    """Phrases by which an article calls what it relays false (شائعة، مفبرك، عار عن الصحة)."""
    return phrase_list(load_lines("compare_rumour.txt"))


@cache
def _denying_phrases() -> Phrases[str]:
    """Phrases that deny an event class without a negation («ما زال على قيد الحياة» denies a
    killing), labelled with the class."""
    return Phrases((phrase, name) for name, spec in load_json("compare_events.json").items()
                   if not name.startswith("_") for phrase in spec.get("denied_by", ()))


def _denied_by_phrase(tokens, lo: int, hi: int) -> set[str]:
    return _denying_phrases().labels([t.key for t in tokens[lo:hi] if t.kind == "word"])


@dataclass(slots=True)
class ClaimView:
    """One claim as the comparison sees it."""

    article: str
    index: int
    claim: Claim
    analysis: Analysis
    keys: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()  # the places it names, else its article's main place
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateExpr] = field(default_factory=list)
    stance: PositionKind = "asserts"
    denied: frozenset[str] = frozenset()  # stems and event classes the denial governs
    focus: ClaimView | None = None  # what the claim is about: for a denial, what it denies
    negated_heads: frozenset[str] = frozenset()  # the words right after its negations
    stage: int | None = None
    claim_id: str | None = None  # None for a sentence standing in for a missing claim
    span: tuple[int, int] | None = None  # the claim's tokens: document.tokens[span[0]:span[1]]

    @property
    def key(self) -> tuple[str, int]:
        return self.article, self.index

    @property
    def about(self) -> ClaimView:
        """The claim as what it is about (:attr:`focus` for a denial, else itself)."""
        return self.focus or self

    @property
    def families(self) -> frozenset[str]:
        return frozenset(event_family(e) for e in self.events)

    @property
    def negated(self) -> bool:
        return self.stance == "denies"

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

    @property
    def weak(self) -> bool:
        """Rests on media reports, unnamed sources or nobody."""
        return self.source.kind in WEAK_SOURCES or self.second_hand


def _claims_of(analysis: Analysis) -> list[tuple[Claim, str | None]]:
    if analysis.claims:
        return [(c, c.id) for c in analysis.claims if analysis.document.sentences[c.sentence].content]
    # No claim extractor ran: each content sentence stands in for a claim (no claim id).
    doc = analysis.document
    out: list[tuple[Claim, str | None]] = []
    for i, s in enumerate(doc.sentences):
        if s.content and s.end - s.start > 15:
            out.append((Claim(f"s{i}", s.start, s.end, doc.text[s.start:s.end], i), None))
    return out


def _in_spans(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def claim_views(analysis: Analysis) -> list[ClaimView]:
    """Every claim of one article as the comparison reads it (claims in page furniture left out)."""
    doc = analysis.document
    starts = [t.start for t in doc.tokens]
    names = sorted((m.start, m.end) for m in analysis.mentions)
    furniture = sorted(doc.furniture)
    main_place = _main_place(analysis)
    out: list[ClaimView] = []
    for claim, claim_id in _claims_of(analysis):
        lo = bisect.bisect_left(starts, claim.start)
        hi = bisect.bisect_left(starts, claim.end)
        keys: set[str] = set()
        plain: list[int] = []  # content tokens outside names: where events are named
        content_tokens = 0
        for i in range(lo, hi):
            tok = doc.tokens[i]
            if tok.kind != "word" or (furniture and _in_spans(furniture, tok.start, tok.end)):
                continue
            if not is_content(tok.key):
                continue
            content_tokens += 1
            keys.add(tok.stem)
            if not _in_spans(names, tok.start, tok.end):
                plain.append(i)
        if content_tokens < 3:
            continue
        classes = _classes_at(doc.tokens, plain)
        events = set(classes.values())
        ents = frozenset(claim.entities) or frozenset(
            m.entity for m in analysis.mentions if m.entity and claim.start <= m.start and m.end <= claim.end)
        quantities = [analysis.quantities[i] for i in claim.quantities if i < len(analysis.quantities)]
        dates = [analysis.dates[i] for i in claim.dates if i < len(analysis.dates)]
        cues = [analysis.cues[i] for i in claim.cues if i < len(analysis.cues)]
        places = _places(ents) or main_place
        view = ClaimView(analysis.article.id, len(out), claim, analysis, frozenset(keys),
                         frozenset(events), ents, places, quantities, dates, claim_id=claim_id,
                         span=(lo, hi))
        _read_stance(view, doc.tokens, lo, hi, cues, classes, set(plain))
        out.append(view)
    return out


def _places(entities: frozenset[str]) -> frozenset[str]:
    """The places among ``entities``, with the countries their cities lie in."""
    out = set()
    for e in entities:
        if e.startswith("LOC:"):
            out.add(e)
            country = country_of(e)
            if country:
                out.add(country)
    return frozenset(out)


def _main_place(analysis: Analysis) -> frozenset[str]:
    """The place an article names most (its story's setting), as a set of at most one."""
    counts: dict[str, int] = {}
    for m in analysis.mentions:
        if m.entity and m.entity.startswith("LOC:"):
            counts[m.entity] = counts.get(m.entity, 0) + 1
    return _places(frozenset({max(counts, key=lambda e: (counts[e], e))})) if counts else frozenset()


def _focus(view: ClaimView, tokens, indices: set[int], classes: dict[int, str]) -> ClaimView:
    """The denial as what it denies: the words, events, names and places in its scope (the
    article's main place when it names none), so that it joins the matter it denies, not the
    one its framing words name («خلال اجتماع روما … لا ينوي إرسال قوات»)."""
    start, end = min(tokens[i].start for i in indices), max(tokens[i].end for i in indices)
    ents = frozenset(m.entity for m in view.analysis.mentions
                     if m.entity and start <= m.start and m.end <= end)
    return replace(view, keys=frozenset(tokens[i].stem for i in indices),
                   events=frozenset(classes[i] for i in indices if i in classes), entities=ents,
                   places=_places(ents) or _main_place(view.analysis), focus=None)


def _read_stance(view: ClaimView, tokens, lo: int, hi: int, cues, classes: dict[int, str],
                 plain: set[int]) -> None:
    """Fill ``stance``, ``denied`` and ``stage`` from the claim's cues and words."""
    claim = view.claim
    denied: set[str] = set()
    denied_tokens: set[int] = set()
    # the word right after every negation, denial or not: two claims negating the same word
    # («لم يتبق …», «لا حل عسكريا») say the same thing
    heads = {next((t.stem for t in tokens[lo:hi] if t.start >= c.end and t.kind == "word"), "")
             for c in cues if c.kind in NEGATIVE_CUES} - {""}
    quote = view.analysis.quotes[claim.quote] if claim.quote is not None else None
    for cue in cues:
        if cue.kind not in NEGATIVE_CUES or key(cue.text.split()[-1]) in _NOT_DENIALS or _except(cue.text):
            continue
        before = [t for t in tokens[lo:hi] if t.end <= cue.start and t.kind == "word"][-3:]
        if before and (before[-1].key in _NOT_DENIED_AFTER or any(t.key in _CONDITION for t in before)):
            continue  # «يخشى ألا …», «إذا ما تم استبعاد …»
        scope = _scope(tokens, lo, hi, cue.end, cue.scope_end if cue.scope_end is not None else claim.end)
        if quote is not None and quote.cue_start == cue.start and not any(i in plain for i in scope):
            # a denying reporting verb whose clause names only its speaker (نفى القنصل …) denies
            # what it reports
            scope = _scope(tokens, lo, hi, quote.content_start, quote.content_end)
        first = tokens[scope[0]].key if scope else ""
        if not scope or first in _NOT_DENIED or first in reporting_verbs() or any(
                tokens[i].key in _EXCEPTIVE for i in scope):
            continue  # «لم يذكر …», «لن نسمح …», «لم يتبق سوى …»: nothing denied
        # what the negation governs: its first content word that is not a name (a name is whom
        # the denial is about, not what it denies), and the event classes of the words after it
        governed = [i for i in scope if i in plain]
        if not governed and any(tokens[i].key in _ANAPHORA for i in scope[:2]):
            denied |= _previous(view)  # «نفى ذلك»: what the sentence before said
            continue
        denied_tokens.update(governed)
        if governed:
            denied.add(tokens[governed[0]].stem)
        for i in governed[:SCOPE_WORDS]:
            if i in classes:
                denied.add(classes[i])
    by_phrase = _denied_by_phrase(tokens, lo, hi)
    if by_phrase:  # «ما زال على قيد الحياة» is about the killing it denies
        denied |= by_phrase
        view.events = view.events | by_phrase
    if not denied and _calls_rumour(tokens, lo, hi):
        denied = set(view.keys | view.events)
    hedged = (any(c.kind == "hedge" for c in cues) or claim.modality == "hedged"
              or claim.text.rstrip().endswith(("?", "؟")))  # a question asserts nothing
    future = (claim.modality == "future" or any(c.kind == "future" for c in cues)
              or any(d.tense == "future" for d in view.dates))
    view.stage = _stage(tokens, lo, hi, future)
    if view.stage is None and _dated_past(view):
        view.stage = DONE
    view.negated_heads = frozenset(heads)
    if denied:
        view.stance, view.denied = "denies", frozenset(denied)
        if denied_tokens:
            view.focus = _focus(view, tokens, denied_tokens, classes)
    elif hedged:
        view.stance = "hedges"
    elif view.stage == ANTICIPATED:
        view.stance = "anticipates"
    else:
        view.stance = "asserts"




_ANAPHORA = frozenset(key(w) for w in ("ذلك", "هذا", "هذه", "الأمر", "الخبر", "الأنباء", "التقارير",
                                        "المعلومات", "الاتهامات", "المزاعم", "الادعاءات", "that", "this"))
_BUT = frozenset(key(w) for w in ("أن", "أنه", "أنها", "أنهم", "ان", "انه", "انها"))


def _scope(tokens, lo: int, hi: int, start: int, end: int) -> list[int]:
    """The word tokens of ``[start, end)`` in the claim, up to a «إلا أن» (but)."""
    scope = [i for i in range(lo, hi) if tokens[i].start >= start and tokens[i].end <= end
             and tokens[i].kind == "word"]
    return scope[:next((k for k in range(len(scope)) if _contrast(tokens, scope, k)), len(scope))]


def _contrast(tokens, scope: list[int], k: int) -> bool:
    """«إلا أن …» (but) at ``scope[k]``: the clause the negation governs ends there."""
    return tokens[scope[k]].key in ("الا",) and k + 1 < len(scope) and tokens[scope[k + 1]].key in _BUT


def _previous(view: ClaimView) -> set[str]:
    """The content of the claim before this one in its article («نفى ذلك» denies it)."""
    claims = view.analysis.claims
    i = next((k for k, c in enumerate(claims) if c.id == view.claim.id), 0)
    if i == 0:
        return set()
    prev = claims[i - 1]
    doc = view.analysis.document
    stems = {t.stem for t in doc.tokens if prev.start <= t.start < prev.end and t.kind == "word"
             and is_content(t.key)}
    classes = event_classes()
    return stems | {classes[s] for s in stems if s in classes}


_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def _except(cue_text: str) -> bool:
    """«إلا» (except) read by the cue lexicon as «ألا» (that … not): only «ألا» written with its
    hamza above is a negation."""
    word = _MARKS.sub("", cue_text.strip()).lstrip("وف")
    return word in ("إلا", "الا")


def _calls_rumour(tokens, lo: int, hi: int) -> bool:
    """The claim labels what it relays a rumour or a fabrication."""
    return _rumour_phrases().occur([t.key for t in tokens[lo:hi]])


def _dated_past(view: ClaimView) -> bool:
    """The claim dates what it tells to a given day, not after its article's own: it is done."""
    day = view.analysis.day
    return any(d.value and not d.relative and d.tense != "future" and d.granularity == "day"
               and (day is None or d.value <= day) for d in view.dates)


def _stage(tokens, lo: int, hi: int, future: bool) -> int | None:
    """The stage the claim tells: anticipated where a word says so; else done where a word says
    so; else anticipated for a verb in the future; else under way where a word says so."""
    table = _stages()
    longest = max(map(len, table))
    keys = [t.key for t in tokens[lo:hi]]
    found = set()
    for i in range(len(keys)):
        for n in range(1, longest + 1):
            stage = table.get(tuple(keys[i:i + n]))
            if stage is not None:
                found.add(stage)
    if ANTICIPATED in found:
        return ANTICIPATED
    if DONE in found:
        return DONE
    if future:
        return ANTICIPATED
    return ONGOING if ONGOING in found else None

