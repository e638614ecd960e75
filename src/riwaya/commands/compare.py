"""``riwaya compare``: how the outlets report the same story, claim by claim."""

from __future__ import annotations

import argparse
import sys

from riwaya.cli import add_verbosity
from riwaya.commands.options import add_command, add_input_options, add_output_option
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
  riwaya compare a.txt b.txt --bidi visual     # for terminals that do not reorder Arabic

Two articles given alone are always compared (the story's confidence is the probability that they
report the same story); copies of one report are shown as one report, never compared.

exit status: 0 when every input was read and at least two articles report the same story (or
are copies of one report); 1 when some input or record was skipped; 2 when fewer than two
articles were read, or on a usage error; 3 when no two of three or more articles report the same
story (the report is still written: every article is listed as set aside), so that scripts
notice."""

NO_STORY = 3  # exit status: nothing to compare (no two articles report the same story)


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "compare", help="compare how outlets report the same story",
                    description=DESCRIPTION, epilog=EPILOG)
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="articles: files, folders (read recursively), globs, feeds, JSON Lines, "
                        "- for standard input")
    p.add_argument("--format", choices=["text", "json", "html", "csv", "claimreview"], default="text",
                   help="report format")
    add_output_option(p)
    add_input_options(p)
    p.add_argument("--lang", choices=["ar", "en"], default="ar", help="report language")
    p.add_argument("--bidi", choices=["logical", "visual"], default="logical",
                   help="terminal text: logical order for terminals that reorder Arabic themselves, "
                        "visual to shape and reorder it here")
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
                for a in read(args.inputs, strict=args.strict, max_bytes=args.max_size,
                              on_error=warn, stats=stats)]
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
    if not comparison.stories and not comparison.copies:
        if not args.quiet:
            print(f"riwaya: no two of the {len(articles)} articles report the same story: "
                  "nothing compared",
                  file=sys.stderr)
        return NO_STORY
    return 1 if stats.skipped else 0
