"""Copies across the corpus: every pair of near-identical articles (word 5-gram shingle Jaccard ≥ 0.9)
from different outlets, and what comparing each pair gives.

    .venv/bin/python benchmarks/bench_copies.py [--limit N] [--compare-max N]

Reads ``../shared/data/corpus/saudinewsnet.jsonl.gz`` (the first N articles with ``--limit``),
builds each text's shingles as :mod:`riwaya.comparison.copies` does (the text layer's keys, page
furniture left out), finds candidate pairs with MinHash LSH (datasketch) and keeps those whose exact
Jaccard is at least 0.9 and whose outlets differ. Each kept pair (up to ``--compare-max``) is then
analysed and compared as ``riwaya compare`` would: the pair must be recognised as one report, and
no contradiction, numeric or date finding may come of it. Prints counts and timings.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "saudinewsnet.jsonl.gz"
FORBIDDEN = {"contradiction", "numeric_discrepancy", "date_discrepancy"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, help="read only the first N articles")
    ap.add_argument("--compare-max", type=int, default=100_000, help="compare at most N pairs")
    ap.add_argument("--exact", action="store_true",
                    help="also search every pair exhaustively (sizes within 0.9 of each other) and "
                         "say how many of its pairs LSH found")
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"{CORPUS} not found", file=sys.stderr)
        return 2

    from datasketch import MinHash, MinHashLSH

    from riwaya.comparison.compare import compare_analyses
    from riwaya.comparison.copies import COPY_JACCARD, jaccard, shingles
    from riwaya.ingest.records import article_from_record
    from riwaya.model import Analysis
    from riwaya.pipeline import analyze_many
    from riwaya.text import build_document

    t0 = time.perf_counter()
    rows = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if args.limit and n >= args.limit:
                break
            rows.append(json.loads(line))
    sets = [shingles(Analysis(document=build_document(article_from_record(r, r["id"])))) for r in rows]
    t1 = time.perf_counter()
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    hashes = []
    for i, s in enumerate(sets):
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([x.to_bytes(4, "little") for x in s])
        hashes.append(m)
        if s:
            lsh.insert(str(i), m)
    pairs = set()
    for i, m in enumerate(hashes):
        if not sets[i]:
            continue
        for key in lsh.query(m):
            j = int(key)
            if j > i and rows[i]["source"] != rows[j]["source"] \
                    and jaccard(sets[i], sets[j]) >= COPY_JACCARD:
                pairs.add((i, j))
    t2 = time.perf_counter()
    print(f"{len(rows):,} articles: shingles {t1 - t0:.1f} s, LSH and exact Jaccard {t2 - t1:.1f} s")
    print(f"pairs of near-identical articles from different outlets (Jaccard >= {COPY_JACCARD}): "
          f"{len(pairs):,}")
    if args.exact:  # Jaccard >= t needs the smaller set to hold at least t of the larger
        order = sorted((len(s), i) for i, s in enumerate(sets) if s)
        every = set()
        for k, (n, i) in enumerate(order):
            for m, j in order[k + 1:]:
                if n < COPY_JACCARD * m:
                    break
                if rows[i]["source"] != rows[j]["source"] and jaccard(sets[i], sets[j]) >= COPY_JACCARD:
                    every.add((min(i, j), max(i, j)))
        print(f"exhaustive search: {len(every):,} pairs, {len(every & pairs):,} of them found by LSH "
              f"({time.perf_counter() - t2:.1f} s)")

    todo = sorted(pairs)[: args.compare_max]
    as_copies = bad = 0
    examples = []
    t3 = time.perf_counter()
    for i, j in todo:
        a, b = analyze_many([article_from_record(rows[k], rows[k]["id"]) for k in (i, j)])
        comparison = compare_analyses([a, b])
        kinds = {f.kind for s in comparison.stories for f in s.findings}
        if any({a.article.id, b.article.id} <= set(g) for g in comparison.copies):
            as_copies += 1
        if kinds & FORBIDDEN:
            bad += 1
            examples.append((rows[i]["id"], rows[j]["id"], sorted(kinds & FORBIDDEN)))
    t4 = time.perf_counter()
    print(f"compared {len(todo):,} pairs in {t4 - t3:.1f} s: {as_copies:,} shown as one report, "
          f"{bad} with a contradiction, numeric or date finding")
    for e in examples[:10]:
        print("  ", *e)
    return 0 if bad == 0 and as_copies == len(todo) else 1


if __name__ == "__main__":
    sys.exit(main())
