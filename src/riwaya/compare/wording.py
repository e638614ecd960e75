"""Arabic wording of the explanations: a verb agrees in gender with the outlet it reports on.

Arabic news usage treats outlets as feminine (``ذكرت الجزيرة``, ``قالت رويترز``, ``أفادت
وكالة الأنباء``) unless the name opens with a masculine head noun (``ذكر موقع ...``, ``قال
المرصد``), listed in ``data/outlet_masculine.txt``. An article known only by its id or file
name stands for ``المقال`` and is masculine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from riwaya.resources import load_lines

_ARABIC = re.compile(r"[\u0600-\u06ff]")
# an article id or a file name: one token with an underscore, or a long hexadecimal string
_ID = re.compile(r"\S*_\S*|[0-9a-f]{8,}", re.I)


def has_arabic(text: str) -> bool:
    """Whether ``text`` holds any Arabic letter."""
    return _ARABIC.search(text) is not None


@cache
def _masculine_heads() -> frozenset[str]:
    return frozenset(load_lines("outlet_masculine.txt"))


def feminine(name: str) -> bool:
    """Whether an outlet's display name takes a feminine verb."""
    words = name.split()
    if not words:
        return False
    if not has_arabic(name):
        # a Latin-script name is an outlet (Reuters, BBC); an id or file name is "the article"
        return not _ID.fullmatch(name)
    head = words[0].strip("«»\"'()")
    return head not in _masculine_heads() and head.removeprefix("ال") not in _masculine_heads()


def verb(masculine: str, names: Sequence[str] | str) -> str:
    """``masculine`` (a present-tense verb in يـ) made to agree with the first of ``names``."""
    first = names if isinstance(names, str) else (names[0] if names else "")
    if masculine.startswith("ي") and feminine(first):
        return "ت" + masculine[1:]
    return masculine
