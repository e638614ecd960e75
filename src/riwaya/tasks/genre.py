"""``genre``: is an article an opinion piece (rows ``{id, text, title?}`` → ``{id, label}``,
``opinion`` / ``report``), with :mod:`riwaya.models.genre`."""

from __future__ import annotations

from pathlib import Path

from riwaya.models import genre

DATA = genre.DATA
KEY = "label"


def predict(rows: list[dict]) -> list[dict]:
    docs = genre.documents(rows)
    return [{"id": r["id"], KEY: "opinion" if genre.is_opinion(d) else "report"}
            for r, d in zip(rows, docs, strict=True)]


def train(data_dir: Path, out_dir: Path) -> dict:
    return genre.train(data_dir, out_dir)
