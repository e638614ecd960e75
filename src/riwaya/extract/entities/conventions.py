"""Where a name's span starts and ends, as the annotations riwaya is scored on (ANERcorp's) cut
it: three rules over the tagger's runs, after decoding.

- Two people or places joined by و are two names («أندريا ويوهدان», «IBM وLenovo»): a run of
  PERS or LOC is cut before a word whose proclitic is و, a run of any type before و stuck to a
  Latin word.
- A person's name does not end on a connector (``gazetteers/name_connectors.txt``: بن، آل، أبو):
  «زين العابدين بن» goes on to «علي», «محمد بن عيد» to «آل ثاني».
- An organisation named by its kind (the first word an ORG trigger: البنك، مجلس، حزب) takes the
  adjective of origin right after it: «البنك المركزي الأوروبي».

Applied to anercorp-train's own gold names, the three change 27, 7 and 18 of its 7,968 names
(the conventions hold there); they raise riwaya's anercorp-a micro-F1 (see the NER card).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from riwaya.extract.entities.lexicon import triggers
from riwaya.resources import load_lines
from riwaya.text.normalize import analyze

Run = tuple[int, int, str]  # tokens [start, end) of a sentence and the type

_LATIN_AND = re.compile(r"^و[A-Za-z]")
_ORIGIN = re.compile(r"^ال\w{3,}(ي|ية)$")  # الأوروبي، الإيطالية
_LETTER = re.compile(r"[^\W\d_]")
_SPLIT_TYPES = frozenset({"PERS", "LOC"})


@cache
def connectors() -> frozenset[str]:
    return frozenset(load_lines("gazetteers/name_connectors.txt"))


@cache
def _org_heads() -> frozenset[str]:
    return frozenset(k for k, kind in triggers().items() if kind == "ORG")


def _joined_by_and(word: str, kind: str) -> bool:
    if _LATIN_AND.match(word):
        return True
    return kind in _SPLIT_TYPES and analyze(word)[2].startswith("و")


def apply(words: Sequence[str], runs: Sequence[Run]) -> list[Run]:
    """``runs`` (of one sentence of ``words``, in any order) cut and extended by the rules above,
    in order of their starts."""
    out: list[Run] = []
    for s0, s1, kind in sorted(runs):
        start = s0
        for i in range(s0 + 1, s1):
            if _joined_by_and(words[i], kind):
                out.append((start, i, kind))
                start = i
        out.append((start, s1, kind))
    taken = {i for s0, s1, _ in out for i in range(s0, s1)}
    n = len(words)

    def free(i: int) -> bool:
        return i < n and i not in taken and bool(_LETTER.search(words[i]))

    conn = connectors()
    for k, (s0, s1, kind) in enumerate(out):
        end = s1
        if kind == "PERS":
            while True:
                if words[end - 1] in conn and free(end):
                    end += 1
                elif free(end) and words[end] in conn and free(end + 1):
                    end += 2
                else:
                    break
        elif kind == "ORG" and analyze(words[s0])[0] in _org_heads() and free(end) \
                and _ORIGIN.match(words[end]):
            end += 1
        if end != s1:
            taken.update(range(s1, end))
            out[k] = (s0, end, kind)
    return out
