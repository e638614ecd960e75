"""The memoised character-class step compiles the lexicon patterns to the same code."""

from __future__ import annotations

import dataclasses
import re
from re import _compiler, _parser  # type: ignore[attr-defined]

import riwaya.extract  # noqa: F401  (installs the memo)
from riwaya.extract import cues, dates, quotes
from riwaya.text.regex_cache import install


def _code(pattern: str, flags: int) -> list[int]:
    return _compiler._code(_parser.parse(pattern, flags), flags)


def test_lexicon_patterns_compile_to_the_same_code_with_and_without_the_memo():
    assert install()
    memoised = _compiler._optimize_charset
    assert memoised.memoised
    patterns = [value for lexicon in (dates._lexicon(), cues._lexicon(), quotes._lexicon())
                for value in (getattr(lexicon, f.name) for f in dataclasses.fields(lexicon))
                if isinstance(value, re.Pattern)]
    assert len(patterns) >= 3
    for p in patterns:
        with_memo = _code(p.pattern, p.flags)
        _compiler._optimize_charset = memoised.original
        try:
            without = _code(p.pattern, p.flags)
        finally:
            _compiler._optimize_charset = memoised
        assert with_memo == without
    assert install()  # a second install keeps the one memo
    assert _compiler._optimize_charset is memoised
