"""Whole-word frequencies of folded Arabic words (from the ``wordfreq`` package), used to split
clitics and to tell rare words from common ones.

The counts ship as ``data/ar_wordfreq.tsv.gz`` (``word<TAB>count``): wordfreq's Arabic "large"
list (Apache-2.0 code, CC BY-SA 4.0 data, commercially usable) as occurrences per
:data:`SCALE` words, summed over the forms that fold together, kept from :data:`MIN_COUNT` up.
See ``data/ar_wordfreq.md`` for the sources and the licence. Rebuild with
``python -m riwaya.text.wordfreq`` (needs ``wordfreq``, in the dev extra; the pinned version in
``constraints.txt`` gives the same file byte for byte).
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from riwaya.resources import DATA_DIR, derived

FILE = "ar_wordfreq.tsv.gz"
SCALE = 10_000_000  # counts are per ten million words: the size of a few weeks of a news archive
MIN_COUNT = 3
_ARABIC_WORD = re.compile(r"[\u0621-\u063a\u0641-\u064a]+")


@cache
def counts() -> dict[str, int]:
    """Folded word → occurrences per :data:`SCALE` words (loaded once)."""
    path = DATA_DIR / FILE
    if not path.exists():
        return {}

    def build() -> dict:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            cells = f.read().split()  # word, count, word, count ...: a folded word holds no space
        return {"counts": dict(zip(cells[::2], map(int, cells[1::2]), strict=True))}

    return derived("wordfreq", build)["counts"]  # (the disk cache skips the unzipping and parsing)


def count(word: str) -> int:
    return counts().get(word, 0)


def build(out: Path, min_count: int = MIN_COUNT) -> int:
    """Write the TSV from wordfreq's Arabic list; return the number of words kept.

    Deterministic: sorted by count, then word; gzip without a file name or time stamp.
    """
    from wordfreq import get_frequency_dict

    from riwaya.text.normalize import fold

    tally: dict[str, float] = {}
    for word, freq in get_frequency_dict("ar", wordlist="large").items():
        folded = fold(word)
        if _ARABIC_WORD.fullmatch(folded):
            tally[folded] = tally.get(folded, 0.0) + freq
    scaled = ((w, round(f * SCALE)) for w, f in tally.items())
    kept = sorted(((w, n) for w, n in scaled if n >= min_count), key=lambda x: (-x[1], x[0]))
    body = "".join(f"{w}\t{n}\n" for w, n in kept).encode("utf-8")
    with open(out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                               compresslevel=9, mtime=0) as f:
        f.write(body)
    return len(kept)


if __name__ == "__main__":
    print(build(DATA_DIR / FILE), "words written to", DATA_DIR / FILE)
