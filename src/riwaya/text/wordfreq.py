"""Whole-word frequencies of folded Arabic words (from SaudiNewsNet), used to split clitics.

The counts ship as ``data/ar_wordfreq.tsv.gz`` (``word<TAB>count``, counts >= MIN_COUNT); see
``data/ar_wordfreq.md`` for the data and its licence. Rebuild with
``python -m riwaya.text.wordfreq [CORPUS.jsonl.gz]``.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

from riwaya.resources import DATA_DIR, shared_data_dir

FILE = "ar_wordfreq.tsv.gz"
MIN_COUNT = 3
_ARABIC_WORD = re.compile(r"[\u0621-\u063a\u0641-\u064a]+")


@cache
def counts() -> dict[str, int]:
    """Folded word → count in the corpus (loaded once)."""
    path = DATA_DIR / FILE
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        cells = f.read().split()  # word, count, word, count ...: a folded word holds no space
    return dict(zip(cells[::2], map(int, cells[1::2]), strict=True))


def count(word: str) -> int:
    return counts().get(word, 0)


def build(corpus: Path, out: Path, min_count: int = MIN_COUNT) -> int:
    """Count folded Arabic words in a JSONL(.gz) corpus; write the TSV; return the number kept."""
    from riwaya.text.normalize import fold

    tally: Counter[str] = Counter()
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            text = fold((row.get("title") or "") + "\n" + (row.get("text") or ""))
            tally.update(_ARABIC_WORD.findall(text))
    kept = sorted(((w, n) for w, n in tally.items() if n >= min_count), key=lambda x: (-x[1], x[0]))
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.writelines(f"{w}\t{n}\n" for w, n in kept)
    return len(kept)


if __name__ == "__main__":
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else shared_data_dir() / "corpus" / "saudinewsnet.jsonl.gz"
    print(build(src, DATA_DIR / FILE), "words written to", DATA_DIR / FILE)
