"""Package data: lexicons and gazetteers (``data/``) and trained weights (``weights/``)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

PACKAGE = Path(str(resources.files("riwaya")))
DATA_DIR = PACKAGE / "data"
WEIGHTS_DIR = PACKAGE / "weights"


def shared_data_dir() -> Path:
    """The labelled data beside the checkout (``../shared/data``), or ``$RIWAYA_SHARED/data``."""
    import os

    env = os.environ.get("RIWAYA_SHARED")
    if env:
        return Path(env) / "data"
    here = PACKAGE
    for parent in [Path.cwd(), *here.parents]:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
        candidate = parent.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "data"


@cache
def load_json(name: str) -> Any:
    """A JSON data file from ``data/`` (cached: loaded once per process)."""
    with open(DATA_DIR / name, encoding="utf-8") as f:
        return json.load(f)


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """A one-item-a-line data file from ``data/``; blank lines and ``#`` comments skipped."""
    with open(DATA_DIR / name, encoding="utf-8") as f:
        return tuple(
            line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")
        )
