"""Parquet archives (the researcher's export): read like JSON Lines, streamed, with one-line
errors; and ``--shard K/N`` splitting a run across machines."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from datetime import datetime
from itertools import islice
from pathlib import Path

import pytest

from riwaya.errors import InputError
from riwaya.ingest import read

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus_rows(corpus_path) -> list[dict]:
    """30 corpus rows (the fixture corpus's five, repeated under new ids, where ../shared is absent)."""
    with gzip.open(corpus_path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in islice(f, 30)]
    while len(rows) < 30:
        row = rows[len(rows) % 5]
        rows.append({**row, "id": f"{row['id']}-{len(rows)}"})
    return rows


@pytest.fixture()
def archive(tmp_path, corpus_rows) -> tuple[Path, Path]:
    """The same 30 corpus articles as JSON Lines and as Parquet (times as timestamps, small row
    groups so reading crosses batches)."""
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in corpus_rows), "utf-8")
    rows = [{**r, "published": datetime.fromisoformat(r["published"]) if r.get("published") else None}
            for r in corpus_rows]
    parquet = tmp_path / "a.parquet"
    pq.write_table(pa.Table.from_pylist(rows), parquet, row_group_size=7)
    return jsonl, parquet


def test_parquet_reads_as_json_lines(archive):
    jsonl, parquet = archive
    a, b = list(read(jsonl)), list(read(parquet))
    assert len(b) == 30
    assert [(x.id, x.text, x.title, x.source, x.url, x.published) for x in a] == \
           [(x.id, x.text, x.title, x.source, x.url, x.published) for x in b]
    assert b[3].origin == f"{parquet}:4"


def test_parquet_in_a_folder_and_on_stdin(archive):
    _, parquet = archive
    assert len(list(read(parquet.parent))) == 60  # the folder holds both files
    out = subprocess.run([sys.executable, "-m", "riwaya.cli", "analyze", "-", "--format", "jsonl", "-q"],
                         input=parquet.read_bytes(), capture_output=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.splitlines()) == 30


def test_parquet_errors_are_one_line(tmp_path):
    notext = tmp_path / "notext.parquet"
    pq.write_table(pa.table({"id": ["x"], "title": ["عنوان"]}), notext)
    with pytest.raises(InputError, match='no "text" column'):
        list(read(notext, strict=True))
    broken = tmp_path / "broken.parquet"
    whole = tmp_path / "whole.parquet"
    pq.write_table(pa.table({"id": ["x"], "text": ["نص الخبر"]}), whole)
    broken.write_bytes(whole.read_bytes()[:-20])
    out = subprocess.run([sys.executable, "-m", "riwaya.cli", "analyze", str(broken)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"riwaya: error: {broken}: not a readable Parquet file")


def test_parquet_row_without_text_is_skipped(tmp_path):
    path = tmp_path / "rows.parquet"
    pq.write_table(pa.table({"id": ["a", "b", "c"], "text": ["قال الوزير إن الاجتماع انتهى.", None,
                                                          "وأعلنت الوزارة النتائج."]}), path)
    skipped: list[InputError] = []
    got = list(read(path, on_error=skipped.append))
    assert [a.id for a in got] == ["a", "c"]
    assert len(skipped) == 1 and skipped[0].origin == f"{path}:2"


def test_shards_split_the_input_exactly_once(archive):
    _, parquet = archive
    seen: list[str] = []
    for k in (1, 2, 3):
        out = subprocess.run([sys.executable, "-m", "riwaya.cli", "analyze", str(parquet), "--format",
                              "jsonl", "-q", "--shard", f"{k}/3"], capture_output=True, text=True,
                             cwd=ROOT, timeout=120)
        assert out.returncode == 0, out.stderr
        ids = [json.loads(line)["document"]["article"]["id"] for line in out.stdout.splitlines()]
        assert ids  # 30 articles over 3 shards: none is empty
        seen += ids
    assert sorted(seen) == sorted(a.id for a in read(parquet))
