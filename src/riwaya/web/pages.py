"""What each page shows, as plain data read from the store (the JSON API returns the same)."""

from __future__ import annotations

import re
from typing import Any

from riwaya.model import Article, to_dict
from riwaya.store.base import Store
from riwaya.text import match_keys

PAGE_SIZE = 50
MAX_PAGE = 100_000  # pages past the last are empty; past this, their offset would overflow SQLite
FINDINGS_PER_KIND = 50  # a story page lists at most this many findings of each kind
SOURCE_KINDS = ("named_person", "organization", "media", "anonymous", "unattributed")


def article_dict(a: Article, with_text: bool = False) -> dict[str, Any]:
    d = {
        "id": a.id,
        "source": a.source,
        "outlet": a.outlet,
        "title": a.title,
        "url": a.url,
        "author": a.author,
        "published": a.published.isoformat() if a.published else None,
        "credits": a.credits,
    }
    if with_text:
        d["text"] = a.text
    return d


def story_list(
    store: Store,
    *,
    sort: str = "newest",
    exclude: list[str] | None = None,
    page: int = 1,
    show_all: bool = False,
    outlet: str | None = None,
    entity: str | None = None,
    since: str | None = None,
) -> dict[str, Any]:
    page = min(max(1, page), MAX_PAGE)
    filters: dict[str, Any] = {"exclude": exclude, "min_articles": 1 if show_all else 2, "outlet": outlet,
                               "entity": entity, "since": since}
    rows = store.list_stories(sort=sort, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE, **filters)
    more = len(rows) > PAGE_SIZE
    total = store.count_stories(**filters) if more or page > 1 else len(rows)
    return {
        "stories": [to_dict(r) for r in rows[:PAGE_SIZE]],
        "page": page,
        "first": (page - 1) * PAGE_SIZE + 1,
        "total": total,
        "more": more,
        "sort": sort,
        "exclude": exclude or [],
        "all": show_all,
    }


def story_page(store: Store, story: str, rendered: bool = False) -> dict[str, Any] | None:
    """A story's page data; with ``rendered``, its comparison part as the store keeps it rendered
    (``"fragment"``, when this riwaya rendered it: :mod:`riwaya.web.render`) instead of the data."""
    stored = store.story(story, fragment=rendered)
    if stored is None:
        return None
    if rendered:
        from riwaya.web.render import stored_html

        html = stored_html(stored.get("fragment"))
        if html is not None:
            return {"summary": to_dict(stored["summary"]), "articles": stored["articles"],
                    "carried_by": stored.get("carried_by", {}), "entities": stored["entities"],
                    "fragment": html, "comparison": None, "omitted": {}, "view": {}}
        if "fragment" in stored:  # another version's: the comparison itself, rendered live
            stored = store.story(story) or stored
    comparison, omitted = shown_findings(stored.get("comparison"))
    return {
        "summary": to_dict(stored["summary"]),
        "articles": stored["articles"],
        "carried_by": stored.get("carried_by", {}),
        "entities": stored["entities"],
        "comparison": comparison,
        "omitted": omitted,
        "view": stored.get("view") or {},
    }


def shown_findings(comparison: dict[str, Any] | None) -> tuple[dict[str, Any] | None, dict[str, int]]:
    """The comparison with at most :data:`FINDINGS_PER_KIND` findings of each kind (the first,
    as stored, and any the summary cites) and how many of each kind were left out."""
    if not comparison:
        return comparison, {}
    cited = {f for s in comparison.get("summary", []) for f in s.get("findings", [])}
    kept: list[dict[str, Any]] = []
    omitted: dict[str, int] = {}
    seen: dict[str, int] = {}
    for f in comparison.get("findings", []):
        seen[f["kind"]] = seen.get(f["kind"], 0) + 1
        if seen[f["kind"]] <= FINDINGS_PER_KIND or f["id"] in cited:
            kept.append(f)
        else:
            omitted[f["kind"]] = omitted.get(f["kind"], 0) + 1
    return {**comparison, "findings": kept}, omitted


def article_page(store: Store, article_id: str) -> dict[str, Any] | None:
    article = store.article(article_id)
    if article is None:
        return None
    story = store.article_story(article_id)
    evidence = []
    if story:
        stored = store.story(story) or {}
        for f in (stored.get("comparison") or {}).get("findings", []):
            for e in f["evidence"]:
                if e["article"] == article_id:
                    evidence.append({**e, "finding": f["id"], "kind": f["kind"]})
    return {"article": article_dict(article, with_text=True), "story": story,
            "opinion": _opinion(article), "evidence": evidence}


def _opinion(article: Article) -> bool:
    """Whether the article reads as an opinion piece (the model the story index asks)."""
    from riwaya.models.genre import is_opinion
    from riwaya.text import build_document

    return is_opinion(build_document(article))


def search_page(store: Store, query: str, limit: int = PAGE_SIZE) -> dict[str, Any]:
    keys = match_keys(query) if query.strip() else []
    hits = store.search(keys, limit=limit)
    wanted = set(keys)
    results = []
    for a in hits:
        results.append(
            {**article_dict(a), "story": store.article_story(a.id), "snippet": _snippet(a, wanted)}
        )
    return {"query": query, "keys": keys, "results": results}


# A sentence or so: up to a full stop, question mark or line end, at most 600 characters.
_PIECE = re.compile(r"[^\n.!?؟]{0,600}[\n.!?؟]*")


def _snippet(article: Article, keys: set[str]) -> dict[str, Any]:
    """The first sentence holding a query key, with the matching tokens' spans.

    The text is read a sentence or so at a time (:data:`_PIECE`) and the search stops at the
    first hit: most hits are in the lead, and a search page makes fifty snippets.
    """
    from riwaya.text import build_document
    from riwaya.text.document import MAX_CHARS

    text = article.text
    for m in _PIECE.finditer(text, 0, min(len(text), MAX_CHARS)):
        at = m.start()
        doc = build_document(Article(id=article.id, text=m.group()))
        for i, s in enumerate(doc.sentences):
            hits = [(at + t.start, at + t.end) for t in doc.sentence_tokens(i) if t.key in keys]
            if hits:
                start = at + s.start
                end = min(at + s.end, start + 400)
                return {
                    "start": start,
                    "end": end,
                    "text": text[start:end],
                    "hits": [(a, b) for a, b in hits if b <= end],
                }
    start, end = 0, min(len(article.text), 300)
    return {"start": start, "end": end, "text": article.text[start:end], "hits": []}


def outlet_page(store: Store, name: str) -> dict[str, Any] | None:
    data = store.outlet(name)
    if data is None:
        return None
    sourcing = {k: int(data["sourcing"].get(k, 0)) for k in SOURCE_KINDS}
    total = sum(sourcing.values())
    return {
        **data,
        "recent": [to_dict(r) for r in data["recent"]],
        "sourcing": sourcing,
        "claims": total,
        "alone_share": data["alone_stories"] / data["stories"] if data["stories"] else 0.0,
    }


def entity_page(store: Store, entity: str) -> dict[str, Any] | None:
    data = store.entity(entity)
    if data is None:
        return None
    return {**data, "stories": [to_dict(s) for s in data["stories"]]}
