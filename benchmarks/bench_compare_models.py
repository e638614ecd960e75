"""Speed of the comparison models: pair stance throughput and story grouping at corpus scale.

    .venv/bin/python benchmarks/bench_compare_models.py [--runs 3] [--sizes 5000,10000,20000,31030]

Prints medians of several runs. Needs ../shared/data (pairs/ans-dev, corpus/saudinewsnet).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import sys
import time

from riwaya.comparison.stories import StoryIndex, text_signature
from riwaya.models.stance import predict_pairs
from riwaya.resources import shared_data_dir


def bench_pairs(runs: int) -> None:
    path = shared_data_dir() / "pairs" / "ans-dev.jsonl"
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    pairs = [(r["a"], r["b"]) for r in rows] * 3  # 2265 pairs
    predict_pairs(pairs[:10])  # load the model once
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        predict_pairs(pairs)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    med, med_cpu = statistics.median(times), statistics.median(cpu)
    print(f"pair stance: {len(pairs)} pairs, median {med:.3f} s over {runs} runs"
          f" -> {len(pairs) / med:,.0f} pairs/s (wall); CPU {med_cpu:.3f} s"
          f" -> {len(pairs) / med_cpu:,.0f} pairs/s on one core")
    t = time.perf_counter()
    _load_fresh()
    print(f"pair stance: loading the model and vectors {time.perf_counter() - t:.2f} s")


def _load_fresh() -> None:
    """Load the shipped stance model and word vectors again, as a new process would."""
    from riwaya.models import stance, wordvectors

    stance.load.cache_clear()
    wordvectors.vectors.cache_clear()
    stance.load()
    wordvectors.vectors()


def bench_grouping(runs: int, sizes: list[int]) -> None:
    path = shared_data_dir() / "corpus" / "saudinewsnet.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rows.sort(key=lambda r: (r.get("published") or "", r["id"]))
    t = time.perf_counter()
    sigs = [text_signature((r.get("title") or "") + "\n" + r["text"], None) for r in rows]
    sig_time = time.perf_counter() - t
    print(f"signatures: {len(rows)} articles in {sig_time:.1f} s ({len(rows) / sig_time:,.0f} articles/s)")
    for n in sizes:
        n = min(n, len(rows))
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            index = StoryIndex()
            for r, sig in zip(rows[:n], sigs[:n], strict=True):
                index.add(r["id"], sig, r.get("published"))
            times.append(time.perf_counter() - t)
        stories = index.stories()
        multi = sum(len(s.articles) > 1 for s in stories)
        dups = sum(index.duplicate_of(r["id"]) is not None for r in rows[:n])
        med = statistics.median(times)
        share = sig_time * n / len(rows)
        print(f"grouping {n:>6} articles: median {med:.1f} s (+ signatures {share:.1f} s), "
              f"{len(stories)} stories, {multi} with 2+ articles, {dups} near-duplicates")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="5000,10000,20000,31030")
    ap.add_argument("--skip-pairs", action="store_true")
    args = ap.parse_args()
    if not (shared_data_dir() / "corpus").is_dir():
        print("benchmark needs ../shared/data", file=sys.stderr)
        return 2
    if not args.skip_pairs:
        bench_pairs(args.runs)
    bench_grouping(args.runs, [int(s) for s in args.sizes.split(",")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
