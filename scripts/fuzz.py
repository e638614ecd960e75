#!/usr/bin/env python3
"""The fuzzing harness (tests/test_fuzz.py) run for a long time: round after round, each with new
random inputs and ``--scale`` times the suite's number of inputs per target, until ``--minutes``
have passed or a target fails (then the failing input is printed, shrunk, and it exits 1).

    nice .venv/bin/python scripts/fuzz.py --minutes 30 --scale 20

Prints each round's time and the inputs given to each target so far.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--scale", type=float, default=20.0, help="inputs per target, times the suite's")
    args = ap.parse_args()
    os.environ["RIWAYA_FUZZ_EXAMPLES"] = str(args.scale)
    import pytest

    end = time.monotonic() + args.minutes * 60
    start, rounds = time.monotonic(), 0
    while time.monotonic() < end:
        rounds += 1
        t0 = time.monotonic()
        code = pytest.main(["-q", "-x", "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning",
                            str(ROOT / "tests" / "test_fuzz.py")])
        import fuzz_targets  # imported by the run above (tests/ is on its path)

        total = sum(fuzz_targets.COUNTS.values())
        print(f"round {rounds}: {time.monotonic() - t0:.0f} s; {total:,} inputs in "
              f"{(time.monotonic() - start) / 60:.1f} min: "
              + ", ".join(f"{k} {v:,}" for k, v in sorted(fuzz_targets.COUNTS.items())), flush=True)
        if code != 0:
            print(f"fuzz: a target failed in round {rounds} (see above)", flush=True)
            return 1
    print(f"fuzz: nothing found in {rounds} rounds, {(time.monotonic() - start) / 60:.1f} min", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
