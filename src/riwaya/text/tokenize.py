"""Tokens as spans: one compiled regular expression, one pass, keys from a per-word cache.

Kinds: ``word`` (Arabic, Latin, other scripts, initials such as ``ع.ع.م.`` and ``U.S.``),
``number`` (``10,000``, ``١٠٬٠٠٠``, ``2.5``, ``٢٫٥``, ``10:30``), ``percent`` (``40%``,
``٤٠٪``, ``%40``: one token, key ``40%``), ``url`` (web addresses and e-mail), ``hashtag``,
``mention``, ``punct`` and ``symbol``. A conjunction or preposition written onto a number
(``و20%``, ``ب2016``) stays in the token and is reported as its ``prefix``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from riwaya.model import Token
from riwaya.text.normalize import analyze, fold, number_key

AR_LETTER = "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
AR_MARK = "\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed"
AR_FORMS = "\ufb50-\ufd3d\ufd50-\ufdfb\ufe70-\ufefc"
LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_W_NUM = r"[0-9]+(?:[.,٫٬][0-9]+)*(?::[0-9]{2})?"
_A_NUM = r"[٠-٩۰-۹]+(?:[.,٫٬][٠-٩۰-۹]+)*(?::[٠-٩۰-۹]{2})?"
_NUM = f"(?:{_W_NUM}|{_A_NUM})"
_NUM_PREFIX = "(?:[وفبلك]{1,2})?"

TOKEN_RE = re.compile(
    rf"""
    (?P<url>(?:https?://|www\.)[^\s<>"«»“”]*[^\s<>"«»“”.,;:!?)\]،؛؟']
      |[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)
    |(?P<hashtag>[#＃][\w{AR_MARK}]+)
    |(?P<mention>@[A-Za-z0-9_]+)
    |(?P<percent>{_NUM_PREFIX}(?:{_NUM}[ \u00a0]?[%٪]|[%٪]{_NUM}))
    |(?P<number>{_NUM_PREFIX}{_NUM})
    |(?P<initials>(?:[{AR_LETTER}]\.){{2,}}|(?:[A-Za-z]\.){{2,}})
    |(?P<arabic>[{AR_LETTER}{AR_MARK}{AR_FORMS}]+)
    |(?P<latin>[{LATIN}][{LATIN}0-9]*(?:['’\-][{LATIN}0-9]+)*)
    |(?P<term>[.!?؟…۔]+)
    |(?P<other>\w+)
    |(?P<char>\S)
    """,
    re.VERBOSE,
)

TERMINAL_KIND = "term"


class Tokenized(NamedTuple):
    tokens: list[Token]
    starts: list[int]  # Token.start of each token, for bisect
    terminals: list[int]  # indices of sentence-final punctuation tokens
    arabic: list[int]  # indices of Arabic-script words
    latin: list[int]  # indices of Latin-script words


_word_cache: dict[str, tuple[str, str, str, str]] = {}
_other_cache: dict[tuple[str, str], tuple[str, str]] = {}


def _number_parts(text: str, percent: bool) -> tuple[str, str, str, str]:
    i = 0
    while i < len(text) and text[i] in "وفبلك":
        i += 1
    digits = text[i:].strip("%٪ \u00a0")
    k = number_key(digits) + ("%" if percent else "")
    return k, k, text[:i], ""


def _other(text: str, group: str) -> tuple[str, str]:
    """(kind, key) of a token that is not a word or a number."""
    cached = _other_cache.get((text, group))
    if cached is None:
        if group == "term":
            cached = ("punct", fold(text))
        elif group == "char":
            cat = unicodedata.category(text)
            cached = ("punct" if cat[0] == "P" else "symbol", fold(text))
        elif group == "url":
            cached = ("url", text.lower())
        elif group == "mention":
            cached = ("mention", text.lower())
        else:  # hashtag
            cached = ("hashtag", "#" + fold(text[1:]))
        if len(_other_cache) < 100_000:
            _other_cache[(text, group)] = cached
    return cached


def tokenize(text: str) -> Tokenized:
    """All tokens of ``text`` in order; each ``text[t.start:t.end]`` is the token as written."""
    tokens: list[Token] = []
    starts: list[int] = []
    terminals: list[int] = []
    arabic: list[int] = []
    latin: list[int] = []
    cache = _word_cache
    for m in TOKEN_RE.finditer(text):
        group = m.lastgroup
        s, e = m.span()
        word = m.group()
        if group == "arabic" or group == "latin" or group == "initials" or group == "other":
            parts = cache.get(word)
            if parts is None:
                parts = analyze(word)
                if len(cache) < 500_000:
                    cache[word] = parts
            if group == "arabic":
                arabic.append(len(tokens))
            elif group == "latin":
                latin.append(len(tokens))
            tokens.append(Token(s, e, "word", *parts))
        elif group == "number" or group == "percent":
            tokens.append(Token(s, e, group, *_number_parts(word, group == "percent")))
        else:
            if group == "term":
                terminals.append(len(tokens))
            kind, k = _other(word, group)  # type: ignore[arg-type]
            tokens.append(Token(s, e, kind, k, k))
        starts.append(s)
    return Tokenized(tokens, starts, terminals, arabic, latin)
