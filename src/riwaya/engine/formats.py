"""One analysis as a JSON object, a JSON line, or a row of a Parquet table.

The JSON forms are what ``riwaya analyze --format json|jsonl`` prints (every engine writes the same
bytes). The Parquet row holds one article: its fields as columns, and the text layer's sentences
and segments and every extractor's annotations (entities, mentions, quotes, quantities, dates,
cues, claims) as nested columns (lists of structs) typed from :mod:`riwaya.model`, so that every
partition of a dataset has the same schema and pandas, duckdb and Spark read it as one table.
Tokens are left out of the table (their spans and keys are most of an analysis's bytes and no
notebook reads them); ``meta`` is a JSON text; times are ISO text as in the JSON.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any, Literal, Union

from riwaya import model
from riwaya.model import Analysis, to_dict

PARQUET_SCHEMA_VERSION = "1"
# Columns of the Parquet row: the article's fields, then these of the Document and the Analysis.
DOCUMENT_COLUMNS = ("sentences", "segments", "furniture", "analysed_to")
ANALYSIS_COLUMNS = ("entities", "mentions", "quotes", "quantities", "dates", "cues", "claims", "dateline")


def analysis_dict(analysis: Analysis) -> dict[str, Any]:
    """:func:`riwaya.model.to_dict` of an analysis, with the text of each sentence and segment
    added beside its span for readers (tokens stay spans only)."""
    data = to_dict(analysis)
    text = analysis.document.text
    doc = data["document"]
    for unit in (*doc["sentences"], *doc["segments"]):
        unit["text"] = text[unit["start"]:unit["end"]]
    return data


def json_line(analysis: Analysis) -> str:
    """The analysis as one line of ``--format jsonl`` (newline included)."""
    return json.dumps(analysis_dict(analysis), ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- Parquet
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def _arrow_type(hint: Any) -> Any:
    """The Arrow type of a field of the data model."""
    import pyarrow as pa

    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _arrow_type(args[0]) if len(args) == 1 else pa.string()
    if origin is Literal or hint is str:
        return pa.string()
    if hint is bool:
        return pa.bool_()
    if hint is int:
        return pa.int64()
    if hint is float:
        return pa.float64()
    if hint in (datetime, date):
        return pa.string()  # ISO text, as in the JSON: times keep their own offset (or none)
    if origin in (list, tuple):  # a list of spans, or a span (start, end) as a list of two
        return pa.list_(_arrow_type(typing.get_args(hint)[0]))
    if dataclasses.is_dataclass(hint):
        return pa.struct([pa.field(name, _arrow_type(h)) for name, h in _fields(hint)])
    return pa.string()  # dicts and anything else: JSON text


def _fields(cls: Any) -> list[tuple[str, Any]]:
    hints = _hints(cls)
    return [(f.name, hints[f.name]) for f in dataclasses.fields(cls)]


@cache
def _columns() -> tuple[tuple[str, Any], ...]:
    """The row's columns and the model types they come from."""
    article = _fields(model.Article)
    document = dict(_fields(model.Document))
    analysis = dict(_fields(model.Analysis))
    return (*article, *((name, document[name]) for name in DOCUMENT_COLUMNS),
            *((name, analysis[name]) for name in ANALYSIS_COLUMNS))


@cache
def arrow_schema() -> Any:
    """The Parquet schema of analyses (the same for every partition, whatever it holds)."""
    import pyarrow as pa

    fields = [pa.field(name, _arrow_type(hint)) for name, hint in _columns()]
    return pa.schema(fields, metadata={"riwaya.schema": PARQUET_SCHEMA_VERSION,
                                       "riwaya.model": model.SCHEMA_VERSION})


def _cell(value: Any, hint: Any) -> Any:
    """A model value (already :func:`to_dict`'s plain data) as its Arrow column holds it."""
    origin = typing.get_origin(hint)
    if value is None:
        return None
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return _cell(value, args[0])
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if origin in (list, tuple):
        item = typing.get_args(hint)[0]
        return [_cell(v, item) for v in value]
    if dataclasses.is_dataclass(hint):
        return {name: _cell(value.get(name), h) for name, h in _fields(hint)}
    if origin is dict or hint is Any:
        return json.dumps(value, ensure_ascii=False)
    return value


def arrow_row(analysis: Analysis) -> dict[str, Any]:
    """One analysis as a row of :func:`arrow_schema`."""
    data = to_dict(analysis)
    doc = data["document"]
    values = {**doc["article"], **{k: doc[k] for k in DOCUMENT_COLUMNS},
              **{k: data[k] for k in ANALYSIS_COLUMNS}}
    return {name: _cell(values[name], hint) for name, hint in _columns()}
