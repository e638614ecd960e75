"""`riwaya analyze`: formats, output file, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from riwaya.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["analyze", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_seed_json_spans_slice_the_text(capsys, seed_paths):
    _, seed_002 = seed_paths
    code, out, err = run(capsys, seed_002, "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert isinstance(data, dict)  # one article: one object
    article = data["document"]["article"]
    text = article["text"]
    assert article["credits"] == "المصدر : الجزيرة + وكالات"
    assert article["title"] == "التحالف يستبعد تدخلا عسكريا وشيكا بليبيا"
    doc = data["document"]
    assert doc["sentences"] and doc["tokens"] and doc["segments"]
    for s in doc["sentences"]:
        assert s["text"] == text[s["start"]:s["end"]]
    for t in doc["tokens"]:
        assert 0 <= t["start"] < t["end"] <= len(text)
    assert "الجزيرة + وكالات" not in text


def test_json_many_articles_is_a_list_and_jsonl_one_per_line(capsys):
    code, out, _ = run(capsys, FIXTURES / "feed.rss", FIXTURES / "feed.atom", "--format", "json",
                       "-q")
    assert code == 0
    data = json.loads(out)
    assert [d["document"]["article"]["id"] for d in data] == [
        "sahel-0001", "https://sahel.example/news/2", "urn:example:jabal:42"]
    code, out, _ = run(capsys, FIXTURES, "--format", "jsonl", "-q")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 10
    assert {r["document"]["article"]["source"] for r in rows} >= {"alsahel", "صحيفة الوادي"}


def test_text_format_summary(capsys):
    code, out, err = run(capsys, FIXTURES / "article.txt")
    assert code == 0 and err == ""
    assert "افتتاح جسر جديد على نهر المدينة" in out
    assert "credits:   المصدر : وكالة أنباء المدينة" in out
    assert "sentences" in out and "languages:" in out


def test_output_file_written_whole(capsys, tmp_path):
    target = tmp_path / "out.jsonl"
    code, out, _ = run(capsys, FIXTURES / "articles.jsonl", "--format", "jsonl", "-o", target)
    assert code == 0 and out == ""
    assert len(target.read_text(encoding="utf-8").splitlines()) == 3


def test_strict_failure_leaves_no_half_written_output(capsys, tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("earlier run\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "نص."}\n{oops\n', encoding="utf-8")
    code, out, err = run(capsys, bad, "--strict", "--format", "jsonl", "-o", target)
    assert out == ""
    assert code == 2
    assert err == f"riwaya: error: {bad}:2: bad JSON (Expecting property name enclosed in " \
                  "double quotes at column 2)\n"
    assert target.read_text(encoding="utf-8") == "earlier run\n"
    assert {p.name for p in tmp_path.iterdir()} == {"out.jsonl", "bad.jsonl"}  # no temp left


def test_batch_with_bad_record_warns_summarises_and_fails(capsys, tmp_path):
    bad = tmp_path / "dump.jsonl"
    bad.write_text('{"id": "a", "text": "نص أول."}\n{"id": "b", "text": "نص ثان."}\nnot json\n',
                   encoding="utf-8")
    code, out, err = run(capsys, bad, FIXTURES / "article.txt", "--format", "jsonl")
    assert code == 1
    assert len(out.splitlines()) == 3
    assert err.splitlines() == [
        f"riwaya: warning: skipped {bad}:3: bad JSON (Expecting value at column 1)",
        "riwaya: read 3 articles from 2 inputs; skipped 1",
    ]


@pytest.mark.parametrize("make, problem", [
    (lambda d: d / "missing.txt", "no such file or folder"),
    (lambda d: _write(d / "empty.txt", b""), "empty file"),
    (lambda d: _write(d / "bin.txt", bytes(range(256)) * 4), "binary file"),
    (lambda d: _write(d / "big.txt", "خبر طويل جدا. ".encode() * 200), "over the limit"),
])
def test_single_bad_input_is_one_line(capsys, tmp_path, make, problem):
    path = make(tmp_path)
    code, out, err = run(capsys, path, "--max-size", "1k")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"riwaya: error: {path}: ") and problem in err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_max_size_accepts_suffixes_and_rejects_nonsense(capsys):
    with pytest.raises(SystemExit) as info:
        main(["analyze", str(FIXTURES / "article.txt"), "--max-size", "lots"])
    assert info.value.code == 2
    assert "not a size" in capsys.readouterr().err


def test_source_and_published_overrides(capsys):
    code, out, _ = run(capsys, FIXTURES / "article.txt", "--format", "json", "--source", "almadina",
                       "--published", "article=2016-02-02")
    art = json.loads(out)["document"]["article"]
    assert code == 0 and art["source"] == "almadina" and art["published"] == "2016-02-02T00:00:00"


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "--format json" in out and "--max-size" in out


def test_subprocess_stdin_and_no_traceback(tmp_path):
    data = (FIXTURES / "articles.jsonl").read_bytes()
    proc = subprocess.run([sys.executable, "-m", "riwaya.cli", "analyze", "-", "--format", "jsonl"],
                          input=data, capture_output=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(proc.stdout.decode().splitlines()) == 3
    assert proc.stderr == b""  # not a terminal: no progress bar
    bad = tmp_path / "x.rss"
    bad.write_text("<rss><channel><item>", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "riwaya.cli", "analyze", str(bad)],
                          capture_output=True, cwd=ROOT, timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err
    assert err.startswith(f"riwaya: error: {bad}: malformed feed") and len(err.splitlines()) == 1


def test_strict_json_to_stdout_prints_no_broken_document(capsys, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    code, out, err = run(capsys, FIXTURES / "article.txt", bad, "--strict", "--format", "json")
    assert code == 2 and out == "" and err == f"riwaya: error: {bad}: empty file\n"
