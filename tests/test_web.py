"""The web app through FastAPI's TestClient: every page, the JSON API, safety headers, tokens."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from _workspace import HOSTILE_TEXT, fill
from riwaya.model import Article
from riwaya.store import open_store
from riwaya.web.app import CSP, create_app

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def workspace(request, tmp_path_factory, story_paths) -> str:
    """A store of three articles (one hostile): every page test runs on SQLite and PostgreSQL."""
    from riwaya.ingest import read

    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("web") / "w.db")
    else:
        db = request.getfixturevalue("postgres").new_database()
    store = open_store(db)
    seeds = list(read([str(p) for p in story_paths[:2]]))
    seeds[0].source, seeds[1].source = "sahil-outlet", "watan"
    hostile = Article(
        id="hostile<script>",
        text=HOSTILE_TEXT,
        title="عنوان <script>alert(1)</script>\u202e",
        source="evil\u202e<b>outlet</b>",
        url="javascript:alert(1)",
    )
    fill(store, [*seeds, hostile])
    store.close()
    return db


@pytest.fixture(scope="module")
def client(workspace):
    with TestClient(create_app(workspace), base_url="http://127.0.0.1") as c:
        yield c


def _pages(client) -> list[str]:
    stored = client.get("/api/stories/s-main").json()
    art_ids = [a["id"] for a in stored["articles"]]
    outlets = sorted({a["source"] for a in stored["articles"]})
    return [
        "/",
        "/?sort=contested",
        "/?all=true",
        "/story/s-main",
        "/search?q=نابل",
        "/search?q=script",
        *(f"/entity/{e['id']}" for e in stored["entities"]),
        *(f"/article/{a}" for a in art_ids),
        *(f"/outlet/{o}" for o in outlets),
    ]


def test_every_page_renders_rtl_with_csp(client):
    for path in _pages(client):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff"
        assert '<html lang="ar" dir="rtl">' in r.text


def test_script_and_bidi_overrides_are_inert_in_every_page(client):
    for path in _pages(client):
        html = client.get(path).text
        assert "<script" not in html.lower(), path
        assert "<img" not in html.lower(), path
        assert "<b>outlet" not in html, path
        assert not BIDI.search(html), path
        assert 'href="javascript:' not in html, path
    assert "&lt;script&gt;alert(" in client.get("/article/hostile<script>").text


def test_story_page_shows_findings_evidence_timeline_and_matrix(client):
    html = client.get("/story/s-main").text
    for part in ('id="f-f0"', "تناقض", "التسلسل الزمني", "الوسائل × الادعاءات", "watan", "sahil-outlet"):
        assert part in html
    link = re.search(r'href="(/article/[^"#]+)#(e-\d+-\d+)"', html)
    assert link, "a finding links to its evidence"
    article = client.get(link.group(1)).text
    assert f'id="{link.group(2)}"' in article
    assert "<mark" in article


def test_story_list_sorts_and_excludes_an_outlet(client):
    html = client.get("/").text
    assert "/story/s-main" in html
    assert "/story/s-main" in client.get("/?exclude=watan").text  # other outlets remain
    data = client.get(
        "/api/stories", params={"exclude": ["watan", "sahil-outlet", "evil\u202e<b>outlet</b>"]}
    )
    assert data.json()["stories"] == []


def test_entity_and_outlet_pages(client):
    story = client.get("/api/stories/s-main").json()
    nabeul = next(e["id"] for e in story["entities"] if e["name"] == "نابل")
    ent = client.get(f"/api/entities/{nabeul}").json()
    assert ent["stories"] and ent["names"]
    outlet = client.get("/api/outlets/watan").json()
    assert outlet["articles"] == 1 and set(outlet["sourcing"]) >= {"named_person", "anonymous"}
    assert "استبعاد هذه الوسيلة" in client.get("/outlet/watan").text
    assert client.get("/outlet/nobody").status_code == 404
    assert client.get("/api/stories/nope").status_code == 404


def test_search_in_arabic_ignores_diacritics_and_clitics(client):
    plain = client.get("/api/search", params={"q": "فيضانات"}).json()["results"]
    marked = client.get("/api/search", params={"q": "بالفَيَضاناتِ"}).json()["results"]
    assert len(plain) == 2 and {r["id"] for r in plain} == {r["id"] for r in marked}
    assert "<mark" in client.get("/search", params={"q": "للفيضانات"}).text


def test_api_mirrors_pages_with_openapi(client):
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/stories",
        "/api/stories/{story}",
        "/api/articles/{article_id}",
        "/api/entities/{entity}",
        "/api/outlets/{name}",
        "/api/search",
    ):
        assert path in spec["paths"], path
    story = client.get("/api/stories/s-main").json()
    assert story["comparison"]["findings"] and story["view"]["timeline"]
    art = client.get("/api/articles/hostile<script>").json()
    assert art["article"]["text"] == HOSTILE_TEXT  # the API returns the text exactly; pages neutralise it


def test_read_only(client):
    assert client.post("/api/stories").status_code == 405
    assert client.delete("/story/s-main").status_code == 405


def test_token_is_checked_on_every_request(workspace):
    with TestClient(create_app(workspace, token="s3cret")) as c:
        for path in ("/", "/api/stories", "/openapi.json", "/static/style.css"):
            assert c.get(path).status_code == 401, path
        assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/?token=s3cret").status_code == 200
        assert c.get("/api/stories").status_code == 200  # the cookie set by ?token= is enough


def test_serve_beyond_localhost_needs_a_token(workspace, tmp_path, capsys, monkeypatch):
    from riwaya.cli import main

    monkeypatch.delenv("RIWAYA_TOKEN", raising=False)
    assert main(["serve", "--db", str(workspace), "--host", "0.0.0.0"]) == 2
    assert "requires --token" in capsys.readouterr().err
    assert main(["serve", "--db", str(tmp_path / "missing.db")]) == 2
    assert "no such store" in capsys.readouterr().err


def test_a_story_page_lists_at_most_fifty_findings_of_a_kind():
    from riwaya.web.pages import FINDINGS_PER_KIND, shown_findings

    many = [{"id": f"n{i}", "kind": "numeric_discrepancy"} for i in range(FINDINGS_PER_KIND + 30)]
    comparison = {"findings": [{"id": "a", "kind": "agreement"}, *many],
                  "summary": [{"findings": ["n70"]}]}
    shown, omitted = shown_findings(comparison)
    ids = [f["id"] for f in shown["findings"]]
    assert ids[:2] == ["a", "n0"] and "n70" in ids  # the summary's citations stay reachable
    assert omitted == {"numeric_discrepancy": 29} and len(ids) == 1 + FINDINGS_PER_KIND + 1


def test_articles_without_a_source_link_to_their_outlet_pages(tmp_path, db, story_paths):
    """Articles as read from text files (no source), one without a credits line: the story page
    names them by credits line and by file name, and every outlet link on it and on their
    article pages opens that outlet's page."""
    from riwaya.ingest import read

    uncredited = tmp_path / "000_c30c670de5ae5a37.txt"  # a file-stem outlet name
    uncredited.write_text(story_paths[1].read_text(encoding="utf-8").rsplit("المصدر", 1)[0],
                          encoding="utf-8")
    store = open_store(db)
    fill(store, list(read([str(story_paths[0]), str(uncredited)])))
    store.close()
    with TestClient(create_app(db), base_url="http://127.0.0.1") as c:
        story = c.get("/story/s-main").text
        links = set(re.findall(r'href="(/outlet/[^"]+)"', story))
        for art in {a["id"] for a in c.get("/api/stories/s-main").json()["articles"]}:
            links |= set(re.findall(r'href="(/outlet/[^"]+)"', c.get(f"/article/{art}").text))
        assert len(links) == 2
        for link in links:
            assert c.get(link).status_code == 200, link
        assert "صحيفة الساحل اليوم" in story and "000_c30c670de5ae5a37" in story


def test_a_story_page_shows_its_stored_fragment_as_a_live_render_would(workspace, tmp_path):
    """The comparison part rendered when the findings were computed (riwaya.web.render) is what
    the page renders from the stored comparison itself: a store without it (or with another
    version's) shows the same page."""
    import shutil
    import sqlite3

    store = open_store(workspace, read_only=True)
    stored = store.story("s-main", fragment=True)
    assert stored is not None and "comparison" not in stored and stored["fragment"]["html"]
    store.close()
    with TestClient(create_app(workspace), base_url="http://127.0.0.1") as c:
        with_fragment = c.get("/story/s-main").text
    from riwaya.store import codec
    from riwaya.store.postgres import is_url

    assert 'id="f-' in with_fragment and "التسلسل الزمني" in with_fragment
    if is_url(workspace):  # (the live render is one code for both: checked on a copy of the file)
        return
    stale = codec.pack({"stamp": "another version", "html": "<p>stale</p>"})
    for page in (None, stale):
        old = tmp_path / "old.db"
        shutil.copy(workspace, old)
        with sqlite3.connect(old) as conn:
            conn.execute("UPDATE comparisons SET page = ?", (page,))
        with TestClient(create_app(old), base_url="http://127.0.0.1") as c:
            assert c.get("/story/s-main").text == with_fragment


def test_a_fragment_of_another_template_is_not_shown():
    from riwaya.web import render

    stored = render.fragment({"findings": [], "summary": [], "story": {"articles": []}}, {})
    assert render.stored_html(stored) is not None
    assert render.stored_html({**stored, "stamp": "other"}) is None
