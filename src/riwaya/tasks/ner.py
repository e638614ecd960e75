"""``ner``: BIO tags over PERS/LOC/ORG/MISC for pre-tokenised sentences, with the shipped CRF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from riwaya.errors import ModelMissingError, RiwayaError
from riwaya.extract.entities import tagger
from riwaya.tasks.metrics import ner_scores

DATA = {"train": ["ner/newsfane-train.jsonl"], "dev": ["ner/newsfane-dev.jsonl"]}
KEY = "tags"
MODEL_FILE = "ner.npz"
TYPES = ("PERS", "LOC", "ORG", "MISC")


def _words(row: dict) -> list[str]:
    tokens = row.get("tokens")
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        raise RiwayaError(f"row {row.get('id')!r}: \"tokens\" must be a list of strings")
    return tokens


def predict(rows: list[dict]) -> list[dict]:
    """One tag per given token for each row, with the shipped model only."""
    if not tagger.available():
        raise ModelMissingError(f"{tagger.MODEL}: no NER model (run `riwaya train ner`)")
    out = []
    for row in rows:
        words = _words(row)
        tags = tagger.tag(words) if words else []
        out.append({"id": row["id"], KEY: _repair(tags)})
    return out


def _repair(tags: list[str]) -> list[str]:
    """Valid BIO: an ``I-`` that continues nothing becomes ``B-``."""
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


class Tagged(NamedTuple):
    """A sentence's tokens and their BIO tags (types outside :data:`TYPES` read as ``O``)."""

    tokens: list[str]
    tags: list[str]


def _read(path: Path) -> list[Tagged]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                rows.append(Tagged(r["tokens"], [t if t[2:] in TYPES else "O" for t in r["tags"]]))
    return rows


def train(data_dir: Path, out_dir: Path) -> dict:
    """Rebuild ``weights/ner.crfsuite`` from the train split (fixed order, L-BFGS: deterministic)."""
    train_rows = [s for p in DATA["train"] for s in _read(data_dir / p)]
    model = out_dir / MODEL_FILE
    tagger.train(train_rows, model)
    report: dict = {"model": str(model), "bytes": model.stat().st_size,
                    "train_sentences": len(train_rows)}
    for p in DATA["dev"]:
        dev = _read(data_dir / p)
        pred = [_repair(tagger.tag(w, model)) for w, _ in dev]
        report[p] = ner_scores([t for _, t in dev], pred)
    return report
