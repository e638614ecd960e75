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


def ingest_and_text(path: Path, limit: int) -> tuple[int, int]:
    tokens = sentences = 0
    for article in itertools.islice(read(path), limit):
        doc = build_document(article)
        tokens += len(doc.tokens)
        sentences += len(doc.sentences)
    return tokens, sentences


def timed(fn, *args) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=shared_data_dir() / "corpus" / "saudinewsnet.jsonl.gz")
    ap.add_argument("--limit", type=int, default=5000, help="articles per run (default 5000)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"bench_text: {args.corpus}: not found", file=sys.stderr)
        return 1
    articles = list(itertools.islice(read(args.corpus), args.limit))
    n = len(articles)
    t_floor, t_full, t_text = [], [], []
    tokens = sentences = 0
    for _ in range(args.runs):
        dt, _words = timed(floor, args.corpus, n)
        t_floor.append(dt)
        dt, (tokens, sentences) = timed(ingest_and_text, args.corpus, n)
        t_full.append(dt)
        dt, _docs = timed(lambda: [build_document(a) for a in articles])
        t_text.append(dt)
    floor_rate = n / statistics.median(t_floor)
    full_rate = n / statistics.median(t_full)
    text_rate = n / statistics.median(t_text)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus            {args.corpus.name}: {n:,} articles x {args.runs} runs "
          f"({tokens:,} tokens, {sentences:,} sentences per run)")
    print(f"floor (gz+json+split)   {floor_rate:10,.0f} articles/s  (median)")
    print(f"ingest + text layer     {full_rate:10,.0f} articles/s  (median)")
    print(f"text layer alone        {text_rate:10,.0f} articles/s  (median)")
    print(f"ratio ingest+text/floor {floor_rate / full_rate:10.1f} x slower")
    print(f"peak memory (maxrss)    {peak_mb:10,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
