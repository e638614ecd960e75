"""What every command's parser shares: the help layout and one definition of each common option.

Each option that several commands take (the inputs' size limit, ``--strict``, ``--source``,
``--published``, ``-o``, ``--db``) is defined here once, so it reads, parses and defaults the
same everywhere (``--max-size 50M`` is accepted by ``analyze``, ``compare`` and ``ingest`` alike).
"""

from __future__ import annotations

import argparse
import difflib
import math
import os
import re
import textwrap
from collections.abc import Callable, Sequence

MAX_SIZE = 20_000_000  # the readers' default (riwaya.ingest.MAX_BYTES), spelled for the help

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.I)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """A description or epilog written on several lines is kept as written, one written on one
    line is wrapped; each option shows its default where it has one (not for flags, and not where
    the help already says it)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text.strip():
            return super()._fill_text(text, width, indent)
        return textwrap.fill(" ".join(text.split()), width, initial_indent=indent,
                             subsequent_indent=indent, break_on_hyphens=False)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (
            "default" in text
            or default in (None, False, argparse.SUPPRESS)
            or default == []
            or not (action.option_strings or action.nargs in (argparse.OPTIONAL, argparse.ZERO_OR_MORE))
        ):
            return text
        return f"{text} (default: %(default)s)" if text else "(default: %(default)s)"


def add_command(
    sub: argparse._SubParsersAction, name: str, *, help: str, description: str, epilog: str | None = None
) -> argparse.ArgumentParser:
    """A subcommand with a one-line ``help`` (in ``riwaya --help``), a ``description`` (in its own
    ``--help``) and the shared help layout."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help, description=description, epilog=epilog, formatter_class=HelpFormatter
    )
    return parser


def max_size(value: str) -> int:
    """``--max-size``: bytes, or with a k/M/G suffix (``50M``)."""
    m = _SIZE.match(value)
    if not m:
        raise argparse.ArgumentTypeError(f"{value!r} is not a size (e.g. 20000000, 500k, 50M)")
    n = float(m.group(1)) * 1000 ** " kmg".index((m.group(2) or " ").lower())
    if n < 1:
        raise argparse.ArgumentTypeError("the size limit must be at least 1 byte")
    return int(n)


def positive_int(value: str) -> int:
    """An integer of at least 1 (``--workers``, ``--limit`` ...)."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: must be at least 1")
    return n



def int_in(lo: int, hi: int) -> Callable[[str], int]:
    """An integer ``lo <= n <= hi`` (``--port``, ``--workers``, ``--limit``), refused in one line
    before anything runs."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if not lo <= n <= hi:
            raise argparse.ArgumentTypeError(f"{value} is out of range ({lo:,} to {hi:,})")
        return n

    parse.__name__ = "integer"
    return parse


def seconds(value: str) -> float:
    """A positive, finite number of seconds (at most a day)."""
    try:
        n = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not (math.isfinite(n) and 0 < n <= 86_400):
        raise argparse.ArgumentTypeError(f"{value} is not a positive number of seconds (at most 86400)")
    return n


seconds.__name__ = "seconds"

def add_input_options(parser: argparse.ArgumentParser, *, overrides: bool = True, strict: bool = True,
                      fetched: bool = False) -> None:
    """The options of commands that read articles: the size limit, and optionally ``--strict``
    and the metadata overrides ``--source`` / ``--published``."""
    what = "file, JSON Lines record, or fetched feed or page" if fetched else "file or JSON Lines record"
    parser.add_argument("--max-size", type=max_size, default=MAX_SIZE, metavar="SIZE",
                        help=f"the largest {what} to read, in bytes or with k/M/G, e.g. 50M "
                             "(default: 20M)")
    if strict:
        parser.add_argument("--strict", action="store_true", help="stop at the first bad input or record")
    if overrides:
        parser.add_argument("--source", metavar="NAME", help="the outlet of articles that name none")
        parser.add_argument("--published", action="append", metavar="[ID=]DATE",
                            help="publication time of article ID (its id, file name or stem), or of "
                                 "every article without one; repeatable")


INPUT_HELP = "a file, folder (read recursively), glob pattern, or - for standard input"


def add_output_option(parser: argparse.ArgumentParser) -> None:
    """``-o FILE``: written atomically (an interrupted run leaves any earlier file as it was)."""
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write here (replaced atomically) instead of standard output")


def db_default() -> str:
    """The workspace store (a path or a ``postgresql://`` URL): ``$RIWAYA_DB``, else ``riwaya.db``
    in the current folder."""
    return os.environ.get("RIWAYA_DB") or "riwaya.db"


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None, metavar="PATH|URL",
                        help="the workspace store: a SQLite file, or a postgresql:// URL that several "
                             "processes and machines share (default: $RIWAYA_DB, else riwaya.db)")


def unrecognized(extras: Sequence[str], parser: argparse.ArgumentParser) -> str:
    """The error for arguments a command does not take, suggesting the nearest option of that
    command for a mistyped one (``--fromat`` → ``--format``)."""
    message = "unrecognized arguments: " + " ".join(extras)
    options = [s for action in parser._actions for s in action.option_strings if s.startswith("--")]
    for extra in extras:
        if extra.startswith("--"):
            name = extra.split("=", 1)[0]
            close = difflib.get_close_matches(name, options, n=1, cutoff=0.7)
            if close:
                return f"{message} (did you mean {close[0]}?)"
    return message
