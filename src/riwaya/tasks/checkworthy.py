"""``checkworthy``: is a statement one a fact-checker would triage first (rows ``{id, text}`` →
``{id, label}``, 0/1), with :mod:`riwaya.models.checkworthy`."""

from __future__ import annotations

from pathlib import Path

from riwaya.models import checkworthy

DATA = checkworthy.DATA
KEY = "label"


def predict(rows: list[dict]) -> list[dict]:
    labels = checkworthy.labels([str(r.get("text", "")) for r in rows])
    return [{"id": r["id"], KEY: label} for r, label in zip(rows, labels, strict=True)]


def train(data_dir: Path, out_dir: Path) -> dict:
    return checkworthy.train(data_dir, out_dir)
