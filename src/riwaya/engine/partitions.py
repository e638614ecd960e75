"""An archive cut into partitions, and one partition analysed into one part file.

:func:`plan` expands the inputs (files, folders, globs) and cuts them where they lie: a Parquet
file into ranges of about ``partition_rows`` rows (at its row groups where they are smaller), every
other file of records (JSON Lines, JSON, feeds, gzipped or not) whole, and small one-article files
(text, HTML) grouped. Nothing is read but the Parquet footers and the files' sizes.

:func:`run_partition` reads one partition where it lies (the worker opens the files itself),
analyses it, and writes its part file atomically under a name keyed by what the partition holds
(the files' names, sizes and times, the rows, and every option that changes the output), then a
small manifest beside it: a part whose manifest exists is done, and a re-run (or a retry of a task
whose worker was killed) skips it or writes the same bytes again. A part never exists half-written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from riwaya import __version__
from riwaya.engine.options import AnalyzeOptions, in_shard
from riwaya.errors import InputError, RiwayaError
from riwaya.ingest.sources import Input, expand
from riwaya.model import Analysis, Article

MANIFESTS = "_riwaya"  # the parts' manifests, in a folder the Parquet readers skip (leading _)
EXTENSIONS = {"jsonl": "jsonl", "parquet": "parquet"}
PARQUET_BATCH = 128  # rows per Parquet row group written


@dataclass(frozen=True, slots=True)
class Piece:
    """A file, or rows ``[start, end)`` of a Parquet file."""

    origin: str  # the input as named (articles' origins keep it)
    path: str  # where the workers open it (absolute)
    format: str | None
    rows: tuple[int, int] | None = None

    def source(self) -> Input:
        return Input(self.origin, Path(self.path), self.format, rows=self.rows)


@dataclass(frozen=True, slots=True)
class Partition:
    """Some pieces, analysed by one task into one part file."""

    index: int
    pieces: tuple[Piece, ...]
    records: int | None  # known in advance (Parquet rows, one-article files), else None
    key: str  # what the part holds and how it was made, hashed: its file name
    bytes: int = 0  # its size (a file's, or its Parquet rows' uncompressed): the work it is, roughly

    def name(self, fmt: str) -> str:
        return f"part-{self.index:05d}-{self.key[:16]}.{EXTENSIONS[fmt]}"


@dataclass(slots=True)
class PartResult:
    """What one partition gave: the counts, the skipped records' one-line errors, the time spent."""

    index: int
    articles: int = 0
    skipped: int = 0
    inputs: int = 0
    errors: tuple[tuple[str, str], ...] = ()  # (origin, problem) of each record skipped
    seconds: float = 0.0
    skipped_as_done: bool = False  # written by an earlier run


# --------------------------------------------------------------------------- planning
def plan(options: AnalyzeOptions, fail: Callable[[InputError], None]) -> list[Partition]:
    """The partitions of ``options.inputs``, in input order (their parts, concatenated in this
    order, hold the articles in the order one process reads them)."""
    if "-" in options.inputs:
        raise RiwayaError("standard input (-) cannot be split into partitions: give files, or use the "
                          "one-process engine")
    groups: list[tuple[list[Piece], int | None, int]] = []
    small: list[Piece] = []
    small_bytes = 0

    def flush() -> None:
        nonlocal small, small_bytes
        if small:
            groups.append((small, len(small), small_bytes))
            small, small_bytes = [], 0

    for source in expand(options.inputs, fail):
        if source.path is None:  # pragma: no cover - "-" refused above
            continue
        path = str(source.path.resolve())
        try:
            size = source.path.stat().st_size
        except OSError as exc:
            fail(InputError(source.origin, exc.strerror or str(exc)))
            continue
        if source.format == "parquet":
            flush()
            for rows, nbytes in _parquet_ranges(source, options.partition_rows, fail):
                groups.append(([Piece(source.origin, path, source.format, rows)], rows[1] - rows[0], nbytes))
        elif source.format in ("text", "html", None) and size < options.partition_bytes:
            small.append(Piece(source.origin, path, source.format))
            small_bytes += size
            if len(small) >= options.partition_rows or small_bytes >= options.partition_bytes:
                flush()
        else:  # a file of many records (JSON Lines, JSON, a feed), or a large one: whole
            flush()
            groups.append(([Piece(source.origin, path, source.format)], None, size))
    flush()
    salt = _salt(options)
    return [Partition(i, tuple(pieces), records, _key(pieces, salt), nbytes)
            for i, (pieces, records, nbytes) in enumerate(groups)]


def _parquet_ranges(source: Input, target: int,
                    fail: Callable[[InputError], None]) -> list[tuple[tuple[int, int], int]]:
    """Row ranges of about ``target`` rows, cut at row groups (a larger group is cut inside), each
    with its uncompressed size in bytes as the footer gives it (a row group's share by rows)."""
    from riwaya.ingest.parquet import _pyarrow

    pq = _pyarrow(source.origin)
    try:
        meta = pq.ParquetFile(str(source.path)).metadata
        groups = [(meta.row_group(g).num_rows, meta.row_group(g).total_byte_size)
                  for g in range(meta.num_row_groups)]
    except Exception:  # a damaged file: reading it says so, in one line, as the one-process path does
        return [((0, 1), 0)]
    ranges: list[tuple[int, int]] = []
    start = offset = 0
    for n, _ in groups:
        if offset > start and offset + n - start > target:
            ranges.append((start, offset))
            start = offset
        offset += n
        while offset - start > target * 3 // 2:  # a large row group: cut inside it
            ranges.append((start, start + target))
            start += target
    if offset > start or not ranges:
        ranges.append((start, max(offset, start + 1)))
    return [(r, _bytes_in(groups, r)) for r in ranges]


def _bytes_in(groups: list[tuple[int, int]], rows: tuple[int, int]) -> int:
    total = first = 0
    for n, size in groups:
        overlap = min(rows[1], first + n) - max(rows[0], first)
        if overlap > 0:
            total += size * overlap // n
        first += n
    return total


def _salt(options: AnalyzeOptions) -> str:
    """What, besides the inputs, decides a part's content (the trained models' manifest too: a
    part analysed with other weights is not reused)."""
    from riwaya.resources import WEIGHTS_DIR

    try:
        weights = hashlib.sha256((WEIGHTS_DIR / "manifest.json").read_bytes()).hexdigest()
    except OSError:
        weights = ""
    return json.dumps([__version__, weights, options.format, options.max_bytes, options.strict,
                       options.source, list(options.published), options.shard], ensure_ascii=False)


def _key(pieces: list[Piece], salt: str) -> str:
    h = hashlib.sha256(salt.encode("utf-8"))
    for p in pieces:
        try:
            st = os.stat(p.path)
            stamp = [st.st_size, st.st_mtime_ns]
        except OSError:
            stamp = []
        h.update(json.dumps([p.origin, p.path, p.format, p.rows, stamp], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


# --------------------------------------------------------------------------- one partition
def manifest_path(folder: str, partition: Partition, fmt: str) -> Path:
    return Path(folder) / MANIFESTS / (partition.name(fmt) + ".json")


def done(folder: str, partition: Partition, fmt: str) -> PartResult | None:
    """The result of an earlier run's part, if it was written whole."""
    manifest = manifest_path(folder, partition, fmt)
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if not (Path(folder) / partition.name(fmt)).is_file():
            return None
        errors = tuple((str(o), str(p)) for o, p in data.get("errors", ()))
        result = PartResult(**{**data, "errors": errors, "skipped_as_done": True})
    except (OSError, ValueError, TypeError):
        return None
    return result if result.index == partition.index else None


def run_partition(partition: Partition, options: AnalyzeOptions, folder: str) -> PartResult:
    """Analyse one partition into its part file in ``folder`` (skipped if an earlier run wrote it)."""
    fmt = options.format
    earlier = done(folder, partition, fmt)
    if earlier is not None:
        return earlier
    from riwaya.ingest import ReadStats, read_inputs
    from riwaya.ingest.overrides import Overrides
    from riwaya.pipeline import analyze_all

    start = time.perf_counter()
    errors: list[tuple[str, str]] = []
    stats = ReadStats()
    overrides = Overrides(options.source, list(options.published))
    articles = read_inputs((p.source() for p in partition.pieces), strict=options.strict,
                            max_bytes=options.max_bytes, stats=stats,
                            on_error=lambda e: errors.append((e.origin, e.problem)))

    def prepared() -> Iterator[Article]:
        for article in articles:
            if options.shard and not in_shard(article, options.shard):
                continue
            yield overrides.apply(article) if overrides else article

    target = Path(folder) / partition.name(fmt)
    with _atomic(target) as tmp:
        (_write_parquet if fmt == "parquet" else _write_jsonl)(analyze_all(prepared()), tmp)
    result = PartResult(partition.index, stats.articles, stats.skipped, stats.inputs, tuple(errors),
                        round(time.perf_counter() - start, 3))
    manifest = manifest_path(folder, partition, fmt)
    manifest.parent.mkdir(exist_ok=True)
    with _atomic(manifest) as tmp:
        data = asdict(result)
        del data["skipped_as_done"]
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return result


@contextlib.contextmanager
def _atomic(target: Path) -> Iterator[Path]:
    """A temporary sibling of ``target``, renamed onto it only when the block ends without error."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 is for the file in progress only
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _write_jsonl(analyses: Iterator[Analysis], path: Path) -> None:
    from riwaya.engine.formats import json_line

    with open(path, "w", encoding="utf-8", newline="") as out:
        for analysis in analyses:
            out.write(json_line(analysis))


def _write_parquet(analyses: Iterator[Analysis], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from riwaya.engine.formats import arrow_row, arrow_schema

    schema = arrow_schema()
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        rows: list[dict[str, Any]] = []
        for analysis in analyses:
            rows.append(arrow_row(analysis))
            if len(rows) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
