"""Faults during `riwaya ingest`: SIGINT, SIGTERM and kill -9 (workers gone with it, whole
articles only, a re-run completes), a full disk, a read-only store, two ingests at once."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import DATA, need

CMD = [sys.executable, "-c", "import sys; from riwaya.cli import main; sys.exit(main())"]


def _rows(n: int, skip: int = 0) -> list[dict]:
    rows = []
    with gzip.open(need(DATA / "corpus" / "saudinewsnet.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("text", "").strip():
                if skip:
                    skip -= 1
                    continue
                rows.append(row)
            if len(rows) == n:
                break
    return rows


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as c:
            return c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper is not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _consistent(db: Path) -> int:
    """Every stored article whole: its analysis, story membership and search keys."""
    with sqlite3.connect(db) as c:
        one = c.execute
        n = one("SELECT COUNT(*) FROM articles").fetchone()[0]
        assert one("SELECT COUNT(*) FROM analyses").fetchone()[0] == n
        assert one("SELECT COUNT(*) FROM story_articles").fetchone()[0] == n
        assert one("SELECT COUNT(*) FROM search").fetchone()[0] == n
        assert one("SELECT COALESCE(SUM(n_articles), 0) FROM stories").fetchone()[0] == n
        assert one("PRAGMA integrity_check").fetchone()[0] == "ok"
    return n


@pytest.fixture(scope="module")
def slice_file(tmp_path_factory) -> tuple[Path, int]:
    rows = _rows(120)
    return _write(tmp_path_factory.mktemp("faults") / "slice.jsonl", rows), len(rows)


def _start(src: Path, db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([*CMD, "ingest", str(src), "--db", str(db), "--workers", "2", "--batch", "16",
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _midway(proc: subprocess.Popen, db: Path) -> list[int]:
    """Wait until some articles are stored (the workers are busy); return the workers' pids."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and _stored(db) < 5 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    workers = _children(proc.pid)
    assert len(workers) == 2, workers
    return workers


def _gone(pids: list[int], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_ingest_within_5_s_with_its_workers(slice_file, tmp_path, sig, status):
    src, total = slice_file
    db = tmp_path / "w.db"
    proc = _start(src, db)
    workers = _midway(proc, db)
    sent = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 5, err
    assert proc.returncode == status, err
    assert "Traceback" not in err and "interrupted after" in err
    assert _gone(workers, 1), "a worker outlived the ingest"
    n = _consistent(db)
    assert 0 < n < total
    done = subprocess.run([*CMD, "ingest", str(src), "--db", str(db), "--workers", "2", "--no-findings"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"{total - n} new, {n} duplicate, 0 failed" in done.stdout
    assert _consistent(db) == total


def test_kill_9_leaves_no_worker_and_whole_articles(slice_file, tmp_path):
    src, total = slice_file
    db = tmp_path / "w.db"
    proc = _start(src, db)
    workers = _midway(proc, db)
    proc.kill()
    proc.communicate(timeout=30)
    assert _gone(workers, 5), "a worker outlived its killed parent"
    n = _consistent(db)
    assert 0 < n < total
    done = subprocess.run([*CMD, "ingest", str(src), "--db", str(db), "--workers", "2"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"{total - n} new, {n} duplicate, 0 failed" in done.stdout
    assert _consistent(db) == total
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*) FROM stories WHERE dirty = 1").fetchone()[0] == 0


def test_two_ingests_at_once_give_the_stories_of_one(tmp_path):
    first, second = _rows(40), _rows(40, skip=40)
    a, b = _write(tmp_path / "a.jsonl", first), _write(tmp_path / "b.jsonl", second)
    both = _write(tmp_path / "ab.jsonl", first + second)
    one = subprocess.run([*CMD, "ingest", str(both), "--db", str(tmp_path / "one.db"), "--workers", "1",
                          "--no-findings"], capture_output=True, text=True, timeout=600)
    assert one.returncode == 0, one.stderr
    db = tmp_path / "two.db"
    p1 = _start(a, db, "--no-findings")
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and _stored(db) < 1 and p1.poll() is None:
        time.sleep(0.05)
    p2 = _start(b, db, "--no-findings")
    _, err1 = p1.communicate(timeout=600)
    _, err2 = p2.communicate(timeout=600)
    assert p1.returncode == 0 and p2.returncode == 0, err1 + err2
    assert "another process is writing this store; waiting for it to finish" in err2

    def stories(path: Path) -> set[frozenset[str]]:
        with sqlite3.connect(path) as c:
            groups: dict[str, set[str]] = {}
            for article, story in c.execute(
                "SELECT a.id, sa.story FROM articles a JOIN story_articles sa ON sa.article = a.rowid"
            ):
                groups.setdefault(story, set()).add(article)
        return {frozenset(g) for g in groups.values()}

    assert stories(db) == stories(tmp_path / "one.db")


@contextlib.contextmanager
def _small_disk(size: str):
    """A tmpfs of ``size`` (root only; skipped elsewhere)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    where = Path(tempfile.mkdtemp(prefix="riwaya-full-"))
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                      capture_output=True).returncode:
        where.rmdir()
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
        with contextlib.suppress(OSError):
            where.rmdir()


def test_a_full_disk_stops_ingest_cleanly_and_the_store_stays_usable(slice_file, tmp_path):
    src, total = slice_file
    with _small_disk("1500k") as disk:
        db = disk / "w.db"
        full = subprocess.run([*CMD, "ingest", str(src), "--db", str(db), "--workers", "1"],
                              capture_output=True, text=True, timeout=600)
        assert full.returncode == 2, full.stderr
        assert "Traceback" not in full.stderr
        assert f"riwaya: error: {db}: cannot write the store (database or disk is full)" in full.stderr
        n = _consistent(db)
        assert 0 < n < total
        listed = subprocess.run([*CMD, "stories", "--db", str(db), "--all"], capture_output=True, text=True)
        assert listed.returncode == 0, listed.stderr
        # and output to the full disk is one line too, leaving nothing behind
        out = disk / "analysis.jsonl"
        with open(disk / "filler", "wb") as f, contextlib.suppress(OSError):
            f.write(b"\0" * 10_000_000)
        wrote = subprocess.run([*CMD, "analyze", str(src), "--format", "jsonl", "-o", str(out)],
                               capture_output=True, text=True, timeout=600)
        assert wrote.returncode == 2 and "No space left on device" in wrote.stderr, wrote.stderr
        assert "Traceback" not in wrote.stderr and not out.exists()
        assert not [p for p in disk.iterdir() if p.name.startswith(".analysis")]
        (disk / "filler").unlink()
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        done = subprocess.run([*CMD, "ingest", str(src), "--db", str(db), "--workers", "1", "--no-findings"],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        assert _consistent(db) == total


def test_a_read_only_store_is_one_line(slice_file, tmp_path):
    src, _ = slice_file
    extra = _write(tmp_path / "more.jsonl", _rows(3, skip=300))
    db = tmp_path / "w.db"
    made = subprocess.run([*CMD, "ingest", str(src), "--db", str(db), "--workers", "1", "--no-findings"],
                          capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr
    os.chmod(db, 0o444)
    # root writes a 0444 file anyway: the file is made immutable as well
    if os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode:
        pytest.skip("cannot make a file read-only for root here")
    try:
        run = subprocess.run([*CMD, "ingest", str(extra), "--db", str(db), "--workers", "1"],
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 2, run.stderr
        said = f"riwaya: error: {db}: cannot write the store (attempt to write a readonly database)\n"
        assert run.stderr == said
        listed = subprocess.run([*CMD, "stories", "--db", str(db), "--all"], capture_output=True, text=True)
        assert listed.returncode == 0, listed.stderr
    finally:
        subprocess.run(["chattr", "-i", str(db)], capture_output=True)
