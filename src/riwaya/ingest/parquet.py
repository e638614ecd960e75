"""Parquet files (an archive's export: one row per article) to articles.

Columns are read as JSON records are (``text`` or ``body``/``content``, and optionally ``id``,
``source``, ``url``, ``published``, ``title``, ``author``, ``credits``, ``language``; other
columns go to ``Article.meta``), one row group batch at a time, so a file of millions of rows is
never held in memory whole. Needs the optional dependency pyarrow (``pip install 'riwaya[parquet]'``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from riwaya.errors import InputError
from riwaya.ingest.records import article_from_record
from riwaya.model import Article

BATCH_ROWS = 512
_TEXT_COLUMNS = ("text", "body", "content")


def _pyarrow(origin: str) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(origin, "reading Parquet needs the optional dependency pyarrow "
                                 "(pip install 'riwaya[parquet]')") from None
    return pq


def _plain(value: Any) -> Any:
    """A cell as a JSON record would hold it: times as ISO text, durations in seconds, decimals
    as exact text, bytes as text, nested lists, structs and maps alike."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)  # Decimal, and anything else pyarrow may give


def read_parquet(stream: IO[bytes], origin: str, max_bytes: int,
                 skip: Callable[[InputError], None], *, seekable: bool = True,
                 rows: tuple[int, int] | None = None) -> Iterator[Article]:
    """The articles of one Parquet file, row by row (``rows``: only rows ``[start, end)``, counted
    from 0, reading only the row groups that hold them); a row without usable text is skipped."""
    pq = _pyarrow(origin)
    if not seekable:  # standard input: Parquet keeps its index at the end of the file
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(origin, f"Parquet on standard input is over the size limit of "
                                     f"{max_bytes:,} bytes (give it as a file, or raise --max-size)")
        stream = io.BytesIO(data)
    try:
        pfile = pq.ParquetFile(stream)
        names = pfile.schema_arrow.names
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError ... for a damaged file
        raise InputError(origin, f"not a readable Parquet file ({_reason(exc)})") from None
    if not any(c in names for c in _TEXT_COLUMNS):
        raise InputError(origin, 'no "text" column (nor "body" or "content"); columns: '
                                 + ", ".join(names[:12]))
    row, groups = 0, None
    if rows is not None:
        row, groups = row_groups(pfile.metadata, *rows)
        if not groups:
            return
    try:
        for batch in pfile.iter_batches(batch_size=BATCH_ROWS, row_groups=groups):
            for rec in batch.to_pylist():
                row += 1
                if rows is not None and not rows[0] < row <= rows[1]:
                    continue
                where = f"{origin}:{row}"
                rec = {k: _plain(v) for k, v in rec.items() if v is not None}
                text = next((rec[c] for c in _TEXT_COLUMNS if c in rec), None)
                if isinstance(text, str) and len(text.encode("utf-8")) > max_bytes:
                    skip(InputError(where, f"text over the size limit of {max_bytes:,} bytes "
                                           "(raise it with --max-size)"))
                    continue
                try:
                    yield article_from_record(rec, where)
                except InputError as err:
                    skip(err)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(origin, f"cannot read Parquet after row {row} ({_reason(exc)})") from None


def row_groups(metadata: Any, start: int, end: int) -> tuple[int, list[int]]:
    """The row groups holding rows ``[start, end)`` of a file, and the file's row before the first."""
    offset, first = 0, 0
    groups: list[int] = []
    for g in range(metadata.num_row_groups):
        n = metadata.row_group(g).num_rows
        if offset < end and offset + n > start:
            if not groups:
                first = offset
            groups.append(g)
        offset += n
    return first, groups


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160]
