"""HTML pages: the article body and metadata, by trafilatura (an extractor made for news)."""

from __future__ import annotations

import logging
from typing import Any

from riwaya.errors import InputError
from riwaya.ingest.decode import declared_encoding, decode
from riwaya.ingest.fields import clean_field, content_id, parse_datetime
from riwaya.ingest.plaintext import normalise_newlines, split_credits
from riwaya.model import Article


def article_from_html(data: bytes, origin: str) -> Article:
    """An :class:`Article` from the bytes of one HTML page."""
    import trafilatura

    page = decode(data, origin, declared=declared_encoding(data))
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its own reasons, one line below
    doc: Any = None  # a trafilatura Document (a dict only with as_dict=True)
    for recall in (False, True):
        doc = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False,
                                          favor_recall=recall)
        if doc is not None and (doc.text or "").strip():
            break
    if doc is None or not (doc.text or "").strip():
        raise InputError(origin, "no article text found in the HTML page")
    body, credits = split_credits(normalise_newlines(doc.text).strip())
    meta = {k: v for k, v in (("description", doc.description), ("hostname", doc.hostname))
            if v}
    return Article(
        id=content_id(body), text=body, title=clean_field(doc.title),
        source=clean_field(doc.sitename or doc.hostname), url=doc.url or None,
        author=clean_field(doc.author), published=parse_datetime(doc.date), credits=credits,
        language=doc.language or None, origin=origin, meta=meta,
    )
