"""Ctrl-C during `riwaya ingest`: a prompt stop, one line, exit 130, whole articles only."""

from __future__ import annotations

import gzip
import json
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import DATA, need


def _rows(n: int) -> list[dict]:
    rows = []
    with gzip.open(need(DATA / "corpus" / "saudinewsnet.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("text", "").strip():
                rows.append(row)
            if len(rows) == n:
                break
    return rows


def _stored(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as c:
            return c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.shared
def test_sigint_stops_workers_keeps_whole_articles_and_a_rerun_completes(tmp_path):
    rows = _rows(160)
    src = tmp_path / "slice.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "w.db"
    cmd = [sys.executable, "-c", "import sys; from riwaya.cli import main; sys.exit(main())",
           "ingest", str(src), "--db", str(db), "--workers", "2", "--batch", "16"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and _stored(db) < 5 and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)  # workers included: nothing keeps it alive
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    said = re.findall(r"ingest: interrupted after (\d+) new articles; run again to continue", err)
    assert len(said) == 1, err
    with sqlite3.connect(db) as c:
        one = c.execute
        n = one("SELECT COUNT(*) FROM articles").fetchone()[0]
        assert 0 < n < len(rows) and int(said[0]) == n
        # every stored article whole: its analysis, story membership and search keys
        assert one("SELECT COUNT(*) FROM analyses").fetchone()[0] == n
        assert one("SELECT COUNT(*) FROM story_articles").fetchone()[0] == n
        assert one("SELECT COUNT(*) FROM search").fetchone()[0] == n
        assert one("PRAGMA integrity_check").fetchone()[0] == "ok"
    done = subprocess.run([*cmd, "--no-findings"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"{len(rows) - n} new, {n} duplicate, 0 failed" in done.stdout
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*), COUNT(DISTINCT url) FROM articles").fetchone() == (len(rows),) * 2
        assert c.execute("SELECT COUNT(*) FROM analyses").fetchone()[0] == len(rows)
