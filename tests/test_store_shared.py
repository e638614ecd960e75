"""One store shared by processes: two `riwaya ingest` runs at once and the web app, on SQLite and
on PostgreSQL (issue 20): every article stored once, none lost, the web app lists each once."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys

from fastapi.testclient import TestClient

from _postgres import rows
from riwaya.store import open_store
from riwaya.web.app import create_app

INGEST = [sys.executable, "-c", "import sys; from riwaya.cli import main; sys.exit(main())", "ingest"]


def _articles(corpus_path, n: int) -> list[dict]:
    out = []
    with gzip.open(corpus_path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("text", "").strip() and row.get("url"):
                out.append(row)
                if len(out) == n:
                    break
    return out


def _listed(client) -> list[str]:
    """Every article id of every story the web app lists (single-article stories included)."""
    ids: list[str] = []
    page = 1
    while True:
        listing = client.get(f"/api/stories?all=true&page={page}").json()
        for story in listing["stories"]:
            ids += [a["id"] for a in client.get(f"/api/stories/{story['id']}").json()["articles"]]
        if not listing["more"]:
            return ids
        page += 1


def test_two_ingesting_processes_and_the_web_app_share_one_store(tmp_path, db, corpus_path):
    articles = _articles(corpus_path, 18)
    third = len(articles) // 3
    first, second = articles[: 2 * third], articles[third:]  # overlapping: the middle third twice
    inputs = []
    for name, part in (("a", first), ("b", second)):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8")
        inputs.append(path)
    open_store(db).close()  # an empty store, that the web app opens before anything is stored
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:  # open before, read after
        assert _listed(client) == []
        runs = [subprocess.Popen([*INGEST, str(p), "--db", db, "--workers", "1"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for p in inputs]
        outs = [p.communicate(timeout=600) for p in runs]
        assert [p.returncode for p in runs] == [0, 0], [err for _, err in outs]
        counts = [tuple(map(int, re.findall(r"(\d+) (?:new|duplicate|failed)", out)[:3])) for out, _ in outs]
        new = sum(c[0] for c in counts)
        assert new == len(articles) and sum(c[1] for c in counts) == len(first) + len(second) - len(articles)
        listed = _listed(client)
    assert sorted(listed) == sorted(r["id"] for r in articles)  # each once: none lost, none twice
    assert rows(db, "SELECT COUNT(*), COUNT(DISTINCT url) FROM articles")[0] == (len(articles),) * 2
    assert rows(db, "SELECT COUNT(*) FROM stories WHERE dirty = 1")[0][0] == 0
