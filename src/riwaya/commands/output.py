"""Writing command output: stdout, or a file replaced atomically (never half-written)."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from riwaya.errors import RiwayaError


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[TextIO]:
    """Yield a text stream for ``path`` (``None`` or ``-``: stdout).

    A file is written to a temporary sibling and renamed into place only when the block
    finishes without error, so an interrupted run leaves any earlier file intact.
    """
    if path in (None, "-"):
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise RiwayaError(f"{path}: directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
