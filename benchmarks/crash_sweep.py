"""Crash sweep: run every corpus article through the full ``riwaya analyze`` pipeline once.

Each stage runs on its own, so one failing stage does not hide a crash in a later one; exceptions
are counted by type and location (file:line of the innermost frame) with a few article ids each.
Prints a progress line every 1,000 articles and a summary at the end; ``--ids`` re-runs only the
listed article ids (e.g. the ones a previous sweep reported).

    .venv/bin/python benchmarks/crash_sweep.py [--limit N] [--ids ID,ID] [--json OUT]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import traceback
from collections import Counter, defaultdict
from datetime import datetime

from riwaya.model import Analysis, Article
from riwaya.pipeline import STAGES
from riwaya.resources import shared_data_dir
from riwaya.text import build_document


def articles(limit: int | None, ids: set[str] | None):
    path = shared_data_dir() / "corpus" / "saudinewsnet.jsonl.gz"
    if not path.exists():
        sys.exit(f"crash_sweep: {path}: corpus not found")
    n = 0
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if ids is not None and str(row["id"]) not in ids:
                continue
            try:
                published = datetime.fromisoformat(row["published"]) if row.get("published") else None
            except ValueError:
                published = None
            yield Article(id=str(row["id"]), text=row["text"] or "", title=row.get("title"),
                          source=row.get("source"), published=published)
            n += 1
            if limit and n >= limit:
                return


def where(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__} {frame.filename.rsplit('/src/', 1)[-1]}:{frame.lineno} {exc!s:.60}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--ids", default=None)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    ids = set(args.ids.split(",")) if args.ids else None
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    failed: set[str] = set()
    n, t0 = 0, time.perf_counter()
    for art in articles(args.limit, ids):
        n += 1
        try:
            analysis = Analysis(document=build_document(art))
        except Exception as exc:  # counting every crash is the point
            w = where(exc)
            if w not in counts:
                print(f"new: {w} in {art.id}", flush=True)
            counts[w] += 1
            if len(examples[w]) < 5:
                examples[w].append(art.id)
            failed.add(art.id)
            continue
        for stage in STAGES:
            try:
                stage(analysis)
            except Exception as exc:
                w = where(exc)
                if w not in counts:
                    print(f"new: {w} in {art.id}", flush=True)
                counts[w] += 1
                if len(examples[w]) < 5:
                    examples[w].append(art.id)
                failed.add(art.id)
        if n % 1000 == 0:
            print(f"{n} articles, {sum(counts.values())} exceptions, {n / (time.perf_counter() - t0):.1f}/s",
                  flush=True)
    print(f"done: {n} articles, {len(failed)} failing, {sum(counts.values())} exceptions")
    for w, c in counts.most_common():
        print(f"  {c:6d}  {w}  e.g. {', '.join(examples[w])}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"articles": n, "failing": sorted(failed), "counts": dict(counts),
                       "examples": examples}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
