"""The ``riwaya`` command line. Each command group registers itself from ``riwaya.commands``."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from riwaya import __version__
from riwaya.errors import RiwayaError, printable

# Modules under riwaya.commands, each with ``register(subparsers)``; every parser it adds sets
# ``func`` (args -> exit status).
COMMAND_MODULES = ["analyze", "compare", "tasks", "workspace"]

EPILOG = """\
examples:
  riwaya compare examples/*.txt                 compare articles, report in the terminal
  riwaya compare a.html b.txt --format html -o report.html
  riwaya analyze article.txt --format json      sentences, entities, claims as JSON
  cat dump.jsonl | riwaya analyze - --format jsonl
  riwaya eval ner ../shared/data/ner/anercorp-a.jsonl
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="riwaya",
        description="Compare how news outlets report the same story, claim by claim (Arabic first).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"riwaya {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"riwaya.commands.{name}").register(sub)
    return parser


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    """``-q``/``-v`` on a subcommand."""
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more detail on stderr")


class _OneLine(logging.Formatter):
    """Log records as printable lines (a file name with a newline or ESC cannot forge output);
    a traceback (``-vv``) is kept as it is."""

    def format(self, record: logging.LogRecord) -> str:
        exc_info, record.exc_info, record.exc_text = record.exc_info, None, None
        try:
            line = printable(super().format(record))
        finally:
            record.exc_info = exc_info
        return line + ("\n" + self.formatException(exc_info) if exc_info else "")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    level = logging.ERROR if getattr(args, "quiet", False) else (
        logging.DEBUG if getattr(args, "verbose", 0) > 1 else
        logging.INFO if getattr(args, "verbose", 0) else logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine("riwaya: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    try:
        return int(args.func(args) or 0)
    except RiwayaError as exc:
        print(f"riwaya: error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("riwaya: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `riwaya analyze ... | head`
        sys.stderr.close()
        return 0
    except OSError as exc:  # e.g. standard output on a full disk
        print(f"riwaya: error: {printable(exc.filename or 'output')}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: one line (the traceback with -vv), never a stack dump
        log = logging.getLogger("riwaya")
        log.debug("internal error", exc_info=True)
        print(f"riwaya: internal error: {type(exc).__name__}: {printable(str(exc))[:300]}"
              " (run again with -vv for the traceback)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
