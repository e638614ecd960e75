"""The workspace store: codec round trips, migrations, dedup, atomic writes, search, alerts."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _postgres import db_errors, rows
from _workspace import HOSTILE_TEXT, fill
from riwaya.errors import RiwayaError
from riwaya.model import Article, to_dict
from riwaya.store import SQLiteStore, codec, open_store
from riwaya.store.schema import LATEST
from riwaya.text import match_keys

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def seeds(story_paths, tmp_path):
    """Two reports of one story read from text files, as the seeds are: the first without a
    credits line (named by its file), the second with one."""
    from riwaya.ingest import read

    bare = tmp_path / "000_c30c670de5ae5a37.txt"
    bare.write_text(story_paths[1].read_text(encoding="utf-8").rsplit("المصدر", 1)[0], encoding="utf-8")
    return list(read([str(bare), str(story_paths[0])]))


@pytest.fixture
def store(db):
    """An empty store, SQLite then PostgreSQL."""
    s = open_store(db)
    yield s
    s.close()


def test_codec_round_trips_an_analysis_of_a_report(seeds):
    from riwaya.pipeline import analyze_article

    analysis = analyze_article(seeds[1])
    back = codec.decode_analysis(codec.encode_analysis(analysis), seeds[1])
    assert to_dict(back) == to_dict(analysis)
    full = codec.analysis_from_dict(json.loads(json.dumps(codec.analysis_to_dict(analysis))))
    assert to_dict(full) == to_dict(analysis)


def test_schema_is_versioned_and_reopening_does_not_migrate_again(tmp_path):
    path = tmp_path / "w.db"
    open_store(path).close()
    open_store(path).close()
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT version FROM schema_version")] == list(range(1, LATEST + 1))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.execute("INSERT INTO schema_version VALUES (?, 'later')", (LATEST + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(RiwayaError, match="newer than this riwaya"):
        open_store(path)


def test_not_a_store_is_one_clear_error(tmp_path):
    from riwaya.errors import RiwayaError

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(RiwayaError, match=r"junk\.db"):
        open_store(junk)
    with pytest.raises(RiwayaError, match="no such store"):
        open_store(tmp_path / "missing.db", read_only=True)


def test_ingest_is_idempotent_and_dedups_by_hash_and_url(store, seeds):
    first = fill(store, seeds)
    assert (first.new, first.duplicate) == (2, 0)
    again = fill(store, seeds)
    assert (again.new, again.duplicate) == (0, 2)
    same_url = Article(id="other", text="نص مختلف تماما عن نابل", url="https://example.org/a")
    copy = Article(id="other2", text="نص آخر مختلف", url="https://example.org/a")
    s = fill(store, [same_url, copy])
    assert (s.new, s.duplicate) == (1, 1)
    assert store.count()["articles"] == 3


def test_stored_analysis_spans_slice_the_original_text(store, seeds):
    fill(store, seeds)
    for a in seeds:
        analysis = store.article_analysis(a.id)
        assert analysis.article.text == a.text
        for s in analysis.document.sentences:
            assert a.text[s.start : s.end] == analysis.document.text[s.start : s.end]
        for t in analysis.document.tokens:
            assert a.text[t.start : t.end].strip()


def test_story_findings_are_stored_with_view(store, seeds):
    fill(store, seeds)
    stored = store.story("s-main")
    assert stored["summary"].n_articles == 2
    kinds = {f["kind"] for f in stored["comparison"]["findings"]}
    assert {"contradiction", "agreement", "unique"} <= kinds
    assert len(stored["view"]["timeline"]) == 2
    assert stored["view"]["matrix"][0]["cells"]
    assert store.count()["dirty"] == 0


def test_an_article_is_written_whole_or_not_at_all(store, seeds):
    from riwaya.pipeline import analyze_article
    from riwaya.workspace.prepare import record_from_analysis

    record = record_from_analysis(analyze_article(seeds[0]), {})
    record.mentions = [("E", "x", 0, 1)]  # wrong arity: fails after the article row is inserted
    with pytest.raises(db_errors()):
        store.add_article(record, "s1")
    counts = store.count()
    assert counts["articles"] == counts["analyses"] == counts["stories"] == 0


def test_arabic_search_ignores_diacritics_alef_forms_and_clitics(store, seeds):
    fill(store, seeds)
    for query in ("نابل", "بالفيضانات", "فَيَضانات", "والحكومة", "للأحياء"):
        hits = store.search(match_keys(query))
        assert hits, query
    assert store.search(match_keys("كلمةغيرموجودةابدا")) == []
    assert store.search(match_keys('"*():^')) == []  # FTS syntax in a query is inert
    assert store.search(match_keys("نابل NOT")) == store.search(match_keys("نابل not"))


def test_story_list_filters(store, seeds):
    arts = [
        *seeds,
        Article(id="x1", text="خبر عن الاقتصاد في الرياض", source="okaz", meta={"story": "s-other"}),
    ]
    fill(store, arts)
    assert [s.id for s in store.list_stories(min_articles=2)] == ["s-main"]
    assert {s.id for s in store.list_stories()} == {"s-main", "s-other"}
    assert [s.id for s in store.list_stories(outlet="okaz")] == ["s-other"]
    assert [s.id for s in store.list_stories(exclude=["okaz"])] == ["s-main"]
    assert [s.id for s in store.list_stories(entity="نابل")] == ["s-main"]
    assert store.count_stories() == 2 and store.count_stories(min_articles=2) == 1
    assert store.count_stories(exclude=["okaz"]) == 1 and store.count_stories(entity="نابل") == 1


def test_alerts_for_followed_story_go_to_log_and_webhook(tmp_path, db, seeds):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    from riwaya.workspace.alerts import Alerts

    received = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["content-length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        store = open_store(db)
        log = tmp_path / "alerts.jsonl"
        alerts = Alerts(log, f"http://127.0.0.1:{server.server_port}/hook")
        fill(store, seeds[:1], alerts=alerts)
        assert not log.exists()  # nothing followed yet
        store.follow("entity", "نابل")
        s = fill(store, seeds[1:], alerts=alerts)
        assert s.alerts == 1
        lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
        assert [a["kind"] for a in lines] == ["contradiction"]
        assert lines[0]["followed"] == ["entity:نابل"]
        assert lines[0]["evidence"] and lines[0]["sources"]
        assert received and received[0]["story"] == "s-main"
        store.close()
    finally:
        server.shutdown()


def _corpus_rows(n: int) -> list[dict]:
    from conftest import DATA, need

    rows = []
    with gzip.open(need(DATA / "corpus" / "saudinewsnet.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if len(rows) == n:
                break
    return rows


KILLABLE = """
import sys, time
sys.path.insert(0, {tests!r})
import _workspace
from riwaya.store import open_store
from riwaya.ingest import read
real = _workspace._analyze
def slow(article):
    time.sleep(0.05)
    return real(article)
_workspace._analyze = slow
store = open_store(sys.argv[1])
print(_workspace.fill(store, read([sys.argv[2]]), batch=10).line(), flush=True)
"""


@pytest.mark.shared
def test_killed_ingest_resumes_without_duplicates_or_half_written_articles(tmp_path, db):
    articles = _corpus_rows(60)
    src = tmp_path / "slice.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in articles), encoding="utf-8")
    script = tmp_path / "run.py"
    script.write_text(KILLABLE.format(tests=str(ROOT / "tests")), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), db, str(src)], stdout=subprocess.PIPE)
    deadline = time.monotonic() + 60
    n = 0
    while time.monotonic() < deadline and n < 15:
        time.sleep(0.1)
        with contextlib.suppress(*db_errors()):
            n = rows(db, "SELECT COUNT(*) FROM articles")[0][0]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < n < len(articles), "the run was not killed midway"
    with open_store(db) as store:
        partial = store.count()
        assert partial["articles"] == partial["analyses"] < len(articles)
        summary = fill(store, __import__("riwaya.ingest", fromlist=["read"]).read([str(src)]))
        assert summary.new == len(articles) - partial["articles"]
        assert summary.duplicate == partial["articles"]
        counts = store.count()
        assert counts["articles"] == counts["analyses"] == len(articles)
        assert counts["dirty"] == 0
    assert rows(db, "SELECT COUNT(DISTINCT hash) FROM articles")[0][0] == len(articles)
    assert rows(db, "SELECT COUNT(*) FROM story_articles")[0][0] == len(articles)
    orphan = rows(db, "SELECT COUNT(*) FROM articles a LEFT JOIN analyses an ON an.article = a.rowid"
                      " WHERE an.article IS NULL")[0][0]
    assert orphan == 0


def test_two_writers_without_the_writer_lock_store_each_article_once(db):
    """Two stores on one database (two connections, as two processes have) add the same articles
    at once without the writer lock, each write held up where both would have looked for the
    article before either stored it: each is stored once, and the other writer is told it is a
    duplicate (PostgreSQL: a transaction lock on the article's URL or hash; SQLite: one writer)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from _workspace import _analyze
    from riwaya.store import DuplicateArticle
    from riwaya.workspace.prepare import record_from_analysis

    articles = [Article(id=f"w{i}", text=f"قال الوزير إن الاجتماع في روما ناقش الملف الليبي رقم {i}.",
                        url=f"https://example.org/{i}" if i % 2 else None) for i in range(6)]
    records = [record_from_analysis(_analyze(a), {}) for a in articles]
    stores = [open_store(db), open_store(db)]
    meet = {r.article.url or r.hash: threading.Barrier(2) for r in records}
    for store in stores:
        def claim(conn, identity, claim=store._claim):
            claim(conn, identity)
            with contextlib.suppress(threading.BrokenBarrierError):  # the other writer waits on us
                meet[identity].wait(timeout=0.3)
        store._claim = claim

    def write(store) -> list[bool]:
        stored = []
        for r in records:
            try:
                store.add_article(r, "s-" + r.article.id)
                stored.append(True)
            except DuplicateArticle:
                stored.append(False)
        return stored

    try:
        with ThreadPoolExecutor(2) as pool:
            first, second = pool.map(write, stores)
        assert [a + b for a, b in zip(first, second, strict=True)] == [1] * len(records)
        assert stores[0].count()["articles"] == stores[0].count()["analyses"] == len(records)
        assert rows(db, "SELECT COUNT(*) FROM story_articles")[0][0] == len(records)
    finally:
        for store in stores:
            store.close()


def test_hostile_text_is_stored_exactly(store):
    fill(store, [Article(id="h", text=HOSTILE_TEXT, title="<script>x</script>")])
    assert store.article("h").text == HOSTILE_TEXT


def test_same_text_at_another_url_is_another_publication(store):
    text = "أعلن وزير الخارجية الإيطالي أن التدخل العسكري في ليبيا غير وارد."
    s = fill(store, [
        Article(id="a", text=text, url="https://one.example/a"),
        Article(id="b", text=text, url="https://two.example/b"),  # syndicated copy: kept
        Article(id="c", text=text),  # no URL, same text: a duplicate
    ])
    assert (s.new, s.duplicate) == (2, 1)


def test_a_store_of_schema_1_is_upgraded_keeping_its_articles(tmp_path):
    from riwaya.store import schema

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)")
    conn.executescript(schema.step_text(schema.MIGRATIONS[0], schema.SQLITE)
                       + ";INSERT INTO schema_version VALUES (1, 'then');")
    conn.execute("INSERT INTO articles (rowid, id, hash, text, ingested) VALUES (7, 'x', 'h', 'نص', 'then')")
    conn.execute("INSERT INTO analyses VALUES (7, 1, x'00', '{}')")
    conn.close()
    with SQLiteStore(db) as s:
        counts = s.count()
        assert (counts["articles"], counts["analyses"]) == (1, 1)  # nothing cascaded away
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == LATEST
        c.execute("INSERT INTO articles (id, hash, text, ingested) VALUES ('y', 'h', 'نص', 'now')")


def test_articles_without_a_source_are_the_outlets_their_comparison_names(store, seeds):
    """Text files carry no source: the store names the first report by its file and the second by
    its credits line, as ``riwaya compare`` does, in the story's outlets, its view and outlet pages."""
    fill(store, seeds)
    names = [a.outlet for a in seeds]
    assert names == ["000_c30c670de5ae5a37", "صحيفة الساحل اليوم"]
    stored = store.story("s-main")
    assert (stored["summary"].n_outlets, stored["summary"].outlets) == (2, names)
    assert sorted(stored["view"]["outlets"].values()) == sorted(names)
    assert [a["outlet"] for a in stored["articles"]] == names
    assert store.outlet("صحيفة الساحل اليوم")["articles"] == 1
    assert [s.id for s in store.list_stories(outlet="صحيفة الساحل اليوم")] == ["s-main"]
    assert dict(store.outlets()) == dict.fromkeys(names, 1)


def test_a_store_of_schema_2_gets_its_outlets_named_and_counted(tmp_path):
    from riwaya.errors import RiwayaError
    from riwaya.store import schema

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)")
    conn.executescript(schema.step_text(schema.MIGRATIONS[0], schema.SQLITE)
                       + ";INSERT INTO schema_version VALUES (1, 'then');")
    conn.executescript(schema.step_text(schema.MIGRATIONS[1], schema.SQLITE)
                       .replace(schema.FOREIGN_KEYS_OFF, "")
                       + ";INSERT INTO schema_version VALUES (2, 'then');")
    conn.executemany(
        "INSERT INTO articles (rowid, id, hash, source, credits, origin, text, ingested)"
        " VALUES (?,?,?,?,?,?,?,?)",
        [(1, "a", "h1", "okaz", None, None, "نص", "then"),
         (2, "b", "h2", None, "المصدر : الجزيرة + وكالات", "/in/b.txt", "نص", "then"),
         (3, "c", "h3", None, None, "/in/c.txt", "نص", "then")])
    conn.execute("INSERT INTO stories (id, n_articles, n_outlets, outlets) VALUES ('s', 3, 1, '[\"okaz\"]')")
    conn.executemany("INSERT INTO story_articles VALUES (?, 's')", [(1,), (2,), (3,)])
    conn.close()
    with pytest.raises(RiwayaError, match="older than this riwaya"):
        open_store(db, read_only=True)
    with SQLiteStore(db) as s:
        summary = s.story("s")["summary"]
        assert (summary.n_outlets, summary.outlets) == (3, ["okaz", "الجزيرة + وكالات", "c"])
        assert s.outlet("c")["articles"] == 1


@pytest.mark.shared
def test_riwaya_ingest_killed_midway_resumes_with_every_row_once(tmp_path, db):
    """The real command (analysis, story index, comparison) killed with SIGKILL, then re-run:
    on SQLite and on PostgreSQL (where the server drops the killed session's transaction and
    writer lock)."""
    articles = [r for r in _corpus_rows(80) if r["text"].strip()][:50]
    src = tmp_path / "slice.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in articles), encoding="utf-8")
    cmd = [sys.executable, "-c", "import sys; from riwaya.cli import main; sys.exit(main())",
           "ingest", str(src), "--db", db, "--workers", "1", "--batch", "10"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    n, deadline = 0, time.monotonic() + 120
    while time.monotonic() < deadline and n < 6 and proc.poll() is None:
        time.sleep(0.05)
        with contextlib.suppress(*db_errors()):
            n = rows(db, "SELECT COUNT(*) FROM articles")[0][0]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < n < len(articles), "the run was not killed midway"
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    new, duplicate, failed = map(int, re.findall(r"(\d+) (?:new|duplicate|failed)", done.stdout))
    assert (new + duplicate, failed) == (len(articles), 0) and n <= duplicate < len(articles)
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert f"0 new, {len(articles)} duplicate, 0 failed" in again.stdout
    one = lambda sql: rows(db, sql)[0]  # noqa: E731  every row once, each whole: analysis, story, search keys
    assert one("SELECT COUNT(*), COUNT(DISTINCT url) FROM articles") == (len(articles), len(articles))
    assert one("SELECT COUNT(*) FROM analyses")[0] == len(articles)
    assert one("SELECT COUNT(*) FROM story_articles")[0] == len(articles)
    assert one("SELECT COUNT(*) FROM search")[0] == len(articles)
    assert one("SELECT COUNT(*) FROM stories WHERE dirty = 1")[0] == 0
    assert {r[0] for r in rows(db, "SELECT url FROM articles")} == {r["url"] for r in articles}


class _Pairs:
    """Files articles two by two into stories, in arrival order."""

    def __init__(self):
        self.n = 0

    def add(self, article_id, signature, published):
        self.n += 1
        return f"s{(self.n - 1) // 2}"


@pytest.mark.shared
def test_findings_compared_in_worker_processes_match_in_process(tmp_path, db):
    from _workspace import fake_compare
    from riwaya.ingest import read
    from riwaya.workspace.ingester import Ingester

    rows = [r for r in _corpus_rows(20) if r["text"].strip()][:6]
    src = tmp_path / "six.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    found = []
    for workers, where in ((1, tmp_path / "w1.db"), (2, db)):  # workers reopen the store: file or URL
        with open_store(where) as store:
            with Ingester(store, workers=workers, assigner=_Pairs(), comparer=fake_compare) as ing:
                summary = ing.ingest(read([str(src)]))
            assert (summary.new, summary.recomputed, store.count()["dirty"]) == (6, 3, 0)
            found.append({s: [f["kind"] for f in store.story(s)["comparison"]["findings"]]
                          for s in ("s0", "s1", "s2")})
    assert found[0] == found[1] and found[0]["s0"] == ["contradiction", "unique", "agreement"]
