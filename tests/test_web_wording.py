"""How the web app speaks: counts in Arabic and English agreement, every number and name isolated so
that bidi never reorders it, and a JSON API whose every response is documented in /openapi.json."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from _workspace import fill
from riwaya.model import Article
from riwaya.report.wording import count_ar_text, count_en
from riwaya.store import open_store
from riwaya.web.app import create_app


@pytest.mark.parametrize(("n", "text"), [
    (0, "0 مقالات"), (1, "مقال واحد"), (2, "مقالان"), (3, "3 مقالات"), (10, "10 مقالات"),
    (11, "11 مقالاً"), (99, "99 مقالاً"), (100, "100 مقال"), (103, "103 مقالات"), (250, "250 مقالاً"),
])
def test_arabic_counts_agree_with_the_number(n: int, text: str) -> None:
    assert count_ar_text(n, "article") == text


def test_feminine_nouns_and_english_counts() -> None:
    assert count_ar_text(1, "outlet") == "وسيلة واحدة" and count_ar_text(2, "outlet") == "وسيلتان"
    assert count_ar_text(12, "story") == "12 قصة"
    assert count_ar_text(2, "outlet", genitive=True) == "وسيلتين"
    assert count_ar_text(5, "outlet", genitive=True) == "5 وسائل"
    assert count_en(1, "outlet") == "1 outlet" and count_en(2, "story", "stories") == "2 stories"
    assert count_en(1200, "article") == "1,200 articles"


@pytest.fixture(scope="module")
def client(tmp_path_factory, story_paths):
    from riwaya.ingest import read

    db = tmp_path_factory.mktemp("wording") / "w.db"
    articles = list(read([str(p) for p in story_paths]))
    for a, name in zip(articles, ("sahil", "watan", "agency"), strict=True):
        a.source = name
    alone = Article(id="alone", text="خبر وحيد عن افتتاح مكتبة في سوسة.", source="sousse",
                    title="افتتاح مكتبة في سوسة", meta={"story": "s-alone"})
    with open_store(db) as store:
        fill(store, [*articles, alone])
    with TestClient(create_app(db), base_url="http://127.0.0.1") as c:
        yield c


def test_pages_count_in_arabic_without_1_plurals(client) -> None:
    listing = client.get("/?all=true").text
    assert "مقال واحد · وسيلة واحدة" in listing  # the one-article story
    assert "<bdi>3</bdi> مقالات · <bdi>3</bdi> وسائل" in listing
    for path in ("/?all=true", "/story/s-main", "/story/s-alone", "/outlet/sousse", "/search?q=مكتبة"):
        html = client.get(path).text
        assert not re.search(r"(?<![\d/])1 (مقالات|وسائل|قصص|نتيجة)", html), path
    assert "نتيجة واحدة" in client.get("/search?q=مكتبة").text


def test_numbers_in_running_text_are_isolated(client) -> None:
    story = client.get("/story/s-main").text
    assert re.search(r"ثقة <bdi>\d+٪</bdi>", story)
    assert re.search(r"النتائج \(<bdi>\d+</bdi>\)", story)
    outlet = client.get("/outlet/sousse").text
    assert "(<bdi>0٪</bdi>)" in outlet or "(<bdi>100٪</bdi>)" in outlet


def test_an_undated_story_shows_no_dangling_separator(client) -> None:
    for path in ("/?all=true", "/story/s-alone", "/article/alone"):
        html = client.get(path).text
        assert "<time></time>" not in html and '<span class="when"></span>' not in html, path
        assert not re.search(r"·\s*(·|</p>|</div>)", html), path


def test_openapi_documents_every_json_route_s_response(client) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    routes = {"/api/stories": "StoryList", "/api/stories/{story}": "StoryPage",
              "/api/articles/{article_id}": "ArticlePage", "/api/entities/{entity}": "EntityPage",
              "/api/outlets/{name}": "OutletPage", "/api/search": "SearchPage"}
    for path, model in routes.items():
        ok = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok == {"$ref": f"#/components/schemas/{model}"}, path
        assert schemas[model]["properties"], model
    finding = schemas["Finding"]["properties"]
    assert set(finding["kind"]["enum"]) >= {"contradiction", "agreement", "unique"}
    assert "evidence" in finding and "explanation_ar" in finding
    assert "404" in spec["paths"]["/api/stories/{story}"]["get"]["responses"]


def test_every_json_route_answers_in_its_documented_shape(client) -> None:
    from riwaya.web import schemas

    story = schemas.StoryPage.model_validate(client.get("/api/stories/s-main").json())
    assert story.comparison and story.comparison.findings and story.view.timeline
    article = story.articles[0].id
    assert schemas.ArticlePage.model_validate(client.get(f"/api/articles/{article}").json()).evidence
    entity = story.entities[0].id
    assert schemas.EntityPage.model_validate(client.get(f"/api/entities/{entity}").json()).stories
    assert schemas.OutletPage.model_validate(client.get("/api/outlets/sahil").json()).articles == 1
    found = schemas.SearchPage.model_validate(client.get("/api/search", params={"q": "نابل"}).json())
    assert found.results and all(r.snippet.hits for r in found.results)
    assert schemas.StoryList.model_validate(client.get("/api/stories?all=true").json()).stories


def test_the_story_list_says_how_many_stories_there_are(client) -> None:
    data = client.get("/api/stories", params={"all": "true"}).json()
    assert (data["total"], data["first"], len(data["stories"])) == (2, 1, 2)
    assert '<p class="meta">قصتان</p>' in client.get("/?all=true").text


def test_an_article_id_in_a_story_url_links_the_article_and_its_story(client) -> None:
    r = client.get("/story/alone")
    assert r.status_code == 404
    assert "an article, not a story" in r.text
    assert 'href="/story/s-alone"' in r.text and 'href="/article/alone"' in r.text
    api = client.get("/api/stories/alone")
    assert api.status_code == 404
    assert api.json()["detail"] == "alone: not a story but an article of story s-alone"
