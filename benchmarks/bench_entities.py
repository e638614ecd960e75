"""Entities benchmark: load time and memory of model + gazetteers, and articles/s over the corpus.

Run: ``.venv/bin/python benchmarks/bench_entities.py [N_ARTICLES] [RUNS] [BATCH]`` (defaults
300, 3, 32). Prints medians of several runs (wall clock and CPU time of the process, which a busy
machine disturbs less): text layer alone, text layer + entities one article at a time
(``annotate``) and in batches of BATCH articles (``annotate_many``), their ratios, and one first
pass over N other articles in batches, the collector paused per batch (word caches cold:
``3000 1 32`` makes it a pass over 3,000 new articles). The last line times the batches as
``riwaya.pipeline.analyze_many`` runs them: the cyclic collector paused across each batch (text
layer included) and the objects alive after the first batch frozen out of its generations
(``pipeline.freeze_resources``; ``gc.unfreeze`` afterwards, so the other lines are unaffected):
the way ``riwaya analyze`` runs, and the line issue 3's target (>= 300 articles/s) is read on.
Reads ``../shared/data/corpus/saudinewsnet.jsonl.gz``; one process, one core.
"""

from __future__ import annotations

import gc
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
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 32
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    from riwaya.extract.entities import annotate, annotate_many, gazetteer, tagger
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
        rows = list(islice(f, 2 * n + 20))
    articles = [Article(id=r["id"], text=r["text"]) for r in map(json.loads, rows[:n])]
    unseen = [Article(id=r["id"], text=r["text"]) for r in map(json.loads, rows[n + 20:])]
    chars = sum(len(a.text) for a in articles)
    for r in map(json.loads, rows[n:n + 20]):  # warm-up on other articles
        annotate(Analysis(build_document(Article(id=r["id"], text=r["text"]))))
    from riwaya import pipeline
    from riwaya.text.segments import latin_language

    latin_language("the language detector is built on first use")  # (about 1 s, once a process)
    t, c = time.perf_counter(), time.process_time()
    for i in range(0, len(unseen), batch):  # as the pipeline runs them, every word new at first
        with pipeline.gc_paused():
            annotate_many([Analysis(build_document(a)) for a in unseen[i:i + batch]])
    first_wall, first_cpu = time.perf_counter() - t, time.process_time() - c
    text_only, full, text_cpu, full_cpu, many, many_cpu = [], [], [], [], [], []
    product, product_cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        docs = [build_document(a) for a in articles]
        text_only.append(time.perf_counter() - t)
        text_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        for a in articles:
            annotate(Analysis(build_document(a)))
        full.append(time.perf_counter() - t)
        full_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        for i in range(0, len(articles), batch):
            annotate_many([Analysis(build_document(a)) for a in articles[i:i + batch]])
        many.append(time.perf_counter() - t)
        many_cpu.append(time.process_time() - c)
        wall, cpu = _as_pipeline(articles, batch)
        product.append(wall)
        product_cpu.append(cpu)
    mt, mf = statistics.median(text_only), statistics.median(full)
    ct, cf = statistics.median(text_cpu), statistics.median(full_cpu)
    mm, cm = statistics.median(many), statistics.median(many_cpu)
    k = len(articles)
    print(f"{k} articles, {chars / k:.0f} chars each, median of {runs} runs (wall; CPU time)")
    print(f"text layer:            {k / mt:7.0f} articles/s; CPU {k / ct:7.0f}")
    print(f"text layer + entities: {k / mf:7.0f} articles/s; CPU {k / cf:7.0f}  (one article a call)")
    print(f"text layer + entities in batches of {batch} (annotate_many): {k / mm:7.0f} articles/s; "
          f"CPU {k / cm:7.0f}  ({mf / mm:.2f}x one at a time; CPU {cf / cm:.2f}x)")
    print(f"first pass over {len(unseen)} unseen articles in batches of {batch} (cold word caches): "
          f"{len(unseen) / first_wall:.0f} articles/s; CPU {len(unseen) / first_cpu:.0f}")
    tokens = sum(len(d.tokens) for d in docs)
    print(f"entities cost {mf / mt:.1f}x the text layer (CPU {cf / ct:.1f}x); "
          f"entities alone {1000 * (cf - ct) / k:.2f} ms/article CPU; {tokens / mf:.0f} tokens/s")
    print(f"batched: entities cost {mm / mt:.1f}x the text layer (CPU {cm / ct:.1f}x); "
          f"entities alone {1000 * (cm - ct) / k:.2f} ms/article CPU")
    mp, cp = statistics.median(product), statistics.median(product_cpu)
    print(f"the same batches as analyze_many runs them (collector paused per batch, resources "
          f"frozen): {k / mp:7.0f} articles/s; CPU {k / cp:7.0f}  ({1000 * cp / k:.2f} ms/article CPU; "
          f"target >= 300)")
    rss2 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS {rss2 / 1024:.0f} MB")


def _as_pipeline(articles: list, batch: int) -> tuple[float, float]:
    """Text layer + ``annotate_many`` in batches, the collector handled as
    ``riwaya.pipeline.analyze_many`` does (paused across a batch; after the first batch the
    objects then alive frozen out of its generations); unfrozen again afterwards."""
    from riwaya import pipeline
    from riwaya.extract.entities import annotate_many
    from riwaya.model import Analysis
    from riwaya.text import build_document

    def one(chunk: list) -> None:
        with pipeline.gc_paused():
            annotate_many([Analysis(build_document(a)) for a in chunk])

    one(articles[:batch])  # as the pipeline: the first batch, then the freeze
    if gc.isenabled():
        gc.collect()
        gc.freeze()
    try:
        t, c = time.perf_counter(), time.process_time()
        for i in range(0, len(articles), batch):
            one(articles[i:i + batch])
        return time.perf_counter() - t, time.process_time() - c
    finally:
        gc.unfreeze()


if __name__ == "__main__":
    main()
