"""How many records a command's inputs hold, where that is cheap to know: for a progress total
and an ETA on long runs.

A text or HTML file is one article, a JSON Lines file one per line (counted by streaming it,
gzipped or not, far faster than it is analysed), a Parquet file says how many rows it has.
Anything else (standard input, URLs, feeds, JSON documents, files of unknown format) makes the
total unknown: the progress then counts without one.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from riwaya.errors import InputError

CHUNK = 1 << 20


def count_records(inputs: Iterable[str]) -> int | None:
    """The number of records (articles, bad lines and unreadable inputs included: each is one
    step of the progress) in ``inputs``, or None where it cannot be known without reading them."""
    from riwaya.ingest.sources import expand, is_url

    names = list(inputs)
    if any(name == "-" or is_url(name) for name in names):
        return None
    missing = 0

    def fail(err: InputError) -> None:
        nonlocal missing
        missing += 1

    total = 0
    for source in expand(names, fail):
        n = _records(source.path, source.format) if source.path is not None else None
        if n is None:
            return None
        total += n
    return total + missing


def _records(path: Path, fmt: str | None) -> int | None:
    try:
        if fmt in ("text", "html"):
            return 1
        if fmt == "jsonl":
            return _lines(path)
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
    except (OSError, EOFError, ImportError, ValueError):
        return 1  # unreadable: the reader reports it as one failure
    except Exception:  # pyarrow's own errors for a damaged file
        return 1
    return None


def _lines(path: Path) -> int:
    """Lines: newlines, plus a last line without one (a blank line, which the reader skips, is
    rare enough not to matter to an estimate)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    n, last = 0, b"\n"
    with opener(path, "rb") as f:
        while chunk := f.read(CHUNK):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def count_in_background(inputs: Iterable[str], done: Callable[[int], None]) -> threading.Thread:
    """Count ``inputs`` in a daemon thread and call ``done(total)`` when known (never if not), so
    a long count never delays the run it describes."""
    names = list(inputs)

    def work() -> None:
        try:
            total = count_records(names)
        except Exception:  # an estimate: never a reason to fail the run
            return
        if total is not None:
            done(total)

    thread = threading.Thread(target=work, name="riwaya-count", daemon=True)
    thread.start()
    return thread
