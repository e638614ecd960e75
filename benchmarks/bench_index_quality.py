#!/usr/bin/env python
"""Story grouping quality of the store's incremental StoryIndex, the way ingest runs it.

Rows of a ``clusters/`` file (default: dev) are analysed as ingest analyses them (entities,
quantities, dates; entity ids linked across the file), reduced to story signatures and filed
one by one into a :class:`~riwaya.comparison.stories.StoryIndex` in file order; the stories it forms
are scored with B-cubed against the gold clusters. Usage::

    .venv/bin/python benchmarks/bench_index_quality.py [../shared/data/clusters/unifiedfc-dev.jsonl]
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from riwaya.comparison.stories import StoryIndex, story_signature
from riwaya.tasks.clusters import _analyses, _full
from riwaya.tasks.metrics import bcubed

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/clusters/unifiedfc-dev.jsonl"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    full = _full(_analyses(rows))
    index = StoryIndex()
    pred = []
    for r, a in zip(rows, full, strict=True):
        when = datetime.fromisoformat(r["published"]) if r.get("published") else None
        pred.append(index.add(str(r["id"]), story_signature(a), when))
    score = bcubed([str(r["cluster"]) for r in rows], pred)
    model = index.model or {}
    print(f"{path.name}: {len(rows)} articles, {len(set(pred))} stories "
          f"(link {model.get('link', 'single')}, candidates {model.get('candidates')}, "
          f"members {model.get('members')}, threshold {model.get('threshold')})")
    print("index B-cubed " + ", ".join(f"{k} {v:.4f}" for k, v in score.items() if isinstance(v, float)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
