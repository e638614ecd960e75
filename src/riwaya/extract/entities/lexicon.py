"""Small word lists for entities: title/kind trigger words and place names needing context."""

from __future__ import annotations

from functools import cache

from riwaya.resources import load_lines
from riwaya.text.normalize import analyze


@cache
def triggers() -> dict[str, str]:
    """Key of a trigger word → the type it announces (PERS, ORG, MEDIA, LOC)."""
    out: dict[str, str] = {}
    for line in load_lines("gazetteers/triggers.tsv"):
        word, _, kind = line.partition("\t")
        out.setdefault(analyze(word)[0], kind.strip())
    return out


@cache
def context_keys() -> frozenset[str]:
    """Keys of place names that are also common words (taken as places only in context)."""
    return frozenset(analyze(w)[0] for w in load_lines("gazetteers/context.txt"))
