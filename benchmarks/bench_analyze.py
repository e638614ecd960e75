"""Throughput of the full ``riwaya analyze`` pipeline (text layer + every extractor) on one core.

Reads the first N articles of ``../shared/data/corpus/saudinewsnet.jsonl.gz``, warms the lazy
resources up on a few of them, then times several passes and prints the median articles/s and
each stage's share of the time (measured in the same runs).

    .venv/bin/python benchmarks/bench_analyze.py [--n 300] [--runs 3]
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

from riwaya.model import Analysis, Article
from riwaya.pipeline import STAGES
from riwaya.resources import shared_data_dir
from riwaya.text import build_document


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


def run(articles: list[Article], per_stage: dict[str, float]) -> float:
    start = time.perf_counter()
    for art in articles:
        t0 = time.perf_counter()
        analysis = Analysis(document=build_document(art))
        t1 = time.perf_counter()
        per_stage["text"] += t1 - t0
        for stage in STAGES:
            stage(analysis)
            t2 = time.perf_counter()
            per_stage[stage.__module__.rsplit(".", 1)[-1]] += t2 - t1
            t1 = t2
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    articles = load(args.n)
    chars = sum(len(a.text) for a in articles)
    run(articles[:20], defaultdict(float))  # load lexicons, gazetteers and weights once
    per_stage: dict[str, float] = defaultdict(float)
    rates = [len(articles) / run(articles, per_stage) for _ in range(args.runs)]
    total = sum(per_stage.values())
    print(f"articles: {len(articles)} ({chars / len(articles):.0f} chars on average), runs: {args.runs}")
    print(f"full analyze: median {statistics.median(rates):.1f} articles/s "
          f"(min {min(rates):.1f}, max {max(rates):.1f})")
    for name, t in sorted(per_stage.items(), key=lambda kv: -kv[1]):
        ms = 1000 * t / (len(articles) * args.runs)
        print(f"  {name:12s} {100 * t / total:5.1f}%  {ms:6.2f} ms/article")


if __name__ == "__main__":
    main()
