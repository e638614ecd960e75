"""Inputs to readable sources: paths, folders (recursive), glob patterns and ``-`` (stdin)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from riwaya.errors import InputError

# File name endings (after an optional ".gz") and the reader each selects.
FORMATS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jl": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".parquet": "parquet", ".pq": "parquet",
}
_GLOB_CHARS = frozenset("*?[")


@dataclass(slots=True)
class Input:
    """One input to read: a file, standard input (``path`` None), or an http(s) URL (``url``)."""

    origin: str
    path: Path | None = None
    format: str | None = None  # from the file name; None: sniff the content
    url: bool = False  # fetched (riwaya.ingest.fetch), then read by the same readers
    rows: tuple[int, int] | None = None  # a Parquet file's rows [start, end) only (None: all)

    def open(self) -> IO[bytes]:
        if self.path is None:
            return sys.stdin.buffer
        return open(self.path, "rb")  # the caller closes it

    def size(self) -> int | None:
        return None if self.path is None else self.path.stat().st_size


def is_url(name: str) -> bool:
    """Whether an input names an http(s) URL (fetched, not opened)."""
    return name.startswith(("http://", "https://"))


def format_of(name: str) -> str | None:
    """The reader a file name selects (``a.jsonl.gz`` → ``jsonl``), or None."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return FORMATS.get(os.path.splitext(lower)[1])


def expand(inputs: Iterable[str | os.PathLike[str]],
           fail: Callable[[InputError], None]) -> Iterator[Input]:
    """The inputs named by ``inputs`` (paths, folders, globs, ``-``, URLs); one that names
    nothing readable goes to ``fail``."""
    for item in inputs:
        name = os.fspath(item)
        if name == "-":
            yield Input("<stdin>")
            continue
        if is_url(name):
            yield Input(name, url=True)
            continue
        path = Path(name)
        if path.is_dir():
            found = list(_walk(path, fail))
            if not found:
                fail(InputError(name, "folder holds no readable files (.txt, .html, .json, "
                                      ".jsonl, .xml/.rss/.atom, optionally .gz; .parquet)"))
            yield from found
        elif path.exists():
            yield Input(name, path, format_of(path.name))
        elif _GLOB_CHARS & set(name):
            matches = _glob(name)
            if not matches:
                fail(InputError(name, "no files match this pattern"))
            seen: set[str] = set()  # a file matched directly and again inside a matched folder
            for p in matches:
                for source in _walk(p, fail) if p.is_dir() else [Input(str(p), p, format_of(p.name))]:
                    real = os.path.realpath(source.path or "")
                    if real not in seen and source.path is not None and source.path.is_file():
                        seen.add(real)
                        yield source
        else:
            fail(InputError(name, "no such file or folder"))


def _glob(pattern: str) -> list[Path]:
    """What ``pattern`` matches, sorted, hidden names skipped (as :func:`glob.glob` does);
    ``**`` never follows a symbolic link to a folder, so a link loop is read once, not forty times."""
    parts = Path(pattern).parts
    first = next(i for i, part in enumerate(parts) if _GLOB_CHARS & set(part))
    base = Path(*parts[:first]) if first else Path()
    try:
        found = [p for p in base.glob(str(Path(*parts[first:])))
                 if not any(part.startswith(".") for part in p.relative_to(base).parts)]
    except (OSError, ValueError, NotImplementedError):  # an unreadable folder, "**" misplaced ...
        return []
    return sorted(found)


def _walk(folder: Path, fail: Callable[[InputError], None] | None = None) -> Iterator[Input]:
    """Files of a known format under ``folder``, recursively, sorted; hidden ones skipped; a
    subfolder that cannot be listed goes to ``fail``."""

    def unlistable(exc: OSError) -> None:
        if fail is not None:
            fail(InputError(str(exc.filename or folder), f"cannot list folder ({exc.strerror or exc})"))

    for root, dirs, files in os.walk(folder, onerror=unlistable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            if file.startswith("."):
                continue
            fmt = format_of(file)
            if fmt:
                path = Path(root) / file
                yield Input(str(path), path, fmt)
