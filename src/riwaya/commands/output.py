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
    if target.is_dir():
        raise RiwayaError(f"{path}: is a directory (give -o a file name)")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    except OSError as exc:
        raise RiwayaError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f
        os.chmod(tmp, _mode(target))  # mkstemp's 0600 is for the file in progress only
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise RiwayaError(f"{path}: cannot write ({exc.strerror or exc})") from None
        raise


def _mode(target: Path) -> int:
    """The replaced file's permissions, else those a new file gets (0666 less the umask)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
