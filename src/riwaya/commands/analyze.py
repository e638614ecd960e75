"""``riwaya analyze``: the text layer and extractors for each input article."""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any, TextIO

from riwaya.cli import add_verbosity
from riwaya.commands.estimate import count_in_background
from riwaya.commands.options import INPUT_HELP, add_command, add_input_options, add_output_option, int_in
from riwaya.commands.output import open_output
from riwaya.commands.progress import Progress
from riwaya.engine.formats import analysis_dict, json_line
from riwaya.engine.options import AnalyzeOptions, Shard, in_shard
from riwaya.errors import InputError, RiwayaError, printable
from riwaya.model import Analysis, Article

DESCRIPTION = """\
Read articles (text, HTML, JSON/JSON Lines, RSS/Atom feeds, Parquet, folders, globs, - for stdin) and
print each one's sentences, tokens and language segments (every one a character span into the
article's text), with whatever the extractors find (entities, quotes, claims ...)."""

EXAMPLES = """\
output formats:
  text    a readable summary per article (default)
  json    one JSON document: an object when exactly one article was read, else a list of them
  jsonl   one JSON object per article per line, streamed (use this for scripts and batches)

examples:
  riwaya analyze article.txt
  riwaya analyze ../shared/seeds/002_305c1df4ca845c06.txt --format json
  riwaya analyze page.html feed.xml --format jsonl -o analyses.jsonl
  riwaya analyze corpus/ 'more/**/*.txt' --format jsonl -q
  cat dump.jsonl.gz | riwaya analyze - --format jsonl --max-size 50M
  riwaya analyze a.txt --source aljazeera --published a=2016-02-02
  riwaya analyze archive/2015.parquet --format jsonl --shard 3/8 -o part3.jsonl
  riwaya analyze archive/ --engine dask --format parquet -o analyses/
  riwaya analyze archive/ --engine dask --scheduler tcp://10.0.0.5:8786 --format jsonl -o all.jsonl

engines: local (default) analyses in this process; dask cuts the inputs into partitions (a
Parquet file into row ranges, other files whole) and analyses them on a Dask LocalCluster of
--workers processes, or on the cluster of the scheduler at --scheduler (whose workers must see the
same paths). --format parquet (either engine) writes a Parquet dataset folder, one row per
article. Partitioned runs write each partition's part atomically and skip, when run again, the
parts already written: a stopped run resumes.

exit status: 0 when every input was read; 1 when some input or record was skipped (a warning
each, then a summary); 2 when nothing was read, on a usage error, or with --strict at the first
bad input."""

def shard(value: str) -> Shard:
    """``--shard K/N``: the K-th of N disjoint parts (1 <= K <= N)."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise argparse.ArgumentTypeError(f"{value!r} is not a shard K/N with 1 <= K <= N (e.g. 3/8)")
    return Shard(int(m.group(1)), int(m.group(2)))


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "analyze", help="sentences, tokens, entities, claims of each article",
                    description=DESCRIPTION, epilog=EXAMPLES)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=INPUT_HELP)
    p.add_argument("--format", choices=["text", "json", "jsonl", "parquet"], default="text",
                   help="output format (parquet: -o names a dataset folder)")
    add_output_option(p)
    add_input_options(p)
    p.add_argument("--shard", type=shard, metavar="K/N",
                   help="analyse only the K-th of N disjoint parts of the input (by article id), "
                        "to split a large archive across machines")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local: this process; dask: partitions as Dask tasks (jsonl or parquet only)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: a running distributed scheduler (tcp://HOST:8786) instead "
                        "of a LocalCluster")
    p.add_argument("--workers", type=int_in(1, 1024), metavar="N",
                   help="with --engine dask: LocalCluster worker processes (default: the number of CPUs)")
    add_verbosity(p)
    p.set_defaults(func=run)


class _Stderr:
    """Warnings and the progress line on stderr (the line only on a terminal and without -q)."""

    def __init__(self, quiet: bool, stack: ExitStack):
        self.progress: Progress | None = None
        if not quiet and sys.stderr.isatty():
            self.progress = stack.enter_context(Progress())
            self.progress.phase("articles", None)
        self.count = 0
        self.held: list[InputError] = []

    def warn(self, err: InputError) -> None:
        """Report a skipped input; held back until an article is read, so that a run that reads
        nothing can end on one line naming the input and the problem."""
        if not self.count:
            self.held.append(err)
            return
        self.flush()
        self._print(err)

    def flush(self) -> None:
        for err in self.held:
            self._print(err)
        self.held.clear()

    def _print(self, err: InputError) -> None:
        line = f"riwaya: warning: skipped {printable(str(err))}"
        if self.progress is not None:
            self.progress.print(line)
        else:
            print(line, file=sys.stderr, flush=True)

    def tick(self) -> None:
        self.count += 1
        if self.held:
            self.flush()
        if self.progress is not None:
            self.progress.advance(1)


def options_of(args: argparse.Namespace) -> AnalyzeOptions:
    """The run the arguments ask for (the object the Python API takes too)."""
    return AnalyzeOptions(inputs=tuple(args.inputs), output=args.output, format=args.format,
                          engine=args.engine, scheduler=args.scheduler, workers=args.workers,
                          strict=args.strict, max_bytes=args.max_size, source=args.source,
                          published=tuple(args.published or ()), shard=args.shard)


def run(args: argparse.Namespace) -> int:
    options = options_of(args)
    if options.engine == "dask" or options.format == "parquet":
        return _run_partitioned(options, args)
    from riwaya.ingest import ReadStats, read
    from riwaya.ingest.overrides import Overrides
    from riwaya.pipeline import analyze_all

    overrides = Overrides(options.source, list(options.published))
    stats = ReadStats()
    with ExitStack() as stack:
        err = _Stderr(args.quiet, stack)
        if err.progress is not None and not options.shard:
            count_in_background(options.inputs, err.progress.set_total)
        articles = read(options.inputs, strict=options.strict, max_bytes=options.max_bytes,
                        on_error=err.warn, stats=stats)

        def prepared() -> Iterator[Article]:
            for article in articles:
                if options.shard and not in_shard(article, options.shard):
                    continue
                if overrides:
                    overrides.apply(article)
                yield article

        def analyses() -> Iterator[Analysis]:
            for analysis in analyze_all(prepared()):  # a few dozen at a time: the tagger batches
                yield analysis
                err.tick()

        with open_output(options.output) as out:
            WRITERS[options.format](analyses(), out)
            if stats.articles == 0:
                if len(err.held) == 1:
                    raise err.held[0]
                err.flush()
                raise RiwayaError(f"no articles read ({stats.summary()})")
    if stats.skipped or args.verbose or (stats.inputs > 1 and not args.quiet):
        print(f"riwaya: {stats.summary()}", file=sys.stderr)
    return 1 if stats.skipped else 0


def _run_partitioned(options: AnalyzeOptions, args: argparse.Namespace) -> int:
    """``--engine dask`` or ``--format parquet``: :func:`riwaya.engine.analyze_files`, its warnings,
    dashboard link and progress on stderr."""
    from riwaya.engine import Events, analyze_files

    if options.format not in ("jsonl", "parquet"):
        raise RiwayaError(f"--engine dask writes --format jsonl or parquet, not {options.format}")
    with ExitStack() as stack:
        err = _Stderr(args.quiet, stack)

        class Printed(Events):
            def skipped(self, e: InputError) -> None:
                err.count += 1  # warnings are not held back: partitions finish in any order
                err.warn(e)

            def total(self, records: int) -> None:
                if err.progress is not None:
                    err.progress.set_total(records)

            def advance(self, articles: int) -> None:
                if err.progress is not None:
                    err.progress.advance(articles)

            def dashboard(self, link: str) -> None:
                if not args.quiet:
                    line = f"riwaya: Dask dashboard: {link}"
                    err.progress.print(line) if err.progress is not None else print(line, file=sys.stderr)

        if err.progress is not None and not options.shard and options.engine == "local":
            count_in_background(options.inputs, err.progress.set_total)
        summary = analyze_files(options, Printed())
    if summary.articles == 0 and not summary.skipped:
        raise RiwayaError(f"no articles read ({summary.line()})")
    if summary.skipped or args.verbose or (summary.inputs > 1 and not args.quiet):
        resumed = f" ({summary.resumed} of {summary.partitions} partitions written by an earlier run)" \
            if summary.resumed else ""
        print(f"riwaya: {summary.line()}{resumed}", file=sys.stderr)
    if summary.articles == 0:
        return 2
    return 1 if summary.skipped else 0


# --------------------------------------------------------------------------- JSON
def _write_jsonl(analyses: Iterator[Analysis], out: TextIO) -> None:
    for a in analyses:
        out.write(json_line(a))


def _write_json(analyses: Iterator[Analysis], out: TextIO) -> None:
    """One document, written only once complete (a failed run prints no broken JSON)."""
    docs = [json.dumps(analysis_dict(a), ensure_ascii=False, indent=2) for a in analyses]
    if len(docs) == 1:
        out.write(docs[0] + "\n")
    elif docs:
        out.write("[\n" + ",\n".join(docs) + "\n]\n")


# --------------------------------------------------------------------------- text
def _write_text(analyses: Iterator[Analysis], out: TextIO) -> None:
    for i, a in enumerate(analyses):
        if i:
            out.write("\n")
        out.write(summary(a))
        out.flush()


def summary(analysis: Analysis, examples: int = 5) -> str:
    """A readable summary of one analysis: metadata, text units, and every extractor's findings
    (read generically from the Analysis, so new extractors show up without changes here)."""
    art = analysis.article
    doc = analysis.document
    lines = [f"== {printable(art.origin or art.id)}"]
    for label, value in (("id", art.id), ("title", art.title), ("outlet", art.source),
                         ("author", art.author), ("url", art.url),
                         ("published", art.published.isoformat() if art.published else None),
                         ("credits", art.credits)):
        if value:
            lines.append(f"  {label + ':':<11}{printable(value)}")
    boiler = sum(1 for s in doc.sentences if not s.content)
    paragraphs = len({s.paragraph for s in doc.sentences})
    lines.append(f"  {'text:':<11}{len(doc.text):,} characters, {len(doc.sentences)} sentences"
                 f" ({boiler} non-content) in {paragraphs} paragraphs, {len(doc.tokens):,} tokens")
    if doc.analysed_to is not None:
        lines.append(f"  {'':<11}analysed: the first {doc.analysed_to:,} characters only (a longer text"
                     " is cut to bound the work per article)")
    langs: dict[str, list[int]] = {}
    for seg in doc.segments:
        n = langs.setdefault(seg.lang, [0, 0])
        n[0] += 1
        n[1] += seg.end - seg.start
    if langs:
        lines.append(f"  {'languages:':<11}" + ", ".join(
            f"{lang} {chars:,} chars in {count} segment{'s' * (count != 1)}"
            for lang, (count, chars) in langs.items()))
    for f in dataclasses.fields(analysis):
        items = getattr(analysis, f.name)
        if f.name == "document" or not isinstance(items, list) or not items:
            continue
        lines.append(f"  {f.name + ':':<11}{len(items)}")
        for item in items[:examples]:
            lines.append(f"    - {_label(item, doc.text)}")
        if len(items) > examples:
            lines.append(f"    … and {len(items) - examples} more")
    return "\n".join(lines) + "\n"


def _label(item: Any, text: str, width: int = 100) -> str:
    """A one-line label for any annotation: its text, name or span."""
    shown = (getattr(item, "text", None) or getattr(item, "name_ar", None)
             or getattr(item, "name_en", None))
    start, end = getattr(item, "start", None), getattr(item, "end", None)
    if not shown and isinstance(start, int) and isinstance(end, int):
        shown = text[start:end]
    shown = " ".join(str(shown or getattr(item, "id", "") or item).split())
    if len(shown) > width:
        shown = shown[:width - 1] + "…"
    kind = getattr(item, "type", None) or getattr(item, "kind", None)
    shown = printable(shown)
    return f"[{kind}] {shown}" if isinstance(kind, str) else shown


WRITERS = {"text": _write_text, "json": _write_json, "jsonl": _write_jsonl}
