"""Reading and writing model files (``.npz`` arrays), byte for byte reproducible, and their checksums.

``numpy.savez_compressed`` writes the members in the order given, each stamped 1980-01-01 (zip's
default), so the same arrays give the same bytes: a deterministic training run rebuilds the
shipped file exactly. Arrays are read back with ``allow_pickle=False``: a model file never runs
code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from riwaya.errors import ModelMissingError


def shipped(path: Path, task: str) -> Path:
    """``path``, a shipped model file; missing, a one-line error saying which ``riwaya train`` makes it."""
    if not path.exists():
        raise ModelMissingError(f"{path} missing: run `riwaya train {task}`")
    return path


def save_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` as a compressed ``.npz``, members in the given order; object arrays are
    refused (they would need pickle to load). Written beside and moved into place."""
    if any(np.asanyarray(v).dtype.hasobject for v in arrays.values()):
        raise TypeError("object arrays cannot be saved without pickle")
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:  # (given a path, numpy would add ".npz" to any other name)
        savez: Any = np.savez_compressed  # (numpy's stubs take any keyword for allow_pickle)
        savez(f, **arrays)
    tmp.replace(path)


def load_npz(path: Path) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` file (never unpickled)."""
    with np.load(path, allow_pickle=False) as z:
        return {name: z[name] for name in z.files}


def text_array(items: list[str]) -> np.ndarray:
    """Strings as one newline-joined text (a 0-d array: compact, and fast to split back)."""
    if any("\n" in s for s in items):
        raise ValueError("a string to store holds a newline")
    return np.array("\n".join(items))


def text_items(array: np.ndarray) -> list[str]:
    """The strings of :func:`text_array`."""
    text = str(array)
    return text.split("\n") if text else []


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
