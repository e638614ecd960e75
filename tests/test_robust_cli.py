"""Careless use of the command line and broken records: every mistake is one line and a non-zero
exit, never a traceback; nothing is half-written."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from riwaya.cli import main
from riwaya.errors import InputError
from riwaya.ingest import read
from riwaya.store.schema import LATEST

TEXT = "قال وزير الخارجية الإيطالي إن المحادثات بين الأطراف الليبية في روما ستستمر غدا."
CMD = [sys.executable, "-c", "import sys; from riwaya.cli import main; sys.exit(main())"]


def _read(paths) -> tuple[list, list[InputError]]:
    errors: list[InputError] = []
    return list(read(paths, on_error=errors.append)), errors


def _run(*args: str, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run([*CMD, *args], capture_output=True, text=True, timeout=300, **kw)
    assert "Traceback" not in done.stderr, done.stderr
    return done


# --------------------------------------------------------------------------- broken records
def test_json_nested_100k_deep_is_one_bad_record(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    jl = tmp_path / "deep.jsonl"
    jl.write_text(f'{{"id": "ok1", "text": "{TEXT}"}}\n{deep}\n{{"id": "ok2", "text": "{TEXT}"}}\n',
                  encoding="utf-8")
    one = tmp_path / "deep.json"
    one.write_text(deep, encoding="utf-8")
    nested_meta = tmp_path / "meta.jsonl"
    record = {"id": "m", "text": TEXT, "x": json.loads("[" * 200 + "]" * 200)}
    nested_meta.write_text(json.dumps(record) + "\n", encoding="utf-8")
    articles, errors = _read([jl, one, nested_meta])
    assert [a.id for a in articles] == ["ok1", "ok2"]
    assert [str(e) for e in errors] == [
        f"{jl}:2: bad JSON (nested too deep)",
        f"{one}: bad JSON (nested too deep)",
        f"{nested_meta}:1: record nested more than 32 levels deep",
    ]


def test_a_lone_surrogate_is_one_bad_record_and_the_rest_is_stored(tmp_path):
    jl = tmp_path / "s.jsonl"
    jl.write_text('{"id": "bad", "text": "abc \\ud800 def"}\n'
                  '{"id": "bad2", "text": "ok", "title": "\\udfff"}\n'
                  '{"id": "pair", "text": "' + TEXT + ' \\ud83d\\ude00"}\n', encoding="utf-8")
    articles, errors = _read([jl])
    assert [a.id for a in articles] == ["pair"]
    assert [e.origin for e in errors] == [f"{jl}:1", f"{jl}:2"]
    assert '"text" holds a lone surrogate' in str(errors[0]) and '"title"' in str(errors[1])
    db = tmp_path / "w.db"
    done = _run("ingest", str(jl), "--db", str(db), "--workers", "1")
    assert done.returncode == 1 and "1 new, 0 duplicate, 2 failed" in done.stdout


def test_json_error_positions_read_once(tmp_path):
    jl = tmp_path / "t.jsonl"
    jl.write_text('{"id": "b", "text": "a\tb"}\n{"id": "a", "text": "unterminated', encoding="utf-8")
    _, errors = _read([jl])
    assert [e.problem for e in errors] == ["bad JSON (Invalid control character at column 23)",
                                           "bad JSON (Unterminated string starting at column 21)"]


def test_parquet_decimal_duration_and_nested_columns_are_stored(tmp_path):
    from datetime import time, timedelta
    from decimal import Decimal

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({
        "id": ["p1", "p2"],
        "text": [TEXT, TEXT + " وأضاف أن الاجتماع المقبل في تونس."],
        "price": pa.array([Decimal("12.50"), Decimal("-3.00")], pa.decimal128(10, 2)),
        "length": pa.array([timedelta(minutes=3), timedelta(seconds=1.5)], pa.duration("ms")),
        "at": pa.array([time(10, 30), time(23, 59)], pa.time64("us")),
        "tags": pa.array([[{"k": Decimal("1.5")}], []], pa.list_(pa.struct([("k", pa.decimal128(4, 1))]))),
    })
    path = tmp_path / "a.parquet"
    pq.write_table(table, path)
    articles, errors = _read([path])
    assert not errors
    assert articles[0].meta == {"price": "12.50", "length": 180.0, "at": "10:30:00", "tags": [{"k": "1.5"}]}
    db = tmp_path / "w.db"
    assert main(["ingest", str(path), "--db", str(db), "--workers", "1"]) == 0
    assert main(["analyze", str(path), "--format", "json", "-o", str(tmp_path / "a.json")]) == 0
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))[1]["document"]["article"]["meta"][
        "price"] == "-3.00"


# --------------------------------------------------------------------------- arguments
@pytest.mark.parametrize("args, said", [
    (["ingest", "x.jsonl", "--timeout", "-1"], "argument --timeout: -1 is not a positive number"),
    (["ingest", "x.jsonl", "--timeout", "nan"], "argument --timeout: nan is not a positive number"),
    (["ingest", "x.jsonl", "--max-size", "0"], "argument --max-size: the size limit must be at least 1 byte"),
    (["ingest", "x.jsonl", "--workers", "0"], "argument --workers: 0 is out of range"),
    (["search", "x", "--limit", str(2**70)], "argument --limit: 1180591620717411303424 is out of range"),
    (["stories", "--limit", "-1"], "argument --limit: -1 is out of range"),
    (["serve", "--port", "70000"], "argument --port: 70000 is out of range (0 to 65,535)"),
])
def test_out_of_range_arguments_are_refused_before_anything_runs(args, said, capsys):
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
    assert said in capsys.readouterr().err


def test_ingest_max_size_takes_units(tmp_path, capsys):
    jl = tmp_path / "a.jsonl"
    jl.write_text(json.dumps({"id": "a", "text": TEXT * 20}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "w.db"
    assert main(["ingest", str(jl), "--db", str(db), "--workers", "1", "--max-size", "1k"]) == 1
    assert "record over the size limit of 1,000 bytes" in capsys.readouterr().out
    assert main(["ingest", str(jl), "--db", str(db), "--workers", "1", "--max-size", "50M"]) == 0


def test_output_to_a_directory_is_one_line(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text(TEXT, encoding="utf-8")
    assert main(["analyze", str(src), "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"riwaya: error: {tmp_path}: is a directory (give -o a file name)\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary file left


def test_output_files_get_the_usual_permissions(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "a.json"
    old = os.umask(0o022)
    try:
        assert main(["analyze", str(src), "--format", "json", "-o", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o640)  # a replaced file keeps its own
        assert main(["analyze", str(src), "--format", "json", "-o", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(old)


# --------------------------------------------------------------------------- stores
def test_another_applications_database_is_left_alone(tmp_path):
    other = tmp_path / "app.db"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE users (name TEXT)")
    before = other.read_bytes()
    src = tmp_path / "a.txt"
    src.write_text(TEXT, encoding="utf-8")
    done = _run("ingest", str(src), "--db", str(other), "--workers", "1")
    assert done.returncode == 2
    assert done.stderr == (f"riwaya: error: {other}: not a riwaya store: it holds other tables (users);"
                           " give --db a new file\n")
    with sqlite3.connect(other) as c:
        assert [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["users"]
    assert other.read_bytes() == before


def test_a_store_of_a_newer_schema_is_refused_by_every_command(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(TEXT, encoding="utf-8")
    db = tmp_path / "w.db"
    assert _run("ingest", str(src), "--db", str(db), "--workers", "1").returncode == 0
    with sqlite3.connect(db) as c:
        c.execute("INSERT INTO schema_version VALUES (99, 'later')")
    for args in (["ingest", str(src)], ["recompute"], ["stories"], ["search", "روما"], ["story", "x"]):
        done = _run(*args, "--db", str(db))
        assert done.returncode == 2, args
        assert done.stderr.endswith(
            f"store schema 99 is newer than this riwaya's ({LATEST}): upgrade riwaya\n"), args
    from riwaya.web.app import create_app

    with pytest.raises(Exception, match="newer than this riwaya"):
        create_app(db)


# --------------------------------------------------------------------------- names
def test_names_with_newlines_and_escapes_cannot_forge_terminal_lines(tmp_path):
    evil = tmp_path / "x\nriwaya: error: forged\x1b[31m.txt"
    evil.write_bytes(b"")
    titled = tmp_path / "t.jsonl"
    titled.write_text(json.dumps({"id": "t\x1b[2J", "title": "عنوان\nسطر مزور\u202e", "source": "out\x1blet",
                                  "text": TEXT}) + "\n", encoding="utf-8")
    done = _run("analyze", str(tmp_path))
    lines = done.stderr.splitlines()
    assert not any(line.startswith("riwaya: error: forged") for line in lines)
    assert "\x1b" not in done.stderr and "\x1b" not in done.stdout
    assert "x\\nriwaya: error: forged\\x1b[31m.txt: empty file" in done.stderr
    assert "عنوان سطر مزور\\u202e" in done.stdout  # whitespace in a title is one space
    db = tmp_path / "w.db"
    _run("ingest", str(titled), "--db", str(db), "--workers", "1")
    listed = _run("stories", "--db", str(db), "--all")
    assert "\x1b" not in listed.stdout and "سطر مزور" in listed.stdout
    assert all(not line.startswith("سطر مزور") for line in listed.stdout.splitlines())


def test_a_glob_does_not_follow_a_folder_link_loop(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d" / "sub" / "b.txt").write_text(TEXT + " أمس", encoding="utf-8")
    (tmp_path / "d" / "sub" / "loop").symlink_to("..")
    articles, errors = _read([str(tmp_path / "d" / "**" / "*.txt")])
    assert sorted(Path(a.origin).name for a in articles) == ["a.txt", "b.txt"] and not errors
    articles, _ = _read([str(tmp_path / "d" / "**")])  # folders and files both match: each file once
    assert len(articles) == 2


def test_an_unlistable_subfolder_is_reported(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root lists every folder")
    (tmp_path / "d" / "closed").mkdir(parents=True)
    (tmp_path / "d" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d" / "closed").chmod(0)
    try:
        articles, errors = _read([tmp_path / "d"])
    finally:
        (tmp_path / "d" / "closed").chmod(0o755)
    assert len(articles) == 1
    assert [e.problem for e in errors] == ["cannot list folder (Permission denied)"]


def test_an_unlistable_subfolder_is_reported_as_root_too(tmp_path, monkeypatch):
    """The same through a listing that fails (root can list a 000 folder)."""
    import riwaya.ingest.sources as sources

    (tmp_path / "d" / "closed").mkdir(parents=True)
    (tmp_path / "d" / "a.txt").write_text(TEXT, encoding="utf-8")
    real_walk = os.walk

    def walk(top, onerror=None, **kw):
        for root, dirs, files in real_walk(top, onerror=onerror, **kw):
            if Path(root).name == "closed":
                if onerror:
                    onerror(PermissionError(13, "Permission denied", root))
                continue
            yield root, dirs, files

    monkeypatch.setattr(sources.os, "walk", walk)
    articles, errors = _read([tmp_path / "d"])
    assert len(articles) == 1
    assert [(e.origin, e.problem) for e in errors] == [
        (str(tmp_path / "d" / "closed"), "cannot list folder (Permission denied)")]


@pytest.mark.parametrize("charset", ["base64", "rot13", "zlib_codec", "idna", "punycode", "utf-32",
                                     "x-nonsense"])
def test_an_html_page_declaring_an_odd_charset_is_read_or_one_line(tmp_path, charset):
    body = "قال الوزير إن الاجتماع انتهى في روما أمس وأضاف أن المحادثات ستستمر. " * 3
    page = (f'<html><head><meta charset="{charset}"><title>t</title></head>'
            f"<body><article><p>{body}</p></article></body></html>")
    path = tmp_path / "p.html"
    path.write_bytes(page.encode("cp1256"))
    articles, errors = _read([path])
    assert len(articles) + len(errors) == 1
    if articles:
        assert "الاجتماع" in articles[0].text


@pytest.mark.parametrize("encoding", ["idna", "punycode", "base64", "utf-32", "x-nonsense"])
def test_a_feed_declaring_an_odd_encoding_is_one_line(tmp_path, encoding):
    feed = tmp_path / "f.xml"
    feed.write_bytes(f'<?xml version="1.0" encoding="{encoding}"?><rss><channel><item><title>t</title>'
                     f"<description>{TEXT}</description></item></channel></rss>".encode())
    articles, errors = _read([feed])
    assert len(articles) + len(errors) == 1
