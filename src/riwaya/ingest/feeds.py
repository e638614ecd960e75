"""RSS 2.0 and Atom feed files: one article per entry, parsed safely.

The bytes are first parsed with defusedxml, which refuses entity declarations (the "billion
laughs" bomb) and external entities, and only then handed to feedparser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from riwaya.errors import InputError
from riwaya.ingest.decode import declared_encoding, decode
from riwaya.ingest.fields import clean_field, content_id, plausible
from riwaya.ingest.htmltext import html_to_text
from riwaya.ingest.plaintext import split_credits
from riwaya.model import Article

_EMAIL_NAME = re.compile(r"^\s*[^\s@()]+@[^\s()]+\s*\((.+)\)\s*$")
_FEED_ROOTS = {"rss", "feed", "RDF", "channel"}


def check_feed_xml(data: bytes, origin: str) -> None:
    """Refuse unsafe or malformed XML and XML that is not a feed."""
    import defusedxml
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(data)
    except defusedxml.DefusedXmlException as exc:
        raise InputError(origin, f"unsafe XML refused ({type(exc).__name__}: entity declarations "
                                 "and external references are not allowed)") from None
    except ElementTree.ParseError as exc:
        raise InputError(origin, f"malformed feed (XML error: {exc})") from None
    except (ValueError, LookupError) as exc:  # a declared encoding expat cannot use (idna ...)
        raise InputError(origin, f"malformed feed (unusable encoding: {exc})") from None
    local = root.tag.rsplit("}", 1)[-1] if isinstance(root.tag, str) else ""
    if local not in _FEED_ROOTS:
        raise InputError(origin, f"not an RSS or Atom feed (root element <{local}>)")


def _undeclared_to_utf8(data: bytes, origin: str) -> bytes:
    """XML in a legacy encoding it does not declare (XML then means UTF-8): decoded by
    detection and re-encoded as UTF-8, so that the parsers read it."""
    if declared_encoding(data) or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        return decode(data, origin).encode("utf-8")


def read_feed(data: bytes, origin: str, skip: Callable[[InputError], None]) -> Iterator[Article]:
    """Articles from the entries of an RSS or Atom feed (HTML in entries stripped to text)."""
    import feedparser

    data = _undeclared_to_utf8(data, origin)
    check_feed_xml(data, origin)
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:
        raise InputError(origin, "feed has no entries")
    outlet = clean_field(_plain(parsed.feed.get("title_detail")))
    for i, entry in enumerate(parsed.entries):
        where = f"{origin}[{i}]"
        body = _entry_text(entry)
        if not body:
            skip(InputError(where, "feed entry has no text"))
            continue
        body, credits = split_credits(body)
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        yield Article(
            id=entry.get("id") or entry.get("link") or content_id(body),
            text=body,
            title=clean_field(_plain(entry.get("title_detail"))),
            source=outlet,
            url=entry.get("link") or None,
            author=_author(entry.get("author")),
            published=_entry_time(when),
            credits=credits,
            language=_lang(entry) or _lang(parsed.feed),
            origin=where,
        )


def _entry_time(when: Any) -> datetime | None:
    """An entry's parsed time (a ``time.struct_time``), None where it is absent or implausible."""
    if not when:
        return None
    try:
        year, month, day, hour, minute, second = when[:6]
        return plausible(datetime(year, month, day, hour, minute, second, tzinfo=UTC))
    except (TypeError, ValueError, OverflowError):
        return None


def _entry_text(entry: Any) -> str:
    for detail in entry.get("content") or []:
        text = _plain(detail)
        if text:
            return text
    return _plain(entry.get("summary_detail"))


def _plain(detail: Any) -> str:
    """The text of a feedparser text construct, HTML stripped when it is HTML."""
    if not detail or not detail.get("value"):
        return ""
    value = detail["value"]
    if "html" in (detail.get("type") or ""):
        return html_to_text(value)
    return "\n".join(line.strip() for line in value.strip().splitlines() if line.strip())


def _author(value: str | None) -> str | None:
    """RSS's ``email (Name)`` reduced to the name (feedparser's own split garbles Arabic)."""
    if not value:
        return None
    m = _EMAIL_NAME.match(value)
    return m.group(1).strip() if m else value.strip()


def _lang(obj: Any) -> str | None:
    lang = obj.get("language") or (obj.get("title_detail") or {}).get("language")
    return lang.split("-")[0].lower() if lang else None
