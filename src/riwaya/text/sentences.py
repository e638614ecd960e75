"""Sentence boundaries as spans: line breaks end paragraphs; ``،`` and ``,`` never end anything.

A terminal (``. ! ? ؟ …``) ends a sentence unless it is a decimal point (numbers are single
tokens), follows an abbreviation or an initial (``د.``, ``Mr.``, ``J.``; ``ع.ع.م.`` and ``U.S.``
are single tokens), is followed by a lower-case Latin word, or stands inside a quotation
(``«…»``, ``“…”``, ``"…"``) — then the sentence ends after the closing quote instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from riwaya.model import Token
from riwaya.resources import load_lines

_LINE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x1c-\x1e\x85]+")
_QUOTE = re.compile(r"[«»“”„‟\"]")
_CLOSERS = "»”\"'’)]}›"
_TRAILERS = _CLOSERS + ".!?؟…"
_MAX_QUOTE = 1000  # a "quotation" longer than this is a stray quote mark: ignore it
_YEAR_MARKS = frozenset("مهـ")


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(load_lines("text_abbreviations.txt"))


@cache
def _letter_names() -> frozenset[str]:
    """Latin letters spelled in Arabic (سي. إن. إن.): a dot between two of them is no boundary."""
    return frozenset(load_lines("text_letter_names.txt"))


def _letter_name_before(text: str, tokens: list[Token], i: int) -> bool:
    """Is token ``i`` (a word) a spelled letter in a chain such as ``بي. بي. سي.``?"""
    names = _letter_names()
    if text[tokens[i].start:tokens[i].end] not in names:
        return False
    before = i >= 2 and text[tokens[i - 1].start:tokens[i - 1].end] == "." and \
        text[tokens[i - 2].start:tokens[i - 2].end] in names
    after = i + 2 < len(tokens) and text[tokens[i + 2].start:tokens[i + 2].end] in names
    return before or after


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Closed quotations ``(open, close)`` on one line; unbalanced marks are ignored."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _QUOTE.finditer(text, start, end):
        q, pos = m.group(), m.start()
        if q == "«":
            stack.append(("«", pos))
        elif q == "»":
            if stack and stack[-1][0] == "«":
                spans.append((stack.pop()[1], pos))
        elif q == '"':
            if stack and stack[-1][0] == '"':
                spans.append((stack.pop()[1], pos))
            else:
                stack.append(('"', pos))
        elif stack and stack[-1][0] == "“":  # ” or “ closing a curly quote (Arabic uses both)
            spans.append((stack.pop()[1], pos))
        else:
            stack.append(("“", pos))
    return [(a, b) for a, b in spans if b - a <= _MAX_QUOTE]


def _is_abbreviation(text: str, tokens: list[Token], i: int) -> bool:
    """Is the "." token ``i`` the end of an abbreviation or initial?"""
    if i == 0:
        return False
    prev = tokens[i - 1]
    if prev.end != tokens[i].start or prev.kind != "word":
        return False
    word = text[prev.start:prev.end]
    if word in _abbreviations() or _letter_name_before(text, tokens, i - 1):
        return True
    if len(word) == 1:
        if word in _YEAR_MARKS and i >= 2 and tokens[i - 2].kind == "number":
            return False  # "عام 2016 م." ends a sentence
        return word.isupper() or not word.isascii()
    return word == "هـ" and not (i >= 2 and tokens[i - 2].kind == "number")


def split(text: str, tokens: list[Token], terminals: list[int]):
    """Yield ``(start, end, paragraph)`` for every sentence, in order, trimmed of space."""
    term_pos = 0
    paragraph = -1
    for line in _LINE.finditer(text):
        ls, le = line.span()
        while ls < le and text[ls].isspace():
            ls += 1
        while le > ls and text[le - 1].isspace():
            le -= 1
        if ls == le:
            continue
        paragraph += 1
        # terminal tokens on this line
        while term_pos < len(terminals) and tokens[terminals[term_pos]].start < ls:
            term_pos += 1
        line_terms: list[int] = []
        while term_pos < len(terminals) and tokens[terminals[term_pos]].start < le:
            line_terms.append(terminals[term_pos])
            term_pos += 1
        quotes = _quote_spans(text, ls, le) if line_terms and _QUOTE.search(text, ls, le) else []
        start = ls
        for i in line_terms:
            tok = tokens[i]
            mark = text[tok.start:tok.end]
            end = tok.end
            inside = next(((a, b) for a, b in quotes if a < tok.start < b), None) if quotes else None
            if inside is not None:
                rest = text[tok.end:inside[1]]
                if rest.strip(" .!?؟…" + _CLOSERS):
                    continue  # mid-quotation: not a boundary
                end = inside[1] + 1
            if end <= start:
                continue
            if mark == "." and _is_abbreviation(text, tokens, i):
                continue
            while end < le and text[end] in _TRAILERS:  # «…؟». and (…؟). end together
                end += 1
            if end < le:
                nxt = text[end]
                if mark == "." and not nxt.isspace() and (nxt.isascii() and nxt.isalnum()):
                    continue  # "No.5", "e.g"
                if mark == "." and nxt.isspace():
                    j = end
                    while j < le and text[j].isspace():
                        j += 1
                    if j < le and text[j].islower() and text[j].isascii():
                        continue  # "approx. five"
            span = _trim(text, start, end)
            if span:
                yield span[0], span[1], paragraph
            start = end
        span = _trim(text, start, le)
        if span:
            yield span[0], span[1], paragraph


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` without the spaces around, or None when nothing else is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def token_range(starts: list[int], start: int, end: int, lo: int = 0) -> tuple[int, int]:
    """Indices ``[first, last+1)`` of the tokens starting inside ``[start, end)`` (``starts``:
    each token's start, in order)."""
    first = bisect_left(starts, start, lo)
    return first, bisect_left(starts, end, first)
