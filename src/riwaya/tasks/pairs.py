"""``pairs``: stance of sentence ``b`` towards ``a`` (rows ``{id, a, b}`` → ``{id, label}``)."""

from __future__ import annotations

from pathlib import Path

from riwaya.errors import InputError
from riwaya.models import stance

DATA = {"train": [f"pairs/{s}-train.jsonl" for s in stance.SETS],
        "dev": [f"pairs/{s}-dev.jsonl" for s in stance.SETS]}
KEY = "label"


def _pairs(rows: list[dict]) -> list[tuple[str, str]]:
    out = []
    for r in rows:
        a, b = r.get("a"), r.get("b")
        if not isinstance(a, str) or not isinstance(b, str):
            raise InputError(f"row {r.get('id')}", "expected \"a\" and \"b\" strings")
        out.append((a, b))
    return out


def predict(rows: list[dict]) -> list[dict]:
    labels = stance.predict_labels(_pairs(rows))
    return [{"id": r["id"], KEY: lab} for r, lab in zip(rows, labels, strict=True)]


def train(data_dir: Path, out_dir: Path) -> dict:
    return stance.train(data_dir, out_dir)
