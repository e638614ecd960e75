"""``riwaya stories-archive``: an archive's analyses grouped into stories, each story's findings
as one JSON line (in this process or on Dask; :mod:`riwaya.engine.findings`)."""

from __future__ import annotations

import argparse
import sys

from riwaya.cli import add_verbosity
from riwaya.commands.options import add_command, add_output_option, int_in

DESCRIPTION = """\
Group the analyses of an archive (the JSON Lines of `riwaya analyze --format jsonl`) into stories,
compare each story of two or more articles (as `riwaya compare` and the workspace do), and write one
JSON line per compared story: its id, articles, confidence, label, findings, summary and matters, in
the stories' order. With --engine dask the grouping and each story's comparison run as Dask tasks
(on a LocalCluster of --workers processes, or at --scheduler, whose workers must see the file); the
output is the same bytes as with the local engine. Not the workspace's `riwaya stories` (a store's
stories)."""

EPILOG = """\
examples:
  riwaya analyze archive/ --format jsonl -o analyses.jsonl
  riwaya stories-archive analyses.jsonl -o stories.jsonl
  riwaya stories-archive analyses.jsonl -o stories.jsonl --engine dask --workers 8
  riwaya stories-archive analyses.jsonl.gz --engine dask --scheduler tcp://10.0.0.5:8786 -o stories.jsonl"""


def _days(value: str) -> float:
    try:
        days = float(value)
    except ValueError:
        days = -1.0
    if not 0 < days <= 3650:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of days (0 < D <= 3650)")
    return days


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "stories-archive", help="an archive's analyses as stories, each story's findings",
                    description=DESCRIPTION, epilog=EPILOG)
    p.add_argument("analyses", metavar="ANALYSES", help="the JSON Lines of riwaya analyze --format jsonl "
                                                        "(gzipped or not)")
    add_output_option(p)
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local: this process; dask: the grouping and each story's comparison as Dask tasks")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: a running distributed scheduler (tcp://HOST:8786) instead "
                        "of a LocalCluster")
    p.add_argument("--workers", type=int_in(1, 1024), metavar="N",
                   help="with --engine dask: LocalCluster worker processes (default: the number of CPUs)")
    p.add_argument("--window-days", type=_days, metavar="D",
                   help="most days between two articles of one story (default: the story index's)")
    add_verbosity(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from riwaya.engine.findings import StoriesOptions, archive_findings

    options = StoriesOptions(args.analyses, args.output, engine=args.engine, scheduler=args.scheduler,
                             workers=args.workers, window_days=args.window_days)
    quiet = args.quiet
    shown = [0]  # the last count shown

    def progress(phase: str, done: int, total: int | None) -> None:
        """Each phase once, then the comparisons about every tenth (stderr, one line each)."""
        if quiet:
            return
        if total is None:
            print(f"riwaya: {phase}…", file=sys.stderr)
        elif done == 0:
            print(f"riwaya: {phase} {total:,} stories…", file=sys.stderr)
        elif done == total or done - shown[0] >= max(1, total // 10):
            shown[0] = done
            print(f"riwaya: {phase}: {done:,}/{total:,}", file=sys.stderr)

    summary = archive_findings(options, progress)
    if not quiet:
        print(f"riwaya: {summary.articles:,} articles, {summary.stories:,} stories, "
              f"{summary.compared:,} compared ({summary.findings:,} findings) in {summary.seconds:.1f}s",
              file=sys.stderr)
    return 0
