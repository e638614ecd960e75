"""Entities benchmark: load time and memory of model + gazetteers, and articles/s over the corpus.

Run: ``.venv/bin/python benchmarks/bench_entities.py [N_ARTICLES] [RUNS]`` (defaults 300, 3).
Prints medians of several runs: text layer alone, text layer + entities, and their ratio.
Reads ``../shared/data/corpus/saudinewsnet.jsonl.gz``; one process, one core.
"""

from __future__ import annotations

import gzip
import json
import resource
import statistics
import sys
import time
from itertools import islice

from riwaya.resources import shared_data_dir


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    from riwaya.extract.entities import annotate, gazetteer, tagger
    from riwaya.extract.entities.lexicon import context_keys, triggers

    gazetteer.load()
    triggers()
    context_keys()
    tagger.tag(["تمهيد"])
    load_s = time.perf_counter() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"load: model + gazetteers + aliases {load_s:.2f} s, peak RSS +{(rss1 - rss0) / 1024:.0f} MB "
          f"(total {rss1 / 1024:.0f} MB)")

    from riwaya.model import Analysis, Article
    from riwaya.text import build_document

    path = shared_data_dir() / "corpus" / "saudinewsnet.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        articles = [Article(id=r["id"], text=r["text"]) for r in map(json.loads, islice(f, n))]
    chars = sum(len(a.text) for a in articles)
    for a in articles[:20]:  # warm caches once
        annotate(Analysis(build_document(a)))
    text_only, full = [], []
    for _ in range(runs):
        t = time.perf_counter()
        docs = [build_document(a) for a in articles]
        text_only.append(time.perf_counter() - t)
        t = time.perf_counter()
        for a in articles:
            annotate(Analysis(build_document(a)))
        full.append(time.perf_counter() - t)
    mt, mf = statistics.median(text_only), statistics.median(full)
    print(f"{len(articles)} articles, {chars / len(articles):.0f} chars each, median of {runs} runs")
    print(f"text layer:            {len(articles) / mt:7.0f} articles/s")
    print(f"text layer + entities: {len(articles) / mf:7.0f} articles/s  (target >= 300)")
    tokens = sum(len(d.tokens) for d in docs)
    print(f"entities cost {mf / mt:.1f}x the text layer; {tokens / mf:.0f} tokens/s")
    rss2 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS {rss2 / 1024:.0f} MB")


if __name__ == "__main__":
    main()
