"""riwaya's trained models: one module each, shipped as arrays in ``riwaya/weights``.

Each model module has ``load()`` (the shipped model, read once), its ``predict…`` functions and
``train(data_dir, out_dir)`` (a deterministic rebuild from ``../shared/data``; scikit-learn, the
``train`` extra, is imported there only). Prediction is numpy alone
(:mod:`riwaya.models.estimators`); no model file is a pickle.

- :mod:`~riwaya.models.stance`: sentence-pair stance (``stance.npz``), with its word vectors
  (:mod:`~riwaya.models.wordvectors`, ``stance_vectors.npz``) and hand features
  (:mod:`~riwaya.models.features`);
- :mod:`~riwaya.models.claim_stance`: claim–article stance (``claim_stance.npz``);
- :mod:`~riwaya.models.checkworthy`: check-worthiness (``checkworthy.npz`` + ``.json``);
- :mod:`~riwaya.models.similarity`: idf-weighted text similarity (``compare_idf.json.gz``) and
  the same-story probability of two articles (``compare_same_story.json``);
- :mod:`~riwaya.models.genre`: opinion piece or report (``genre.json``), which the story
  index reads;
- story grouping's models (``compare_stories.json``) are read by
  :mod:`riwaya.comparison.stories` and trained by ``riwaya train clusters``;
- the NER tagger (``ner.npz``) lives with the entity stage (:mod:`riwaya.extract.entities.tagger`).

``weights/manifest.json`` lists every shipped model: its files (format, SHA-256, size), card,
training data and licence, and version (:func:`manifest`, :func:`refresh_manifest`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from riwaya.models.io import sha256
from riwaya.resources import WEIGHTS_DIR

MANIFEST = "manifest.json"


def manifest(weights_dir: Path = WEIGHTS_DIR) -> dict[str, Any]:
    """The manifest of the models in ``weights_dir``."""
    return json.loads((weights_dir / MANIFEST).read_text(encoding="utf-8"))


def refresh_manifest(weights_dir: Path = WEIGHTS_DIR, files: Iterable[str] | None = None) -> list[str]:
    """Recompute the SHA-256 and size of the manifest's files in ``weights_dir`` (only ``files``
    when given) and rewrite it; returns the files whose checksum changed."""
    data = manifest(weights_dir)
    wanted = None if files is None else set(files)
    changed = []
    for model in data["models"]:
        for f in model["files"]:
            if wanted is not None and f["path"] not in wanted:
                continue
            path = weights_dir / f["path"]
            digest = sha256(path)
            if digest != f.get("sha256"):
                changed.append(f["path"])
            f["sha256"], f["bytes"] = digest, path.stat().st_size
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    (weights_dir / MANIFEST).write_text(text, encoding="utf-8")
    return changed


def task_files(task: str, weights_dir: Path = WEIGHTS_DIR) -> list[str]:
    """The files the manifest says ``riwaya train TASK`` writes."""
    return [f["path"] for m in manifest(weights_dir)["models"] if m["task"] == task for f in m["files"]]
