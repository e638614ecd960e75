"""Boilerplate lines (share prompts, "read also", agency sign-offs, credits): marked, never cut.

The patterns live in ``data/text_boilerplate.txt`` and match the folded text of a whole line
or a whole sentence.
"""

from __future__ import annotations

import re
from functools import cache

from riwaya.resources import load_lines
from riwaya.text.normalize import fold

MAX_LEN = 200  # boilerplate lines are short; longer ones are reporting
_EDGES = " \t\u00a0-–—_=~+#|:;,.!?*•·()[]«»“”\"'\u200f\u200e"


@cache
def _pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in load_lines("text_boilerplate.txt")))


def is_boilerplate(text: str) -> bool:
    """Is this line or sentence page furniture rather than reporting?"""
    if len(text) > MAX_LEN:
        return False
    folded = fold(text).strip(_EDGES)
    if not folded:
        return bool(text.strip())  # only separators: "* * *", "---"
    return _pattern().fullmatch(folded) is not None
