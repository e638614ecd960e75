"""Function words and reporting verbs, matched on the text layer's keys, so every stage agrees on
which words carry content."""

from __future__ import annotations

from functools import cache

from riwaya.resources import load_lines
from riwaya.text.normalize import key


@cache
def stopwords() -> frozenset[str]:
    """Keys of the function words in ``data/text_stopwords.txt``."""
    return frozenset(key(w) for w in load_lines("text_stopwords.txt"))


@cache
def reporting_verbs() -> frozenset[str]:
    """Keys of the reporting verbs in ``data/claim_reporting.txt`` (قال، أكد، أفاد …): they say who
    speaks, not what about."""
    return frozenset(key(w) for w in load_lines("claim_reporting.txt"))


@cache
def _non_content() -> frozenset[str]:
    return stopwords() | reporting_verbs()


def is_content(token_key: str) -> bool:
    """Whether a token's key may carry content: not a function word, a reporting verb, a number
    or a lone letter."""
    return len(token_key) >= 2 and not token_key[0].isdigit() and token_key not in _non_content()
