"""The text layer: an Article's text as sentences, tokens and language segments (all spans)."""

from __future__ import annotations

from riwaya.text.document import build_document

__all__ = ["build_document"]
