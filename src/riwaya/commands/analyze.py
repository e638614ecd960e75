"""``riwaya analyze``: the text layer and extractors for each input article."""

from __future__ import annotations

import argparse
import json

from riwaya.commands.output import open_output
from riwaya.model import to_dict


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("analyze", help="sentences, tokens, entities, claims of each article")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--format", choices=["text", "json", "jsonl"], default="text")
    p.add_argument("-o", "--output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from riwaya.ingest import read
    from riwaya.pipeline import analyze_all

    analyses = list(analyze_all(read(args.inputs)))
    with open_output(args.output) as out:
        for a in analyses:
            out.write(json.dumps(to_dict(a), ensure_ascii=False) + "\n")
    return 0
