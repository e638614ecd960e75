"""Throughput of the full ``riwaya analyze`` pipeline (text layer + every extractor) on one core.

Reads the first N articles of ``../shared/data/corpus/saudinewsnet.jsonl.gz``, warms the lazy
resources up on a few of them, then times several passes and prints the median articles/s and
each stage's share of the time, wall clock and CPU time of this thread (measured in the same runs;
on a busy machine the CPU times are the steadier figures).

    .venv/bin/python benchmarks/bench_analyze.py [--n 300] [--runs 3]

Then times the same articles through ``riwaya.pipeline.analyze_all`` (what ``riwaya analyze``
runs: articles 32 at a time, the entity tagger and the check-worthiness model batching them,
each batch frozen out of the cyclic collector), in the same runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections import defaultdict
from datetime import datetime

from riwaya.cli import single_threaded_blas

single_threaded_blas()  # as the riwaya command runs, set before numpy loads

from riwaya.model import Analysis, Article  # noqa: E402
from riwaya.pipeline import STAGES, analyze_all, gc_paused  # noqa: E402
from riwaya.resources import shared_data_dir  # noqa: E402
from riwaya.text import build_document  # noqa: E402


def load(n: int) -> list[Article]:
    path = shared_data_dir() / "corpus" / "saudinewsnet.jsonl.gz"
    if not path.exists():
        sys.exit(f"bench_analyze: {path}: corpus not found")
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            try:
                published = datetime.fromisoformat(row["published"]) if row.get("published") else None
            except ValueError:
                published = None
            out.append(Article(id=str(row["id"]), text=row["text"], title=row.get("title"),
                               source=row.get("source"), published=published))
            if len(out) >= n:
                break
    return out


def run(articles: list[Article], per_stage: dict[str, float], cpu: dict[str, float]) -> float:
    """One pass; adds each stage's wall time to ``per_stage`` and its CPU time to ``cpu``."""
    start = time.perf_counter()
    for art in articles:
        with gc_paused():  # as analyze_article runs them
            t0, c0 = time.perf_counter(), time.thread_time()
            analysis = Analysis(document=build_document(art))
            t1, c1 = time.perf_counter(), time.thread_time()
            per_stage["text"] += t1 - t0
            cpu["text"] += c1 - c0
            for stage in STAGES:
                stage(analysis)
                t2, c2 = time.perf_counter(), time.thread_time()
                name = stage.__module__.rsplit(".", 1)[-1]
                per_stage[name] += t2 - t1
                cpu[name] += c2 - c1
                t1, c1 = t2, c2
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    articles = load(args.n)
    chars = sum(len(a.text) for a in articles)
    run(articles[:20], defaultdict(float), defaultdict(float))  # load lexicons and weights once
    per_stage: dict[str, float] = defaultdict(float)
    cpu: dict[str, float] = defaultdict(float)
    rates = [len(articles) / run(articles, per_stage, cpu) for _ in range(args.runs)]
    total, total_cpu = sum(per_stage.values()), sum(cpu.values())
    n = len(articles) * args.runs
    print(f"articles: {len(articles)} ({chars / len(articles):.0f} chars on average), runs: {args.runs}")
    print(f"full analyze: median {statistics.median(rates):.1f} articles/s "
          f"(min {min(rates):.1f}, max {max(rates):.1f}); "
          f"CPU {1000 * total_cpu / n:.2f} ms/article = {n / total_cpu:.1f} articles/s of CPU")
    print(f"  {'stage':12s} {'share':>6s} {'wall ms':>8s} {'CPU ms':>7s}  (per article)")
    for name, t in sorted(per_stage.items(), key=lambda kv: -kv[1]):
        print(f"  {name:12s} {100 * t / total:5.1f}% {1000 * t / n:8.2f} {1000 * cpu[name] / n:7.2f}")
    batched, batched_cpu = [], []
    for _ in range(args.runs):
        t, c = time.perf_counter(), time.process_time()
        for _analysis in analyze_all(articles):
            pass
        batched.append(time.perf_counter() - t)
        batched_cpu.append(time.process_time() - c)
    wall, cpu_s = statistics.median(batched), statistics.median(batched_cpu)
    print(f"analyze_all (as `riwaya analyze`, 32 articles a batch): median {len(articles) / wall:.1f} "
          f"articles/s wall, {len(articles) / cpu_s:.1f} articles/s of CPU "
          f"({1000 * cpu_s / len(articles):.2f} ms/article; target >= 150)")
    claims = [k for k in ("dates", "quantities", "cues", "quotes", "claims") if k in cpu]
    print(f"  claims stages together ({', '.join(claims)}): wall "
          f"{1000 * sum(per_stage[k] for k in claims) / n:.2f} ms, CPU "
          f"{1000 * sum(cpu[k] for k in claims) / n:.2f} ms per article")


if __name__ == "__main__":
    main()
