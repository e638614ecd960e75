"""Names an article has already given: a later mention the tagger missed takes their type.

A news article introduces a person by full name (``فيم دويسنبرج``) and then writes the surname
alone (``قال دويسنبرج``); it names a company once in a clear context and then bare. The tagger
sees one sentence at a time and misses many of these later mentions. :class:`NameMemory` keeps
the names found so far, as token-key tuples with their type, and gives back the untagged runs of
a later sentence that repeat one: a whole name found before, or the last word of a person's
name of two words or more (the surname). Single words must be rare (not common words such as
``الثاني`` that end ``عبدالله الثاني``) and at least three letters long.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

from riwaya.text.wordfreq import counts

Span = tuple[int, int, str]  # first token, one past the last, type
MAX_COUNT = 2000  # a single word more frequent than this (per 10M words, bare or with ال) is not kept
TYPES = ("PERS", "LOC", "ORG")


class NameMemory:
    """Names remembered from earlier sentences (all of them, or the last ``window``)."""

    def __init__(self, window: int | None = None, skip: frozenset[str] = frozenset()) -> None:
        self.window = window
        self.skip = skip  # keys never remembered alone (titles, kinds of organisation)
        self.sentences: deque[list[tuple[tuple[str, ...], str]]] = deque()
        self.by_first: dict[str, dict[tuple[str, ...], str]] = {}  # first key → name → type

    def __bool__(self) -> bool:
        return bool(self.by_first)

    def remember(self, keys: Sequence[str], spans: Iterable[Span]) -> None:
        """Keep the names of one sentence (its token keys and the spans found in it)."""
        got: list[tuple[tuple[str, ...], str]] = []
        for s0, s1, typ in spans:
            if typ not in TYPES:
                continue
            name = tuple(keys[s0:s1])
            if self._usable(name):
                got.append((name, typ))
            if typ == "PERS" and s1 - s0 > 1 and self._usable(name[-1:]):
                got.append((name[-1:], typ))
        if self.window is None:
            self._add(got)
            return
        self.sentences.append(got)
        if len(self.sentences) > self.window:
            self.sentences.popleft()
            self.by_first = {}
            for past in self.sentences:
                self._add(past)
        else:
            self._add(got)

    def _add(self, names: list[tuple[tuple[str, ...], str]]) -> None:
        for name, typ in names:
            self.by_first.setdefault(name[0], {})[name] = typ

    def _usable(self, name: tuple[str, ...]) -> bool:
        if len(name) > 1:
            return True
        k = name[0]
        c = counts()
        return len(k) >= 3 and k not in self.skip and not k.isdigit() \
            and c.get(k, 0) + c.get("ال" + k, 0) <= MAX_COUNT

    def recall(self, keys: Sequence[str], taken: Sequence[bool]) -> list[Span]:
        """Runs of a sentence outside ``taken`` that repeat a remembered name: left to right,
        the longest name at each position, not overlapping."""
        out: list[Span] = []
        by_first = self.by_first
        n = len(keys)
        i = 0
        while i < n:
            names = by_first.get(keys[i]) if not taken[i] else None
            if names:
                best = None
                for name, typ in names.items():
                    j = i + len(name)
                    if (best is None or j > best[1]) and j <= n and tuple(keys[i:j]) == name \
                            and True not in taken[i:j]:
                        best = (i, j, typ)
                if best is not None:
                    out.append(best)
                    i = best[1]
                    continue
            i += 1
        return out
