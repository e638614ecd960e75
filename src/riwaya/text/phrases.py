"""Phrase lexicons matched on token keys: one matcher for every list of multi-word phrases (page
furniture, rumour labels, phrases that deny an event, provisional tolls), so that a phrase is
folded and split exactly as the text it is looked for in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar

from riwaya.text.normalize import key

T = TypeVar("T")


class Phrases(Generic[T]):
    """Phrases as key tuples by their first key, longest first, each with a label."""

    __slots__ = ("_table",)

    def __init__(self, entries: Iterable[tuple[str, T]], *, words_only: bool = False) -> None:
        table: dict[str, list[tuple[tuple[str, ...], T]]] = {}
        for phrase, label in entries:
            keys = tuple(k for w in phrase.split() if (k := key(w))
                         and (not words_only or any(c.isalnum() for c in k)))
            if keys:
                table.setdefault(keys[0], []).append((keys, label))
        self._table = {k: tuple(sorted(v, key=lambda e: -len(e[0]))) for k, v in table.items()}

    def at(self, keys: Sequence[str], i: int) -> tuple[tuple[str, ...], T] | None:
        """The longest phrase (and its label) that starts at ``keys[i]``."""
        for phrase, label in self._table.get(keys[i], ()):
            if tuple(keys[i:i + len(phrase)]) == phrase:
                return phrase, label
        return None

    def find(self, keys: Sequence[str]) -> Iterator[tuple[int, tuple[str, ...], T]]:
        """Every occurrence: its position, the phrase and its label."""
        for i in range(len(keys)):
            if (hit := self.at(keys, i)) is not None:
                yield i, hit[0], hit[1]

    def labels(self, keys: Sequence[str]) -> set[T]:
        return {label for _, _, label in self.find(keys)}

    def occur(self, keys: Sequence[str]) -> bool:
        return next(self.find(keys), None) is not None

    def __contains__(self, first_key: object) -> bool:
        return first_key in self._table


def phrase_list(lines: Iterable[str], *, words_only: bool = False) -> Phrases[None]:
    """Unlabelled phrases, one a line."""
    return Phrases(((line, None) for line in lines), words_only=words_only)
