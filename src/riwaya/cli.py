"""The ``riwaya`` command line. Each command group registers itself from ``riwaya.commands``."""

from __future__ import annotations

import argparse
import difflib
import importlib
import logging
import os
import sys

from riwaya import __version__
from riwaya.errors import RiwayaError, printable

# Modules under riwaya.commands, each with ``register(subparsers)``; every parser it adds sets
# ``func`` (args -> exit status).
COMMAND_MODULES = ["analyze", "compare", "archive", "tasks", "workspace"]

EPILOG = """\
examples:
  riwaya compare examples/*.txt                 compare articles, report in the terminal
  riwaya compare a.html b.txt --format html -o report.html
  riwaya analyze article.txt --format json      sentences, entities, claims as JSON
  cat dump.jsonl | riwaya analyze - --format jsonl
  riwaya ingest feeds/*.xml --db desk.db          store articles, group them into stories
  riwaya serve --db desk.db                       browse the stories in a web app
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                help="one of these (`riwaya COMMAND --help` describes it):")
    for name in COMMAND_MODULES:
        importlib.import_module(f"riwaya.commands.{name}").register(sub)
    return parser


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    """``-q``/``-v`` on a subcommand."""
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more detail on stderr")


def parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """The arguments, with mistakes reported under the usage of the command they were given to,
    and the nearest command or option suggested (``comapre`` → ``compare``, ``--fromat`` →
    ``--format``)."""
    from riwaya.commands.options import unrecognized

    argv = sys.argv[1:] if argv is None else argv
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    first = next((a for a in argv if not a.startswith("-")), None)
    if first is not None and first == (argv[0] if argv else None) and first not in sub.choices:
        close = difflib.get_close_matches(first, list(sub.choices), n=1)
        hint = f" (did you mean {close[0]}?)" if close else f" (choose from {', '.join(sub.choices)})"
        parser.error(f"unknown command {first!r}{hint}")
    args, extras = parser.parse_known_args(argv)
    if extras:
        command = sub.choices.get(getattr(args, "command", None) or "", parser)
        command.error(unrecognized(extras, command))
    return args
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


# Thread pools of the numerical libraries, set before numpy loads: riwaya's arrays are small, and
# OpenBLAS's idle threads spinning beside each product took half of `riwaya analyze`'s CPU (600
# corpus articles: 20.1 -> 10.1 user CPU s, the same bytes). Parallel work is by process
# (--workers, Dask, whose workers set the same). A value the user has set wins.
SINGLE_THREADED = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_blas() -> None:
    """One BLAS thread (in this process and those it starts), unless set; before numpy loads."""
    for var in SINGLE_THREADED:
        os.environ.setdefault(var, "1")


# The OpenBLAS kernel the shipped weights were fit with. Solvers stop on last-bit differences and
# OpenBLAS picks its kernel by CPU (SkylakeX on an AVX-512 Xeon, Haswell on AMD EPYC, or what
# OPENBLAS_CORETYPE says), so one fit gives other bytes on another kernel (checkworthy's intercept
# in its 14th digit, the pair model's coefficients by up to 0.007).
BLAS_KERNEL = "SkylakeX"


def pin_blas_kernel() -> None:
    """Fit on :data:`BLAS_KERNEL` where the CPU can run it (AVX-512), over a kernel chosen in the
    environment, so `riwaya train` rebuilds the shipped bytes; set before numpy loads (OpenBLAS
    reads it once)."""
    log = logging.getLogger("riwaya")
    if os.environ.get("OPENBLAS_CORETYPE") == BLAS_KERNEL:
        return
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            cpu = f.read()
    except OSError:
        cpu = ""
    if "numpy" in sys.modules or " avx512f " not in cpu.replace("\n", " "):
        log.warning("OpenBLAS's %s kernel cannot be chosen here (it needs AVX-512): the rebuilt weights "
                    "may differ from the shipped ones in their last bits", BLAS_KERNEL)
        return
    if os.environ.get("OPENBLAS_CORETYPE"):
        log.info("OPENBLAS_CORETYPE=%s replaced by %s for training",
                 os.environ["OPENBLAS_CORETYPE"], BLAS_KERNEL)
    os.environ["OPENBLAS_CORETYPE"] = BLAS_KERNEL


def main(argv: list[str] | None = None) -> int:
    single_threaded_blas()
    parser = build_parser()
    args = parse(parser, argv)
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
