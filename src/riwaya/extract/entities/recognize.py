"""Recognition: mentions of people, organisations and places in a Document, as exact spans.

Four sources, in order of trust: known names (alias table and gazetteers, longest match over
token keys, clitics handled by the keys), rules (air bases, English names after a title), the
CRF tagger, and the names the article has already given (a later bare surname or repeat the
tagger missed: :mod:`riwaya.extract.entities.memory`). A place or person right after نادي،
فريق، منتخب is a team (ORG). Every mention slices ``Article.text`` exactly; a proclitic (و ب ل ف ك) on the
first word is left outside the span, the article ال inside.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain, compress, pairwise
from operator import attrgetter

import numpy as np

from riwaya.extract.entities import conventions, tagger
from riwaya.extract.entities.gazetteer import Entry, Gazetteer, load
from riwaya.extract.entities.lexicon import context_keys, triggers
from riwaya.extract.entities.memory import NameMemory
from riwaya.model import Document, Mention, Token
from riwaya.text.normalize import analyze
from riwaya.text.tokenize import token_numbers, token_strings
from riwaya.text.wordfreq import counts

_MARK = re.compile(r"[\u064B-\u065F\u0670\u0640]")
_LATIN = re.compile(r"^[A-Z][a-zA-Z'\-]*$")
_LETTER = re.compile(r"\w")
_KEY, _KIND, _T0 = attrgetter("key"), attrgetter("kind"), attrgetter("t0")
_OWN_KEY = frozenset({"number", "percent", "url"})  # token kinds whose key is not analyze's
# English words that introduce or qualify a name in captions: dropped off a run of capitals.
EN_TITLES = frozenset({
    "minister", "foreign", "defence", "defense", "prime", "president", "secretary", "state", "us",
    "u.s.", "uk", "un", "eu", "italian", "french", "british", "american", "german", "russian", "libyan",
    "syrian", "iraqi", "egyptian", "turkish", "general", "spokesman", "spokeswoman", "envoy",
    "ambassador", "king", "prince", "sheikh", "dr", "mr", "mrs", "ms", "chancellor", "correspondent",
    "leader", "commander", "colonel", "of", "the", "special", "interior", "senator"
})
_BASE = ("قاعده",)  # the key of the air-base rule's word
BASE_WORDS = frozenset(analyze(w)[0] for w in ("الجوية", "البحرية", "العسكرية"))
PLACE_TRIGGERS = frozenset(k for k, v in triggers().items() if v == "LOC")
# the words before a team's name; الفريق with the article is a rank (الفريق أول ...)
TEAM_WORDS = frozenset(analyze(w)[0] for w in ("نادي", "فريق", "منتخب"))
_RANK = analyze("فريق")[0]
# the words that let an ambiguous place name be a club's, without the article (نادي الرياض;
# not فريق: فريق أول is a rank)
CLUB_WORDS = frozenset(analyze(w)[0] for w in ("نادي", "منتخب"))
_NOT_ALONE = frozenset(triggers())  # titles and kinds of organisation: never a surname alone


@dataclass(slots=True)
class Found:
    """A recognised mention before linking: token range, type and the known entry if any."""

    t0: int  # first token (document index)
    t1: int  # one past the last
    type: str
    how: str
    entry: Entry | None = None
    subtype: str | None = None


def _proclitic_len(word: str, prefix: str) -> int:
    """Characters of ``word`` taken by its non-article proclitics (و، ب، ل، ف، ك، س)."""
    if not prefix or prefix.endswith("لل"):
        return 0
    strip = prefix[:-2] if prefix.endswith("ال") else prefix
    if not strip:
        return 0
    n, i = 0, 0
    while i < len(word) and n < len(strip):
        if not _MARK.match(word[i]):
            n += 1
        i += 1
    while i < len(word) and _MARK.match(word[i]):
        i += 1
    return i


Recognised = tuple[Mention, Entry | None, str | None]  # mention, known entry, subtype
Tagged = tuple[list[tuple[int, int, str]], list[int]]  # a sentence's CRF runs; its tokens tagged LOC
_UNTAGGED: Tagged = ([], [])  # those of a sentence all O (read only)


class _Names:
    """Known-name matches in one sentence (tokens ``a`` to ``b`` of the document's ``keys`` and
    ``words``: not copied), each position (counted from ``a``) looked up once."""

    __slots__ = ("a", "b", "gaz", "keys", "memo", "words")

    def __init__(self, gaz: Gazetteer, keys: list[str], words: Sequence[str], a: int, b: int) -> None:
        self.gaz, self.keys, self.words, self.a, self.b = gaz, keys, words, a, b
        self.memo: dict[int, tuple[int, Entry] | None] = {}

    def at(self, i: int) -> tuple[int, Entry] | None:
        hit = self.memo.get(i, self)  # self: not looked up yet
        if hit is self:
            hit = self.memo[i] = self.gaz.match(self.keys, self.words, self.a + i, self.b)
        return hit  # type: ignore[return-value]


def token_words(doc: Document) -> Sequence[str]:
    """Every token of a document as written (the tokenizer's strings when it has them)."""
    return token_strings(doc.tokens, doc.text)


def token_keys(doc: Document, words: Sequence[str]) -> list[str]:
    """The :func:`analyze` key of every token: tokens carry it, but for numbers (``و20`` keeps
    its و), percentages and web addresses (folded), which are looked up again."""
    keys = list(map(_KEY, doc.tokens))
    for i in compress(range(len(keys)), map(_OWN_KEY.__contains__, map(_KIND, doc.tokens))):
        keys[i] = analyze(words[i])[0]
    return keys


def recognize(doc: Document, words: Sequence[str] | None = None) -> list[Recognised]:
    """All entity mentions of a document by position (``how`` set, no entity yet).

    ``words``: :func:`token_words` when the caller has them.
    """
    return recognize_many([(doc, token_words(doc) if words is None else words)])[0][0]


def recognize_many(docs: list[tuple[Document, Sequence[str]]], mark: Collection[str] = ()
                   ) -> list[tuple[list[Recognised], list[str], list[int]]]:
    """:func:`recognize` of several documents (each with its :func:`token_words`), the CRF
    tagging all their content sentences in one batch; with each document's :func:`token_keys`
    and the indices of its tokens whose key is in ``mark``.

    Every distinct word is looked up once for the batch: its tagger cache row gives its key
    (the same as :func:`token_keys`), whether a known name may start with it, whether it starts
    with a Latin capital, and the number of its key (so the keys are compared as numbers, not
    strings).
    """
    gaz = load()
    model = tagger.model() if tagger.available() else None
    if model is not None:
        words_all = list(chain.from_iterable(words for _, words in docs))
        numbers = [token_numbers(doc.tokens) for doc, _ in docs]
        if None in numbers:
            ids = model.word_ids(words_all)
        else:
            ids = model.word_rows(words_all, list(chain.from_iterable(numbers)))  # type: ignore[arg-type]
        bounds = np.cumsum([0, *(len(words) for _, words in docs)])
        marked = _by_doc(model.keyed(ids, mark) if mark else np.zeros(len(ids), dtype=bool), bounds)
        based = list(map(bool, _by_doc(model.keyed(ids, _BASE), bounds)))
        capitals = _by_doc(model.capital_of[ids], bounds)
    else:
        marked, based, capitals = [], [], []
    prepared: list[tuple[Document, Sequence[str], list[str], list[bool], list[_Names | None]]] = []
    at = 0
    for doc, words in docs:
        if model is not None:
            rows = ids[at:at + len(words)]
            keys, known = model.key_of[rows].tolist(), model.known_of[rows].tolist()
            at += len(words)
        else:
            keys = token_keys(doc, words)
            known = list(map(gaz.first.__contains__, keys))
            marked.append([i for i, k in enumerate(keys) if k in mark])
            based.append(_BASE[0] in keys)
            capitals.append([i for i, w in enumerate(words) if tagger.starts_capital(w)])
        names: list[_Names | None] = []
        for s in doc.sentences:
            a, b = s.token_start, s.token_end
            names.append(_Names(gaz, keys, words, a, b) if True in known[a:b] else None)
        prepared.append((doc, words, keys, known, names))
    if model is not None:
        tagged = _tag(model, ids, [(doc, known, names) for doc, _, _, known, names in prepared])
    else:
        tagged = [{} for _ in prepared]
    return [(_collect(doc, words, keys, known, names, tags, base, caps), keys, at)
            for (doc, words, keys, known, names), tags, base, caps, at
            in zip(prepared, tagged, based, capitals, marked, strict=True)]


def _by_doc(flags: np.ndarray, bounds: np.ndarray) -> list[list[int]]:
    """The positions of the true ``flags`` over a batch's tokens, split by document
    (``bounds``: the documents' first tokens, then the end) and counted from its first token."""
    hits = np.flatnonzero(flags)
    cut = np.searchsorted(hits, bounds).tolist()
    rel = (hits - np.repeat(bounds[:-1], np.diff(cut))).tolist()
    return [rel[lo:hi] for lo, hi in pairwise(cut)]


def _collect(doc: Document, words: Sequence[str], keys: list[str], known: list[bool],
             names: list[_Names | None], tags: dict[int, Tagged], base: bool,
             capitals: list[int]) -> list[Recognised]:
    """A document's mentions, sentence by sentence, given its CRF runs and LOC tokens (sentences
    with a label other than O only); ``base``: the air-base rule's word is in it; ``capitals``:
    the tokens whose word starts with a Latin capital."""
    text, tokens = doc.text, doc.tokens
    mentions: list[Recognised] = []
    memory = NameMemory(skip=_NOT_ALONE)
    for si, s in enumerate(doc.sentences):
        a, b = s.token_start, s.token_end
        spans, places = tags.get(si, _UNTAGGED)
        if spans:
            spans = conventions.apply(words[a:b], spans)
        nm = names[si]
        j = bisect_left(capitals, a) if capitals else 0
        latin = j < len(capitals) and capitals[j] < b
        rule = base and _BASE[0] in keys[a:b]
        recall = bool(memory) and not memory.by_first.keys().isdisjoint(keys[a:b])
        if nm is None and not spans and not latin and not rule and not recall:
            continue  # nothing can be found here
        found = _sentence(words, keys, a, b, places, spans, nm, known[a:b], latin, rule,
                          memory if recall else None)
        memory.remember(keys, [(f.t0, f.t1, f.type) for f in found if f.how != "memory"])
        for f in found:
            mentions.append(_to_mention(tokens, text, words, f, si))
    return mentions


def _tag(model: tagger.Tagger, ids: np.ndarray,
         docs: list[tuple[Document, list[bool], list[_Names | None]]]) -> list[dict[int, Tagged]]:
    """The CRF's runs and LOC tokens of each content sentence of each document (by sentence
    index) that has a label other than O, all the documents' sentences in one batch (``ids``:
    the tagger's rows of all the documents' tokens, end to end)."""
    parts: list[np.ndarray] = []
    lengths: list[int] = []
    found: list[tagger.Name] = []  # known names, longest first, left to right (tagger features)
    per_doc: list[tuple[list[int], list[int]]] = []
    base = at = 0
    for doc, known, names in docs:
        sentences = doc.sentences
        n_tokens = len(doc.tokens)
        content = [i for i, s in enumerate(sentences) if s.content and s.token_end > s.token_start]
        bounds = [(sentences[i].token_start, sentences[i].token_end) for i in content]
        sizes = [b - a for a, b in bounds]
        per_doc.append((content, sizes))
        if content:
            # sentences are in order and disjoint: covering every token, they are all the words
            if sum(sizes) == n_tokens:
                parts.append(ids[at:at + n_tokens])
            else:
                parts += [ids[at + a:at + b] for a, b in bounds]
            lengths += sizes
            for si, (a, b) in zip(content, bounds, strict=True):
                nm = names[si]
                if nm is not None:
                    nxt = 0
                    for p in compress(range(b - a), known[a:b]):
                        if p < nxt:
                            continue
                        hit = nm.at(p)
                        if hit is not None:
                            found.append((base + p, hit[0], hit[1], base, b - a))
                            nxt = p + hit[0]
                base += b - a
        at += n_tokens
    if not lengths:
        return [{} for _ in docs]
    best = model.tag_ids(np.concatenate(parts), lengths, found)
    by_sentence = _runs(model.labels, best, lengths)  # (batch sentence number → runs, places)
    out: list[dict[int, Tagged]] = []
    k = 0
    for content, _ in per_doc:
        out.append({si: by_sentence[k + j] for j, si in enumerate(content) if k + j in by_sentence})
        k += len(content)
    return out


@cache
def _label_table(labels: tuple[str, ...]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Types of the CRF labels, and per label: its type's number (-1 for O), B or not, LOC or not."""
    types = sorted({x[2:] for x in labels if x != "O"})
    kind = np.array([types.index(x[2:]) if x != "O" else -1 for x in labels])
    return (types, kind, np.array([x[:1] == "B" for x in labels]),
            np.array([x.endswith("LOC") for x in labels]))


def _runs(labels: list[str], best: np.ndarray, lengths: list[int]) -> dict[int, Tagged]:
    """The BIO runs ``(start, end, type)`` and the LOC-tagged tokens of each sentence (laid end to
    end, ``lengths``) that has a label other than O, by sentence number, positions within it.

    A run starts at a token not O that begins a sentence, follows an O, is a B or changes the
    type; it goes on over the following tokens until one of them does not go on (O, a new
    sentence, or a new run's start).
    """
    types, kind_of, is_b, is_loc = _label_table(tuple(labels))
    kind = kind_of[best]
    starts = np.cumsum(lengths) - lengths
    first = np.zeros(len(best), dtype=bool)
    first[starts] = True
    other = kind >= 0
    begin = other & (first | is_b[best] | (kind != np.concatenate([[-1], kind[:-1]])))
    at = np.flatnonzero(begin)
    stop = np.flatnonzero(~other | first | begin)  # where a run no longer goes on
    end = np.append(stop, len(best))[np.searchsorted(stop, at, side="right")]
    sentence = np.searchsorted(starts, at, side="right") - 1
    base = starts[sentence]
    out: dict[int, Tagged] = {}
    for si, s0, s1, k in zip(sentence.tolist(), (at - base).tolist(), (end - base).tolist(),
                             kind[at].tolist(), strict=True):
        hit = out.get(si)
        if hit is None:
            hit = out[si] = ([], [])
        hit[0].append((s0, s1, types[k]))
    places = np.flatnonzero(is_loc[best])
    sentence = np.searchsorted(starts, places, side="right") - 1
    for si, i in zip(sentence.tolist(), (places - starts[sentence]).tolist(), strict=True):
        out[si][1].append(i)
    return out


def _to_mention(tokens: list[Token], text: str, words: Sequence[str], f: Found, si: int) -> Recognised:
    first = tokens[f.t0]
    word = words[f.t0]
    # a word token carries analyze's prefix; a number's is its own (``و20``: و), analyze's none
    prefix = first.prefix if first.kind == "word" else analyze(word)[2]
    start = first.start + _proclitic_len(word, prefix)
    if start >= first.end:
        start = first.start
    end = tokens[f.t1 - 1].end
    m = Mention(start, end, text[start:end], f.type, None, si, f.how)  # type: ignore[arg-type]
    return m, f.entry, f.subtype


def _sentence(words: Sequence[str], keys: list[str], a: int, b: int,
              places: list[int], crf: list[tuple[int, int, str]], names: _Names | None,
              known: list[bool], latin: bool = True, rule: bool = True,
              memory: NameMemory | None = None) -> list[Found]:
    """Mentions in one sentence, tokens ``a`` to ``b`` of the document's ``words`` and
    ``keys`` (not copied; positions below count from ``a``): ``places`` the tokens the CRF
    tags LOC, ``crf`` its runs; ``names`` its known-name matches, ``known`` where one may
    start; ``latin``: a word in it starts with a Latin capital; ``rule``: it may hold an air
    base; ``memory``: names found earlier in the article, some of which it repeats."""
    n = b - a
    gaz = load()
    trig = triggers()
    taken = [False] * n
    found: list[Found] = []

    def add(i: int, j: int, typ: str, how: str, entry: Entry | None = None, sub: str | None = None):
        for k in range(i, j):
            taken[k] = True
        found.append(Found(a + i, a + j, typ, how, entry, sub))

    # rules: air/naval bases "قاعدة الوطية الجوية"
    for i in range(n - 1) if rule else ():
        if keys[a + i] == _BASE[0] and not _with_article(words[a + i]) \
                and words[a + i + 1][:1] == "ا" and keys[a + i + 1] not in BASE_WORDS \
                and keys[a + i + 1] not in gaz.stop:
            j = i + 2
            if j < n and keys[a + j] in BASE_WORDS:
                j += 1
            if j - i == 3:
                add(i, j, "LOC", "rule", None, "base")

    # known names: longest match
    nxt = 0
    for i in compress(range(n), known) if names is not None else ():
        if i < nxt or taken[i] or names is None:
            continue
        hit = names.at(i)
        if hit is None:
            continue
        ln, entry = hit
        if True in taken[i:i + ln]:
            continue
        club = ln == 1 and _club_word(a + i - 1, a, keys, words)
        if ln == 1 and keys[a + i] in context_keys() and not (
                club or _place_context(i, a, n, keys, places, names, words)):
            continue
        if ln == 1 and not entry.curated and entry.subtype == "city" and not (
                club or i in places or _rare(keys[a + i])
                or (i > 0 and keys[a + i - 1] in PLACE_TRIGGERS)):
            continue  # a GeoNames alternate name that is also a common word (إلى، دول، أما)
        # a longer tagger span containing an uncurated place name wins (جامعة القاهرة)
        if not entry.curated and crf and _wider(crf, i, ln):
            continue
        add(i, i + ln, entry.type, "alias" if entry.curated else "gazetteer", entry, entry.subtype)
        nxt = i + ln

    # English names after a title in captions ("Foreign Minister Paolo Gentiloni")
    i = 0 if latin else n
    while i < n:
        if taken[i] or not _LATIN.match(words[a + i]):
            i += 1
            continue
        j = i
        while j < n and not taken[j] and _LATIN.match(words[a + j]):
            j += 1
        k = i
        while k < j and words[a + k].lower() in EN_TITLES:
            k += 1
        if k > i and 2 <= j - k <= 3:
            add(k, j, "PERS", "title")
        i = j

    # the tagger
    for s0, s1, typ in crf:
        if True in taken[s0:s1]:
            continue
        while s0 < s1 and (keys[a + s0] in trig or not _LETTER.search(words[a + s0])):
            s0 += 1  # a title or punctuation is not part of the name
        while s1 > s0 and not _LETTER.search(words[a + s1 - 1]):
            s1 -= 1
        if s0 == s1 or (s1 - s0 == 1 and (keys[a + s0] in gaz.stop or len(keys[a + s0]) < 2)):
            continue
        if all(words[a + k].lower() in EN_TITLES for k in range(s0, s1)):
            continue  # English title words alone ("Italian Foreign" of "Italian Foreign Minister")
        sub = "media" if typ == "ORG" and s0 > 0 and trig.get(keys[a + s0 - 1]) == "MEDIA" else None
        add(s0, s1, typ, "tagger", None, sub)

    # names found earlier in the article: a bare surname, a repeated name the tagger missed
    if memory is not None:
        for s0, s1, typ in memory.recall(keys[a:b], taken):
            add(s0, s1, typ, "memory")

    # a club or team named after a place or a person (نادي الرياض، منتخب البرازيل)
    for f in found:
        if f.type != "ORG" and _team_word(f.t0 - 1, a, keys, words):
            f.type, f.entry, f.subtype = "ORG", None, "team"
    if len(found) > 1:
        found.sort(key=_T0)
    return found


def _with_article(word: str) -> bool:
    return analyze(word)[2].endswith("ال")


def _team_word(i: int, a: int, keys: list[str], words: Sequence[str]) -> bool:
    """Is document token ``i`` (of a sentence starting at ``a``) نادي / فريق / منتخب before a
    team's name? (الفريق with the article is a rank: الفريق أول ...)"""
    return i >= a and keys[i] in TEAM_WORDS and (keys[i] != _RANK or not _with_article(words[i]))


def _club_word(i: int, a: int, keys: list[str], words: Sequence[str]) -> bool:
    """Is document token ``i`` نادي / منتخب without the article, so that the one-word place name
    after it names a club (نادي الرياض; not المنتخب الأول)?"""
    return i >= a and keys[i] in CLUB_WORDS and not _with_article(words[i])


def _wider(crf: list[tuple[int, int, str]], i: int, ln: int) -> bool:
    """Does a tagger span longer than ``ln`` hold tokens ``i`` to ``i + ln``?"""
    for s0, s1, _ in crf:  # in order, disjoint
        if s0 > i:
            return False
        if i + ln <= s1 and s1 - s0 > ln:
            return True
    return False


def _place_context(i: int, a: int, n: int, keys: list[str], places: list[int], names: _Names,
                   words: Sequence[str]) -> bool:
    """Is token ``i`` (of a sentence of ``n`` tokens from document token ``a``) among places:
    after a place word, or listed next to another place?"""
    if i > 0 and keys[a + i - 1] in PLACE_TRIGGERS:
        return True
    if i in places:  # tagged LOC
        return True
    for d in (-3, -2, -1, 1, 2, 3):
        j = i + d
        if 0 <= j < n and keys[a + j] not in context_keys():
            hit = names.at(j)
            if hit and hit[1].type == "LOC" and all(
                    not _LETTER.search(words[a + k]) or keys[a + k] == "و"
                    for k in range(min(i, j) + 1, max(i, j)) if k != j):
                return True
    return False


RARE = 300


@lru_cache(maxsize=65_536)
def _rare(key: str) -> bool:
    """Is a key rare in the corpus (with or without the article)? (Cached: the same common words
    come up in every article.)"""
    c = counts()
    return c.get(key, 0) + c.get("ال" + key, 0) < RARE
