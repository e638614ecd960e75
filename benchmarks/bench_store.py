"""Workspace benchmark: ingest throughput (full analysis + story assignment + stored findings),
peak memory, and web render times (story list and story pages, p50/p95) from the store.

    .venv/bin/python benchmarks/bench_store.py                  # 2,000 corpus articles, 2 workers
    .venv/bin/python benchmarks/bench_store.py --n 5000 --runs 3
    .venv/bin/python benchmarks/bench_store.py --web-only --db riwaya.db   # pages over an existing store

Figures are medians of ``--runs`` runs; ratios are measured in the same run.
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

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "saudinewsnet.jsonl.gz"


def corpus_articles(n: int):
    from riwaya.ingest.records import article_from_record

    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        return [
            article_from_record(json.loads(line), f"{CORPUS.name}:{i}")
            for i, line in enumerate(itertools.islice(f, n), 1)
        ]


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


class _OwnStory:
    """``--no-grouping``: every article opens its own story (when story grouping is unavailable)."""

    def add(self, article_id, signature, published):
        return "S-" + article_id


def bench_ingest(articles, workers: int, batch: int, db: Path, grouping: bool = True) -> tuple[float, object]:
    from riwaya.store import open_store
    from riwaya.store.ingester import Ingester

    store = open_store(db)
    start = time.perf_counter()
    with Ingester(store, workers=workers, batch=batch, assigner=None if grouping else _OwnStory()) as ing:
        summary = ing.ingest(articles)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed, summary


def bench_analysis_only(articles) -> float:
    from riwaya.store.prepare import prepare

    start = time.perf_counter()
    for a in articles:
        with contextlib.suppress(Exception):  # failures are counted by the ingest run's summary
            prepare(a)
    return time.perf_counter() - start


def bench_web(db: Path, samples: int, seed: int = 0) -> dict[str, dict[str, float]]:
    from fastapi.testclient import TestClient

    from riwaya.store import open_store
    from riwaya.web.app import create_app

    store = open_store(db, read_only=True)
    rng = random.Random(seed)
    largest = [s.id for s in store.list_stories(sort="largest", min_articles=2, limit=samples // 2)]
    every = [s.id for s in store.list_stories(min_articles=2, limit=100000)]
    story_ids = largest + rng.sample(every, min(len(every), samples - len(largest)))
    pages = store.count()["stories"] // 50 + 1
    lists = [
        f"/?sort={s}&page={p}" for s in ("newest", "contested", "largest") for p in (1, 2, max(1, pages // 4))
    ]
    out = {}
    with TestClient(create_app(db, store=store)) as client:
        for name, paths in (
            ("story list", lists * max(1, samples // len(lists))),
            ("story page", [f"/story/{s}" for s in story_ids]),
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="corpus articles to ingest")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--samples", type=int, default=200, help="pages timed per kind")
    ap.add_argument("--db", type=Path, help="time the web pages over this store")
    ap.add_argument("--web-only", action="store_true")
    ap.add_argument("--no-grouping", action="store_true", help="one story per article (no story index)")
    args = ap.parse_args()
    if not CORPUS.exists() and not args.web_only:
        print(f"{CORPUS} not found", file=sys.stderr)
        return 1
    db = args.db
    if not args.web_only:
        articles = corpus_articles(args.n)
        print(f"ingest: {len(articles):,} corpus articles, {args.workers} workers, batch {args.batch}")
        floor = bench_analysis_only(articles[:300])
        floor_rate = 300 / floor
        print(f"  analysis only (1 process, 300 articles): {floor_rate:,.0f} articles/s")
        rates = []
        with tempfile.TemporaryDirectory() as tmp:
            for run in range(args.runs):
                path = Path(tmp) / f"run{run}.db"
                grouping = not args.no_grouping
                elapsed, summary = bench_ingest(articles, args.workers, args.batch, path, grouping)
                rates.append(len(articles) / elapsed)
                print(f"  run {run + 1}: {elapsed:.1f} s, {rates[-1]:,.0f} articles/s ({summary.line()})")
                size = path.stat().st_size / 1e6
                if db is None and run == args.runs - 1:
                    db = Path(tempfile.mkdtemp()) / "bench.db"
                    path.rename(db)
                    for ext in ("-wal", "-shm"):
                        if Path(str(path) + ext).exists():
                            Path(str(path) + ext).rename(Path(str(db) + ext))
            rate = statistics.median(rates)
            own, kids = peak_mb()
            print(
                f"  median ingest: {rate:,.0f} articles/s (target >= 100); ratio to analysis-only "
                f"single process: {rate / floor_rate:.2f}"
            )
            print(f"  store size: {size:.1f} MB ({size * 1e3 / len(articles):.1f} kB/article)")
            print(f"  peak memory: main {own:,.0f} MB, largest worker {kids:,.0f} MB (target < 2,048)")
    if db is not None:
        from riwaya.store import open_store

        with open_store(db, read_only=True) as s:
            print(f"web over {db}: {s.count()}")
        for name, fig in bench_web(db, args.samples).items():
            print(
                f"  {name}: n={fig['n']} p50 {fig['p50_ms']:.1f} ms, p95 {fig['p95_ms']:.1f} ms, "
                f"max {fig['max_ms']:.1f} ms (target p95 < 200 ms)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
