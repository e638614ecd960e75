"""Build ``src/riwaya/data/ar_clusters.tsv.gz``: word clusters of matching keys for the NER tagger.

Every key (``riwaya.text.normalize.analyze``) seen at least ``--min-count`` times among the
``--vocabulary`` most frequent of the unlabelled corpus gets two cluster numbers, coarse (64) and
fine (512): positive PMI of its co-occurrences with the 8,000 most frequent keys within two words
either side (context counts smoothed by the power 0.75), reduced to 100 dimensions by truncated SVD,
rows normalised, k-means. Keys that occur in the same kinds of context share a cluster, so a name
the tagger never saw in training gets the features of the names it did see.

Data: SaudiNewsNet (``../shared/data/corpus/saudinewsnet.jsonl.gz``, CC BY-NC-SA 4.0): the clusters,
and the NER weights trained with them, inherit that licence (see ``data/ar_clusters.md``).
Deterministic on one machine (fixed seeds, one thread); run:
``.venv/bin/python scripts/build_clusters.py``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from threadpoolctl import threadpool_limits

from riwaya.resources import DATA_DIR, shared_data_dir
from riwaya.text.normalize import analyze

OUT = DATA_DIR / "ar_clusters.tsv.gz"
WORD = re.compile(r"[\u0621-\u064a\u0660-\u0669A-Za-z0-9]+")
LEVELS = (64, 512)
CONTEXTS = 8000
DIMENSIONS = 100


def corpus_keys(path: Path) -> list[list[str]]:
    """The keys of every article (title and text) of a JSON Lines corpus, in order."""
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            text = (row.get("title") or "") + "\n" + (row.get("text") or "")
            docs.append([analyze(w)[0] for w in WORD.findall(text)])
    return docs


def ppmi(docs: list[list[str]], vocab: list[str]) -> sparse.csr_matrix:
    """Positive PMI of (key, context key) pairs within two words, contexts smoothed (^0.75)."""
    ids = {k: i for i, k in enumerate(vocab)}
    rows, cols = [], []
    for keys in docs:
        x = np.array([ids.get(k, -1) for k in keys], dtype=np.int64)
        for d in (1, 2):
            a, b = x[:-d], x[d:]
            m = (a >= 0) & (b >= 0) & (b < CONTEXTS)
            rows.append(a[m])
            cols.append(b[m])
            m = (a >= 0) & (b >= 0) & (a < CONTEXTS)
            rows.append(b[m])
            cols.append(a[m])
    r, c = np.concatenate(rows), np.concatenate(cols)
    counts = sparse.coo_matrix((np.ones(len(r)), (r, c)), shape=(len(vocab), CONTEXTS)).tocsr()
    counts.sum_duplicates()
    total = counts.sum()
    pw = np.asarray(counts.sum(1)).ravel() / total
    pc = np.asarray(counts.sum(0)).ravel() ** 0.75
    pc /= pc.sum()
    coo = counts.tocoo()
    pmi = np.log(coo.data / total / pw[coo.row] / pc[coo.col])
    keep = pmi > 0
    return sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=counts.shape)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=shared_data_dir() / "corpus" / "saudinewsnet.jsonl.gz")
    ap.add_argument("--vocabulary", type=int, default=60_000)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    docs = corpus_keys(args.corpus)
    tally = Counter(k for keys in docs for k in keys)
    vocab = [k for k, n in sorted(tally.items(), key=lambda x: (-x[1], x[0]))[:args.vocabulary]
             if n >= args.min_count]
    with threadpool_limits(1):
        x = TruncatedSVD(DIMENSIONS, random_state=0, n_iter=7).fit_transform(ppmi(docs, vocab))
        x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
        labels = [KMeans(k, random_state=0, n_init=1, max_iter=50).fit(x).labels_ for k in LEVELS]
    body = "".join("\t".join([w, *(str(lab[i]) for lab in labels)]) + "\n"
                   for i, w in enumerate(vocab)).encode("utf-8")
    with open(args.out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                    compresslevel=9, mtime=0) as f:
        f.write(body)
    print(f"{len(vocab)} keys in {len(LEVELS)} levels of clusters written to {args.out}")


if __name__ == "__main__":
    main()
