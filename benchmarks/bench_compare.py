"""Benchmark ``compare`` of two articles: warm (API, models loaded) and cold (a fresh
``riwaya compare`` process, start-up included). Targets: < 1 s warm, ≤ 1.5 s cold.

    .venv/bin/python benchmarks/bench_compare.py [A B] [--runs 5] [--against OLD_CHECKOUT]

Defaults to the two seeds in ../shared/seeds. Prints medians of several runs and the ratio of the
warm compare to analysing the same two articles (measured in the same run). ``--against`` also
times cold runs of another checkout's code (its ``src`` first on the path, the same interpreter
and packages), alternating with this code's, and prints the ratio of the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("inputs", nargs="*")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--against", type=Path, help="another checkout to time cold runs against")
    args = ap.parse_args()
    inputs = args.inputs or [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    if len(inputs) < 2:
        print(f"need two articles (none found in {SEEDS})", file=sys.stderr)
        return 2

    import riwaya
    from riwaya.comparison import compare_analyses
    from riwaya.pipeline import analyze_article
    from riwaya.report import render

    articles = [a for p in inputs for a in riwaya.read(p)]
    t0 = time.perf_counter()
    comparison = riwaya.compare(articles)  # first call: loads models and lexicons
    first = time.perf_counter() - t0

    warm, analyse_only, compare_only, report = [], [], [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        analyses = [analyze_article(a) for a in articles]
        t1 = time.perf_counter()
        comparison = compare_analyses(analyses)
        t2 = time.perf_counter()
        render(comparison, "json")
        t3 = time.perf_counter()
        analyse_only.append(t1 - t0)
        compare_only.append(t2 - t1)
        report.append(t3 - t2)
        warm.append(t3 - t0)

    def cold_run(src: Path) -> float:
        env = {**os.environ, "PYTHONPATH": str(src)}
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "riwaya.cli", "compare", *inputs, "--format", "json",
                        "-o", "/dev/null"], capture_output=True, env=env)
        return time.perf_counter() - t0

    cold, baseline = [], []
    for _ in range(max(3, args.runs // 2)):
        cold.append(cold_run(ROOT / "src"))
        if args.against:
            baseline.append(cold_run(args.against / "src"))

    med = statistics.median
    findings = sum(len(s.findings) for s in comparison.stories)
    print(f"compare of {len(articles)} articles ({sum(len(a.text) for a in articles):,} chars, "
          f"{findings} findings), median of {args.runs} runs")
    print(f"  first call (loads models):      {first:7.3f} s")
    print(f"  warm, analyse + compare + JSON: {med(warm):7.3f} s   (target < 1 s)")
    print(f"    analyse both articles:        {med(analyse_only):7.3f} s")
    print(f"    compare (align, findings):    {med(compare_only):7.3f} s")
    print(f"    JSON report:                  {med(report):7.3f} s")
    print(f"  cold, `riwaya compare` process: {med(cold):7.3f} s   (target ≤ 1.5 s)")
    print(f"  ratio compare / analyse:        {med(compare_only) / med(analyse_only):7.2f}")
    if baseline:
        print(f"  cold, {args.against} (alternating): {med(baseline):7.3f} s")
        print(f"  ratio cold this / that:         {med(cold) / med(baseline):7.2f}   (runs: "
              f"{', '.join(f'{x:.2f}' for x in cold)} | {', '.join(f'{x:.2f}' for x in baseline)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
