"""The engine: the same analysis of an archive in this process or on a Dask cluster.

``riwaya analyze`` streams articles through one process by default. With ``--format parquet``, or
with ``--engine dask``, it runs :func:`analyze_files`: the inputs are cut into partitions where
they lie (:mod:`riwaya.engine.partitions`), each partition is analysed by one task into one part
file written atomically, and the parts make the output: a Parquet dataset (one row per article,
:mod:`riwaya.engine.formats`), or JSON Lines joined in input order (the same bytes as the
one-process path). A part already written is never redone, so a run that was stopped, or whose
worker was killed, resumes where it was; Dask retries the tasks of a lost worker elsewhere.

Python::

    from riwaya.engine import AnalyzeOptions, analyze_files
    summary = analyze_files(AnalyzeOptions(inputs=("archive/",), output="analyses/",
                                           format="parquet", engine="dask", workers=2))
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from riwaya.engine.options import AnalyzeOptions, Engine, OutputFormat, Shard, in_shard
from riwaya.engine.partitions import MANIFESTS, PartResult, done, plan, run_partition
from riwaya.errors import InputError, RiwayaError

__all__ = ["AnalyzeOptions", "Engine", "OutputFormat", "RunSummary", "Shard", "analyze_files", "in_shard"]

PARTITIONED_FORMATS = ("jsonl", "parquet")
_PART = re.compile(r"^part-\d{5}-[0-9a-f]{16}\.(parquet|jsonl)$")


@dataclass(slots=True)
class RunSummary:
    """What a run read and wrote."""

    articles: int = 0
    skipped: int = 0
    inputs: int = 0
    partitions: int = 0
    resumed: int = 0  # partitions an earlier run had written
    seconds: float = 0.0
    dashboard: str | None = None
    files: list[Path] = field(default_factory=list)  # a Parquet dataset's parts

    def line(self) -> str:
        return (f"read {self.articles:,} article{'s' * (self.articles != 1)} from {self.inputs:,} "
                f"input{'s' * (self.inputs != 1)}; skipped {self.skipped:,}")


class Events:
    """What a run tells its caller as it goes (the CLI prints them; the defaults print nothing)."""

    def skipped(self, err: InputError) -> None: ...
    def total(self, records: int) -> None: ...
    def advance(self, articles: int) -> None: ...
    def dashboard(self, link: str) -> None: ...


def analyze_files(options: AnalyzeOptions, events: Events | None = None) -> RunSummary:
    """Analyse ``options.inputs`` partition by partition (in this process, or on Dask with
    ``engine="dask"``) into ``options.output``: a Parquet dataset folder, or a JSON Lines file
    (None: standard output). Bad inputs and records are passed to ``events.skipped`` (with
    ``strict``, the first one is raised); the run then goes on."""
    events = events or Events()
    if options.format not in PARTITIONED_FORMATS:
        raise RiwayaError(f"--format {options.format} is written by the one-process engine only; "
                          "partitioned runs write jsonl or parquet")
    if options.format == "parquet" and not options.output:
        raise RiwayaError("--format parquet needs -o FOLDER (the dataset: one file per partition)")
    if options.scheduler and options.engine != "dask":
        raise RiwayaError("--scheduler needs --engine dask")
    if options.engine == "dask":  # said before anything is planned or written
        from riwaya.engine.cluster import require_distributed

        require_distributed()
    start = time.perf_counter()
    summary = RunSummary()

    def fail(err: InputError) -> None:
        summary.inputs += 1
        summary.skipped += 1
        if options.strict:
            raise err
        events.skipped(err)

    partitions = plan(options, fail)
    summary.partitions = len(partitions)
    summary.inputs += len({piece.origin for p in partitions for piece in p.pieces})
    with _parts_folder(options) as folder:
        known = [p.records for p in partitions]
        if all(n is not None for n in known):
            events.total(sum(n or 0 for n in known))

        def finished(result: PartResult) -> None:
            summary.articles += result.articles
            summary.skipped += result.skipped
            summary.resumed += result.skipped_as_done
            for origin, problem in result.errors:
                events.skipped(InputError(origin, problem))
            events.advance(result.articles)

        todo = []
        for partition in partitions:
            earlier = done(str(folder), partition, options.format)
            if earlier is not None:
                finished(earlier)
            else:
                todo.append(partition)
        if options.engine == "dask":
            from riwaya.engine.cluster import run_on_dask

            summary.dashboard = run_on_dask(todo, options, str(folder), finished, events.dashboard)
        else:
            for partition in todo:
                finished(run_partition(partition, options, str(folder)))
        parts = [folder / p.name(options.format) for p in partitions]
        _finish(options, folder, parts)
        if options.format == "parquet":
            summary.files = parts
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


@contextlib.contextmanager
def _parts_folder(options: AnalyzeOptions) -> Iterator[Path]:
    """Where the parts are written: the Parquet dataset itself, or beside the JSON Lines output
    (``.NAME.parts``, kept until the output is whole, so a stopped run resumes), or a temporary
    folder for standard output."""
    if options.format == "parquet":
        folder = Path(options.output or "")
        if folder.exists() and not folder.is_dir():
            raise RiwayaError(f"{folder}: exists and is not a folder (a Parquet dataset is a folder)")
        if folder.is_dir():
            strangers = [p.name for p in folder.iterdir() if p.name != MANIFESTS and not _PART.match(p.name)
                         and not p.name.startswith(".part-")]
            if strangers:
                raise RiwayaError(f"{folder}: holds other files ({', '.join(sorted(strangers)[:3])}); "
                                  "give an empty or new folder")
        if not folder.parent.is_dir():
            raise RiwayaError(f"{folder}: folder {folder.parent} does not exist")
        folder.mkdir(exist_ok=True)
        yield folder
        return
    if options.output in (None, "-"):
        with tempfile.TemporaryDirectory(prefix="riwaya-parts-") as tmp:
            yield Path(tmp)
        return
    target = Path(options.output)
    if not target.parent.is_dir() if str(target.parent) else False:
        raise RiwayaError(f"{target}: directory {target.parent} does not exist")
    if target.is_dir():
        raise RiwayaError(f"{target}: is a directory (give -o a file name)")
    folder = target.parent / f".{target.name}.parts"
    folder.mkdir(exist_ok=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)  # reached only once the output is whole


def _finish(options: AnalyzeOptions, folder: Path, parts: list[Path]) -> None:
    """The output made whole: JSON Lines parts joined in input order into the output file
    (replaced atomically) or standard output; a Parquet dataset rid of an earlier plan's parts."""
    if options.format == "parquet":
        keep = {p.name for p in parts}
        for old in folder.iterdir():
            if _PART.match(old.name) and old.name not in keep:
                old.unlink()
        manifests = folder / MANIFESTS
        for old in manifests.iterdir() if manifests.is_dir() else ():
            if old.name.removesuffix(".json") not in keep:
                old.unlink()
        return
    from riwaya.commands.output import open_output

    with open_output(options.output) as out:
        for part in parts:
            with open(part, encoding="utf-8", newline="") as f:
                shutil.copyfileobj(f, out, 1 << 20)
    if options.output in (None, "-"):
        sys.stdout.flush()
