"""Argument types shared by the commands: each refuses a value out of range with one line
(argparse's ``error: argument --port: …``, exit 2), before anything runs."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def int_in(lo: int, hi: int) -> Callable[[str], int]:
    """An integer ``lo <= n <= hi``."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if not lo <= n <= hi:
            raise argparse.ArgumentTypeError(f"{value} is out of range ({lo:,} to {hi:,})")
        return n

    parse.__name__ = "integer"
    return parse


def seconds(value: str) -> float:
    """A positive, finite number of seconds (at most a day)."""
    try:
        n = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not (math.isfinite(n) and 0 < n <= 86_400):
        raise argparse.ArgumentTypeError(f"{value} is not a positive number of seconds (at most 86400)")
    return n


seconds.__name__ = "seconds"
