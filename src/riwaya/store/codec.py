"""Analyses and comparisons to and from JSON: the store's on-disk form of the data model.

``to_dict`` (from :mod:`riwaya.model`) gives plain data; :func:`from_dict` rebuilds any model
dataclass from it, field by field, from the dataclass's type hints, so fields added to the model
later (with defaults) round-trip without touching this module. Tokens are stored as compact rows
(``[start, end, kind, key, stem, prefix, suffix]``) and the article's text is kept once, in the
article row, not again inside its analysis.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
import zlib
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

from riwaya import model
from riwaya.model import Analysis, Article, Comparison, Document, StoryComparison, Token, to_dict

T = TypeVar("T")
CODEC_VERSION = 1
_TOKEN_FIELDS = ("start", "end", "kind", "key", "stem", "prefix", "suffix")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        for arg in args:  # the first type the value fits
            if _fits(arg, value):
                return _convert(arg, value)
        return value
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        return [_convert(item, v) for v in value]
    if origin is dict:
        return dict(value)
    if origin is typing.Literal or tp is Any:
        return value
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value)
    if tp is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    if tp is date and isinstance(value, str):
        return date.fromisoformat(value)
    return value


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
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)


# --------------------------------------------------------------------------- articles
def article_to_dict(article: Article) -> dict[str, Any]:
    return to_dict(article)


def article_from_dict(data: dict[str, Any]) -> Article:
    return from_dict(Article, data)


# --------------------------------------------------------------------------- analyses
def analysis_to_dict(analysis: Analysis, *, with_article: bool = True) -> dict[str, Any]:
    """Plain data for an analysis; tokens as compact rows, the article optional."""
    doc = analysis.document
    out: dict[str, Any] = {"codec": CODEC_VERSION}
    if with_article:
        out["article"] = to_dict(doc.article)
    out["sentences"] = to_dict(doc.sentences)
    out["segments"] = to_dict(doc.segments)
    out["tokens"] = [[getattr(t, f) for f in _TOKEN_FIELDS] for t in doc.tokens]
    for f in dataclasses.fields(Analysis):
        if f.name != "document":
            out[f.name] = to_dict(getattr(analysis, f.name))
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
def pack(data: Any) -> bytes:
    """Compact JSON, zlib-compressed."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return zlib.compress(raw, 6)


def unpack(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))
