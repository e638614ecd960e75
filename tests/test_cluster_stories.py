"""Stories at archive scale (issue 20): MinHash bands shuffled as keys, pairs scored inside time
windows, connected components; on Dask the same stories as in one process."""

from __future__ import annotations

import gzip
import json
import random
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import islice

import pytest

from riwaya.engine.stories import (
    Signed,
    archive_stories,
    band,
    chunks,
    distributed_stories,
    pairs,
    read_signatures,
    signed,
    write_signatures,
)
from riwaya.ingest import read
from riwaya.model import Article
from riwaya.pipeline import analyze_all


def as_tuples(stories) -> list[tuple]:
    return [(s.id, tuple(s.articles), s.confidence) for s in stories]


@pytest.fixture(scope="module")
def records(corpus_path, news_paths) -> list[Signed]:
    """60 corpus articles, the flood story's three reports and a festival, and copies of five
    corpus articles: two a day later (they join), one a month later (outside the window)."""
    with gzip.open(corpus_path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in islice(f, 60)]
    articles = [Article(id=r["id"], text=r["text"], title=r.get("title"), source=r.get("source"),
                        published=datetime.fromisoformat(r["published"]) if r.get("published") else None)
                for r in rows]
    articles += list(read([str(p) for p in news_paths]))
    base = articles[:5]
    day = timedelta(days=1)
    articles += [replace(a, id=f"{a.id}-copy", published=a.published + day if a.published else None)
                 for a in base[:2]]
    articles.append(replace(base[2], id=f"{base[2].id}-late",
                            published=base[2].published + 30 * day if base[2].published else None))
    return [signed(a) for a in analyze_all(articles)]


def test_stories_join_copies_inside_the_window_only(records, news_paths):
    stories = archive_stories(records)
    of = {a: s.id for s in stories for a in s.articles}
    assert sum(len(s.articles) for s in stories) == len(records)  # every article once
    assert len(of) == len(records)
    first = records[0].id
    assert of[f"{first}-copy"] == of[first]
    third = records[2]
    if third.time is not None:
        assert of[f"{third.id}-late"] != of[third.id]  # 30 days apart: another story
    floods = {a.id for a in read([str(p) for p in news_paths[:3]])}
    assert len({of[i] for i in floods}) == 1  # the three reports of one flood (reworded, not copies)


def test_stories_do_not_depend_on_input_order(records):
    shuffled = list(records)
    random.Random(4).shuffle(shuffled)
    assert as_tuples(archive_stories(shuffled)) == as_tuples(archive_stories(records))


def test_pairs_are_the_same_however_the_articles_are_cut(records):
    """The shuffle's input: pairs found from four partitions are those found from one."""
    from riwaya.engine.stories import Banded, split

    whole = pairs(band(records, 0), 7.0)
    ids = [r.id for r in records]
    one = {tuple(sorted((ids[a], ids[b]))) for _, a, _, b in whole.tolist()}
    parts = list(chunks(records, 4))
    banded = [band(p, i) for i, p in enumerate(parts)]
    found = set()
    for b in range(3):
        rows = pairs(Banded.concat([split(x, 3)[b] for x in banded]), 7.0)
        for pa, ia, pb, ib in rows.tolist():
            found.add(tuple(sorted((parts[pa][ia].id, parts[pb][ib].id))))
    assert found == one and one


def test_signatures_round_trip(records, tmp_path):
    path = tmp_path / "sig.jsonl.gz"
    write_signatures(records, str(path))
    assert read_signatures(str(path)) == records


def test_distributed_stories_are_the_one_machine_stories(records, tmp_path):
    distributed = pytest.importorskip("distributed", reason="the distributed stories job needs dask and "
                                                            "distributed (pip install 'riwaya[cluster]')")
    paths = []
    for i, part in enumerate(chunks(records, 4)):  # partitions as files the workers read
        paths.append(str(tmp_path / f"sig-{i}.jsonl.gz"))
        write_signatures(part, paths[-1])
    loaders = [(lambda p=p: read_signatures(p)) for p in paths]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=40) as cluster, \
            distributed.Client(cluster) as client:
        got = distributed_stories(loaders, client, buckets=3)
    want = archive_stories(records)
    assert as_tuples(got) == as_tuples(want)
    assert any(len(s.articles) > 1 for s in want)
