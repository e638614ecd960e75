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


class _Unpickler:
    """Reads the project's own pickled weights, written when the comparison stage's package was
    ``riwaya.compare`` (now ``riwaya.comparison``)."""

    @staticmethod
    def load(f: Any) -> Any:
        import pickle

        class Renamed(pickle.Unpickler):
            def find_class(self, module: str, name: str) -> Any:
                if module == "riwaya.compare" or module.startswith("riwaya.compare."):
                    module = "riwaya.comparison" + module[len("riwaya.compare"):]
                return super().find_class(module, name)

        return Renamed(f).load()


def load_pickle(f: Any) -> Any:
    """One of the project's own pickled weight files (never user input) from open file ``f``."""
    return _Unpickler.load(f)
