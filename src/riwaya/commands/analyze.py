"""``riwaya analyze``: the text layer and extractors for each input article."""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import zlib
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any, NamedTuple, TextIO

from riwaya.cli import add_verbosity
from riwaya.commands.estimate import count_in_background
from riwaya.commands.options import INPUT_HELP, add_command, add_input_options, add_output_option
from riwaya.commands.output import open_output
from riwaya.commands.progress import Progress
from riwaya.errors import InputError, RiwayaError, printable
from riwaya.model import Analysis, Article, to_dict

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

exit status: 0 when every input was read; 1 when some input or record was skipped (a warning
each, then a summary); 2 when nothing was read, on a usage error, or with --strict at the first
bad input."""

class Shard(NamedTuple):
    """The ``k``-th (from 1) of ``n`` disjoint parts of the input."""

    k: int
    n: int


def shard(value: str) -> Shard:
    """``--shard K/N``: the K-th of N disjoint parts (1 <= K <= N)."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise argparse.ArgumentTypeError(f"{value!r} is not a shard K/N with 1 <= K <= N (e.g. 3/8)")
    return Shard(int(m.group(1)), int(m.group(2)))


def in_shard(article: Article, part: Shard) -> bool:
    """Whether the article falls in shard ``part``: by a stable hash of its id, so N machines
    given the same inputs and ``--shard 1/N`` … ``N/N`` analyse each article exactly once."""
    k, n = part
    return zlib.crc32(article.id.encode("utf-8")) % n == k - 1


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "analyze", help="sentences, tokens, entities, claims of each article",
                    description=DESCRIPTION, epilog=EXAMPLES)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=INPUT_HELP)
    p.add_argument("--format", choices=["text", "json", "jsonl"], default="text", help="output format")
    add_output_option(p)
    add_input_options(p)
    p.add_argument("--shard", type=shard, metavar="K/N",
                   help="analyse only the K-th of N disjoint parts of the input (by article id), "
                        "to split a large archive across machines")
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


def run(args: argparse.Namespace) -> int:
    from riwaya.ingest import ReadStats, read
    from riwaya.ingest.overrides import Overrides
    from riwaya.pipeline import analyze_all

    overrides = Overrides(args.source, args.published)
    stats = ReadStats()
    with ExitStack() as stack:
        err = _Stderr(args.quiet, stack)
        if err.progress is not None and not args.shard:
            count_in_background(args.inputs, err.progress.set_total)
        articles = read(args.inputs, strict=args.strict, max_bytes=args.max_size,
                        on_error=err.warn, stats=stats)

        def prepared() -> Iterator[Article]:
            for article in articles:
                if args.shard and not in_shard(article, args.shard):
                    continue
                if overrides:
                    overrides.apply(article)
                yield article

        def analyses() -> Iterator[Analysis]:
            for analysis in analyze_all(prepared()):  # a few dozen at a time: the tagger batches
                yield analysis
                err.tick()

        with open_output(args.output) as out:
            WRITERS[args.format](analyses(), out)
            if stats.articles == 0:
                if len(err.held) == 1:
                    raise err.held[0]
                err.flush()
                raise RiwayaError(f"no articles read ({stats.summary()})")
    if stats.skipped or args.verbose or (stats.inputs > 1 and not args.quiet):
        print(f"riwaya: {stats.summary()}", file=sys.stderr)
    return 1 if stats.skipped else 0


# --------------------------------------------------------------------------- JSON
def analysis_dict(analysis: Analysis) -> dict[str, Any]:
    """:func:`riwaya.model.to_dict` of an analysis, with the text of each sentence and segment
    added beside its span for readers (tokens stay spans only)."""
    data = to_dict(analysis)
    text = analysis.document.text
    doc = data["document"]
    for unit in (*doc["sentences"], *doc["segments"]):
        unit["text"] = text[unit["start"]:unit["end"]]
    return data


def _write_jsonl(analyses: Iterator[Analysis], out: TextIO) -> None:
    for a in analyses:
        out.write(json.dumps(analysis_dict(a), ensure_ascii=False) + "\n")


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
