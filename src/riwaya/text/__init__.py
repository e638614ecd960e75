"""The text layer: an Article's text as sentences, tokens and language segments (all spans).

- ``normalize``: matching keys (``fold``, ``split_clitics``, ``key``, ``stem``, ``loose_key``);
  ``phrases``: multi-word lexicons matched on those keys;
- ``tokenize``: tokens in one regex pass; ``sentences``: boundaries; ``boilerplate``: page
  furniture marked non-content; ``segments``: Arabic vs Latin script, lingua on Latin stretches;
- ``document.build_document``: all of it as one :class:`~riwaya.model.Document`;
  ``match_keys``: a text's keys as search indexes and queries match them.
"""

from __future__ import annotations

from riwaya.text.document import build_document, match_keys
from riwaya.text.normalize import fold, key, loose_key, split_clitics, stem

__all__ = ["build_document", "fold", "key", "loose_key", "match_keys", "split_clitics", "stem"]
