"""``riwaya predict|eval|train TASK``: the labelled tasks riwaya is measured on."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from riwaya.commands.options import add_command, add_output_option
from riwaya.commands.output import open_output
from riwaya.errors import InputError, RiwayaError
from riwaya.resources import WEIGHTS_DIR, shared_data_dir
from riwaya.tasks import TASKS, task_module
from riwaya.tasks.metrics import intervals, score

TASKS_EPILOG = """\
tasks and their rows (JSON Lines, one object a line):
  ner            {"id","tokens"} -> {"id","tags"} (BIO over PERS/LOC/ORG/MISC)
  checkworthy    {"id","text"} -> {"id","label"} (0/1)
  pairs          {"id","a","b"} -> {"id","label"} (agree/contradict/neutral)
  claim-article  {"id","claim","article"} -> {"id","label"} (agree/disagree/discuss/unrelated)
  clusters       {"id","text"} -> {"id","cluster"} (all rows grouped together)
  similarity     {"id","a","b"} -> {"id","score"}
  genre          {"id","text","title"?} -> {"id","label"} (opinion/report)"""


def _rounds(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of resamples (0 for none), got {text!r}")
    return int(text)


def register(sub: argparse._SubParsersAction) -> None:
    names = ", ".join(TASKS)
    p = add_command(sub, "predict", help="predict a labelled task's file with the shipped model",
                    description=f"Write JSON Lines predictions for TASK ({names}) with the model shipped "
                                "in riwaya (nothing is trained or downloaded).",
                    epilog=TASKS_EPILOG + "\n\nexample:\n  riwaya predict ner FILE.jsonl -o pred.jsonl")
    p.add_argument("task", choices=list(TASKS), metavar="TASK", help=f"one of {names}")
    p.add_argument("file", metavar="FILE", help="JSON Lines rows in the task's input format, or - for "
                                                "standard input")
    add_output_option(p)
    p.set_defaults(func=run_predict)

    e = add_command(sub, "eval", help="predict a gold file and print the task's metrics",
                    description=f"Score the shipped model of TASK ({names}) on a file of gold rows "
                                "(the task's input with its label) and print the task's metrics.",
                    epilog=TASKS_EPILOG
                    + "\n\nexample:\n  riwaya eval ner ../shared/data/ner/anercorp-a.jsonl")
    e.add_argument("task", choices=list(TASKS), metavar="TASK", help=f"one of {names}")
    e.add_argument("file", metavar="FILE", help="JSON Lines rows with gold labels, or - for standard input")
    e.add_argument("--json", action="store_true", help="print the metrics as JSON")
    e.add_argument("--bootstrap", type=_rounds, metavar="N",
                   help="resample the rows N times for 95%% intervals of the headline figures "
                        "(default 1000, or none with --json: its output is then what "
                        "../shared/tools/score.py prints; 0: none)")
    e.set_defaults(func=run_eval)

    t = add_command(sub, "train", help="rebuild a shipped model from ../shared/data",
                    description=f"Retrain TASK ({names}) deterministically from its train split, "
                                "write its weights and print their SHA-256 (into the package's "
                                "weights/, the manifest's checksums are updated too).",
                    epilog="example:\n  riwaya train pairs --out /tmp/weights")
    t.add_argument("task", choices=list(TASKS), metavar="TASK", help=f"one of {names}")
    t.add_argument("--data", type=Path, metavar="DIR",
                   help="the labelled data folder (default: ../shared/data, or $RIWAYA_SHARED/data)")
    t.add_argument("--out", type=Path, default=WEIGHTS_DIR, metavar="DIR",
                   help="where the weights go (default: the package's weights/, replacing the shipped model)")
    t.set_defaults(func=run_train)


def read_rows(path: str) -> list[dict]:
    """JSON Lines rows of a task file; a bad line is an error naming file and line."""
    if path == "-":
        lines = sys.stdin.read().splitlines()
        origin = "<stdin>"
    else:
        file = Path(path)
        if not file.is_file():
            raise InputError(path, "no such file")
        try:
            lines = file.read_text(encoding="utf-8-sig").splitlines()
        except UnicodeDecodeError as exc:
            raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        origin = path
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{origin}:{n}", f"bad JSON ({exc.msg})") from None
        if not isinstance(row, dict) or "id" not in row:
            raise InputError(f"{origin}:{n}", "expected an object with an \"id\"")
        rows.append(row)
    if not rows:
        raise InputError(origin, "no rows")
    return rows


def run_predict(args: argparse.Namespace) -> int:
    rows = read_rows(args.file)
    preds = task_module(args.task).predict(rows)
    with open_output(args.output) as out:
        for row in preds:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def run_eval(args: argparse.Namespace) -> int:
    rows = read_rows(args.file)
    start = time.perf_counter()
    preds = task_module(args.task).predict(rows)
    elapsed = time.perf_counter() - start
    try:
        metrics = score(args.task, rows, preds)
    except KeyError as exc:
        raise RiwayaError(f"{args.file}: cannot score task {args.task}: the gold rows have no "
                          f"{exc} field") from None
    except ValueError as exc:
        raise RiwayaError(f"{args.file}: cannot score task {args.task}: {exc}") from None
    rounds = args.bootstrap if args.bootstrap is not None else (0 if args.json else 1000)
    spread = intervals(args.task, rows, preds, rounds=rounds) if rounds else {}
    if args.json:
        if spread:
            metrics["interval_95"] = {k: list(v) for k, v in spread.items()}
        print(json.dumps(metrics, ensure_ascii=False, indent=2))
    else:
        print(f"{args.task} on {args.file} ({len(rows)} rows, {elapsed:.1f} s)")
        _print_metrics(metrics, spread=spread)
        if spread:
            print(f"  [95% bootstrap interval, {rounds} resamples of the rows]")
    return 0


def _print_metrics(metrics: dict, indent: str = "  ", spread: dict | None = None) -> None:
    for key, value in metrics.items():
        if isinstance(value, dict):
            print(f"{indent}{key}:")
            _print_metrics(value, indent + "  ")
        elif isinstance(value, float):
            lo_hi = (spread or {}).get(key)
            tail = f"  [{lo_hi[0]:.4f}, {lo_hi[1]:.4f}]" if lo_hi else ""
            print(f"{indent}{key}: {value:.4f}{tail}")
        else:
            print(f"{indent}{key}: {value}")


def run_train(args: argparse.Namespace) -> int:
    from importlib.util import find_spec

    from riwaya.cli import pin_blas_kernel

    pin_blas_kernel()  # before the fits' modules load numpy

    missing = [name for name in ("sklearn", "threadpoolctl", "pycrfsuite") if find_spec(name) is None]
    if missing:
        raise RiwayaError(f"training needs {', '.join(missing)}: pip install 'riwaya[train]'")
    data = args.data or shared_data_dir()
    if not data.is_dir():
        raise InputError(str(data), "labelled data folder not found (pass --data)")
    args.out.mkdir(parents=True, exist_ok=True)
    report = task_module(args.task).train(data, args.out)
    from riwaya.models import refresh_manifest, task_files
    from riwaya.models.io import sha256

    files = [f for f in task_files(args.task) if (args.out / f).exists()]
    report["sha256"] = {f: sha256(args.out / f) for f in files}
    if args.out.resolve() == WEIGHTS_DIR.resolve():
        refresh_manifest(WEIGHTS_DIR, files)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0
