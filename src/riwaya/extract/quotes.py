"""Attribution: who a statement is attributed to, through which chain of sources.

Per sentence this stage finds reporting cues (verbs such as ``قال``/``وأضافت``/``مشيرا`` in their
inflections, ``حسب``/``نقلا عن`` constructions, English ``said``/``according to``), reads the speaker
(after the verb, VSO; before it, SVO: ``كيري قال``, ``أما جنتيلوني فأكد``; or a pronoun: ``لكنه
أوضح``), the content (after ``إن``/``أن``, or inside quotation marks) and builds the chain:
a verb inside another quote's content (``أفاد موقع X أن صحيفة Y ... أكدت``) nests, ``حسب ما أورده X``
adds an outer link and ``نقلا عن Z`` an inner one. ``وأفادت ذات المصادر``, ``وأضافت الصحيفة`` inherit
the chain of the source they refer back to. Verbs that are also nouns (``تعهد``, ``دعا``) count
only before إن/أن, after a clause-opening و/ف, or after ``وقد``/``فقد``/``لقد`` with a subject after.
Only sentences holding a reporting verb or a ``حسب``-like word (by token key) are read, and the
verb pattern is tried at those verb tokens only.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import cache, lru_cache
from itertools import islice, takewhile
from operator import attrgetter
from typing import NamedTuple

from riwaya.extract.arabic_regex import (
    MARKS,
    WORD_END,
    WORD_START,
    alternation,
    fold,
    folded_filter,
    matches_at,
    may_hold,
    trigger_keys,
    trigger_tokens,
)
from riwaya.model import Analysis, Mention, Quote, Source, SourceKind
from riwaya.resources import load_json
from riwaya.text.normalize import fold as text_fold
from riwaya.text.normalize import key, split_clitics
from riwaya.text.stopwords import is_content

NP_REACH = 64  # words a subject before its cue may span, leading connectives included
CITING_REACH = 1000  # characters before a cue searched for ``نقلا عن`` (bounded work per cue)
_ITEM = re.compile(rf"[\w{MARKS}'’\-]+|[^\w\s]")
# the characters besides letters and digits (\w is isalnum() or _) that _ITEM's words run over
_RUN_EXTRA = frozenset("_'’-" + "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670\u0640")
_QUOTE_MARKS = "«»“”\"„"
QUOTED_NAME = 5  # a quotation of more words after a reporting verb is what is said, not who says it
_OPEN_QUOTE = {"«": "»", "“": "”", '"': '"', "”": "”", "„": "“"}
_AMBIGUOUS = {"نقل", "ذكر", "كشف", "رفض", "طالب", "تابع", "توقع", "تعهد", "أقر", "رأى", "دعا", "لفت",
              "تحدث", "رجح", "زعم", "أشاد"}
_QAD = frozenset({"وقد", "فقد", "لقد", "ولقد"})  # clause-opening قد: a verb follows, then VSO
_PARTICIPLE_START = ("م", "قائل", "ناف", "داعي", "ذاكر", "لافت", "كاشف", "رافض")
_ASCII_LOWER = re.compile("[a-z]")
_EN_SPEAKER = re.compile(r"((?:[A-Z][\w.\-']*\s+){0,3}[A-Z][\w.\-']*)\s+$")
_EN_SOURCE = re.compile(r"\s*((?:the\s+)?(?:[A-Z][\w.\-']*\s*){1,4})")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    verbs: re.Pattern
    lemma: dict[str, str]
    english: re.Pattern
    according: re.Pattern
    citing: re.Pattern
    complementizer: frozenset[str]
    stops: frozenset[str]
    media: frozenset[str]
    journalist: frozenset[str]
    anonymous: frozenset[str]
    anonymity: tuple[str, ...]
    anonymity_filter: re.Pattern  # matches wherever folded text may hold an anonymity phrase
    titles: dict[str, str]
    organization: frozenset[str]
    anaphora: frozenset[str]
    hosts: frozenset[str]
    strip: tuple[str, ...]
    verb_keys: frozenset[str]  # token keys of the reporting verbs (Arabic and English)
    according_keys: frozenset[str]  # token keys of the حسب-like words
    object_nouns: frozenset[str]  # verbal nouns a reporting verb takes as its object (سحب، وجود)
    interjections: frozenset[tuple[str, ...]]  # adverbials between a verb and its subject, as keys


def _hamza(word: str) -> str:
    """A key where every hamza seat is one letter (the pattern matches any seat)."""
    return fold(word).replace("ء", "ا")


def _keys(words) -> frozenset[str]:
    return frozenset(w.lower() if w.isascii() else fold(w) for w in words)


@cache
def _lexicon() -> _Lexicon:
    d = load_json("quotes_ar.json")
    lemma = {_hamza(f): lem for lem, forms in d["verbs"].items() for f in forms}
    verbs = re.compile(rf"{WORD_START}(?P<pre>[وف]?)(?P<verb>{alternation(lemma)}){WORD_END}")
    if not all(re.fullmatch("[a-z ]+", v) for v in d["english_verbs"]):  # (see _Sentence.cues)
        raise ValueError("quotes: English reporting verbs are lower-case ASCII words")
    english = re.compile(rf"\b(?P<verb>{'|'.join(d['english_verbs'])})\b")
    acc_verbs = alternation(d["according_verbs"])
    according = re.compile(rf"{WORD_START}[وف]?(?P<acc>{alternation(d['according'])})"
                           rf"(?:\s*(?:{acc_verbs}))?{WORD_END}\s*(?:لـ?\s*)?|\b(?P<acc_en>according to)\b",
                           re.IGNORECASE)
    citing = re.compile(rf"{WORD_START}[وف]?(?P<cite>{alternation(d['citing'])}){WORD_END}"
                        r"|\b(?P<cite_en>citing|quoting)\b")
    strip = tuple(sorted((fold(w) for w in d["presubject_strip"]), key=len, reverse=True))
    words = [*lemma, *(f for forms in d["verbs"].values() for f in forms)]  # the verbs pattern's forms
    verb_keys = trigger_keys(words, ("", "و", "ف")) | {w.lower() for w in d["english_verbs"]}
    # every phrase holds a word of its own (حسب، وفقا، ذمة): the common ones (ل، على ...) gate nothing
    words = [w for phrase in d["according"] for w in phrase.split()
             if w not in ("عن", "ما", "لما", "ل", "على")]
    according_keys = trigger_keys(words, ("", "و", "ف")) | {"according"}
    return _Lexicon(
        verbs, lemma, english, according, citing, _keys(d["complementizers"]),
        _keys(d["np_stops"]) | _keys(d["complementizers"]) | {"بما", "لما", "ما"},
        _keys(d["media"]), _keys(d["journalist"]), _keys(d["anonymous"]),
        tuple(fold(p) for p in d["anonymity"]), folded_filter(fold(p) for p in d["anonymity"]),
        {fold(k) if not k.isascii() else k: v for k, v in d["titles"].items()},
        _keys(d["organization"]), _keys(d["anaphora"]), _keys(d["pronoun_hosts"]), strip,
        verb_keys, according_keys, _keys(d["object_nouns"]),
        frozenset(tuple(fold(w) for w in p.split()) for p in d["interjections"]))


_SOURCE_FIELDS = attrgetter(*(f.name for f in fields(Source)))


def copy_source(src: Source) -> Source:
    """A copy of ``src``: ``dataclasses.replace(src)`` without its per-call field checks."""
    return Source(*_SOURCE_FIELDS(src))


class _Word(NamedTuple):
    start: int
    end: int
    text: str
    key: str  # folded surface (clitics kept)

    @property
    def punct(self) -> bool:
        return not (self.text[0].isalnum() or self.text[0] == "_")


def _words(text: str, start: int, end: int) -> list[_Word]:
    new = tuple.__new__  # what _Word._make does, without its Python-level call
    return [new(_Word, (m.start(), m.end(), g, g.lower() if g.isascii() else fold(g)))
            for m in _ITEM.finditer(text, start, end) for g in (m.group(),)]


def _iter_words(text: str, start: int, end: int) -> Iterator[_Word]:
    """``_words(text, start, end)`` made one at a time, as they are read."""
    new = tuple.__new__
    for m in _ITEM.finditer(text, start, end):
        g = m.group()
        yield new(_Word, (m.start(), m.end(), g, g.lower() if g.isascii() else fold(g)))


def _in_run(ch: str) -> bool:
    """Whether ``ch`` belongs to a multi-character word of ``_ITEM`` (a letter, digit, mark ...)."""
    return ch.isalnum() or ch in _RUN_EXTRA


@lru_cache(maxsize=65536)
def _proclitics(word: str) -> str:
    return split_clitics(word)[0]


@lru_cache(maxsize=4096)
def _text_keys(text: str) -> tuple[str, ...]:
    """Keys of the words of a source's text (punctuation left out)."""
    return tuple(key(w.text) for w in _words(text, 0, len(text)) if not w.punct)


# Word properties read many times over (a word's key, as _Word holds it, is a function of its
# text): cached per text.
def _definite(w: _Word) -> bool:
    return _definite_text(w.text)


@lru_cache(maxsize=65536)
def _definite_text(text: str) -> bool:
    k = text.lower() if text.isascii() else fold(text)
    return _proclitics(text).endswith("ال") or k.startswith("ال")


def _prep_prefixed(w: _Word) -> bool:
    return _prep_prefixed_text(w.text)


@lru_cache(maxsize=65536)
def _prep_prefixed_text(text: str) -> bool:
    pre = _proclitics(text)
    return any(c in pre for c in "بلكو") and pre != "ال"


def _head_kind(w: _Word) -> str | None:
    """What a speaker's head word names: media, journalist, anonymous, organization, title."""
    return _head_kind_text(w.text)


@lru_cache(maxsize=65536)
def _head_kind_text(text: str) -> str | None:
    lex = _lexicon()
    k, bare = text.lower() if text.isascii() else fold(text), key(text)
    for name, vocab in (("media", lex.media), ("journalist", lex.journalist),
                        ("anonymous", lex.anonymous), ("organization", lex.organization)):
        if k in vocab or bare in vocab or ("ال" + bare) in vocab:
            return name
    if k in lex.titles or ("ال" + bare) in lex.titles or bare in lex.titles:
        return "title"
    return None


_ANY = frozenset({"اي", "ايه", "أي", "أية"})


def _derived_masdar(word: str) -> bool:
    """A word of a derived verbal-noun pattern: تفعيل، إفعال (with its hamza below: أفعال is a
    plural), افتعال/انفعال، استفعال."""
    k, w = fold(word), word.replace("\u0640", "")
    n = len(k)
    return ((n == 5 and k[0] == "ت" and k[3] == "ي") or (n == 5 and w[:1] == "إ" and k[3] == "ا")
            or (n == 6 and k[0] == "ا" and k[4] == "ا") or (n == 7 and k.startswith("است") and k[5] == "ا"))


@lru_cache(maxsize=65536)
def _verbal_noun_text(text: str) -> bool:
    """A word as written that is a bare verbal noun (see ``_Sentence._verbal_noun``)."""
    if text.isascii() or _definite_text(text) or _prep_prefixed_text(text) \
            or not (text[0].isalnum() or text[0] == "_") or _head_kind_text(text) is not None:
        return False
    return _hamza(text) in _lexicon().object_nouns or _derived_masdar(text)


def _name_like(w: _Word) -> bool:
    return _name_like_text(w.text)


@lru_cache(maxsize=65536)
def _name_like_text(text: str) -> bool:
    if text.isascii():
        return text[:1].isupper() or text.isupper()
    k = fold(text)
    return not k.endswith("ا") and not _definite_text(text) and not _prep_prefixed_text(text) and len(k) > 1


@dataclass(slots=True)
class _Found:
    """A reporting cue being resolved into a quote."""

    cue_start: int
    cue_end: int
    cue: str
    sequential: bool
    speaker: tuple[int, int] | None = None
    content: tuple[int, int] | None = None
    direct: bool = False
    outer: list[Source] = field(default_factory=list)  # from حسب ما أورده X
    inner: list[Source] = field(default_factory=list)  # from نقلا عن Z
    pronoun: bool = False
    according: bool = False


class _Sentence:
    """Attribution inside one sentence ``text[start:end]``."""

    def __init__(self, analysis: Analysis, start: int, end: int, stops: list[tuple[int, int]]):
        self.a, self.text, self.start, self.end = analysis, analysis.document.text, start, end
        self.lex = _lexicon()
        self._own_mentions: list[Mention] | None = None
        # date spans: a speaker never runs into "الثلاثاء" (those of this sentence)
        self.stops = [(s, e) for s, e in stops if s < end and e > start]

    # The sentence's words (``_words(text, start, end)``) are read only where needed, around
    # the cues: a word is a maximal run of _in_run characters or one other non-space character,
    # so the words from any position outside a run are the sentence's own.
    def words_from(self, pos: int) -> Iterator[_Word]:
        """The sentence's words starting at or after ``pos``, in order."""
        text = self.text
        pos = max(pos, self.start)
        if self.start < pos < self.end and _in_run(text[pos - 1]) and _in_run(text[pos]):
            while pos < self.end and _in_run(text[pos]):  # inside a word: skip to its end
                pos += 1
        return _iter_words(text, pos, self.end)

    def words_in(self, s: int, e: int) -> list[_Word]:
        """``_words(text, s, e)`` (the sentence's own words where none straddles ``s`` or ``e``)."""
        return _words(self.text, s, e)

    # ------------------------------------------------------------------ noun phrases

    def np_after(self, pos: int, limit: int | None = None,
                 allow_prep: bool = False) -> tuple[int, int] | None:
        """The noun phrase starting at ``pos``: a head and its adjectives, idafa and name words."""
        lex, limit = self.lex, limit or self.end
        np: list[_Word] = []
        media = False
        for w in self._past_interjections(pos, limit):
            if w.start >= limit or len(np) >= 9 or any(s <= w.start < e for s, e in self.stops):
                break
            if w.punct:
                if w.text in _QUOTE_MARKS and not np and not media and self._quoted_content(w, limit):
                    return None  # وأضاف "قفزت بعيدا ...": the quote is what is said, its speaker unnamed
                if w.text in _QUOTE_MARKS and (media or not np):
                    continue
                break
            if w.key in lex.stops or (w.key[:1] in "وف" and w.key[1:] in lex.stops and len(w.key) > 2):
                break
            if not np:
                if (_prep_prefixed(w) and not allow_prep) or w.key in lex.complementizer:
                    break
                if not w.text.isascii() and w.key.endswith("ا") and not _definite(w) \
                        and not self._mentions(w.start, w.end):
                    break  # an indefinite object (تدخلا), not a speaker
                if self._verbal_noun(w) or (w.key in _ANY and self._verbal_noun(
                        next(self.words_from(w.end), w))):
                    break  # the verb's object (ينفي سحب القوات، استبعد أي انسحاب), not a speaker
                np.append(w)
                media = _head_kind(w) in ("media", "journalist")
                continue
            prev = np[-1]
            if self._person_ends(prev, w):
                break  # a person's name closes the speaker: "وزير الدفاع سليم العبيدي | وجود ..."
            head_idafa = len(np) == 1 and not _definite(prev) and _head_kind(prev) is not None
            free = not _prep_prefixed(w)
            # a verbal noun after a definite speaker is the verb's object (وأعلن الوزير تخصيص ...)
            named = _name_like(w) and not (_definite(prev) and self._verbal_noun(w))
            if (free and (_definite(w) or head_idafa)) or named \
                    or (media and free and not w.key.endswith("ا")):
                np.append(w)
                continue
            break
        if not np:
            return None
        end = np[-1].end
        opened = self.text.count("“", np[0].start - 2, end) + self.text.count("”", np[0].start - 2, end)
        if opened % 2 and end < len(self.text) and self.text[end] in "”“\"»":
            end += 1
        return np[0].start, end

    def _quoted_content(self, mark: _Word, limit: int) -> bool:
        """Whether the quotation opening at ``mark`` runs over more than :data:`QUOTED_NAME`
        words (or to ``limit``): a statement, not a quoted name (قالت "هيومن رايتس ووتش")."""
        n = 0
        for w in self.words_from(mark.end):
            if w.start >= limit:
                return True
            if w.punct and w.text in _QUOTE_MARKS:
                return False
            if not w.punct:
                n += 1
                if n > QUOTED_NAME:
                    return True
        return True

    def _past_interjections(self, pos: int, limit: int) -> Iterator[_Word]:
        """The words from ``pos`` moved past adverbials that may stand before a subject: a date
        (وقال الثلاثاء وزير ...) or a listed phrase (وأكد في المقابل وزير الخارجية ...), at most
        twice (the words read to decide are yielded again, not read twice)."""
        for _ in range(2):
            rest = self.words_from(pos)
            words = list(islice(rest, 3))
            if not words or words[0].start >= limit:
                return itertools.chain(words, rest)
            first = words[0]
            stop = next((e for s, e in self.stops if s <= first.start < e), None)
            if stop is not None:
                pos = stop
                continue
            keys = tuple(w.key for w in words)
            n = next((n for n in (3, 2, 1) if keys[:n] in self.lex.interjections), 0)
            if not n or words[n - 1].end > limit:
                return itertools.chain(words, rest)
            pos = words[n - 1].end
        return self.words_from(pos)

    def _verbal_noun(self, w: _Word) -> bool:
        """``w`` is a bare verbal noun in no mention: listed (سحب، وجود) or of a derived
        pattern (تخصيص، إحباط، انسحاب، استئناف)."""
        return _verbal_noun_text(w.text) and not self._mentions(w.start, w.end)

    def _person_ends(self, prev: _Word, w: _Word) -> bool:
        """``prev`` ends a PERS mention and ``w`` is in no mention."""
        return (any(m.type == "PERS" and m.end == prev.end for m in self._mentions(prev.start, prev.end))
                and not self._mentions(w.start, w.end))

    def np_before(self, lo: int, hi: int) -> tuple[int, int] | None:
        """An SVO subject in ``text[lo:hi]``: strip أما/وكانت ... قد, keep at most eight words."""
        # more words than a subject and the connectives stripped before it could hold: none (and
        # the work per cue stays bounded however long the sentence)
        words = list(islice(takewhile(lambda w: w.start < hi, self.words_from(lo)), NP_REACH + 1))
        if len(words) > NP_REACH:
            return None
        words = [w for w in words if w.end <= hi]
        while words and words[-1].punct:
            words.pop()
        while words and words[-1].key in ("قد", "لقد", "ف"):
            words.pop()
        if words and words[-1].key in self.lex.hosts:
            return None
        # drop a leading connective (أما، وكانت، من جهته ...)
        changed = True
        while changed and words:
            changed = False
            for n in (3, 2, 1):
                head = " ".join(w.key for w in words[:n])
                if head in self.lex.strip:
                    words = words[n:]
                    changed = True
                    break
        while words and words[0].punct:
            words = words[1:]
        if not words or len(words) > 8 or any(w.key in self.lex.complementizer for w in words):
            return None
        return words[0].start, words[-1].end

    def complementizer_after(self, pos: int, limit: int) -> tuple[int, int] | None:
        """The span of the first إن/أن after ``pos`` (within ``limit``, at most 16 words on)."""
        for n, w in enumerate(self.words_from(pos)):
            if w.start >= limit or n > 16:
                return None
            comp = self.lex.complementizer
            if w.key in comp or (w.key[:1] == "ف" and w.key[1:] in comp):
                return w.start, w.end
        return None

    # ------------------------------------------------------------------ sources
    def source(self, span: tuple[int, int]) -> Source:
        """Classify a speaker noun phrase: person, organisation, media, anonymous."""
        s, e = span
        text, lex = self.text[s:e], self.lex
        words = [w for w in self.words_in(s, e) if not w.punct]
        if len(words) > 1 and words[0].key in lex.anaphora:
            words = words[1:]
        mention = self._mention(s, e)
        ent = self._entity(mention.entity) if mention and mention.entity else None
        entity_id = mention.entity if mention else None
        kinds = [_head_kind(w) for w in words]
        head = kinds[0] if kinds else None
        folded = fold(text)
        names = [w for w, k in zip(words[1:], kinds[1:], strict=True) if k is None and _name_like(w)]
        pers = next((m for m in self._mentions(s, e) if m.type == "PERS"), None)
        role = None
        kind: SourceKind
        if not pers and entity_id is None and not any(is_content(w.key) for w in words):
            kind = "unattributed"  # «فيه», «عنه», «لـ»: the phrase names no one
        elif head == "journalist":
            kind, role = ("named_person" if pers or names else "media"), "journalist"
            entity_id = pers.entity if pers else entity_id
        elif head == "media" or (ent is not None and ent.subtype == "media"):
            kind, role = "media", _media_role(words[0].key)
        elif not pers and (head == "anonymous" or any(p in folded for p in lex.anonymity)):
            kind = "anonymous"
        elif pers or head == "title" or (head is None and words and _name_like(words[0])):
            kind = "named_person"
            entity_id = pers.entity if pers else entity_id
            role = next((lex.titles.get(w.key) or lex.titles.get("ال" + key(w.text))
                         for w, k in zip(words, kinds, strict=True) if k == "title"), None)
        elif (person := self._surname_of(words)) is not None:
            kind, entity_id = "named_person", person  # وقال العبيدي, after سليم العبيدي
        elif entity_id is not None or head == "organization":
            kind = "organization"
        else:
            kind = "unattributed"  # «التقديرات»، «المعلومات»، «العديد»: no one the reader could ask
        return Source(kind, text, s, e, entity_id, role)

    def _surname_of(self, words: list[_Word]) -> str | None:
        """The person of the article a one-word speaker is the last name of, if any."""
        if len(words) != 1 or words[0].text.isascii():
            return None
        k = words[0].key
        for ent in self.a.entities:
            if ent.type == "PERS" and any(
                    len(n.split()) > 1 and fold(n.split()[-1]) == k for n in ent.names):
                return ent.id
        return None

    def _mentions(self, s: int, e: int) -> list[Mention]:
        """The mentions overlapping ``[s, e)`` (in the sentence: those of the sentence)."""
        mentions = self.a.mentions
        if self.start <= s and e <= self.end:
            if self._own_mentions is None:
                self._own_mentions = [m for m in mentions if m.start < self.end and self.start < m.end]
            mentions = self._own_mentions
        return [m for m in mentions if m.start < e and s < m.end]

    def _mention(self, s: int, e: int) -> Mention | None:
        found = self._mentions(s, e)
        return max(found, key=lambda m: m.end - m.start) if found else None

    def _entity(self, eid: str):
        return next((x for x in self.a.entities if x.id == eid), None)

    # ------------------------------------------------------------------ cues
    def cues(self, at: list[int] | None = None) -> list[_Found]:
        """The sentence's reporting cues; with ``at`` (the starts of its reporting-verb tokens,
        ascending) the verb pattern is tried there only, not at every position."""
        lex, text = self.lex, self.text
        found: list[_Found] = []
        hidden = None
        for m in self._verbs(at):
            if hidden is None:  # a verb inside an anonymity phrase (لم تكشف عن هويتها) is no cue
                hidden = self._hidden()
            if any(s <= m.start() < e for s, e in hidden):
                continue
            verb = fold(m.group("verb"))
            lemma = lex.lemma.get(_hamza(verb))
            if lemma is None:
                continue
            participle = verb != fold(lemma) and verb.startswith(_PARTICIPLE_START) and verb[-1] in "اه"
            prev = self._prev_word(m.start())
            host = prev is not None and prev.key in lex.hosts
            seq = bool(m.group("pre")) or participle or host or not found
            f = _Found(m.start(), m.end(), lemma, seq)
            f.pronoun = participle or (host and prev is not None
                                       and prev.key not in ("كما", "ثم", "حيث", "فيما", "بل"))
            if lemma in _AMBIGUOUS and not self.complementizer_after(m.end(), self.end) \
                    and not (m.group("pre") and (prev is None or prev.punct)) \
                    and not (prev is not None and prev.key in _QAD and self._verb_subject(m.end())
                             and _hamza(verb) in (_hamza(lemma), _hamza(lemma) + "ت")):
                continue  # a noun-like verb counts after قد with its subject: وقد تعهد الوزراء
            found.append(f)
        if _ASCII_LOWER.search(text, self.start, self.end):  # (every English verb is lower case)
            for m in lex.english.finditer(text, self.start, self.end):
                found.append(_Found(m.start(), m.end(), m.group("verb"), True))
        found.sort(key=lambda f: f.cue_start)
        return found

    def _verbs(self, at: list[int] | None) -> Iterator[re.Match]:
        """The verb pattern's matches in the sentence (left to right, not overlapping): over it
        all, or at the positions ``at`` (every match opens a reporting-verb token)."""
        if at is None:
            return self.lex.verbs.finditer(self.text, self.start, self.end)
        return matches_at(self.lex.verbs, self.text, at, self.start, self.end)

    def _hidden(self) -> list[tuple[int, int]]:
        """The spans of the anonymity phrases in the sentence (found in its folded text)."""
        lex, text = self.lex, self.text
        if not may_hold(lex.anonymity_filter, text, self.start, self.end):
            return []  # (the usual case: the sentence is not folded)
        sentence = text_fold(text[self.start:self.end])  # uncached: a whole sentence
        return [(self.start + i, self.start + i + len(p)) for p in lex.anonymity
                for i in _find_all(sentence, p)]  # fold keeps lengths of plain letters

    def _verb_subject(self, pos: int) -> bool:
        """Whether a definite or named noun phrase (a VSO subject) follows the verb ending at pos."""
        np = self.np_after(pos)
        if np is None:
            return False
        w = next(self.words_from(np[0]))
        return _definite(w) or bool(self._mentions(w.start, w.end))

    def _prev_word(self, pos: int) -> _Word | None:
        """The last word of the sentence ending at or before ``pos``."""
        text, start = self.text, self.start
        e = min(pos, self.end)
        if start < e < self.end and _in_run(text[e - 1]) and _in_run(text[e]):
            while e > start and _in_run(text[e - 1]):  # inside a word: back to its start
                e -= 1
        while e > start and text[e - 1].isspace():
            e -= 1
        if e <= start:
            return None
        s = e - 1
        if _in_run(text[s]):
            while s > start and _in_run(text[s - 1]):
                s -= 1
        g = text[s:e]
        return _Word(s, e, g, g.lower() if g.isascii() else fold(g))

    def clause_start(self, f: _Found) -> int:
        """Where the clause a sequential cue opens begins (its host word, و, or the verb)."""
        prev = self._prev_word(f.cue_start)
        if prev is not None and prev.key in self.lex.hosts:
            return prev.start
        return f.cue_start


def _find_all(hay: str, needle: str):
    i = hay.find(needle)
    while i >= 0:
        yield i
        i = hay.find(needle, i + 1)


def _media_role(k: str) -> str | None:
    k = k[2:] if k.startswith("ال") else k
    return {"صحيفه": "newspaper", "جريده": "newspaper", "صحف": "newspaper", "موقع": "website",
            "مواقع": "website", "وكاله": "agency", "وكالات": "agency", "قناه": "broadcaster",
            "تلفزيون": "broadcaster", "اذاعه": "broadcaster", "مجله": "magazine", "تقارير": "reports",
            "تقرير": "reports", "وسائل": "media_reports", "newspaper": "newspaper",
            "agency": "agency", "reports": "reports"}.get(k)


def _content(f: _Found) -> tuple[int, int]:
    """The content span of a cue :func:`_resolve` kept (every one has one)."""
    if f.content is None:
        raise ValueError(f"a reporting cue at {f.cue_start} without content")
    return f.content


def _resolve(sent: _Sentence, found: list[_Found]) -> list[tuple[_Found, _Found | None]]:
    """Speakers and contents of the sentence's cues; each with its parent cue (nesting)."""
    text, end = sent.text, sent.end
    out: list[tuple[_Found, _Found | None]] = []
    tops = [i for i, f in enumerate(found) if f.sequential]
    for i, f in enumerate(found):
        parent = None
        if not f.sequential:
            parent = next((j for j in range(i - 1, -1, -1) if (c := found[j].content)
                           and c[0] <= f.cue_start < c[1]), None)
            if parent is None:
                f.sequential = True
        k = bisect_right(tops, i)  # the next sequential cue after this one
        limit = sent.clause_start(found[tops[k]]) if k < len(tops) else end
        if f.cue.isascii():
            before = text[sent.start:f.cue_start]
            sm = _EN_SPEAKER.search(before)
            if not sm:
                continue
            f.speaker = (sent.start + sm.start(1), sent.start + sm.end(1))
            f.content = _trim(text, f.cue_end, limit)
        else:
            if not f.pronoun:
                f.speaker = sent.np_after(f.cue_end, limit)
                if f.speaker is None:
                    lo = sent.start
                    if parent is not None:
                        comp = sent.complementizer_after(found[parent].cue_end, f.cue_start)
                        lo = comp[1] if comp else _content(found[parent])[0]
                    if f.sequential and parent is None and out:
                        lo = max(lo, sent.clause_start(f))
                    f.speaker = sent.np_before(lo, _cut_citing(sent, f, lo))
                    f.pronoun = f.speaker is None
            after = f.speaker[1] if f.speaker and f.speaker[0] > f.cue_start else f.cue_end
            comp = sent.complementizer_after(after, limit)
            if comp:
                cs = comp[1]
            else:
                cs = after
                if f.cue in ("قال", "أوضح", "أفاد", "صرح") and not _opens_quote(text, cs, limit):
                    continue  # a speech verb with neither إن/أن nor quotation marks
            f.content = content = _trim(text, cs, limit)
            if content[0] >= content[1]:
                continue
            q = _opens_quote(text, content[0], content[1])
            if q:
                f.direct, f.content = True, q
        _attach_constructions(sent, f, i, found)
        out.append((f, found[parent] if parent is not None else None))
    return out


def _opens_quote(text: str, pos: int, limit: int) -> tuple[int, int] | None:
    """``(start, end)`` inside quotation marks when the content at ``pos`` opens with one."""
    while pos < limit and text[pos].isspace():
        pos += 1
    if pos < limit and text[pos] in _OPEN_QUOTE:
        close = text.find(_OPEN_QUOTE[text[pos]], pos + 1, limit)
        if close > pos + 1:
            return pos + 1, close
    return None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in "،,:"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "،,.:؛;"):
        e -= 1
    return s, e


def _cut_citing(sent: _Sentence, f: _Found, lo: int) -> int:
    """Before an SVO verb, ``X نقلا عن Z، أكدت``: Z becomes an inner source; X ends before it."""
    m = sent.lex.citing.search(sent.text, max(lo, f.cue_start - CITING_REACH), f.cue_start)
    if not m:
        return f.cue_start
    z = sent.np_after(m.end(), f.cue_start)
    if z:
        f.inner.append(sent.source(_extend_anonymity(sent, z, f.cue_start)))
    return m.start()


def _extend_anonymity(sent: _Sentence, span: tuple[int, int], limit: int) -> tuple[int, int]:
    """``مصادر ليبية لم تكشف عن هويتها``: keep the anonymity clause with the source."""
    if not may_hold(sent.lex.anonymity_filter, sent.text, span[1], limit):
        return span
    rest = sent.text[span[1]:limit]
    folded = text_fold(rest)  # (a long text: not kept in the per-word cache of fold)
    for phrase in sorted(sent.lex.anonymity, key=len, reverse=True):
        i = folded.find(phrase)
        if 0 <= i <= 2:  # right after the noun phrase; fold keeps most lengths
            m = re.match(rf"\s*{alternation([phrase])}", rest)
            if m:
                return span[0], span[1] + m.end()
    return span


def _attach_constructions(sent: _Sentence, f: _Found, i: int, found: list[_Found]) -> None:
    """``حسب ما أورده X`` between speaker and content → outer source; ``نقلا عن Z`` → inner."""
    if not f.content:
        return
    lo = min(f.cue_start, f.speaker[0] if f.speaker else f.cue_start)
    hi = f.content[0]
    for m in sent.lex.according.finditer(sent.text, lo, hi):
        x = sent.np_after(m.end(), hi)
        if x:
            f.outer.append(sent.source(x))
    for m in sent.lex.citing.finditer(sent.text, max(lo, f.cue_end), hi):
        z = sent.np_after(m.end(), hi)
        if z:
            f.inner.append(sent.source(_extend_anonymity(sent, z, hi)))


def _standalone(sent: _Sentence, taken: list[tuple[int, int]]) -> list[_Found]:
    """``بحسب مصادر مطلعة، ...`` / ``... according to X``: a source without a reporting verb."""
    out = []
    for m in sent.lex.according.finditer(sent.text, sent.start, sent.end):
        if any(s <= m.start() < e for s, e in taken):
            continue
        if m.group("acc_en"):
            sm = _EN_SOURCE.match(sent.text, m.end(), sent.end)
            x = (sm.start(1), sm.end(1) - (len(sm.group(1)) - len(sm.group(1).rstrip()))) if sm else None
        else:
            x = sent.np_after(m.end(), sent.end, allow_prep=True)
        if not x:
            continue
        x = _extend_anonymity(sent, x, sent.end)
        f = _Found(m.start(), m.end(), "according to" if m.group("acc_en") else "حسب", True, x)
        f.according = True
        head = sent.text[sent.start:m.start()].strip(" ،,")
        f.content = _trim(sent.text, sent.start, m.start()) if len(head) > 20 else \
            _trim(sent.text, x[1], sent.end)
        if sent.text[f.content[0]:f.content[0] + 3] in ("فإن", "فان"):
            f.content = _trim(sent.text, f.content[0] + 3, f.content[1])
        if f.content[0] < f.content[1]:
            out.append(f)
    return out


def _anaphoric(sent: _Sentence, src: Source) -> str | None:
    """The head key a speaker refers back with (``ذات المصادر`` → مصادر, ``الصحيفة`` → صحيفه)."""
    if src.start is None or src.end is None:
        return None
    words = [w for w in sent.words_in(src.start, src.end) if not w.punct]
    if not words:
        return None
    if words[0].key in sent.lex.anaphora and len(words) > 1:
        return key(words[1].text)
    if _definite(words[0]) and len(words) <= 2 and _head_kind(words[0]) and \
            all(_definite(w) for w in words):
        return " ".join(key(w.text) for w in words)
    return None


def _refers_to(anaphor: str, chain: list[Source]) -> int | None:
    """``صحيفه`` refers to ``صحيفة TTU``; ``وزير اميركي`` to ``وزير الخارجية الأميركي جون كيري``."""
    head, *rest = anaphor.split()
    for i in range(len(chain) - 1, -1, -1):
        keys = _text_keys(chain[i].text)
        if keys and keys[0] == head and all(r in keys for r in rest):
            return i
    return None


def annotate(analysis: Analysis) -> None:
    """Fill ``analysis.quotes``: every attributed statement with its sourcing chain."""
    doc = analysis.document
    stops = [(d.start, d.end) for d in analysis.dates]
    quotes: list[Quote] = []
    lex = _lexicon()
    verb_hits = trigger_tokens(doc, lex.verb_keys)
    according_hits = trigger_tokens(doc, lex.according_keys)
    # only sentences holding a reporting verb or a حسب-like word (by token key) are read, and
    # the verb pattern is tried at those verb tokens only
    firsts = [s.token_start for s in doc.sentences]
    with_verbs: dict[int, list[int]] = {}
    for i in verb_hits:
        with_verbs.setdefault(bisect_right(firsts, i) - 1, []).append(doc.tokens[i].start)
    with_according = {bisect_right(firsts, i) - 1 for i in according_hits}
    for si, s in enumerate(doc.sentences):
        verbs = with_verbs.get(si)
        according = si in with_according
        if not s.content or not (verbs or according):
            continue
        sent = _Sentence(analysis, s.start, s.end, stops)
        found = sent.cues(verbs) if verbs else []
        resolved = _resolve(sent, found) if found else []
        taken = [(min(f.cue_start, f.speaker[0] if f.speaker else f.cue_start), _content(f)[0])
                 for f, _ in resolved]
        taken += [_content(f) for f, _ in resolved if f.direct]
        if according:
            resolved += [(f, None) for f in _standalone(sent, taken)]
        local: list[Quote] = []
        by_found: dict[int, Quote] = {}
        for f, parent in resolved:
            parent_quote = by_found.get(id(parent)) if parent is not None else None
            chain, inherited = _chain(sent, f, parent_quote, local, quotes)
            if chain is None:
                continue
            start = min(f.cue_start, f.speaker[0] if f.speaker else f.cue_start)
            c_start, c_end = _content(f)
            q = Quote(start, c_end, c_start, c_end, f.cue_start, f.cue_end,
                      f.cue, f.direct, chain, inherited, si)
            by_found[id(f)] = q
            local.append(q)
        quotes.extend(local)
    analysis.quotes = quotes


def _chain(sent: _Sentence, f: _Found, parent: Quote | None, local: list[Quote],
           earlier: list[Quote]) -> tuple[list[Source] | None, bool]:
    """The sourcing chain of one cue, outermost first."""
    inherited = False
    if f.speaker is None or f.pronoun:
        prior = local or earlier
        if not prior:
            own: list[Source] = []
            base: list[Source] = []
        else:
            base, own, inherited = [], list(map(copy_source, prior[-1].chain)), True
    else:
        src = sent.source(f.speaker)
        own = [src]
        head = _anaphoric(sent, src)
        if head:
            for q in reversed(local + earlier):
                at = _refers_to(head, q.chain)
                if at is not None:
                    # the chain up to the link referred to, and the anonymous sources it cites
                    kept = q.chain[:at + 1] + [x for x in q.chain[at + 1:] if x.kind == "anonymous"]
                    own, inherited = list(map(copy_source, kept)), True
                    break
        base = []
    if parent is not None:
        base = list(map(copy_source, parent.chain))
    chain = base + f.outer + own + f.inner
    if not chain and not f.content:
        return None, False
    return chain, inherited
