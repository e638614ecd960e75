"""Bytes to text: BOMs, UTF-8, legacy Arabic code pages (windows-1256, ISO-8859-6), then a guess.

UTF-8 is always preferred when the bytes are valid UTF-8. Legacy Arabic bytes are decoded with
whichever of windows-1256 and ISO-8859-6 reads as more plausible Arabic; anything else is read
as windows-1252 when it looks like Western European text, else by charset-normalizer. Bytes that
are mostly valid UTF-8 with a few bad sequences are reported as undecodable rather than silently
read as mojibake.
"""

from __future__ import annotations

import codecs
import re

from riwaya.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALIASES = {
    "windows-1256": "cp1256", "cp1256": "cp1256", "x-cp1256": "cp1256",
    "iso-8859-6": "iso-8859-6", "iso8859-6": "iso-8859-6", "iso_8859-6": "iso-8859-6",
    "arabic": "iso-8859-6", "asmo-708": "iso-8859-6",
}
_ARABIC_LETTER = re.compile(r"[\u0621-\u063A\u0641-\u064A]")
_ARABIC_WORD = re.compile(r"[\u0621-\u063A\u0641-\u064A]{2,}")
# Characters a legacy Arabic page hardly ever holds but a wrong code page produces.
_IMPLAUSIBLE = re.compile(r"[\u0080-\u009F\u00C0-\u00FF\u0152\u0153\u0192\u02C6\u2020\u2021\u2030"
                          r"\u2039\u203A\uFFFD]|(?<![\u0621-\u064A\u0640])[\u064B-\u0652]")
_CONTROL = re.compile(r"[\x00-\x08\x0B\x0E-\x1F\x7F]")
_UTF8_MULTIBYTE = re.compile(rb"[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}")
_CHARSET_DECL = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


def is_binary(head: bytes) -> bool:
    """True for bytes that are no text in any encoding we read (checked on the first few KB)."""
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32 or b == 127)
    return controls > max(8, len(head) // 100)


def declared_encoding(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first 2 KB, if Python knows it."""
    head = data[:2048]
    m = _XML_DECL.search(head) or _CHARSET_DECL.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    name = _ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    # base64, rot13, zlib ... are codecs too, but not text encodings a page could declare
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _arabic_score(text: str) -> float:
    """How plausible ``text`` is as Arabic: Arabic words minus impossible characters, per char."""
    words = sum(len(w) for w in _ARABIC_WORD.findall(text))
    bad = len(_IMPLAUSIBLE.findall(text)) + len(_CONTROL.findall(text))
    return (words - 5 * bad) / max(1, len(text))


def decode(data: bytes, origin: str, *, declared: str | None = None) -> str:
    """Decode ``data`` read from ``origin``; :class:`InputError` when no encoding fits."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name)
            except UnicodeDecodeError as exc:
                raise InputError(origin, f"undecodable bytes ({name} with a BOM, but {exc.reason} "
                                         f"at byte {exc.start + len(bom)})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if is_binary(data[:8192]):
        raise InputError(origin, "binary file, not text")
    # Mostly valid UTF-8 with a few broken sequences: corrupt, not a legacy code page.
    valid = len(_UTF8_MULTIBYTE.findall(data))
    if valid >= 8 and valid >= 4 * _count_invalid_utf8(data):
        raise InputError(origin, f"undecodable bytes (invalid UTF-8: {utf8_error.reason} "
                                 f"at byte {utf8_error.start})")
    if declared and declared not in ("utf-8", "ascii"):
        try:
            return data.decode(declared)
        except (UnicodeError, LookupError):  # idna, punycode ... raise UnicodeError itself
            pass
    candidates: list[tuple[float, str]] = []
    for name in ("cp1256", "iso-8859-6"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        candidates.append((_arabic_score(text), text))
    if candidates:
        score, text = max(candidates, key=lambda c: c[0])
        if score > 0.3:
            return text
    latin = _western(data)
    return latin if latin is not None else _guess(data, origin)


_WESTERN = re.compile(r"[^\x00-\x7F\u00A0-\u00FF\u2018-\u201E\u2013\u2014\u2026\u20AC\u2022]")


def _western(data: bytes) -> str | None:
    """windows-1252 (a superset of Latin-1) when every non-ASCII character it gives is a Latin-1
    letter or common typography: the usual legacy encoding of European news."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if _WESTERN.search(text) or _CONTROL.search(text):
        return None
    letters = sum(c.isalpha() for c in text)
    accented = sum(c.isalpha() for c in text if ord(c) > 127)
    return text if accented <= 0.3 * letters else None  # else another script's bytes


def _count_invalid_utf8(data: bytes) -> int:
    return data.decode("utf-8", "replace").count("\ufffd")


def _guess(data: bytes, origin: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.3:
        raise InputError(origin, "undecodable bytes (not UTF-8, UTF-16, windows-1256, ISO-8859-6 "
                                 "or another encoding that could be recognised)")
    return str(best)
