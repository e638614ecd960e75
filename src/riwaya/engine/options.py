"""What a batch analysis run is asked to do: one options object, built by ``riwaya analyze`` from
its arguments and by Python callers directly (:func:`riwaya.engine.analyze_files`)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from riwaya.ingest import MAX_BYTES
from riwaya.model import Article

Engine = Literal["local", "dask"]
OutputFormat = Literal["text", "json", "jsonl", "parquet"]

PARTITION_ROWS = 1000  # articles per partition (a Parquet file's rows are split at this size)
PARTITION_BYTES = 64_000_000  # small whole files are grouped into partitions of about this size


class Shard(NamedTuple):
    """The ``k``-th (from 1) of ``n`` disjoint parts of the input."""

    k: int
    n: int


def in_shard(article: Article, part: Shard) -> bool:
    """Whether the article falls in shard ``part``: by a stable hash of its id, so N machines
    given the same inputs and ``--shard 1/N`` … ``N/N`` analyse each article exactly once."""
    k, n = part
    return zlib.crc32(article.id.encode("utf-8")) % n == k - 1


@dataclass(frozen=True, slots=True)
class AnalyzeOptions:
    """One ``riwaya analyze`` run.

    ``inputs``: files, folders, glob patterns (``-``, standard input, with the one-process engine
    only). ``output``: a file (``jsonl``, ``json``, ``text``; None: standard output) or, for
    ``parquet``, a folder that becomes a Parquet dataset (one ``part-NNNNN.parquet`` per
    partition). ``engine``: ``local`` (this process) or ``dask`` (a ``LocalCluster`` of
    ``workers`` processes, or the ``distributed`` scheduler at ``scheduler``). ``source`` and
    ``published`` are the metadata overrides (``--source``, ``--published [ID=]DATE``), ``shard``
    the part of the input to analyse (``--shard K/N``).
    """

    inputs: tuple[str, ...]
    output: str | None = None
    format: OutputFormat = "jsonl"
    engine: Engine = "local"
    scheduler: str | None = None
    workers: int | None = None  # LocalCluster processes (default: the number of CPUs)
    strict: bool = False
    max_bytes: int = MAX_BYTES
    source: str | None = None
    published: tuple[str, ...] = field(default=())
    shard: Shard | None = None
    partition_rows: int = PARTITION_ROWS
    partition_bytes: int = PARTITION_BYTES
