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
CORPUS = "corpus/saudinewsnet.jsonl.gz"  # the unlabelled news corpus in ../shared/data (SaudiNewsNet)


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


# -- derived tables kept on disk -------------------------------------------------------------
# Loading the lexicons and models means deriving tables from the shipped files (matching keys of
# every gazetteer name, a tagger's feature rows, a scorer's lookup tables): a few hundred CPU
# milliseconds that every cold `riwaya` process would spend again. They are kept as marshal files
# in a per-user cache, keyed by a fingerprint of the installed package (every file's name, size
# and modification time: code, data and weights), so any change to what built them rebuilds
# them. Like ``__pycache__``: a first run builds, later runs read; nothing is ever required.

_NDARRAY = "__ndarray__"
_NESTED = "__nested__"


def cache_dir() -> Path | None:
    """Where derived tables are kept: ``$RIWAYA_CACHE_DIR`` (``off`` or empty: nowhere), else
    ``$XDG_CACHE_HOME/riwaya``, else ``~/.cache/riwaya``."""
    import os

    env = os.environ.get("RIWAYA_CACHE_DIR")
    if env is not None:
        return None if env in ("", "off") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "riwaya"


@cache
def package_fingerprint() -> str:
    """A digest of every file of the installed package (path, size, mtime): about 200 stats."""
    import hashlib
    import os

    from riwaya import __version__

    h = hashlib.sha256(__version__.encode())
    for root, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            st = os.stat(os.path.join(root, name))
            h.update(f"{os.path.relpath(root, PACKAGE)}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:20]


def _encode(value: Any) -> Any:
    """``value`` for marshal: arrays as tagged bytes; a dict, list or tuple holding one tagged
    too, so that reading walks only into those."""
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise ValueError("derived: object arrays cannot be kept")
        return (_NDARRAY, value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, dict | list | tuple):
        items = list(value.values()) if isinstance(value, dict) else list(value)
        coded = [_encode(v) for v in items]
        if any(c is not v for c, v in zip(coded, items, strict=True)):
            if isinstance(value, dict):
                return (_NESTED, "dict", list(zip(value, coded, strict=True)))
            return (_NESTED, type(value).__name__, coded)
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) in (3, 4):
        if value[0] == _NDARRAY:
            import numpy as np

            return np.frombuffer(value[3], dtype=np.dtype(value[1])).reshape(value[2])
        if value[0] == _NESTED:
            if value[1] == "dict":
                return {k: _decode(v) for k, v in value[2]}
            items = [_decode(v) for v in value[2]]
            return items if value[1] == "list" else tuple(items)
    return value


def derived(name: str, build: Any) -> dict[str, Any]:
    """``build()`` — a dict of marshal-able values and numpy arrays — from the disk cache when a
    build by this very package is there, else built and stored (atomically; a cache that cannot
    be written is skipped). Arrays come back read-only."""
    import hashlib
    import marshal
    import os

    folder = cache_dir()
    slot = f"{name}-{hashlib.sha256(str(PACKAGE).encode()).hexdigest()[:8]}"  # one per install
    path = folder / f"{slot}-{package_fingerprint()}.marshal" if folder is not None else None
    if path is not None:
        import gc

        try:
            with open(path, "rb") as f:
                data = f.read()  # (marshal.load on the file reads it in small pieces: slower)
            paused = gc.isenabled()
            gc.disable()  # tens of thousands of new tuples would run the collector many times
            try:
                stored = marshal.loads(data)
            finally:
                if paused:
                    gc.enable()
            return {k: _decode(v) for k, v in stored.items()}
        except (OSError, EOFError, ValueError, TypeError, AttributeError):
            pass
    value: dict[str, Any] = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob(f"{slot}-*.marshal"):  # this install's earlier builds
                old.unlink(missing_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                marshal.dump({k: _encode(v) for k, v in value.items()}, f)
            os.replace(tmp, path)
        except (OSError, ValueError):
            pass
    return value


def restore(cls: type[Any], state: dict[str, Any]) -> Any:
    """An instance of ``cls`` with the attributes ``state`` (a :func:`derived` copy of one's
    ``vars``), its ``__init__`` not run."""
    obj = object.__new__(cls)
    obj.__dict__.update(state)
    return obj
