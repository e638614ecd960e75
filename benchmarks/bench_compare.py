"""Benchmark ``compare`` of two articles: warm (API, models loaded) and cold (a fresh
``riwaya compare`` process, start-up included), and a cold ``riwaya analyze`` of one article.
Targets: < 1 s warm, ≤ 1.5 s cold compare, ≤ 1 s cold analyze.

Cold processes run as an installed package does: byte code compiled, and the derived tables
(:func:`riwaya.resources.derived`) on disk from an earlier run; the very first run after an
install, which builds them, is printed apart. Wall and CPU seconds are both printed: on a busy
machine the wall time of a process measures the machine, its CPU time the code.

    .venv/bin/python benchmarks/bench_compare.py [A B] [--runs 5] [--against OLD_CHECKOUT]

Defaults to the two seeds in ../shared/seeds. Prints medians of several runs and the ratio of the
warm compare to analysing the same two articles (measured in the same run). ``--against`` also
times cold runs of another checkout's code (its ``src`` first on the path, the same interpreter
and packages), alternating with this code's, and prints the ratio of the medians.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
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

    # as an installed package starts: byte code compiled (pip compiles it at install; an editable
    # checkout under PYTHONDONTWRITEBYTECODE would compile every module on every run)
    for src in [ROOT / "src", *([args.against / "src"] if args.against else [])]:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], capture_output=True,
                       env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    cache = tempfile.mkdtemp(prefix="riwaya-bench-cache-")

    def cold_run(src: Path, command: list[str], cache_dir: str) -> tuple[float, float]:
        """Wall and CPU seconds of one fresh process (derived tables in ``cache_dir``)."""
        env = {**os.environ, "PYTHONPATH": str(src), "RIWAYA_CACHE_DIR": cache_dir}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "riwaya.cli", *command], capture_output=True, env=env)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    compare_cmd = ["compare", *inputs, "--format", "json", "-o", "/dev/null"]
    analyze_cmd = ["analyze", inputs[0], "--format", "json", "-o", "/dev/null"]
    first_run = cold_run(ROOT / "src", compare_cmd, tempfile.mkdtemp(prefix="riwaya-bench-first-"))
    cold_run(ROOT / "src", compare_cmd, cache)  # fills the cache, as any earlier run would have
    cold, baseline, cold_analyze = [], [], []
    for _ in range(max(3, args.runs // 2)):
        cold.append(cold_run(ROOT / "src", compare_cmd, cache))
        cold_analyze.append(cold_run(ROOT / "src", analyze_cmd, cache))
        if args.against:
            baseline.append(cold_run(args.against / "src", compare_cmd, cache))

    med = statistics.median
    findings = sum(len(s.findings) for s in comparison.stories)
    load = os.getloadavg()[0]
    print(f"compare of {len(articles)} articles ({sum(len(a.text) for a in articles):,} chars, "
          f"{findings} findings), median of {args.runs} runs; load average {load:.1f}")
    print(f"  first call (loads models):      {first:7.3f} s")
    print(f"  warm, analyse + compare + JSON: {med(warm):7.3f} s   (target < 1 s)")
    print(f"    analyse both articles:        {med(analyse_only):7.3f} s")
    print(f"    compare (align, findings):    {med(compare_only):7.3f} s")
    print(f"    JSON report:                  {med(report):7.3f} s")
    print(f"  ratio compare / analyse:        {med(compare_only) / med(analyse_only):7.2f}")
    print("  cold processes (wall s, CPU s):")
    print(f"    `riwaya compare`, first run after install (no derived tables yet): "
          f"{first_run[0]:.3f} wall, {first_run[1]:.3f} CPU")
    print(f"    `riwaya compare`:             {med(w for w, _ in cold):7.3f} wall "
          f"{med(c for _, c in cold):7.3f} CPU   (target ≤ 1.5 s)")
    print(f"    `riwaya analyze` one article: {med(w for w, _ in cold_analyze):7.3f} wall "
          f"{med(c for _, c in cold_analyze):7.3f} CPU   (target ≤ 1 s)")
    if baseline:
        print(f"    `riwaya compare`, {args.against} (alternating): {med(w for w, _ in baseline):.3f} wall "
              f"{med(c for _, c in baseline):.3f} CPU")
        ratio = med(w for w, _ in cold) / med(w for w, _ in baseline)
        cpu_ratio = med(c for _, c in cold) / med(c for _, c in baseline)
        print(f"  ratio cold this / that:         {ratio:7.2f} wall, {cpu_ratio:.2f} CPU   (runs: "
              f"{', '.join(f'{x:.2f}' for x, _ in cold)} | {', '.join(f'{x:.2f}' for x, _ in baseline)})")
    shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
