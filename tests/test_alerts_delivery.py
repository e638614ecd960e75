"""A failing alert sink (an unwritable log, a webhook answering 501): the alert is kept pending,
the run says so and exits 1, and the next run delivers it; nothing is lost."""

from __future__ import annotations

import json
import time
import typing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import pytest

import riwaya.workspace.ingester as ingester_module
from _workspace import OneStoryPerOutletless, fake_compare, fill
from riwaya.cli import main
from riwaya.model import Article
from riwaya.store import open_store
from riwaya.workspace.alerts import Alerts

TEXT = ("قال مسؤول ليبي إن الاجتماع في روما انتهى باتفاق على تشكيل حكومة وحدة وطنية في ليبيا خلال "
        "أسبوعين، وأضاف أن الأمم المتحدة سترعى التنفيذ.")


class Hook(BaseHTTPRequestHandler):
    """Answers 501 while ``failing``, else 204; keeps what it was sent."""

    failing: typing.ClassVar[bool] = True
    received: typing.ClassVar[list[dict]] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        if Hook.failing:
            self.send_response(501)
        else:
            Hook.received.append(body)
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hook():
    Hook.failing, Hook.received = True, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def _articles(n: int, start: int = 0) -> list[Article]:
    return [Article(f"a{i}", f"{TEXT} ({i})", source=f"outlet-{i}") for i in range(start, start + n)]


def test_alerts_a_failing_sink_missed_are_sent_by_the_next_run(tmp_path, db, hook):
    store = open_store(db)
    fill(store, _articles(1))
    store.follow("story", "s-main")
    log = tmp_path / "missing-dir" / "alerts.jsonl"  # cannot be written yet
    summary = fill(store, _articles(1, 1), alerts=Alerts(log, hook))
    assert summary.alerts == 1 and summary.alerts_pending == 1
    assert "1 not delivered" in summary.line()
    assert [p for _, _, p in store.pending_alerts()] == [["log", "webhook"]]

    log.parent.mkdir()
    Hook.failing = False
    again = fill(store, [], alerts=Alerts(log, hook))
    assert again.alerts == 1 and again.alerts_pending == 0
    assert store.pending_alerts() == []
    logged = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [a["kind"] for a in logged] == ["contradiction"]
    assert [a["kind"] for a in Hook.received] == ["contradiction"]
    # delivered means delivered: a third run sends nothing again
    fill(store, [], alerts=Alerts(log, hook))
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1 and len(Hook.received) == 1
    store.close()


def test_a_sink_that_recovers_only_gets_what_it_missed(tmp_path, db, hook):
    store = open_store(db)
    fill(store, _articles(1))
    store.follow("story", "s-main")
    log = tmp_path / "alerts.jsonl"
    fill(store, _articles(1, 1), alerts=Alerts(log, hook))  # the log works, the webhook fails
    assert [p for _, _, p in store.pending_alerts()] == [["webhook"]]
    Hook.failing = False
    fill(store, [], alerts=Alerts(log, hook))
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1  # not written twice
    assert len(Hook.received) == 1 and store.pending_alerts() == []
    store.close()


def test_ingest_with_a_failing_webhook_exits_1_and_says_so(tmp_path, db, hook, monkeypatch, capsys, caplog):
    monkeypatch.setattr(ingester_module, "default_comparer", fake_compare)
    monkeypatch.setattr(ingester_module, "default_assigner", lambda store: OneStoryPerOutletless())
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    later = _articles(1, 1)  # another outlet's own report (a copy of the first would add no report)
    later[0].text = "أعلن المبعوث الأممي من روما أن الأطراف الليبية وقعت اتفاقا وأن الحكومة ستتشكل خلال شهر."
    for path, articles in ((first, _articles(1)), (second, later)):
        path.write_text("".join(json.dumps({"id": a.id, "source": a.source, "text": a.text},
                                           ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    assert main(["ingest", str(first), "--db", str(db), "--workers", "1"]) == 0
    assert main(["follow", "story", "s-main", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["ingest", str(second), "--db", str(db), "--workers", "1", "--webhook", hook]) == 1
    captured = capsys.readouterr()
    assert "1 alert (1 not delivered: sent again by the next run)" in captured.out
    assert "webhook failed (HTTP 501 Not Implemented); the alert will be sent again" in caplog.text
    Hook.failing = False
    assert main(["ingest", str(second), "--db", str(db), "--workers", "1", "--webhook", hook]) == 0
    assert len(Hook.received) == 1


class Trickle(BaseHTTPRequestHandler):
    """Accepts the alert at once, then sends its answer's body a byte at a time (bounded)."""

    def do_POST(self):
        self.rfile.read(int(self.headers["content-length"]))
        self.send_response(200)
        self.send_header("Content-Length", "30")
        self.end_headers()
        for _ in range(30):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.2)

    def log_message(self, *args):
        pass


def test_a_webhook_trickling_its_answer_does_not_hold_the_ingest():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.handle_error = lambda request, address: None
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        alerts = Alerts(webhook=f"http://127.0.0.1:{server.server_port}/hook", timeout=1.0)
        start = time.monotonic()
        assert alerts.emit({"story": "s", "kind": "contradiction"}) == []
        assert time.monotonic() - start < 2
    finally:
        server.shutdown()
