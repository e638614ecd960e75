"""Extractors: stages that add annotations (entities, quotes, quantities, dates, cues, claims)."""

from riwaya.text.regex_cache import install as _fast_charsets

_fast_charsets()  # the lexicon patterns compile several times faster, to the same code
