"""Stories of a store drawn at random for reading (issue 17: do they report one event?).

Draws ``--n`` stories spanning two outlets or more (``--seed`` fixes the draw) and prints each
with its members: date, outlet and title (or the first words of the text), the copies of one
report counted once. Reading them is the measure; the script only makes the draw reproducible.

    .venv/bin/python benchmarks/sample_stories.py --db /tmp/whole.db --n 30 --seed 1
"""

from __future__ import annotations

import argparse
import random

from riwaya.cli import single_threaded_blas

single_threaded_blas()

from riwaya.store import open_store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--members", type=int, default=12, help="members shown per story")
    args = ap.parse_args()
    store = open_store(args.db, read_only=True)
    stories = store.list_stories(min_articles=2, limit=10**7)
    multi = [s for s in stories if s.n_outlets >= 2]
    print(f"{len(stories):,} stories of 2+ articles; {len(multi):,} span 2+ outlets "
          f"({len(multi) / max(len(stories), 1):.1%})")
    for k, s in enumerate(sorted(random.Random(args.seed).sample(multi, min(args.n, len(multi))),
                                 key=lambda s: s.id), 1):
        members = store.story_members(s.id)
        print(f"\n{k}. {s.id}: {s.n_articles} articles ({s.n_reports} reports), {s.n_outlets} outlets, "
              f"{s.first_published or '?'} – {s.last_published or '?'}")
        for m in members[:args.members]:
            a = store.article(m.id)
            title = (a.title if a and a.title else (a.text[:90] if a else "")).replace("\n", " ")
            print(f"   {(m.published or '')[:10]:10}  {(m.outlet or '?')[:22]:22}  {title[:100]}")
        if len(members) > args.members:
            print(f"   … {len(members) - args.members} more")


if __name__ == "__main__":
    main()
