"""``riwaya serve``: the workspace as a read-only web app (server-rendered, RTL, no JavaScript).

Every HTML page has a JSON twin under ``/api`` (described at ``/openapi.json``). Safety: all
article text is escaped with bidi controls neutralised, a strict Content-Security-Policy is sent,
only GET is served, and a token (``--token`` / ``RIWAYA_TOKEN``) is checked on every request when
one is configured — required when binding beyond localhost.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from riwaya import __version__
from riwaya.store import Store, open_store
from riwaya.web import pages, schemas
from riwaya.web.cache import Page, PageCache
from riwaya.web.render import environment
from riwaya.web.safety import Mark, highlight

HERE = Path(__file__).parent
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such story, article, entity or outlet"}
}


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` serves this machine only (``""`` binds every interface: no)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The name in a Host header, without its port (``[::1]:8000`` → ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _token_of(request: Request) -> str:
    """The token a request carries: ``Authorization: Bearer …`` (any case), cookie or query."""
    scheme, _, credentials = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.cookies.get("riwaya_token", "") or request.query_params.get("token", "")


def create_app(
    db: str | Path | None = None, *, token: str | None = None, store: Store | None = None
) -> FastAPI:
    """The app over a store (opened read-only from ``db`` unless one is given)."""
    store = store or open_store(db or "riwaya.db", read_only=True)
    env = environment()
    _warm_text_layer()
    app = FastAPI(
        title="riwaya workspace",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        description="Stories, comparisons, entities and outlets of a riwaya workspace (read-only).",
    )
    app.state.store = store
    pages_cache = app.state.pages = PageCache()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        response: Response
        if token is None and not is_loopback(host_name(request.headers.get("host", ""))):
            # without a token the app serves this machine only: a page on another site whose
            # name is made to resolve to 127.0.0.1 (DNS rebinding) sends its own name as Host
            response = JSONResponse({"detail": "this workspace answers to localhost only"}, status_code=421)
            response.headers.update(HEADERS)
            return response
        if token is not None and not hmac.compare_digest(_token_of(request).encode(), token.encode()):
            response = JSONResponse({"detail": "a valid token is required"}, status_code=401)
            response.headers.update(HEADERS)
            return response
        head = request.method == "HEAD"
        if request.method not in ("GET", "HEAD"):
            response = JSONResponse({"detail": "this workspace is read-only"}, status_code=405)
        else:
            if head:  # answered as GET, without the body
                request.scope["method"] = "GET"
            response = await _cached(request, call_next)
            if token is not None and request.query_params.get("token"):
                response.set_cookie("riwaya_token", token, httponly=True, samesite="strict")
        response.headers.update(HEADERS)
        if head:
            bare = Response(b"", status_code=response.status_code)
            bare.raw_headers = response.raw_headers
            return bare
        return response

    rendering: dict[tuple[str, object], asyncio.Event] = {}

    async def _cached(request: Request, call_next: Any) -> Response:
        """The page from the cache while the store is unchanged, else rendered (and kept); a
        page already being rendered for another reader is waited for, not rendered again."""
        version = store.version()
        key = request.url.path + "?" + request.url.query
        page = pages_cache.get(key, version) if version is not None else None
        if page is None and version is not None and (key, version) in rendering:
            await rendering[key, version].wait()
            page = pages_cache.get(key, version)
        if page is None:
            done = rendering.setdefault((key, version), asyncio.Event())
            try:
                response = await call_next(request)
                body = b"".join([chunk async for chunk in response.body_iterator])
                page = Page(response.status_code, list(response.raw_headers), body)
                if version is not None and response.status_code == 200:
                    pages_cache.put(key, version, page)
            finally:
                done.set()
                rendering.pop((key, version), None)
        fresh = Response(page.body, status_code=page.status)
        fresh.raw_headers = list(page.headers)
        return fresh

    def render(_template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(_template).render(**ctx), status_code=status)

    def not_found(what: str) -> HTMLResponse:
        return render("error.html", status=404, message=f"{what}: غير موجود / not found")

    # ------------------------------------------------------------------ HTML pages
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories(
        sort: str = "newest",
        exclude: list[str] = Query(default=[]),  # noqa: B008
        page: int = 1,
        all: bool = False,
    ) -> HTMLResponse:
        if sort not in ("newest", "contested", "largest"):
            sort = "newest"
        data = pages.story_list(store, sort=sort, exclude=exclude, page=page, show_all=all)
        return render("stories.html", **data, outlets=store.outlets())

    @app.get("/story/{story:path}", response_class=HTMLResponse, include_in_schema=False)
    def story(story: str) -> HTMLResponse:
        data = pages.story_page(store, story, rendered=True)
        if data:
            return render("story.html", **data)
        owner = store.article_story(story) if store.article(story) else None
        if owner:  # an article's id where a story's was expected: say so, and link both
            return render("error.html", status=404, message=f"{story}: مقال لا قصة / an article, not a story",
                          links=[(f"/article/{quote(story, safe='')}", "المقال"),
                                 (f"/story/{quote(owner, safe='')}", "قصته")])
        return not_found(story)

    @app.get("/article/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article(article_id: str) -> HTMLResponse:
        data = pages.article_page(store, article_id)
        if data is None:
            return not_found(article_id)
        story = data["story"]
        spans = [
            Mark(e["start"], e["end"], f"e-{e['start']}-{e['end']}",
                 f"/story/{quote(story, safe='')}#f-{e['finding']}")
            for e in data["evidence"]
        ]
        return render("article.html", **data, body=highlight(data["article"]["text"], spans))

    @app.get("/entity/{entity:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity(entity: str) -> HTMLResponse:
        data = pages.entity_page(store, entity)
        return render("entity.html", **data) if data else not_found(entity)

    @app.get("/outlet/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet(name: str) -> HTMLResponse:
        data = pages.outlet_page(store, name)
        return render("outlet.html", **data) if data else not_found(name)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(q: str = "") -> HTMLResponse:
        data = pages.search_page(store, q[:500])
        for r in data["results"]:
            s = r["snippet"]
            r["snippet_html"] = highlight(
                s["text"], [Mark(a - s["start"], b - s["start"], f"h-{a}") for a, b in s["hits"]]
            )
        return render("search.html", **data)

    # ------------------------------------------------------------------ JSON API
    @app.get("/api/stories", tags=["stories"], summary="Stories, newest or most contested first",
             response_model=schemas.StoryList)
    def api_stories(
        sort: str = Query("newest", pattern="^(newest|contested|largest)$"),
        exclude: list[str] = Query(default=[]),  # noqa: B008
        page: int = Query(1, ge=1),
        all: bool = False,
        outlet: str | None = None,
        entity: str | None = None,
        since: str | None = None,
    ) -> dict[str, Any]:
        return pages.story_list(
            store,
            sort=sort,
            exclude=exclude,
            page=page,
            show_all=all,
            outlet=outlet,
            entity=entity,
            since=since,
        )

    @app.get(
        "/api/stories/{story:path}", tags=["stories"],
        summary="A story's stored comparison, timeline, matrix",
        response_model=schemas.StoryPage, responses=NOT_FOUND,
    )
    def api_story(story: str) -> dict[str, Any]:
        data = pages.story_page(store, story)
        if data is None and store.article(story) is not None:
            raise HTTPException(status_code=404, detail=f"{story}: not a story but an article of story "
                                                        f"{store.article_story(story)}")
        return _found(data, story)

    @app.get(
        "/api/articles/{article_id:path}", tags=["articles"], summary="An article with its evidence spans",
        response_model=schemas.ArticlePage, responses=NOT_FOUND,
    )
    def api_article(article_id: str) -> dict[str, Any]:
        return _found(pages.article_page(store, article_id), article_id)

    @app.get("/api/entities/{entity:path}", tags=["entities"], summary="Stories and outlets naming an entity",
             response_model=schemas.EntityPage, responses=NOT_FOUND)
    def api_entity(entity: str) -> dict[str, Any]:
        return _found(pages.entity_page(store, entity), entity)

    @app.get("/api/outlets/{name:path}", tags=["outlets"], summary="An outlet's stories and sourcing",
             response_model=schemas.OutletPage, responses=NOT_FOUND)
    def api_outlet(name: str) -> dict[str, Any]:
        return _found(pages.outlet_page(store, name), name)

    @app.get("/api/search", tags=["search"], summary="Full-text search over matching keys",
             response_model=schemas.SearchPage)
    def api_search(q: str = Query(..., max_length=500)) -> dict[str, Any]:
        return pages.search_page(store, q)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, Any]:
        return {"ok": True, **store.count()}

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg")

    return app


def app_from_env() -> FastAPI:
    """The app of ``riwaya serve --workers N``, made in each server process from
    ``RIWAYA_SERVE_DB`` and ``RIWAYA_TOKEN``."""
    import os

    return create_app(os.environ["RIWAYA_SERVE_DB"], token=os.environ.get("RIWAYA_TOKEN") or None)


def _warm_text_layer() -> None:
    """Load the text layer's lexicons and language detector now, not during the first search
    (seconds, while every other request waits)."""
    from riwaya.model import Article
    from riwaya.text import build_document

    build_document(Article("warm-up", "قال الوزير إن الاجتماع انتهى في روما. The meeting ended in Rome."))


def _found(data: dict[str, Any] | None, what: str) -> dict[str, Any]:
    if data is None:
        raise HTTPException(status_code=404, detail=f"{what}: not found")
    return data
