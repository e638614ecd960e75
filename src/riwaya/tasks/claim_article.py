"""``claim-article``: stance of a whole article towards a claim.

Rows ``{id, claim, article}`` → ``{id, label}``; ``article`` lines (split on ``\\n``) are its sentences.
"""

from __future__ import annotations

from pathlib import Path

from riwaya.errors import InputError
from riwaya.models import claim_stance

DATA = {"train": [claim_stance.TRAIN], "dev": ["claim-article/unifiedfc-dev.jsonl"]}
KEY = "label"


def predict(rows: list[dict]) -> list[dict]:
    claims, articles = [], []
    for r in rows:
        claim, article = r.get("claim"), r.get("article")
        if not isinstance(claim, str) or not isinstance(article, str):
            raise InputError(f"row {r.get('id')}", "expected \"claim\" and \"article\" strings")
        claims.append(claim)
        articles.append(article.split("\n"))
    probs = claim_stance.predict_stances(claims, articles)
    return [{"id": r["id"], KEY: max(p, key=lambda label: p[label])}
            for r, p in zip(rows, probs, strict=True)]


def train(data_dir: Path, out_dir: Path) -> dict:
    return claim_stance.train(data_dir, out_dir)
