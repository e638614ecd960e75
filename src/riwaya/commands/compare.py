"""``riwaya compare``: how the outlets report the same story, claim by claim."""

from __future__ import annotations

import argparse
import sys

from riwaya.cli import add_verbosity
from riwaya.commands.output import open_output
from riwaya.errors import InputError, RiwayaError, printable

DESCRIPTION = """\
Read two or more articles, group them into stories (articles related to no other are set aside),
and report for each story where the outlets agree, contradict each other, give different figures
or dates, source the same matter differently, name things differently, or stand alone, with the
evidence side by side. riwaya shows evidence and confidence; it never rules a claim true or false."""

EPILOG = """\
formats:
  text         the report in the terminal (default)
  json         the whole comparison, schema docs/schema.md (src/riwaya/schema/comparison.schema.json)
  html         one standalone page: the articles side by side, evidence highlighted and linked
  csv          one row per finding
  claimreview  schema.org ClaimReview JSON-LD drafts, one per disputed claim (rating left empty)

examples:
  riwaya compare examples/*.txt
  riwaya compare ../shared/seeds/*.txt --format html -o report.html
  riwaya compare a.txt b.html --published a=2016-01-29 --published b=2016-02-02 --lang en
  riwaya compare a.txt b.txt --bidi visual     # for terminals that do not reorder Arabic"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="compare how outlets report the same story",
                       description=DESCRIPTION, epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="articles: files, folders, globs, feeds, JSON Lines, - for stdin")
    p.add_argument("--format", choices=["text", "json", "html", "csv", "claimreview"], default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (replaced atomically)")
    p.add_argument("--published", action="append", metavar="[ID=]DATE",
                   help="publication time of article ID (its id, file name or stem), or of every "
                        "article without one; repeatable")
    p.add_argument("--source", metavar="NAME", help="the outlet of articles that name none")
    p.add_argument("--lang", choices=["ar", "en"], default="ar", help="report language (default ar)")
    p.add_argument("--bidi", choices=["logical", "visual"], default="logical",
                   help="terminal text: logical order for terminals that reorder Arabic themselves "
                        "(default), visual to shape and reorder it here")
    p.add_argument("--strict", action="store_true", help="stop at the first bad input")
    add_verbosity(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from riwaya.ingest import ReadStats, read
    from riwaya.ingest.overrides import Overrides

    overrides = Overrides(args.source, args.published)
    stats = ReadStats()

    def warn(err: InputError) -> None:
        print(f"riwaya: warning: skipped {printable(str(err))}", file=sys.stderr)

    articles = [overrides.apply(a) if overrides else a
                for a in read(args.inputs, strict=args.strict, on_error=warn, stats=stats)]
    if len(articles) < 2:
        raise RiwayaError(f"{', '.join(args.inputs)}: compare needs at least two articles, "
                          f"read {len(articles)}" + (f" ({stats.skipped} skipped)" if stats.skipped else ""))
    from riwaya.api import compare
    from riwaya.report import render

    comparison = compare(articles, lang=args.lang)
    options = {}
    if args.format == "text":
        tty = args.output in (None, "-") and sys.stdout.isatty()
        width = 110
        if tty:
            import shutil

            width = max(60, min(160, shutil.get_terminal_size().columns))
        options = {"colour": tty, "bidi": args.bidi, "width": width}
    report = render(comparison, args.format, args.lang, **options)
    with open_output(args.output) as out:
        out.write(report)
    return 1 if stats.skipped else 0
