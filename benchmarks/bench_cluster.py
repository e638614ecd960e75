"""The engine on a cluster (issue 20): ``riwaya analyze`` in one process, as two ``--shard``
processes, and on a 2-worker Dask ``LocalCluster``; then stories at archive scale.

Throughput: the first ``--limit`` corpus articles written as ``--files`` Parquet files (row groups
of 1,000), each engine timed ``--runs`` times, interleaved (wall clock, the Dask figure including
the cluster's start); medians quoted. Each run checks that the outputs are the one-process JSON
Lines (Dask: byte for byte; the shards: the same lines once sorted).

Stories (``--stories``): the first ``--stories-limit`` articles analysed on Dask, signed on the
workers (:func:`riwaya.engine.stories.read_analyses`), then grouped by
:func:`~riwaya.engine.stories.archive_stories` in one process and by
:func:`~riwaya.engine.stories.distributed_stories` on a fresh 2-worker cluster (same stories
checked), and again on a synthetic archive ``--synthetic`` times larger (the articles repeated
under new ids, a year apart each time plus up to a day of jitter). Time and peak RSS: the one
process's, each Dask worker's and the client's.

    nice .venv/bin/python benchmarks/bench_cluster.py --limit 8000 --runs 3
    nice .venv/bin/python benchmarks/bench_cluster.py --stories --no-throughput --synthetic 10
    .venv/bin/python benchmarks/bench_cluster.py --limit 100000 --runs 1 --workdir W   # whole corpus
    .venv/bin/python benchmarks/bench_cluster.py --stories --no-throughput --analyses W/one.jsonl --workdir W
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

from riwaya.resources import shared_data_dir

CORPUS = shared_data_dir() / "corpus" / "saudinewsnet.jsonl.gz"
RIWAYA = [sys.executable, "-m", "riwaya.cli"]


def load_rows(limit: int | None) -> list[dict]:
    if not CORPUS.exists():
        sys.exit(f"bench_cluster: {CORPUS}: corpus not found")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in islice(f, limit)]


def write_archive(rows: list[dict], folder: Path, files: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    size = -(-len(rows) // files)
    for k in range(files):
        part = rows[k * size:(k + 1) * size]
        if part:
            pq.write_table(pa.Table.from_pylist(part), folder / f"part-{k:02d}.parquet", row_group_size=1000)


def load() -> str:
    return os.getloadavg().__repr__()


CPU: dict[str, list[float]] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(*commands: list[str], label: str | None = None) -> float:
    """Wall time of commands run side by side (their CPU seconds, workers included, kept under
    ``label``)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for c in commands]
    for p in procs:
        _, err = p.communicate()
        if p.returncode != 0:
            sys.exit(f"bench_cluster: {' '.join(p.args)}: exit {p.returncode}\n{err.decode()[-2000:]}")
    if label:
        CPU.setdefault(label, []).append(_children_cpu() - cpu)
    return time.perf_counter() - start


def sorted_lines(*paths: Path) -> list[bytes]:
    lines: list[bytes] = []
    for p in paths:
        lines += p.read_bytes().splitlines()
    return sorted(lines, key=lambda line: json.loads(line)["document"]["article"]["id"])


def throughput(args: argparse.Namespace, work: Path) -> None:
    rows = load_rows(args.limit)
    archive = work / "archive"
    write_archive(rows, archive, args.files)
    n = len(rows)
    print(f"throughput: {n:,} articles in {args.files} Parquet files; {args.runs} runs; load {load()}")
    one, dask = work / "one.jsonl", work / "dask.jsonl"
    shards = [work / "shard-1.jsonl", work / "shard-2.jsonl"]
    times: dict[str, list[float]] = {"one process": [], "--shard 2 processes": [], "dask 2 workers": []}
    for run in range(args.runs):
        base = [*RIWAYA, "analyze", str(archive), "--format", "jsonl", "-q"]
        times["one process"].append(timed([*base, "-o", str(one)], label="one process"))
        times["--shard 2 processes"].append(timed(*[[*base, "--shard", f"{k}/2", "-o", str(shards[k - 1])]
                                                    for k in (1, 2)], label="--shard 2 processes"))
        dask.unlink(missing_ok=True)
        times["dask 2 workers"].append(timed([*base, "--engine", "dask", "--workers", "2", "-o", str(dask)],
                                             label="dask 2 workers"))
        same_dask = dask.read_bytes() == one.read_bytes()
        same_shards = sorted_lines(*shards) == sorted_lines(one)
        print(f"  run {run + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in times.items())
              + f"; dask output identical: {same_dask}; shards identical (sorted): {same_shards}; "
              f"load {load()}", flush=True)
        if not (same_dask and same_shards):
            sys.exit("bench_cluster: the engines' outputs differ")
    best = max(n / statistics.median(v) for v in times.values())
    for name, v in times.items():
        rate = n / statistics.median(v)
        cpu = statistics.median(CPU[name])
        print(f"  {name:22s} median {statistics.median(v):7.1f} s  {rate:6.1f} articles/s  "
              f"({rate / best:.0%} of the best); CPU {cpu:.1f} s ({cpu / n * 1000:.1f} ms/article)")


# --------------------------------------------------------------------------- stories
def _sign_range(path: str, start: int, count: int, out: str) -> int:
    from riwaya.engine.stories import read_analyses, write_signatures

    records = read_analyses(path, start, start + count)
    write_signatures(records, out)
    return len(records)


def _read(path: str) -> list:
    from riwaya.engine.stories import read_signatures

    return read_signatures(path)


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def digest(stories: list) -> str:
    h = hashlib.sha256()
    for s in stories:
        h.update(json.dumps([s.id, s.articles, s.confidence]).encode())
    return h.hexdigest()[:16]


def summary(stories: list) -> str:
    sizes = sorted((len(s.articles) for s in stories), reverse=True)
    return (f"{len(stories):,} stories, {sum(1 for x in sizes if x > 1):,} of 2+ articles, "
            f"largest {sizes[:3]}")


def one_machine(sig_dir: str) -> None:
    """(In a subprocess of its own, for its peak RSS.) archive_stories of every signature file."""
    from riwaya.engine.stories import archive_stories

    records = [r for p in sorted(Path(sig_dir).glob("sig-*.jsonl.gz")) for r in _read(str(p))]
    loaded = _maxrss_mb()
    start = time.perf_counter()
    stories = archive_stories(records)
    print(json.dumps({"seconds": round(time.perf_counter() - start, 1), "loaded_mb": round(loaded),
                      "peak_mb": round(_maxrss_mb()), "digest": digest(stories),
                      "summary": summary(stories)}))


def on_dask(sig_dir: Path, workers: int) -> dict:
    from riwaya.engine.cluster import dask_client
    from riwaya.engine.stories import distributed_stories

    paths = [str(p) for p in sorted(sig_dir.glob("sig-*.jsonl.gz"))]
    with dask_client(workers=workers) as client:  # the cluster riwaya starts, with its settings
        start = time.perf_counter()
        stories = distributed_stories([(lambda p=p: _read(p)) for p in paths], client)
        seconds = time.perf_counter() - start
        rss = client.run(_maxrss_mb)
    return {"seconds": round(seconds, 1), "worker_peak_mb": sorted(round(v) for v in rss.values()),
            "digest": digest(stories), "summary": summary(stories)}


def compare_stories(label: str, sig_dir: Path, workers: int, skip_one: bool) -> None:
    print(f"stories, {label}: load {load()}", flush=True)
    if not skip_one:
        out = subprocess.run([sys.executable, __file__, "--one-machine", str(sig_dir)],
                             capture_output=True, text=True, check=True)
        one = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  one process: {one['seconds']} s (signatures loaded {one['loaded_mb']} MB RSS, "
              f"peak {one['peak_mb']} MB); {one['summary']}", flush=True)
    client_before = _maxrss_mb()
    d = on_dask(sig_dir, workers)
    print(f"  dask {workers} workers: {d['seconds']} s; peak RSS per worker {d['worker_peak_mb']} MB, "
          f"client {round(max(client_before, _maxrss_mb()))} MB; {d['summary']}", flush=True)
    if not skip_one:
        print(f"  same stories: {d['digest'] == one['digest']}", flush=True)


def stories(args: argparse.Namespace, work: Path) -> None:
    import distributed

    rows = load_rows(args.stories_limit)
    archive, analyses, sigs = work / "s-archive", work / "s-analyses.jsonl", work / "sig-1x"
    if not (sigs / "done").exists():
        if args.analyses:  # the same articles' analyses from an earlier run (e.g. the throughput's)
            analyses = Path(args.analyses)
            with open(analyses, "rb") as f:
                if sum(1 for _ in f) != len(rows):
                    sys.exit(f"bench_cluster: {analyses}: not {len(rows):,} analyses")
        else:
            write_archive(rows, archive, args.files)
            start = time.perf_counter()
            timed([*RIWAYA, "analyze", str(archive), "--engine", "dask", "--workers", str(args.workers),
                   "--format", "jsonl", "-q", "-o", str(analyses)])
            print(f"stories: {len(rows):,} articles analysed on Dask in {time.perf_counter() - start:.0f} s",
                  flush=True)
        shutil.rmtree(sigs, ignore_errors=True)
        sigs.mkdir()
        per = -(-len(rows) // (args.files * 2))
        start = time.perf_counter()
        with distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=":0",
                                      silence_logs=40) as cluster, distributed.Client(cluster) as client:
            futures = [client.submit(_sign_range, str(analyses), i * per, per,
                                     str(sigs / f"sig-{i:03d}.jsonl.gz")) for i in range(args.files * 2)]
            signed = sum(client.gather(futures))
        print(f"stories: {signed:,} signed on Dask in {time.perf_counter() - start:.0f} s", flush=True)
        (sigs / "done").write_text("")
        if not args.analyses:
            analyses.unlink()
    n = len(rows)
    compare_stories(f"{n:,} articles", sigs, args.workers, skip_one=False)
    if args.synthetic > 1:
        big = work / f"sig-{args.synthetic}x"
        if not (big / "done").exists():
            synthesise(sigs, big, args.synthetic)
        label = f"{n * args.synthetic:,} articles (synthetic: {args.synthetic} years of the corpus)"
        compare_stories(label, big, args.workers, skip_one=args.no_one_synthetic)


def synthesise(src: Path, dst: Path, times: int) -> None:
    """The signatures repeated ``times`` times: copy k under ids ``ID~k``, k years later, plus up to a
    day (from a hash of the id)."""
    from riwaya.engine.stories import Signed, write_signatures

    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir()
    for p in sorted(src.glob("sig-*.jsonl.gz")):
        records = _read(str(p))
        for k in range(times):
            def moved(r, k=k):
                jitter = int(hashlib.blake2b(f"{r.id}~{k}".encode(), digest_size=2).hexdigest(), 16) / 65536
                when = None if r.time is None else r.time + 365 * k + jitter
                return Signed(f"{r.id}~{k}", when, r.signature)
            name = f"sig-{p.name.split('.')[0][4:]}-{k:02d}.jsonl.gz"
            write_signatures([moved(r) for r in records], str(dst / name))
    (dst / "done").write_text("")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=8000, help="articles for the throughput runs (default 8000)")
    ap.add_argument("--files", type=int, default=8, help="Parquet files the articles are written to")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir", default="/tmp/riwaya-bench-cluster")
    ap.add_argument("--no-throughput", action="store_true")
    ap.add_argument("--stories", action="store_true")
    ap.add_argument("--stories-limit", type=int, default=None, help="articles for the stories (default: all)")
    ap.add_argument("--analyses", metavar="JSONL",
                    help="the stories' articles already analysed (e.g. WORKDIR/one.jsonl of a throughput run "
                         "over the same --limit): signed instead of analysed again")
    ap.add_argument("--synthetic", type=int, default=10)
    ap.add_argument("--no-one-synthetic", action="store_true",
                    help="skip the one-process run on the synthetic set")
    ap.add_argument("--one-machine", metavar="SIGDIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one_machine:
        one_machine(args.one_machine)
        return
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    print(f"bench_cluster: {os.cpu_count()} CPUs; load {load()}", flush=True)
    if not args.no_throughput:
        throughput(args, work)
    if args.stories:
        stories(args, work)


if __name__ == "__main__":
    main()
