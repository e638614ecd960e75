"""The text layer: an Article's text as sentences, tokens and language segments (all spans).

- ``normalize``: matching keys (``fold``, ``split_clitics``, ``key``, ``stem``, ``loose_key``);
  ``phrases``: multi-word lexicons matched on those keys;
- ``tokenize``: tokens in one regex pass; ``sentences``: boundaries; ``boilerplate``: page
  furniture marked non-content; ``segments``: Arabic vs Latin script, lingua on Latin stretches;
- ``document.build_document``: all of it as one :class:`~riwaya.model.Document`.
"""

from __future__ import annotations

from riwaya.text.document import build_document
from riwaya.text.normalize import fold, key, loose_key, split_clitics, stem

__all__ = ["build_document", "fold", "key", "loose_key", "split_clitics", "stem"]
