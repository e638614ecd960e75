"""Faster compiling of the lexicon patterns, with the same compiled patterns.

The extractors' patterns spell each lexicon word letter by letter, every letter followed by a
class of optional marks (``[\\u064b-\\u065f\\u0670\\u0640]*``) and many letters by a class of
their spelling variants (``[اأإآٱ]``): thousands of character classes per pattern, about a hundred
distinct. Python's regex compiler turns each class of characters beyond Latin-1 into a 64 KiB
bitmap, from scratch every time (``re._compiler._optimize_charset``, most of a cold start's
second of compiling). That step is a pure function of the class, so :func:`install` memoises it:
each distinct class is optimised once per process and the compiled code is what it was.
"""

from __future__ import annotations

from typing import Any

_ARGS = ("charset", "iscased", "fixup", "fixes")


def install() -> bool:
    """Memoise the regex compiler's character-class step (once a process); False where this
    Python's compiler has no such step to memoise."""
    try:
        from re import _compiler  # type: ignore[attr-defined]
    except ImportError:
        return False
    optimize = getattr(_compiler, "_optimize_charset", None)
    if optimize is None:
        return False
    if getattr(optimize, "memoised", False):
        return True
    if optimize.__code__.co_varnames[:4] != _ARGS:
        return False
    cache: dict[tuple, Any] = {}

    def memoised(charset: list, iscased: Any = None, fixup: Any = None, fixes: Any = None) -> Any:
        try:
            key = (tuple(charset), iscased, fixup, id(fixes))
            hit = cache.get(key)
        except TypeError:  # an unhashable item: compile as usual
            return optimize(charset, iscased, fixup, fixes)
        if hit is None:
            hit = cache[key] = optimize(charset, iscased, fixup, fixes)  # (read-only to its callers)
        return hit

    memoised.memoised = True  # type: ignore[attr-defined]
    memoised.original = optimize  # type: ignore[attr-defined]
    _compiler._optimize_charset = memoised
    return True
