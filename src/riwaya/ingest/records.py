"""JSON and JSON Lines records (the ``../shared/data/corpus`` format) to articles.

A record is an object with ``text`` (or ``body``/``content``) and optionally ``id``, ``source``,
``url``, ``published``, ``title``, ``author``, ``credits``, ``language``; other keys go to
``Article.meta``. JSON Lines are streamed one line at a time, so the size limit applies to each
record, not to the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import IO, Any

from riwaya.errors import InputError
from riwaya.ingest.fields import clean_field, content_id, parse_datetime
from riwaya.model import Article

_KNOWN = frozenset({"id", "text", "body", "content", "title", "source", "url", "author",
                    "published", "credits", "language", "lang"})
_UTF8_BOM = b"\xef\xbb\xbf"


MAX_DEPTH = 32  # nesting levels of a record's values (deeper: a hostile record, refused)
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_record(rec: dict, origin: str) -> None:
    """Refuse a record nested deeper than :data:`MAX_DEPTH` or holding a lone surrogate
    (``"\\ud800"`` escaped in JSON is no character: it cannot be stored nor printed)."""
    stack: list[tuple[Any, str, int]] = [(rec, "", 0)]
    while stack:
        value, field, depth = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                name = f'"{field}"' if field else "a key"
                raise InputError(origin, f"{name} holds a lone surrogate escape (\\ud800-\\udfff), "
                                         "not valid Unicode")
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise InputError(origin, f"record nested more than {MAX_DEPTH} levels deep")
            items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
            for k, v in items:
                if k is not None:
                    stack.append((k, "", depth + 1))
                stack.append((v, field or (k if isinstance(k, str) else ""), depth + 1))


def article_from_record(rec: Any, origin: str) -> Article:
    """An :class:`Article` from one decoded JSON record; :class:`InputError` if it holds none."""
    if not isinstance(rec, dict):
        raise InputError(origin, f"expected a JSON object, got {type(rec).__name__}")
    check_record(rec, origin)
    text = rec.get("text")
    if text is None:
        text = rec.get("body", rec.get("content"))
    if not isinstance(text, str):
        raise InputError(origin, 'no "text" field' if text is None else '"text" is not a string')
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A record with an empty body (a photo story, a dead link) is still an article of the
    # collection: kept, with no sentences.
    rid = rec.get("id")
    extra = rec.keys() - _KNOWN
    meta = {k: rec[k] for k in extra} if extra else {}
    published = rec.get("published")
    when = parse_datetime(published) if published is not None else None
    if published and when is None:
        meta["published_raw"] = published
    return Article(
        id=str(rid) if rid not in (None, "") else content_id(text),
        text=text,
        title=clean_field(_str(rec.get("title"))),
        source=clean_field(_str(rec.get("source"))),
        url=_str(rec.get("url")),
        author=clean_field(_str(rec.get("author"))),
        published=when,
        credits=_str(rec.get("credits")),
        language=_str(rec.get("language") or rec.get("lang")),
        origin=origin,
        meta=meta,
    )


def _str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def read_jsonl(stream: IO[bytes], origin: str, max_bytes: int,
               skip: Callable[[InputError], None]) -> Iterator[Article]:
    """Stream articles from JSON Lines; a bad line is passed to ``skip`` as ``origin:LINE``."""
    readline = stream.readline
    limit = max_bytes + 1
    lineno = 0
    while True:
        line = readline(limit)
        if not line:
            return
        lineno += 1
        if len(line) == limit and not line.endswith(b"\n"):
            while (rest := readline(limit)) and not rest.endswith(b"\n"):
                pass
            skip(InputError(f"{origin}:{lineno}", f"record over the size limit of {max_bytes:,} bytes"))
            continue
        if lineno == 1 and line.startswith(_UTF8_BOM):
            line = line[3:]
        if not line.isspace():
            article = _line_article(line, f"{origin}:{lineno}", skip)
            if article is not None:
                yield article


def _line_article(line: bytes | str, where: str,
                  skip: Callable[[InputError], None]) -> Article | None:
    try:
        return article_from_record(json.loads(line), where)
    except UnicodeDecodeError as exc:
        skip(InputError(where, f"bad JSON (not UTF-8: {exc.reason})"))
    except InputError as err:
        skip(err)
    except ValueError as exc:
        skip(InputError(where, f"bad JSON ({_json_reason(exc)})"))
    except RecursionError:
        skip(InputError(where, "bad JSON (nested too deep)"))
    return None


def read_json(text: str, origin: str, skip: Callable[[InputError], None]) -> Iterator[Article]:
    """Articles from one JSON document: a record, a list of records, or ``{"articles": [...]}``."""
    try:
        doc = json.loads(text)
    except RecursionError:
        raise InputError(origin, "bad JSON (nested too deep)") from None
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data" or exc.lineno < 2:
            raise InputError(origin, f"bad JSON ({_json_reason(exc)})") from None
        # JSON Lines under a .json name
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.strip() and (article := _line_article(line, f"{origin}:{lineno}", skip)):
                yield article
        return
    if isinstance(doc, dict):
        items = next((doc[k] for k in ("articles", "items", "data")
                      if isinstance(doc.get(k), list) and not isinstance(doc.get("text"), str)),
                     None)
        if items is None:
            yield article_from_record(doc, origin)
            return
    elif isinstance(doc, list):
        items = doc
    else:
        raise InputError(origin, "expected a JSON object or a list of objects")
    if not items:
        raise InputError(origin, "no records in the JSON list")
    for i, rec in enumerate(items):
        try:
            yield article_from_record(rec, f"{origin}[{i}]")
        except InputError as err:
            skip(err)


def _json_reason(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        msg = exc.msg.removesuffix(" at")  # "Unterminated string starting at"
        return f"{msg} at line {exc.lineno} column {exc.colno}" if exc.lineno > 1 else \
            f"{msg} at column {exc.colno}"
    return str(exc)
