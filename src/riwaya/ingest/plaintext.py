"""Plain text articles: an optional headline line, the body, and a trailing credits line."""

from __future__ import annotations

import re

from riwaya.errors import InputError
from riwaya.ingest.fields import content_id
from riwaya.model import Article

# A last line such as "المصدر : الجزيرة + وكالات" or "Source: Reuters" (short, on its own line).
_CREDITS = re.compile(r"(?:^|\n)([ \t]*(?:المصدر|المصادر|مصدر|Sources?|SOURCES?)[ \t]*[:：][ \t]*"
                      r"[^\n]{1,150}?)[ \t\r]*$")
_SENTENCE_END = ("." , "!", "?", "؟", "…", ":", "؛", ";", "،", ",")
MAX_TITLE_CHARS = 150
MAX_TITLE_WORDS = 20


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n`` (a transport detail, not part of the text)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def split_credits(text: str) -> tuple[str, str | None]:
    """``(body, credits)``: a trailing source line is cut off; the body before it is unchanged
    except for trailing whitespace."""
    end = len(text.rstrip())
    m = _CREDITS.search(text, 0, end)
    if not m:
        return text, None
    return text[:m.start(1)].rstrip(), m.group(1).strip()


def headline(text: str) -> str | None:
    """The first line when it reads as a headline: short, no sentence-final punctuation, and
    followed by more text."""
    first, sep, rest = text.lstrip().partition("\n")
    first = first.strip()
    if not first or not sep or not rest.strip():
        return None
    if len(first) > MAX_TITLE_CHARS or len(first.split()) > MAX_TITLE_WORDS:
        return None
    if first.endswith(_SENTENCE_END):
        return None
    return first


def article_from_text(text: str, origin: str) -> Article:
    """An :class:`Article` from the decoded text of one file (credits and title split out)."""
    text = normalise_newlines(text)
    if not text.strip():
        raise InputError(origin, "no text (only whitespace)")
    body, credits = split_credits(text)
    if not body.strip():
        raise InputError(origin, "no text besides a credits line")
    return Article(id=content_id(body), text=body, title=headline(body), credits=credits,
                   origin=origin)
