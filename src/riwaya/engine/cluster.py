"""Partitions run as Dask tasks: on a ``LocalCluster`` of worker processes, or on the cluster of a
``distributed`` scheduler given by its address.

Each worker is a process that loads the language models on its first partition and keeps them
(the pipeline's resources are loaded once per process), and opens the partition's files itself:
the client sends only the partitions' descriptions. A task that raises is retried
(:data:`RETRIES`); the tasks of a worker that dies are given to another by the scheduler, and a
part is written atomically under its partition's key, so a killed worker loses and duplicates
nothing. Needs ``pip install 'riwaya[cluster]'`` (dask, distributed; bokeh for the dashboard).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from typing import Any

from riwaya.engine.options import AnalyzeOptions
from riwaya.engine.partitions import Partition, PartResult, run_partition
from riwaya.errors import RiwayaError

RETRIES = 2  # a task that raised (a file briefly unreadable ...) runs again this many times
CONNECT_TIMEOUT = "20s"
# Dask's nannies start workers with MALLOC_TRIM_THRESHOLD_=65536, so that glibc hands freed memory
# back at once; the analysis allocates and frees many small objects, and runs about 16% slower so
# (2,000 corpus articles in one process: 23.2-24.4 s without it, 26.9-28.4 s with it). A
# LocalCluster's workers keep glibc's default (or the caller's own environment variable).
TRIM = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"


def require_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise RiwayaError("--engine dask needs the optional dependencies dask and distributed "
                          "(pip install 'riwaya[cluster]')") from None
    return distributed


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A client of the scheduler at ``scheduler``, else of a new ``LocalCluster`` of ``workers``
    processes (default: one per CPU), one thread each (the analysis is Python: processes, not
    threads, run it in parallel). Dask's own log lines are kept to errors."""
    distributed = require_distributed()
    import dask

    for name in ("distributed", "bokeh", "tornado"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise RiwayaError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
        with client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    try:
        with dask.config.set({TRIM: None}):
            cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                               dashboard_address="127.0.0.1:8787", silence_logs=logging.ERROR)
    except RuntimeError as exc:  # e.g. worker processes that cannot start
        raise RiwayaError(f"could not start a Dask LocalCluster of {n} workers ({exc})") from None
    with cluster, distributed.Client(cluster) as client:
        yield client


def run_on_dask(partitions: list[Partition], options: AnalyzeOptions, folder: str,
                finished: Callable[[PartResult], None], dashboard: Callable[[str], None]) -> str | None:
    """Run ``partitions`` as tasks; ``finished`` is called with each result as it arrives. Returns
    the dashboard's link."""
    distributed = require_distributed()
    with dask_client(options.scheduler, options.workers) as client:
        link = client.dashboard_link
        if link:
            dashboard(link)
        # the largest first, so that no worker is left with a long one at the end while the others idle
        order = sorted(partitions, key=lambda p: -p.bytes)
        futures = [client.submit(run_partition, p, options, folder, key=f"riwaya-part-{p.index}-{p.key[:16]}",
                                 retries=RETRIES, pure=False, priority=len(order) - rank)
                   for rank, p in enumerate(order)]
        try:
            for future in distributed.as_completed(futures):
                finished(_result(future, distributed))
        except BaseException:
            client.cancel(futures)
            raise
        return str(link) if link else None


def _result(future: Any, distributed: Any) -> PartResult:
    try:
        result: PartResult = future.result()
    except distributed.KilledWorker as exc:
        raise RiwayaError(f"a partition's workers died too often ({exc}); the parts written so far are "
                          "kept: run again to resume") from None
    return result
