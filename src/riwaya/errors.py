"""Errors that reach the user as one line naming the input and the problem."""

from __future__ import annotations

import re

# C0 and C1 controls but tab (newline, ESC ...), DEL, and the bidi embeddings, overrides and
# isolates that reorder a line: printed as escapes, so a file name or a title cannot forge or
# garble a terminal line.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe to print on one terminal line: controls shown as ``\\n``, ``\\x1b``, ``\\u202e``."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class RiwayaError(Exception):
    """Base class: anything riwaya reports to the user without a traceback."""


class InputError(RiwayaError):
    """An input could not be read: ``origin`` names it (path, ``path:line``, URL, ``<stdin>``)."""

    def __init__(self, origin: str, problem: str):
        super().__init__(f"{origin}: {problem}")
        self.origin = origin
        self.problem = problem


class ModelMissingError(RiwayaError):
    """A shipped model file is absent; ``riwaya train TASK`` rebuilds it."""
