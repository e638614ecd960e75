"""The web app in headless Chromium (Debian's, driven by Playwright): list, story, evidence, search,
and every page at a phone's width (420 px) without overflow.

Screenshots go to ``test-artifacts/`` for a person to look at. Skipped when Chromium or
Playwright is not installed (``RIWAYA_BROWSER=1 scripts/setup.sh`` installs both).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from _workspace import HOSTILE_TEXT, fill
from riwaya.model import Article

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def _chromium() -> str | None:
    for path in (os.environ.get("CHROMIUM_PATH"), "/usr/lib/chromium/chromium", shutil.which("chromium")):
        if path and Path(path).exists():
            return path
    return None


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, story_paths):
    uvicorn = pytest.importorskip("uvicorn")
    from riwaya.ingest import read
    from riwaya.store import open_store
    from riwaya.web.app import create_app

    db = tmp_path_factory.mktemp("browser") / "w.db"
    store = open_store(db)
    seeds = list(read([str(p) for p in story_paths]))
    seeds[0].source, seeds[1].source = "akhbar-alhadath", "aljazeera"
    seeds[2].credits = None  # named by its file: 000_c30c670de5ae5a37, as the seeds' outlet was
    seeds[2].origin = "archive/000_c30c670de5ae5a37.txt"
    fill(
        store,
        [
            *seeds,
            Article(  # what breaks narrow layouts: a long outlet name, unbroken URLs and ids
                id="long-" + "x" * 60,
                text="نشرت الوكالة التقرير على الرابط https://example.org/" + "a" * 90 + " صباح اليوم.",
                title="تقرير https://example.org/" + "b" * 70,
                source="وكالة الأنباء الرسمية للجمهورية التونسية + وكالات",
                url="https://example.org/" + "c" * 80,
                meta={"story": "s-long"},
            ),
            Article(
                id="hostile",
                text=HOSTILE_TEXT,
                title="<script>alert(1)</script>",
                source="test",
                meta={"story": "s-hostile"},
            ),
        ],
    )
    store.close()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


@pytest.fixture(scope="module")
def page(base_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    path = _chromium()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ar")
        pg = context.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
        pg.errors = errors
        yield pg
        browser.close()


def test_story_list_story_evidence_and_search(page, base_url):
    page.goto(base_url + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.screenshot(path=str(ARTIFACTS / "web-1-stories.png"), full_page=True)

    page.locator("li.story a.label").first.click()
    page.wait_for_url("**/story/**")
    assert page.locator("article.finding").count() >= 2
    page.screenshot(path=str(ARTIFACTS / "web-2-story.png"), full_page=True)

    evidence = page.locator("article.finding a.evlink").first
    href = evidence.get_attribute("href")
    evidence.click()
    page.wait_for_url("**/article/**")
    anchor = href.split("#", 1)[1]
    mark = page.locator(f"mark#{anchor}")
    assert mark.count() == 1 and mark.is_visible()
    assert page.evaluate("location.hash") == "#" + anchor
    page.screenshot(path=str(ARTIFACTS / "web-3-evidence.png"))

    page.fill("input[name=q]", "بالفيضانات")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?**")
    assert page.locator("ol.results > li").count() >= 2
    assert page.locator(".snippet mark").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "web-4-search.png"), full_page=True)
    assert not page.errors


def test_hostile_article_stays_inert_in_the_browser(page, base_url):
    page.goto(base_url + "/article/hostile")
    body = page.locator("div.text").inner_text()
    assert "<script>alert('xss')</script>" in body  # shown as text, not run
    assert page.locator("div.text script, div.text img").count() == 0
    page.screenshot(path=str(ARTIFACTS / "web-5-hostile.png"))
    assert not page.errors


# Every element's box must lie within the viewport, except inside a container that scrolls
# sideways on purpose (the outlet x claim table).
OVERFLOW = """() => {
  const w = document.documentElement.clientWidth;
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    if (e.closest(".scroll") && !e.classList.contains("scroll")) continue;
    const r = e.getBoundingClientRect();
    if (r.width && r.height && (r.right > w + 1 || r.left < -1)) {
      out.push(`${e.tagName.toLowerCase()}.${e.className}: ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
  }
  return {width: w, scroll: document.documentElement.scrollWidth, out: out.slice(0, 8)};
}"""


def test_every_page_fits_a_phone_without_clipping(page, base_url):
    """At 420 px no page scrolls sideways and no line runs past either edge (in right-to-left
    text the start of a line is on the right: an overflow there clips what is read first)."""
    stories = page.context.request.get(base_url + "/api/stories?all=true").json()["stories"]
    story = next(s for s in stories if s["n_articles"] > 1)["id"]
    detail = page.context.request.get(base_url + f"/api/stories/{story}").json()
    long_id, long_outlet = "long-" + "x" * 60, "وكالة الأنباء الرسمية للجمهورية التونسية + وكالات"
    paths = ["/", "/?all=true", f"/story/{story}", "/search?q=نابل", "/search?q=الوكالة", "/article/hostile",
             f"/article/{long_id}", "/story/s-long", f"/outlet/{long_outlet}",
             *(f"/article/{a['id']}" for a in detail["articles"][:2]),
             *(f"/outlet/{a['outlet']}" for a in detail["articles"]),
             *(f"/entity/{e['id']}" for e in detail["entities"][:2]), "/story/nothing"]
    page.set_viewport_size({"width": 420, "height": 900})
    try:
        for n, path in enumerate(paths):
            page.goto(base_url + path)
            found = page.evaluate(OVERFLOW)
            page.screenshot(path=str(ARTIFACTS / f"web-420-{n}.png"), full_page=True)
            assert found["scroll"] <= found["width"] and not found["out"], (path, found)
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})
    assert not [e for e in page.errors if "404" not in e]  # /story/nothing is a 404 page on purpose
    page.errors.clear()


def test_the_html_report_fits_a_phone_without_clipping(page, story_paths, tmp_path):
    """The standalone report, opened on a phone from a shared drive or a mail: at 420 px nothing
    runs past either edge, the long outlet name and unbroken URL of a wire copy included."""
    import riwaya
    from riwaya.report import render

    examples = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))
    long_name = Article(id="long-" + "x" * 60, source="وكالة الأنباء الرسمية للجمهورية التونسية + وكالات",
                        url="https://example.org/" + "c" * 80,
                        text=examples[1].read_text(encoding="utf-8"))
    cases = {"examples": [*riwaya.read([str(p) for p in examples]), long_name],
             "floods": list(riwaya.read([str(p) for p in story_paths]))}
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if seeds.is_dir():
        cases["seeds"] = list(riwaya.read(sorted(str(p) for p in seeds.glob("*.txt"))))
    page.set_viewport_size({"width": 420, "height": 900})
    try:
        for name, articles in cases.items():
            report = tmp_path / f"{name}.html"
            report.write_text(render(riwaya.compare(articles), "html"), encoding="utf-8")
            page.goto(report.as_uri())
            found = page.evaluate(OVERFLOW)
            page.screenshot(path=str(ARTIFACTS / f"report-420-{name}.png"), full_page=True)
            assert found["scroll"] <= found["width"] and not found["out"], (name, found)
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})
