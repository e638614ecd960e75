"""Feeds and pages over HTTP from a local server: encodings, XML attacks, 404, timeout, size."""

from __future__ import annotations

import json
import time
import typing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import pytest

from _workspace import fill
from riwaya.errors import InputError
from riwaya.ingest.fetch import Fetcher, FetchError, user_agent
from riwaya.store import open_store
from riwaya.workspace.sources import iter_sources

ITEMS = [
    (
        "التحالف يجتمع في روما لبحث الوضع في ليبيا",
        "اجتمع وزراء التحالف الدولي في روما الثلاثاء لبحث الوضع في ليبيا.",
    ),
    ("وزير الخارجية يستبعد التدخل العسكري", "استبعد وزير الخارجية الإيطالي أي تدخل عسكري وشيك في ليبيا."),
]


def rss(items, encoding="utf-8", title="أخبار الاختبار") -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>http://example.test/{i}</link>"
        f"<description>{d}</description><pubDate>Tue, 02 Feb 2016 10:00:00 GMT</pubDate></item>"
        for i, (t, d) in enumerate(items)
    )
    xml = (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://example.test/</link>{body}</channel></rss>"
    )
    return xml.encode(encoding)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>x</title>
<item><title>&lol3;</title><description>&lol3;</description></item>
</channel></rss>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><title>t</title><description>&xxe;</description></item>
</channel></rss>"""
PAGE = (
    "<html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>خبر</title></head><body><article>"
    "<h1>اجتماع التحالف في روما</h1>"
    + "".join(
        f"<p>{d} وقال مسؤولون إن الاجتماع سيبحث تشكيل حكومة الوفاق الوطني في ليبيا.</p>" for _, d in ITEMS * 3
    )
    + "</article></body></html>"
).encode("utf-8")


RECORDS = json.dumps({"articles": [{"id": f"r{i}", "source": "wire", "text": d} for i, (_, d) in
                                    enumerate(ITEMS)]}, ensure_ascii=False).encode("utf-8")
RECORDS_JSONL = "".join(json.dumps({"id": f"l{i}", "text": d}, ensure_ascii=False) + "\n"
                        for i, (_, d) in enumerate(ITEMS)).encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    seen_agents: typing.ClassVar[list[str]] = []

    def do_GET(self):
        Handler.seen_agents.append(self.headers.get("user-agent", ""))
        routes = {
            "/feed.xml": ("application/rss+xml", rss(ITEMS)),
            "/feed-1256.xml": ("application/rss+xml", rss(ITEMS, "windows-1256")),
            "/bomb.xml": ("application/rss+xml", BOMB),
            "/xxe.xml": ("application/xml", XXE),
            "/page.html": ("text/html; charset=utf-8", PAGE),
            "/big.xml": ("application/rss+xml", rss(ITEMS * 4000)),
            "/records.json": ("application/json", RECORDS),
            "/records.jsonl": ("text/plain", RECORDS_JSONL),
        }
        if self.path == "/slow.xml":
            time.sleep(2)
        if self.path == "/trickle.xml":  # one byte at a time, each well within the read timeout
            data = rss(ITEMS)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            for i in range(min(len(data), 100)):  # ~10 s at most: bounded however the client does
                try:
                    self.wfile.write(data[i:i + 1])
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
            return
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/chunked-big":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(200):
                chunk = b"<!-- " + b"x" * 4000 + b" -->"
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        if self.path not in routes and self.path != "/slow.xml":
            self.send_error(404, "Not Found")
            return
        ctype, data = routes.get(self.path, ("application/rss+xml", rss(ITEMS)))
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.handle_error = lambda request, address: None  # a client that gave up (timeouts tested)
    Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture
def fetcher():
    f = Fetcher(timeout=0.5, max_bytes=200_000)
    yield f
    f.close()


def _articles(fetcher, url):
    skipped: list[InputError] = []
    return list(fetcher.articles(url, skipped.append)), skipped


def test_normal_feed_with_polite_user_agent(server, fetcher):
    arts, skipped = _articles(fetcher, f"{server}/feed.xml")
    assert [a.title for a in arts] == [t for t, _ in ITEMS] and not skipped
    assert "ليبيا" in arts[0].text
    assert Handler.seen_agents[-1] == user_agent()
    assert user_agent().startswith("riwaya/") and "(+https://github.com/riwaya)" in user_agent()


def test_windows_1256_feed_is_decoded(server, fetcher):
    arts, _ = _articles(fetcher, f"{server}/feed-1256.xml")
    assert [a.title for a in arts] == [t for t, _ in ITEMS]


def test_page_url_gives_one_article(server, fetcher):
    arts, _ = _articles(fetcher, f"{server}/page.html")
    assert len(arts) == 1 and "روما" in arts[0].text and arts[0].url == f"{server}/page.html"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/bomb.xml", "unsafe XML refused"),
        ("/xxe.xml", "unsafe XML refused"),
        ("/missing.xml", "HTTP 404"),
        ("/slow.xml", "timed out"),
        ("/big.xml", "response too large"),
        ("/chunked-big", "response too large"),
        ("/loop", "too many redirects"),
    ],
)
def test_bad_responses_are_one_clear_line(server, fetcher, path, message):
    with pytest.raises(InputError) as err:
        _articles(fetcher, f"{server}{path}")
    text = str(err.value)
    assert message in text and f"{server}{path}" in text and "\n" not in text


def test_unreachable_and_non_http(fetcher):
    with pytest.raises(FetchError, match="cannot fetch"):
        fetcher.fetch("http://127.0.0.1:9/feed.xml")
    with pytest.raises(FetchError, match="not an http"):
        fetcher.fetch("ftp://example.org/feed.xml")


def test_ingest_from_urls_stores_good_feeds_and_nothing_of_bad_ones(server, fetcher, tmp_path):
    store = open_store(tmp_path / "w.db")
    urls = [
        f"{server}{p}"
        for p in (
            "/feed.xml",
            "/bomb.xml",
            "/missing.xml",
            "/slow.xml",
            "/big.xml",
            "/feed-1256.xml",
            "/xxe.xml",
        )
    ]
    summary = fill(store, iter_sources(urls, fetcher))
    reasons = dict(summary.failed)
    assert summary.new == 2  # the windows-1256 feed carries the same two items: duplicates
    assert summary.duplicate == 2
    assert set(reasons) == {
        f"{server}{p}" for p in ("/bomb.xml", "/missing.xml", "/slow.xml", "/big.xml", "/xxe.xml")
    }
    counts = store.count()
    assert counts["articles"] == counts["analyses"] == 2
    assert not any("lol" in (a.text + (a.title or "")) for a in store.search(["lol"]))
    store.close()


def test_a_trickling_server_is_cut_off_at_the_deadline(server):
    fetcher = Fetcher(timeout=1.0, max_bytes=200_000)
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"trickle\.xml: too slow \(the response took over 1 s\)"):
        fetcher.fetch(f"{server}/trickle.xml")
    assert time.monotonic() - start < 3
    fetcher.close()


def test_json_urls_are_read_as_records_without_stray_log_lines(server, fetcher, caplog, capsys):
    import logging

    with caplog.at_level(logging.DEBUG):
        articles, skipped = _articles(fetcher, f"{server}/records.json")
        more, skipped_more = _articles(fetcher, f"{server}/records.jsonl")
    assert [a.id for a in articles] == ["r0", "r1"] and [a.id for a in more] == ["l0", "l1"]
    assert not skipped and not skipped_more
    assert all(a.url is None for a in articles + more)  # the records' own, not the JSON's URL
    assert not [r for r in caplog.records if r.name.startswith("trafilatura")]
