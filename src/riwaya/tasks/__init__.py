"""The labelled tasks riwaya is measured on: ``riwaya predict|eval|train TASK``.

Each task module exposes:

- ``DATA``: default train/dev files relative to ``../shared/data``
  (``{"train": [...], "dev": [...]}``);
- ``predict(rows: list[dict]) -> list[dict]``: rows in the task's input format to prediction rows
  (``{"id", <key>}``), using the shipped model only;
- ``KEY``: the prediction field (``label``, ``tags``, ``cluster``, ``score``);
- ``train(data_dir: Path, out_dir: Path) -> dict``: rebuild the shipped model deterministically
  from ``train`` files and return a few figures (dev scores) for the model card.

Scoring is shared: :mod:`riwaya.tasks.metrics` computes the same numbers as
``../shared/tools/score.py``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

TASKS = {
    "ner": "riwaya.tasks.ner",
    "checkworthy": "riwaya.tasks.checkworthy",
    "pairs": "riwaya.tasks.pairs",
    "claim-article": "riwaya.tasks.claim_article",
    "clusters": "riwaya.tasks.clusters",
    "similarity": "riwaya.tasks.similarity",
    "compare": "riwaya.tasks.compare",
    "genre": "riwaya.tasks.genre",
}


def task_module(name: str) -> ModuleType:
    if name not in TASKS:
        raise KeyError(name)
    return importlib.import_module(TASKS[name])
