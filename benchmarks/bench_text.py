"""Ingest + text layer throughput over SaudiNewsNet, against a floor measured in the same run.

    .venv/bin/python benchmarks/bench_text.py [--limit 5000] [--runs 3] [--corpus PATH]

Each run times (a) the floor: gunzip, parse each JSON line and split its text on whitespace;
(b) riwaya: ``riwaya.ingest.read`` + ``riwaya.text.build_document`` over the same articles;
(c) the text layer alone over articles already in memory. Prints medians over the runs, the
ratio riwaya/floor (how many times slower than the floor) and the peak resident memory.
Everything runs on one core in this process.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import resource
import statistics
import sys
import time
from pathlib import Path

from riwaya.ingest import read
from riwaya.resources import shared_data_dir
from riwaya.text import build_document


def floor(path: Path, limit: int) -> int:
    words = 0
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, limit):
            words += len(json.loads(line)["text"].split())
    return words


def ingest_and_text(path: Path, limit: int | None) -> tuple[int, int, int]:
    n = tokens = sentences = 0
    for article in itertools.islice(read(path), limit):
        doc = build_document(article)
        n += 1
        tokens += len(doc.tokens)
        sentences += len(doc.sentences)
    return n, tokens, sentences


def text_only(articles) -> None:
    for article in articles:
        build_document(article)


def timed(fn, *args) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result)."""
    t, c = time.perf_counter(), time.process_time()
    out = fn(*args)
    return time.perf_counter() - t, time.process_time() - c, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=shared_data_dir() / "corpus" / "saudinewsnet.jsonl.gz")
    ap.add_argument("--limit", type=int, default=5000, help="articles per run (default 5000; 0: all)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"bench_text: {args.corpus}: not found", file=sys.stderr)
        return 1
    limit = args.limit or None
    text_only(itertools.islice(read(args.corpus), 500))  # warm-up: data, caches, lingua
    wall: dict[str, list[float]] = {"floor": [], "full": [], "text": []}
    cpu: dict[str, list[float]] = {"floor": [], "full": [], "text": []}
    n = tokens = sentences = 0
    for _ in range(args.runs):  # streaming: one article in memory at a time
        w, c, _words = timed(floor, args.corpus, limit)
        wall["floor"].append(w)
        cpu["floor"].append(c)
        w, c, (n, tokens, sentences) = timed(ingest_and_text, args.corpus, limit)
        wall["full"].append(w)
        cpu["full"].append(c)
    peak_stream = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    articles = list(itertools.islice(read(args.corpus), limit))
    for _ in range(args.runs):
        w, c, _none = timed(text_only, articles)
        wall["text"].append(w)
        cpu["text"].append(c)

    def rate(times: list[float]) -> float:
        return n / statistics.median(times)

    peak_all = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {args.corpus.name}, first {n:,} articles x {args.runs} runs "
          f"({tokens:,} tokens, {sentences:,} sentences per run); medians, one core")
    print(f"{'':28}{'wall art/s':>12}{'CPU art/s':>12}")
    for name, label in (("floor", "floor (gz+json+split)"), ("full", "ingest + text layer"),
                        ("text", "text layer alone")):
        print(f"{label:28}{rate(wall[name]):12,.0f}{rate(cpu[name]):12,.0f}")
    print(f"{'ratio (ingest+text)/floor':28}{rate(wall['floor']) / rate(wall['full']):11.1f}x"
          f"{rate(cpu['floor']) / rate(cpu['full']):11.1f}x  (times slower)")
    print(f"{'peak memory (maxrss)':28}{peak_stream:10,.0f} MB streaming ingest+text; "
          f"{peak_all:,.0f} MB with all {n:,} articles held for the text-only pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
