"""Workspace benchmark: ingest throughput (full analysis + story assignment + storage), then the
end-of-run findings recompute, timed separately; peak memory; and web render times (story list
and story pages, p50/p95) from the store.

Wall-clock figures move with whatever else runs on the machine; the CPU-seconds per article
(this process plus its worker processes, ``time.process_time`` and ``RUSAGE_CHILDREN``) do not:
2 / (CPU s per article) is the rate two otherwise idle cores would reach.

    .venv/bin/python benchmarks/bench_store.py                  # 2,000 corpus articles, 2 workers
    .venv/bin/python benchmarks/bench_store.py --n 5000 --runs 3
    .venv/bin/python benchmarks/bench_store.py --web-only --db riwaya.db   # pages over an existing store
    .venv/bin/python benchmarks/bench_store.py --n 500 --pg postgresql://me@/postgres   # and PostgreSQL
    .venv/bin/python benchmarks/bench_store.py --all --extra ../shared/seeds --keep /tmp/whole.db
    .venv/bin/python benchmarks/bench_store.py --db riwaya.db --findings-sample 150   # findings CPU/story

Figures are medians of ``--runs`` runs; ratios are measured in the same run. With ``--pg`` (a URL
of any database on a PostgreSQL server) each run also ingests into a database it creates there
(and drops at the end), the writes alone (records prepared once) are timed into both stores, and
the pages are timed over both.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from riwaya.cli import single_threaded_blas

single_threaded_blas()  # as `riwaya ingest` runs (and its workers), set before numpy loads

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "saudinewsnet.jsonl.gz"


def corpus_articles(n: int):
    return list(stream_articles(n))


def stream_articles(n: int | None, extra: list[str] | None = None):
    """The first ``n`` corpus articles (None: all of them), then those of ``extra`` (files or
    folders, as ``riwaya ingest`` reads them), one at a time: a whole-corpus run holds no list."""
    from riwaya.ingest.records import article_from_record

    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for i, line in enumerate(itertools.islice(f, n), 1):
            yield article_from_record(json.loads(line), f"{CORPUS.name}:{i}")
    if extra:
        from riwaya.ingest import read

        yield from read(extra)


class _Counted:
    """An iterable that counts what it gave."""

    def __init__(self, items):
        self.items, self.n = items, 0

    def __iter__(self):
        for item in self.items:
            self.n += 1
            yield item


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


class _OwnStory:
    """``--no-grouping``: every article opens its own story (when story grouping is unavailable)."""

    def add(self, article_id, signature, published):
        return "S-" + article_id


def _cpu() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


def bench_ingest(articles, workers: int, batch: int, db: Path, grouping: bool = True) -> dict:
    """Store phase (analysis, story assignment, storage), then the findings of dirty stories;
    wall and CPU seconds of each (the pools are shut down in between, so workers are counted)."""
    from riwaya.store import open_store
    from riwaya.workspace.ingester import Ingester

    store = open_store(db)
    out = {}
    wall, cpu = time.perf_counter(), _cpu()
    assigner = None if grouping else _OwnStory()
    with Ingester(store, workers=workers, batch=batch, assigner=assigner, findings=False) as ing:
        out["summary"] = ing.ingest(articles)
    out["store_wall"], out["store_cpu"] = time.perf_counter() - wall, _cpu() - cpu
    out["dirty"] = store.count()["dirty"]
    wall, cpu = time.perf_counter(), _cpu()
    with Ingester(store, workers=workers) as ing:
        out["recomputed"] = ing.recompute_dirty()
    out["findings_wall"], out["findings_cpu"] = time.perf_counter() - wall, _cpu() - cpu
    store.close()
    return out


def bench_writes(articles, dbs: list[str | Path]) -> dict[str, tuple[float, int]]:
    """Storage alone: the same prepared records (one story each) added to each store; seconds."""
    from riwaya.store import open_store
    from riwaya.workspace.prepare import prepare

    records = []
    for a in articles:
        with contextlib.suppress(Exception):
            records.append(prepare(a))
    out = {}
    for db in dbs:
        with open_store(db) as store:
            start = time.perf_counter()
            for r in records:
                store.add_article(r, "S-" + r.article.id)
            out[str(db)] = (time.perf_counter() - start, len(records))
    return out


@contextlib.contextmanager
def pg_databases(url: str | None):
    """Makes new databases on the server of ``url`` (``make()`` gives a new one's URL); drops them."""
    if url is None:
        yield None
        return
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    made: list[str] = []

    def make() -> str:
        name = f"riwaya_bench_{len(made)}_{int(time.time())}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return urlunsplit(urlsplit(url)._replace(path="/" + name))

    try:
        yield make
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            for name in made:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def bench_analysis_only(articles) -> float:
    from riwaya.workspace.prepare import prepare

    start = time.perf_counter()
    for a in articles:
        with contextlib.suppress(Exception):  # failures are counted by the ingest run's summary
            prepare(a)
    return time.perf_counter() - start


def bench_web(db: str | Path, samples: int, seed: int = 0) -> dict[str, dict[str, float]]:
    from fastapi.testclient import TestClient

    from riwaya.store import open_store
    from riwaya.web.app import create_app

    store = open_store(db, read_only=True)
    rng = random.Random(seed)
    # stories whose findings are stored (a story still marked renders without them: faster)
    largest = [s.id for s in store.list_stories(sort="largest", min_articles=2, limit=100000) if not s.dirty]
    largest = largest[: samples // 2]
    every = [s.id for s in store.list_stories(min_articles=2, limit=100000) if not s.dirty]
    story_ids = largest + rng.sample(every, min(len(every), samples - len(largest)))
    pages = store.count()["stories"] // 50 + 1
    lists = [
        f"/?sort={s}&page={p}" for s in ("newest", "contested", "largest") for p in (1, 2, max(1, pages // 4))
    ]
    outlets = [o.outlet for o in store.outlets()]
    out = {}
    with TestClient(create_app(db, store=store), base_url="http://127.0.0.1") as client:
        for name, paths in (
            ("story list", lists * max(1, samples // len(lists))),
            ("story page", [f"/story/{s}" for s in story_ids]),
            ("outlet page", [f"/outlet/{quote(o, safe='')}" for o in outlets]
             * max(1, samples // (4 * len(outlets) or 1))),
        ):
            for p in paths[:5]:
                client.get(p)  # warm
            times = []
            for p in paths:
                t = time.perf_counter()
                r = client.get(p)
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, (p, r.status_code)
            if not times:
                continue
            times.sort()
            out[name] = {
                "n": len(times),
                "p50_ms": statistics.median(times),
                "p95_ms": times[int(0.95 * (len(times) - 1))],
                "max_ms": times[-1],
            }
    return out


def whole_corpus(args) -> Path:
    """``--all``: the whole corpus (and ``--extra``) into a fresh store, streamed as ``riwaya
    ingest`` reads it; each phase's time and rate, CPU per article, peak memory."""
    import os

    db = args.keep or Path(tempfile.mkdtemp()) / "whole.db"
    if db.exists():
        raise SystemExit(f"{db} exists: give --keep a new file")
    print(f"whole corpus into {db}: {args.workers} workers, batch {args.batch}; load average "
          f"{os.getloadavg()[0]:.1f} at the start")
    articles = _Counted(stream_articles(None, args.extra))
    r = bench_ingest(articles, args.workers, args.batch, db, not args.no_grouping)
    n, grouping = articles.n, r["summary"].grouping_seconds
    analysis = r["store_wall"] - grouping
    total = r["store_wall"] + r["findings_wall"]
    own, kids = peak_mb()
    print(f"  {n:,} articles read ({r['summary'].line()}); load average {os.getloadavg()[0]:.1f} at the end")
    print(f"  analysis + storage: {analysis:,.1f} s ({n / analysis:,.1f} articles/s)")
    print(f"  copies + story grouping (main process): {grouping:,.1f} s "
          f"({n / max(grouping, 1e-9):,.1f} articles/s)")
    print(f"  articles phase: {r['store_wall']:,.1f} s = {n / r['store_wall']:,.1f} articles/s, "
          f"{r['store_cpu'] / n * 1000:.1f} CPU ms/article")
    fw = max(r["findings_wall"], 1e-9)
    print(f"  findings: {r['recomputed']:,} stories in {r['findings_wall']:,.1f} s "
          f"({r['recomputed'] / fw:,.1f} stories/s, {n / fw:,.1f} articles/s; "
          f"{r['findings_cpu'] / max(r['recomputed'], 1) * 1000:.0f} CPU ms/story)")
    print(f"  with findings: {total:,.1f} s = {n / total:,.1f} articles/s (target >= 100); "
          f"{(r['store_cpu'] + r['findings_cpu']) / n * 1000:.1f} CPU ms/article = "
          f"{args.workers * n / (r['store_cpu'] + r['findings_cpu']):,.1f} articles/s on "
          f"{args.workers} idle cores")
    print(f"  peak memory: main {own:,.0f} MB, largest worker {kids:,.0f} MB (their sum: "
          "benchmarks/mem_sample.py)")
    print(f"  store size: {db.stat().st_size / 1e6:,.1f} MB")
    return db


def bench_findings(db: Path, n: int, seed: int = 1) -> dict[str, float]:
    """CPU per story of computing the findings of ``n`` random multi-report stories of a store
    (read-only: load the compared sample, compare, lay out, render the page part) as the
    findings workers do, one process."""
    from riwaya.store import open_store
    from riwaya.workspace import ingester

    store = open_store(db, read_only=True)
    ids = [s.id for s in store.list_stories(min_articles=2, limit=10**6) if s.n_reports >= 2]
    picked = random.Random(seed).sample(ids, min(n, len(ids)))
    ingester._findings_of(store, ingester.default_comparer, picked[0], False)  # models loaded
    cpu = time.process_time()
    for story in picked:
        ingester._findings_of(store, ingester.default_comparer, story, False)
    return {"n": len(picked), "cpu_ms": (time.process_time() - cpu) / max(len(picked), 1) * 1000}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="corpus articles to ingest")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--samples", type=int, default=200, help="pages timed per kind")
    ap.add_argument("--db", type=Path, help="time the web pages over this store")
    ap.add_argument("--web-only", action="store_true")
    ap.add_argument("--findings-sample", type=int, metavar="N",
                    help="with --db: CPU per story of the findings of N random stories of that store")
    ap.add_argument("--no-grouping", action="store_true", help="one story per article (no story index)")
    ap.add_argument("--pg", metavar="URL", help="also into PostgreSQL: new databases on this URL's server")
    ap.add_argument("--all", action="store_true",
                    help="the whole corpus, streamed (one run; --n ignored), then the web pages over it")
    ap.add_argument("--extra", nargs="*", default=[],
                    help="files or folders ingested after the corpus (--all)")
    ap.add_argument("--keep", type=Path, help="with --all: write the store here (kept), not a temporary file")
    args = ap.parse_args()
    with pg_databases(args.pg) as new_pg:
        return _main(args, new_pg)


def _main(args: argparse.Namespace, new_pg) -> int:
    if not CORPUS.exists() and not args.web_only:
        print(f"{CORPUS} not found", file=sys.stderr)
        return 1
    db = args.db
    if args.findings_sample and db is not None:
        import os

        fig = bench_findings(db, args.findings_sample)
        print(f"findings of {fig['n']} random stories of {db}: {fig['cpu_ms']:.0f} CPU ms/story "
              f"(load average {os.getloadavg()[0]:.1f})")
        return 0
    if args.all and not args.web_only:
        db = whole_corpus(args)
    elif not args.web_only:
        articles = corpus_articles(args.n)
        print(f"ingest: {len(articles):,} corpus articles, {args.workers} workers, batch {args.batch}")
        cpu = time.process_time()
        floor = bench_analysis_only(articles[:300])
        floor_cpu = (time.process_time() - cpu) / 300
        floor_rate = 300 / floor
        print(
            f"  analysis only (prepare: analysis + signature + encoding; 1 process, 300 articles): "
            f"{floor_rate:,.1f} articles/s, {floor_cpu * 1000:.1f} CPU ms/article"
        )
        rates, cpus, finds = [], [], []
        n = len(articles)
        with tempfile.TemporaryDirectory() as tmp:
            if new_pg is not None:
                writes = bench_writes(articles, [Path(tmp) / "writes.db", new_pg()])
                for (secs, k), name in zip(writes.values(), ("SQLite", "PostgreSQL"), strict=True):
                    print(f"  writes alone ({name}, {k} prepared records, one story each): {secs:.2f} s ="
                          f" {k / secs:,.0f} articles/s")
                for run in range(args.runs):
                    pg = new_pg()
                    r = bench_ingest(articles, args.workers, args.batch, pg, not args.no_grouping)
                    print(f"  PostgreSQL run {run + 1}: articles {r['store_wall']:.1f} s ="
                          f" {n / r['store_wall']:,.1f} articles/s ({r['summary'].line()}); findings of"
                          f" {r['recomputed']:,} stories {r['findings_wall']:.1f} s")
                pg_web = pg
            for run in range(args.runs):
                path = Path(tmp) / f"run{run}.db"
                grouping = not args.no_grouping
                r = bench_ingest(articles, args.workers, args.batch, path, grouping)
                rates.append(n / r["store_wall"])
                cpus.append(r["store_cpu"] / n)
                finds.append(r)
                grouping = r["summary"].grouping_seconds
                print(
                    f"  run {run + 1} phases: analysis + storage {r['store_wall'] - grouping:.1f} s, "
                    f"copies + story grouping {grouping:.1f} s, findings {r['findings_wall']:.1f} s; "
                    f"with findings {n / (r['store_wall'] + r['findings_wall']):,.1f} articles/s"
                )
                print(
                    f"  run {run + 1}: articles {r['store_wall']:.1f} s = {rates[-1]:,.1f} articles/s, "
                    f"{cpus[-1] * 1000:.1f} CPU ms/article ({r['summary'].line()}); findings of "
                    f"{r['recomputed']:,} dirty stories {r['findings_wall']:.1f} s, "
                    f"{r['findings_cpu']:.1f} CPU s ({r['findings_cpu'] / max(r['recomputed'], 1) * 1000:.0f}"
                    " CPU ms/story)"
                )
                size = path.stat().st_size / 1e6
                if db is None and run == args.runs - 1:
                    db = Path(tempfile.mkdtemp()) / "bench.db"
                    path.rename(db)
                    for ext in ("-wal", "-shm"):
                        if Path(str(path) + ext).exists():
                            Path(str(path) + ext).rename(Path(str(db) + ext))
            rate = statistics.median(rates)
            cpu_article = statistics.median(cpus)
            own, kids = peak_mb()
            print(
                f"  median ingest (analysis + story assignment + storage): {rate:,.1f} articles/s wall "
                f"(target >= 100); {cpu_article * 1000:.1f} CPU ms/article = "
                f"{args.workers / cpu_article:,.1f} articles/s on {args.workers} idle cores; "
                f"ratio to analysis-only single process: {rate / floor_rate:.2f}"
            )
            fw = statistics.median(f["findings_wall"] for f in finds)
            fc = statistics.median(f["findings_cpu"] for f in finds)
            print(
                f"  median end-of-run findings: {fw:.1f} s wall, {fc:.1f} CPU s for "
                f"{finds[-1]['recomputed']:,} stories ({fc / n * 1000:.1f} CPU ms per ingested article)"
            )
            print(f"  store size: {size:.1f} MB ({size * 1e3 / len(articles):.1f} kB/article)")
            print(f"  peak memory: main {own:,.0f} MB, largest worker {kids:,.0f} MB (target < 2,048)")
    stores = [db] if db is not None else []
    if new_pg is not None and not args.web_only:
        stores.append(pg_web)
    for where in stores:
        from riwaya.store import open_store

        with open_store(where, read_only=True) as s:
            print(f"web over {s.name if hasattr(s, 'name') else where}: {s.count()}")
        for name, fig in bench_web(where, args.samples).items():
            print(
                f"  {name}: n={fig['n']} p50 {fig['p50_ms']:.1f} ms, p95 {fig['p95_ms']:.1f} ms, "
                f"max {fig['max_ms']:.1f} ms (target p95 < {200 if name == 'outlet page' else 100} ms)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
