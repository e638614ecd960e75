"""Fetching feeds and pages over HTTP, politely and within limits.

A deadline for the whole response (a server sending a byte a second is cut off too), a size
limit enforced while streaming, a bounded number of redirects, a user agent
that names riwaya, and one clear line for every failure (404, timeout, oversized, bad XML).
The bytes are handed to the ingest readers (``riwaya.ingest.read`` fetches the URLs it is given
through here, within the same ``max_bytes`` as files); nothing here parses articles itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx

from riwaya import __version__
from riwaya.errors import InputError
from riwaya.ingest import MAX_BYTES, sniff
from riwaya.ingest.sources import is_url
from riwaya.model import Article

TIMEOUT = 20.0
MAX_REDIRECTS = 5
_FEED_TYPES = ("rss", "atom", "xml", "rdf")


class FetchError(InputError):
    """A URL could not be fetched; the message names the URL and the problem."""


def user_agent() -> str:
    return f"riwaya/{__version__} (+https://github.com/riwaya)"


@dataclass
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str | None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


@dataclass
class Fetcher:
    """An HTTP client with riwaya's limits; remembers validators to re-poll feeds cheaply."""

    timeout: float = TIMEOUT
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    _validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    _client: httpx.Client | None = None

    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=True,
                max_redirects=self.max_redirects,
                headers={
                    "User-Agent": user_agent(),
                    "Accept": "application/rss+xml, application/atom+xml, application/xml, text/xml,"
                    " text/html;q=0.9, */*;q=0.5",
                },
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def fetch(self, url: str) -> Fetched:
        if not is_url(url):
            raise FetchError(url, "not an http(s) URL")
        headers = {}
        etag, modified = self._validators.get(url, (None, None))
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        deadline = time.monotonic() + self.timeout  # for the whole response, not each read
        try:
            with self.client().stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Fetched(str(response.url), b"", None, etag, modified, not_modified=True)
                if response.status_code >= 400:
                    raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}".strip())
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(
                        url, f"response too large ({int(declared):,} bytes; limit {self.max_bytes:,})"
                    )
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    if time.monotonic() > deadline:  # a server trickling bytes to keep us waiting
                        raise FetchError(url, f"too slow (the response took over {self.timeout:g} s)")
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(url, f"response too large (over the {self.max_bytes:,}-byte limit)")
                    chunks.append(chunk)
                fetched = Fetched(
                    str(response.url),
                    b"".join(chunks),
                    response.headers.get("content-type"),
                    response.headers.get("etag"),
                    response.headers.get("last-modified"),
                )
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out (no answer within {self.timeout:g} s)") from None
        except httpx.TooManyRedirects:
            raise FetchError(url, f"too many redirects (more than {self.max_redirects})") from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"cannot fetch ({type(exc).__name__}: {exc})") from None
        if not fetched.data:
            raise FetchError(url, "empty response")
        self._validators[url] = (fetched.etag, fetched.last_modified)
        return fetched

    def articles(self, url: str, skip: Callable[[InputError], None]) -> Iterator[Article]:
        """The articles of a feed or page URL (nothing when a re-polled feed has not changed)."""
        fetched = self.fetch(url)
        if fetched.not_modified:
            return
        page = not (looks_like_feed(fetched.data, fetched.content_type)
                    or looks_like_json(fetched.data, fetched.content_type))
        for article in articles_from_bytes(fetched.data, url, fetched.content_type, skip):
            if not article.url and fetched.url and page:
                article.url = fetched.url
            yield article


def looks_like_feed(data: bytes, content_type: str | None) -> bool:
    ctype = (content_type or "").split(";")[0].strip().lower()
    if any(t in ctype for t in _FEED_TYPES):
        return True
    if "html" in ctype:
        return False
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf"))


def looks_like_json(data: bytes, content_type: str | None) -> bool:
    """JSON or JSON Lines records (by the declared type, else by the first bytes)."""
    return "json" in (content_type or "").lower() or sniff(data[:4096]) in ("json", "jsonl")


def articles_from_bytes(
    data: bytes, origin: str, content_type: str | None, skip: Callable[[InputError], None]
) -> Iterator[Article]:
    """Hand fetched bytes to the ingest readers: a feed's entries, JSON records, or one page's
    article."""
    if looks_like_feed(data, content_type):
        from riwaya.ingest.feeds import read_feed

        yield from read_feed(data, origin, skip)
    elif looks_like_json(data, content_type):
        from riwaya.ingest.decode import decode
        from riwaya.ingest.records import read_json

        yield from read_json(decode(data, origin), origin, skip)
    else:
        from riwaya.ingest.webpage import article_from_html

        article = article_from_html(data, origin)
        if not article.url:
            article.url = origin
        yield article
