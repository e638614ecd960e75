"""Cues of how firmly something is said: negation, hedging, ruling out, future/plans, reported.

Each cue is a span with a scope: from the cue to the end of its clause (a comma, a full stop, or a
contrastive ``لكن``/``بينما``/``but``). The future prefix سـ is read from the text layer's clitic
split (``سيعقد`` → س + يعقد), so nouns such as ``سياسة`` are not futures; ``قد`` hedges only before an
imperfect verb (``قد يكون``), not before a past one (``قد أعلن``).

The phrase patterns run only in windows around tokens holding a word of some phrase (or the
future prefix), so a sentence without any costs one token scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import cast

from riwaya.extract.arabic_regex import (
    ASCII_LETTER,
    WORD_END,
    WORD_START,
    alternation,
    clip,
    fold,
    token_windows,
    trigger_keys,
    trigger_tokens,
)
from riwaya.model import Analysis, Cue, CueKind
from riwaya.resources import load_json
from riwaya.text.normalize import split_clitics
from riwaya.text.wordfreq import counts

KINDS = ("negation", "hedge", "ruling_out", "future", "reported")
_FUTURE_PREFIX = re.compile(rf"{WORD_START}[وف]?س[يتنأا][\w\u064b-\u065f\u0670\u0640]{{2,}}")
_QAD = re.compile(rf"{WORD_START}[وف]?قد\s+([يتن][\w\u064b-\u065f\u0670\u0640]{{2,}})")
_CLAUSE_PUNCT = re.compile(r"[.،,؛;:!?؟\n]|\s[-–—]\s")
_NEXT = re.compile(r"\s*([^\s،,.]+)")
# words of multi-word phrases too common to gate on (the phrase's other words trigger it)
_COMMON = {"من", "في", "على", "عن", "أن", "إلى", "ما", "لا", "لم", "لن", "غير", "هناك", "to", "of"}
_CONTEXT = 3  # tokens around a trigger: the longest phrase has four words
_NEGATIVE = frozenset({"negation", "ruling_out"})


@dataclass(frozen=True, slots=True)
class _Lexicon:
    regex: re.Pattern
    arabic: re.Pattern  # ``regex`` without its English phrases: the same matches where no ASCII letter is
    kinds: dict[str, str]  # folded phrase -> kind
    exclude_after: dict[str, tuple[str, ...]]
    breaks: re.Pattern
    arabic_breaks: re.Pattern  # ``breaks`` without its English words
    idioms: re.Pattern  # phrases holding a negation word that negate nothing (ما لا يقل عن)
    triggers: frozenset[str]  # token keys every phrase match holds one of (and قد)


def _split(words: list[str]) -> tuple[list[str], list[str]]:
    return [w for w in words if not w.isascii()], [w for w in words if w.isascii()]


def _english(words: list[str]) -> list[str]:
    """Lower-case forms and, at a sentence start, capitalised ones ("Perhaps"; never "May")."""
    forms = {w for w in words} | {w.capitalize() for w in words if w != "may"}
    return [re.escape(w) for w in sorted(forms, key=len, reverse=True)]


@cache
def _lexicon() -> _Lexicon:
    data = load_json("cues_ar.json")
    kinds: dict[str, str] = {}
    parts, arabic = [], []
    for kind in KINDS:  # earlier kinds win only for identical phrases; longer phrases win first
        ar, en = _split(data[kind])
        for w in data[kind]:
            kinds.setdefault(fold(w) if not w.isascii() else w.lower(), kind)
        parts.append(f"(?P<{kind}>{WORD_START}[وف]?{alternation(ar)}{WORD_END}"
                     rf"|\b(?:{'|'.join(_english(en))})\b)")
        arabic.append(f"(?P<{kind}>[وف]?{alternation(ar)}{WORD_END})")
        _require_ascii_letters(en)
    # longest match first across kinds: put multi-word phrases in front by a two-pass alternation
    regex = re.compile("|".join(sorted(parts, key=lambda p: p.startswith("(?P<negation>"))))
    # the same alternatives without the English ones (which cannot match without an ASCII letter),
    # the word-start test shared in front: tried once a position, not once a kind
    arabic_regex = re.compile(WORD_START + "(?:" + "|".join(
        sorted(arabic, key=lambda p: p.startswith("(?P<negation>"))) + ")")
    exclude = {fold(k): tuple(fold(v) for v in vs) for k, vs in data["negation_exclude_after"].items()}
    ar, en = _split(data["clause_breaks"])
    breaks = re.compile(rf"{WORD_START}[وف]?{alternation(ar)}{WORD_END}|(?i:\b(?:{'|'.join(en)})\b)")
    arabic_breaks = re.compile(rf"{WORD_START}[وف]?{alternation(ar)}{WORD_END}")
    _require_ascii_letters(en)
    ar, en = _split(data["negation_idioms"])
    english = "|".join(map(re.escape, en))
    idioms = re.compile(rf"{WORD_START}[وف]?{alternation(ar)}{WORD_END}|(?i:\b(?:{english})\b)")
    words = ["قد"]
    for kind in KINDS:
        for phrase in data[kind]:
            parts = phrase.split()
            words += [w for w in parts if len(parts) == 1 or w not in _COMMON]
    return _Lexicon(regex, arabic_regex, kinds, exclude, breaks, arabic_breaks, idioms,
                    trigger_keys(words, ("", "و", "ف")))



def _require_ascii_letters(words: list[str]) -> None:
    """Check that every English phrase holds an ASCII letter (so that, in a text without one,
    the Arabic-only patterns find what the full ones find)."""
    for w in words:
        if not re.search("[A-Za-z]", w):
            raise ValueError(f"cues: English phrase without an ASCII letter: {w!r}")


CLAUSE_REACH = 1000


def clause_end(text: str, pos: int, limit: int) -> int:
    """Where the clause running from ``pos`` ends (before ``limit``, and at most
    :data:`CLAUSE_REACH` characters on: one cue's work must not grow with its sentence)."""
    limit = min(limit, pos + CLAUSE_REACH)
    ends = [limit]
    m = _CLAUSE_PUNCT.search(text, pos, limit)
    if m:
        ends.append(m.start())
        # a break phrase (letters, marks, spaces) cannot hold a punctuation mark: the first one
        # starting before it ends before it, so the search stops there (not at a space or \n)
        if not text[m.start()].isspace():
            limit = m.start()
    lex = _lexicon()
    breaks = lex.breaks if ASCII_LETTER.search(text, pos, limit) else lex.arabic_breaks
    m = breaks.search(text, pos, limit)
    if m:
        ends.append(m.start())
    end = min(ends)
    while end > pos and text[end - 1].isspace():
        end -= 1
    return end


@lru_cache(maxsize=16384)  # (words of the future-prefix pattern recur: سيتم، سنة، سياسة ...)
def is_future_verb(word: str) -> bool:
    """``سيعقد``, ``وسترسل``: a future prefix on an imperfect verb."""
    return split_clitics(word)[0].endswith("س")


def cues_in(text: str, start: int = 0, end: int | None = None,
            windows: list[tuple[int, int]] | None = None) -> list[Cue]:
    """Every cue in ``text[start:end]`` with its scope, left to right.

    ``windows`` (inside ``[start, end)``) limits the search to the trigger windows of
    :func:`annotate`; scopes still run to the clause's end.
    """
    lex = _lexicon()
    end = len(text) if end is None else end
    spans = [(start, end)] if windows is None else windows
    found: list[Cue] = []
    taken: list[tuple[int, int]] = []
    # multi-word ruling-out phrases (لا ينوي, من غير الوارد) first, so their words are not re-read
    for m in (m for s, e in spans for m in (
            lex.regex if ASCII_LETTER.search(text, s, e) else lex.arabic).finditer(text, s, e)):
        kind = cast(CueKind, m.lastgroup)  # the regex's groups are named after the cue kinds
        word = m.group()
        phrase = fold(word) if not word.isascii() else word.lower()
        bare = phrase[1:] if phrase[:1] in "وف" and phrase not in lex.kinds else phrase
        if kind == "negation":
            nxt = _NEXT.match(text, m.end(), end)
            if nxt and fold(nxt.group(1)) in lex.exclude_after.get(bare, ()):
                continue
        found.append(_cue(text, m.start(), m.end(), kind, end))
        taken.append((m.start(), m.end()))
        if kind == "ruling_out" and " " in word and bare.split()[0] in ("لا", "ليس", "ليست"):
            neg_end = m.start() + word.index(" ")
            found.append(_cue(text, m.start(), neg_end, "negation", end))
    # (each match holds its pattern's literal letters: a window without them is not searched)
    for m in (m for s, e in spans if text.find("س", s, e) >= 0 for m in _FUTURE_PREFIX.finditer(text, s, e)):
        if is_future_verb(m.group()):
            found.append(_cue(text, m.start(), m.end(), "future", end))
    for m in (m for s, e in spans if text.find("قد", s, e) >= 0 for m in _QAD.finditer(text, s, e)):
        if _imperfect(m.group(1)):
            found.append(_cue(text, m.start(), m.end(), "hedge", end))
    found.sort(key=lambda c: (c.start, c.end))
    if any(c.kind in _NEGATIVE for c in found):
        idioms = [m.span() for s, e in spans for m in lex.idioms.finditer(text, s, e)]
        if idioms:
            found = [c for c in found if c.kind not in _NEGATIVE
                     or not any(a < c.end and c.start < b for a, b in idioms)]
    return found


def _imperfect(word: str) -> bool:
    """After قد: ``يكون``/``تكون`` are imperfect (hedge); ``تعهد``/``أعلنت`` are past (no hedge)."""
    w = fold(word)
    if w[0] != "ت":
        return True
    if w.endswith("ت"):
        return False
    c = counts()
    return c.get("ي" + w[1:], 0) >= c.get(w, 0) // 4 + 1


def _cue(text: str, start: int, end: int, kind: CueKind, limit: int) -> Cue:
    return Cue(start, end, kind, text[start:end], end, max(end, clause_end(text, end, limit)))


def annotate(analysis: Analysis) -> None:
    """Fill ``analysis.cues`` sentence by sentence (scopes never cross a sentence)."""
    doc = analysis.document
    text = doc.text
    # the trigger words, and tokens whose clitics hold the future prefix س
    hits = trigger_tokens(doc, _lexicon().triggers, prefix="س")
    windows = token_windows(doc, hits, _CONTEXT, _CONTEXT)
    out: list[Cue] = []
    k = 0  # the first window not ending before the sentence (sentences and windows in order)
    for i, s in enumerate(doc.sentences):
        while k < len(windows) and windows[k][1] <= s.start:
            k += 1
        j = k
        while j < len(windows) and windows[j][0] < s.end:
            j += 1
        if j == k:
            continue
        for cue in cues_in(text, s.start, s.end, clip(windows[k:j], s.start, s.end)):
            cue.sentence = i
            out.append(cue)
    analysis.cues = out
