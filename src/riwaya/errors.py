"""Errors that reach the user as one line naming the input and the problem."""

from __future__ import annotations


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
