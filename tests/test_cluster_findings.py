"""Each story's findings at archive scale (issue 20): ``riwaya stories-archive`` groups the
analyses of ``riwaya analyze --format jsonl`` into stories and compares each story as a task; the
Dask engine writes the same bytes as the local one."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import datetime
from itertools import islice
from pathlib import Path

import pytest

from riwaya.cli import main
from riwaya.engine.findings import StoriesOptions, archive_findings
from riwaya.engine.formats import json_line
from riwaya.ingest import read
from riwaya.model import Article
from riwaya.pipeline import analyze_all


@pytest.fixture(scope="module")
def analyses(corpus_path, news_paths, tmp_path_factory) -> Path:
    """40 corpus articles and the flood story's three reports and a festival, analysed once."""
    with gzip.open(corpus_path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in islice(f, 40)]
    articles = [Article(id=r["id"], text=r["text"], title=r.get("title"), source=r.get("source"),
                        published=datetime.fromisoformat(r["published"]) if r.get("published") else None)
                for r in rows]
    articles += list(read([str(p) for p in news_paths]))
    path = tmp_path_factory.mktemp("archive") / "analyses.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json_line(a) for a in analyze_all(articles))
    return path


@pytest.fixture(scope="module")
def local_output(analyses) -> bytes:
    out = analyses.parent / "local.jsonl"
    summary = archive_findings(StoriesOptions(str(analyses), str(out)))
    assert summary.articles == 44 and summary.compared >= 1
    return out.read_bytes()


def test_each_story_of_several_articles_is_one_line_with_its_findings(local_output, news_paths):
    rows = [json.loads(line) for line in local_output.decode("utf-8").splitlines()]
    assert rows and all(len(r["articles"]) > 1 for r in rows)
    assert all(set(r) >= {"id", "articles", "confidence", "label", "compared", "findings", "summary",
                          "matters"} for r in rows)
    ids = [a for r in rows for a in r["articles"]]
    assert len(ids) == len(set(ids))  # an article in one story at most
    floods = {a.id for a in read([str(p) for p in news_paths[:3]])}
    (flood,) = [r for r in rows if floods <= set(r["articles"])]
    assert flood["findings"] and len({f["id"] for f in flood["findings"]}) == len(flood["findings"])
    assert {e["article"] for f in flood["findings"] for e in f["evidence"]} <= set(flood["articles"])


def test_smaller_partitions_write_the_same_bytes(analyses, local_output, tmp_path):
    out = tmp_path / "parts.jsonl"
    archive_findings(StoriesOptions(str(analyses), str(out), partition_lines=7, stories_per_task=1))
    assert out.read_bytes() == local_output


def test_dask_writes_the_local_bytes(analyses, local_output, tmp_path):
    pytest.importorskip("distributed", reason="the Dask engine needs dask and distributed "
                                              "(pip install 'riwaya[cluster]')")
    zipped = tmp_path / "analyses.jsonl.gz"  # gzipped input, read by offset on the workers
    with open(analyses, "rb") as src, gzip.open(zipped, "wb") as dst:
        shutil.copyfileobj(src, dst)
    out = tmp_path / "dask.jsonl"
    archive_findings(StoriesOptions(str(zipped), str(out), engine="dask", workers=2, partition_lines=12))
    assert out.read_bytes() == local_output


def test_cli_writes_json_lines(analyses, local_output, tmp_path, capsys):
    out = tmp_path / "stories.jsonl"
    assert main(["stories-archive", str(analyses), "-o", str(out), "--window-days", "3"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(line)["findings"] is not None for line in lines)
    err = capsys.readouterr().err
    assert "riwaya: 44 articles" in err and "compared" in err


@pytest.mark.parametrize("bad", ["garbage", "dupe", "missing"])
def test_bad_input_is_one_line_naming_the_file_and_nothing_is_written(analyses, tmp_path, capsys, bad):
    path = tmp_path / "bad.jsonl"
    lines = analyses.read_text(encoding="utf-8").splitlines(keepends=True)
    if bad == "garbage":
        path.write_text("".join(lines[:5]) + "{not json\n" + "".join(lines[5:]), encoding="utf-8")
    elif bad == "dupe":
        path.write_text("".join(lines + lines[:1]), encoding="utf-8")
    out = tmp_path / "stories.jsonl"
    out.write_text("earlier\n", encoding="utf-8")
    assert main(["stories-archive", str(path), "-o", str(out)]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert len(err) == 1 and str(path) in err[0]
    assert out.read_text(encoding="utf-8") == "earlier\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
