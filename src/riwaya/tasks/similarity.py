"""``similarity``: how alike two texts are (rows ``{id, a, b}`` → ``{id, score}``, higher = more alike).

Works on sentences and whole articles alike (idf-weighted cosine over matching keys).
"""

from __future__ import annotations

from pathlib import Path

from riwaya.errors import InputError
from riwaya.models.similarity import text_similarity, train_idf
from riwaya.resources import CORPUS

DATA = {"train": [CORPUS], "dev": ["pairs/ans-dev.jsonl"]}
KEY = "score"


def predict(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        a, b = r.get("a"), r.get("b")
        if not isinstance(a, str) or not isinstance(b, str):
            raise InputError(f"row {r.get('id')}", "expected \"a\" and \"b\" strings")
        out.append({"id": r["id"], KEY: round(text_similarity(a, b), 6)})
    return out


def train(data_dir: Path, out_dir: Path) -> dict:
    """Recount the key document frequencies over the unlabelled corpus (CC BY-NC-SA 4.0)."""
    return train_idf(data_dir / DATA["train"][0], out_dir)
