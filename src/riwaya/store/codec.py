"""Analyses and comparisons to and from JSON: the store's on-disk form of the data model.

``to_dict`` (from :mod:`riwaya.model`) gives plain data; :func:`from_dict` rebuilds any model
dataclass from it, field by field, from the dataclass's type hints, so fields added to the model
later (with defaults) round-trip without touching this module. Tokens are stored as compact rows
(``[start, end, kind, key, stem, prefix, suffix]``) and the article's text is kept once, in the
article row, not again inside its analysis.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import operator
import types
import typing
import zlib
from collections.abc import Hashable
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar, cast

from riwaya import model
from riwaya.model import Analysis, Article, Comparison, Document, StoryComparison, Token, to_dict

T = TypeVar("T")
CODEC_VERSION = 1
_TOKEN_FIELDS = ("start", "end", "kind", "key", "stem", "prefix", "suffix")
_token_row = operator.attrgetter(*_TOKEN_FIELDS)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def _convert(tp: Any, value: Any) -> Any:
    return _converter(tp)(value)


def _same(value: Any) -> Any:
    return value


_CONVERTERS: dict[Any, Any] = {}


def _converter(tp: Any):
    """A function rebuilding a value of type ``tp`` from plain data, made once per type."""
    try:
        return _CONVERTERS[tp]
    except (KeyError, TypeError):
        pass
    conv = _make_converter(tp)
    with contextlib.suppress(TypeError):  # an unhashable hint: not cached
        _CONVERTERS[tp] = conv
    return conv


def _make_converter(tp: Any):
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]

        def union(value: Any) -> Any:
            if value is None:
                return None
            for arg in args:  # the first type the value fits
                if _fits(arg, value):
                    return _converter(arg)(value)
            return value

        return union
    if origin is list:
        (item_tp,) = typing.get_args(tp) or (Any,)
        item = _converter(item_tp)
        if item is _same:
            return lambda value: None if value is None else list(value)
        return lambda value: None if value is None else [item(v) for v in value]
    if origin is dict:
        return lambda value: None if value is None else dict(value)
    if origin is tuple:  # JSON gives lists: a span (furniture) compared with tuples must be one
        return lambda value: None if value is None else tuple(value)
    if origin is typing.Literal or tp is Any:
        return _same
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return lambda value: None if value is None else from_dict(tp, value)
    if tp is datetime:
        return lambda value: datetime.fromisoformat(value) if isinstance(value, str) else value
    if tp is date:
        return lambda value: date.fromisoformat(value) if isinstance(value, str) else value
    return _same


def _fits(tp: Any, value: Any) -> bool:
    origin = typing.get_origin(tp)
    if origin is list:
        return isinstance(value, list)
    if origin is dict or dataclasses.is_dataclass(tp):
        return isinstance(value, dict)
    if tp in (datetime, date):
        return isinstance(value, str)
    if origin is typing.Literal or tp is Any:
        return True
    if tp is float:
        return isinstance(value, int | float)
    return isinstance(tp, type) and isinstance(value, tp)


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild dataclass ``cls`` from the plain data :func:`riwaya.model.to_dict` made.

    Unknown keys are ignored (data written by a newer version); missing ones take defaults.
    """
    converters: tuple[tuple[str, Any], ...] = _field_converters(cast(Hashable, cls))
    return cls(**{name: conv(data[name]) for name, conv in converters if name in data})


@cache
def _field_converters(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = _hints(cls)
    return tuple((f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls))


# --------------------------------------------------------------------------- articles
def article_to_dict(article: Article) -> dict[str, Any]:
    return to_dict(article)


def article_from_dict(data: dict[str, Any]) -> Article:
    return from_dict(Article, data)


# --------------------------------------------------------------------------- plain data, fast
_PRIMITIVE = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def plain(obj: Any) -> Any:
    """What :func:`riwaya.model.to_dict` gives, with each dataclass's field names looked up once
    (encoding a stored analysis walks some 10^5 objects: this halves the time)."""
    t = type(obj)
    if t in _PRIMITIVE:
        return obj
    if t is list or t is tuple:
        return [plain(x) for x in obj]
    names = _FIELD_NAMES.get(t)
    if names is None and dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = _FIELD_NAMES[t] = tuple(f.name for f in dataclasses.fields(obj))
    if names is not None:
        return {n: plain(getattr(obj, n)) for n in names}
    if t is dict:
        return {str(k): plain(v) for k, v in obj.items()}
    return to_dict(obj)


# --------------------------------------------------------------------------- analyses
def analysis_to_dict(analysis: Analysis, *, with_article: bool = True) -> dict[str, Any]:
    """Plain data for an analysis; tokens as compact rows, the article optional."""
    doc = analysis.document
    out: dict[str, Any] = {"codec": CODEC_VERSION}
    if with_article:
        out["article"] = plain(doc.article)
    out["sentences"] = plain(doc.sentences)
    out["segments"] = plain(doc.segments)
    out["tokens"] = list(map(_token_row, doc.tokens))  # (tuples: JSON arrays all the same)
    if doc.furniture:  # page furniture and the outlet's template: what comparisons must not read
        out["furniture"] = [list(span) for span in doc.furniture]
    if doc.analysed_to is not None:
        out["analysed_to"] = doc.analysed_to
    for f in dataclasses.fields(Analysis):
        if f.name != "document":
            out[f.name] = plain(getattr(analysis, f.name))
    return out


def analysis_from_dict(data: dict[str, Any], article: Article | None = None) -> Analysis:
    """Rebuild an analysis; ``article`` is required when the data was stored without it."""
    if article is None:
        if "article" not in data:
            raise ValueError("analysis stored without its article: pass the article")
        article = article_from_dict(data["article"])
    hints = _hints(model.Document)
    tokens = [Token(*row) for row in data.get("tokens", [])]
    document = Document(
        article=article,
        sentences=_convert(hints["sentences"], data.get("sentences", [])),
        tokens=tokens,
        segments=_convert(hints["segments"], data.get("segments", [])),
        furniture=[(int(s), int(e)) for s, e in data.get("furniture", [])],
        analysed_to=data.get("analysed_to"),
    )
    ahints = _hints(Analysis)
    kwargs = {
        f.name: _convert(ahints[f.name], data[f.name])
        for f in dataclasses.fields(Analysis)
        if f.name != "document" and f.name in data
    }
    return Analysis(document=document, **kwargs)


def encode_analysis(analysis: Analysis) -> bytes:
    """Compressed JSON of an analysis without its article (the store keeps the article once)."""
    return pack(analysis_to_dict(analysis, with_article=False))


def decode_analysis(blob: bytes, article: Article) -> Analysis:
    return analysis_from_dict(unpack(blob), article)


# --------------------------------------------------------------------------- comparisons
def story_comparison_from_dict(data: dict[str, Any]) -> StoryComparison:
    return from_dict(StoryComparison, data)


def comparison_from_dict(data: dict[str, Any], analyses: list[Analysis] | None = None) -> Comparison:
    """A comparison from its plain data; analyses are not in the data, pass them if needed."""
    stories = [story_comparison_from_dict(s) for s in data.get("stories", [])]
    return Comparison(analyses=analyses or [], stories=stories, set_aside=list(data.get("set_aside", [])))


# --------------------------------------------------------------------------- bytes
PACK_LEVEL = 1  # 3x faster to write than level 6 for ~25 % more bytes; reading is the same


def pack(data: Any) -> bytes:
    """Compact JSON, zlib-compressed."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return zlib.compress(raw, PACK_LEVEL)


def unpack(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))
