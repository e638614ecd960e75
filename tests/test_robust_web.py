"""The web app under careless or hostile use: URL story ids, binding and Host checks, HEAD,
absurd page numbers, token schemes."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from riwaya.cli import main
from riwaya.web.app import create_app, is_loopback

TEXT_A = ("قال وزير الخارجية الإيطالي باولو جنتيلوني إن المحادثات بين الأطراف الليبية في روما ستستمر غدا، "
          "وأضاف أن الاجتماع المقبل سيعقد في تونس بحضور ممثلين عن الأمم المتحدة.")
TEXT_B = ("أكد وزير الخارجية الإيطالي باولو جنتيلوني أن المحادثات بين الأطراف الليبية في روما ستتواصل غدا، "
          "مشيرا إلى أن الاجتماع المقبل سيعقد في تونس بحضور ممثلين عن الأمم المتحدة.")
FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>wordpress-outlet</title>
<item><title>محادثات روما</title><guid>https://news.example.org/?p=101</guid>
<link>https://news.example.org/2016/02/02/rome-talks/</link><pubDate>Tue, 02 Feb 2016 10:00:00 GMT</pubDate>
<description>{TEXT_A}</description></item>
<item><title>محادثات روما تتواصل</title><guid>https://news.example.org/?p=102</guid>
<link>https://news.example.org/2016/02/02/rome-talks-2/</link><pubDate>Tue, 02 Feb 2016 12:00:00 GMT</pubDate>
<description>{TEXT_B}</description></item>
</channel></rss>"""


@pytest.fixture(scope="module")
def feed_store(tmp_path_factory):
    """A store filled by `riwaya ingest` from a WordPress-like feed (URL guids)."""
    tmp = tmp_path_factory.mktemp("feed")
    (tmp / "feed.xml").write_text(FEED, encoding="utf-8")
    db = tmp / "w.db"
    assert main(["ingest", str(tmp / "feed.xml"), "--db", str(db), "--workers", "1"]) == 0
    return db


@pytest.fixture(scope="module")
def client(feed_store):
    with TestClient(create_app(feed_store), base_url="http://127.0.0.1") as c:
        yield c


def test_stories_with_url_ids_are_reachable(client):
    stories = client.get("/api/stories", params={"all": "true"}).json()["stories"]
    assert stories and any("/" in s["id"] for s in stories)
    for s in stories:
        assert client.get(f"/story/{quote(s['id'], safe='')}").status_code == 200, s["id"]
        data = client.get(f"/api/stories/{quote(s['id'], safe='')}").json()
        assert data["summary"]["id"] == s["id"]
    # and every story link the list page gives leads to its page
    page = client.get("/?all=true").text
    links = {unescape(h) for h in re.findall(r'href="(/story/[^"#]+)"', page)}
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_an_empty_host_binds_everywhere_so_it_is_not_loopback():
    assert not is_loopback("")
    assert not is_loopback("0.0.0.0") and not is_loopback("::")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")


def test_serve_on_every_interface_without_a_token_is_refused(feed_store, capsys, monkeypatch):
    import uvicorn

    served = []
    def bound(self, sockets=None):  # the socket is bound, but nothing is served here
        served.append(sockets[0].getsockname())

    monkeypatch.setattr(uvicorn.Server, "run", bound)
    assert main(["serve", "--db", str(feed_store), "--host", ""]) == 2
    assert "requires --token" in capsys.readouterr().err and not served
    assert main(["serve", "--db", str(feed_store), "--port", "0"]) == 0
    assert served and served[0][0] == "127.0.0.1"


def test_without_a_token_only_local_host_names_are_answered(feed_store):
    with TestClient(create_app(feed_store), base_url="http://127.0.0.1") as c:
        assert c.get("/", headers={"host": "attacker.example"}).status_code == 421
        assert c.get("/api/stories", headers={"host": "attacker.example:8000"}).status_code == 421
        for host in ("localhost:8000", "127.0.0.1", "[::1]:8000"):
            assert c.get("/", headers={"host": host}).status_code == 200, host
    with TestClient(create_app(feed_store, token="s3cret"), base_url="http://desk.example") as c:
        assert c.get("/", headers={"authorization": "Bearer s3cret"}).status_code == 200


def test_head_is_answered_like_get_without_a_body(client):
    get = client.get("/")
    head = client.head("/")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-security-policy"]
    assert client.head("/api/stories").status_code == 200
    assert client.head("/story/nope").status_code == 404


@pytest.mark.parametrize("page", ["1000000000000000000", "99999999999999999999999", "100001"])
def test_an_absurd_page_number_is_an_empty_page(client, page):
    assert client.get("/", params={"page": page}).status_code == 200
    r = client.get("/api/stories", params={"page": page})
    assert r.status_code == 200 and r.json()["stories"] == []


def test_the_bearer_scheme_is_case_insensitive(feed_store):
    with TestClient(create_app(feed_store, token="s3cret"), base_url="http://127.0.0.1") as c:
        for scheme in ("Bearer", "bearer", "BEARER"):
            assert c.get("/api/stories", headers={"authorization": f"{scheme} s3cret"}).status_code == 200
        assert c.get("/api/stories", headers={"authorization": "bearer wrong"}).status_code == 401
        assert c.get("/api/stories", headers={"authorization": "Basic s3cret"}).status_code == 401


def test_kept_pages_follow_the_store_as_ingest_writes(tmp_path):
    """The page cache answers repeated requests from memory, and never a page the store has
    since changed under it."""
    from _workspace import fill
    from riwaya.model import Article
    from riwaya.store import open_store

    db = tmp_path / "w.db"
    writer = open_store(db)
    fill(writer, [Article("a1", TEXT_A, source="one")])
    app = create_app(db)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        first = c.get("/api/stories", params={"all": "true"}).json()
        assert c.get("/api/stories", params={"all": "true"}).json() == first
        assert app.state.pages.hits >= 1
        fill(writer, [Article("a2", TEXT_B, source="two")])
        after = c.get("/api/stories", params={"all": "true"}).json()
        assert after != first
        assert after["stories"][0]["n_articles"] == 2
    writer.close()
