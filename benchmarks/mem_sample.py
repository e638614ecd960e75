#!/usr/bin/env python
"""Memory of a command and its worker processes, sampled every 0.5 s.

Runs the command, and while it runs sums the PSS (``/proc/PID/smaps_rollup``: shared pages
counted once over the processes sharing them) of the process and all its descendants, and notes
the largest single RSS. Prints the peaks at the end (and a line every 30 s with ``--log``)::

    .venv/bin/python benchmarks/mem_sample.py [--log] -- riwaya ingest CORPUS --db /tmp/x.db
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def _rollup(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in kB; (0, 0) for a process that is gone."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def main(argv: list[str]) -> int:
    log = "--log" in argv[: argv.index("--")] if "--" in argv else False
    command = argv[argv.index("--") + 1:] if "--" in argv else argv
    proc = subprocess.Popen(command)
    start = last = time.monotonic()
    peak_pss = peak_rss = 0
    peak_at = 0.0
    while proc.poll() is None:
        samples = [_rollup(p) for p in _tree(proc.pid)]
        pss, rss = sum(s[0] for s in samples), max((s[1] for s in samples), default=0)
        if pss > peak_pss:
            peak_pss, peak_at = pss, time.monotonic() - start
        peak_rss = max(peak_rss, rss)
        if log and time.monotonic() - last >= 30:
            last = time.monotonic()
            print(f"[mem {last - start:.0f} s] PSS {pss / 1024:.0f} MB over {len(samples)} processes, "
                  f"largest RSS {rss / 1024:.0f} MB", file=sys.stderr, flush=True)
        time.sleep(0.5)
    print(f"peak summed PSS {peak_pss / 1024:.0f} MB (at {peak_at:.0f} s), "
          f"largest single RSS {peak_rss / 1024:.0f} MB, exit {proc.returncode}", file=sys.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
