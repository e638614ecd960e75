"""``riwaya predict|eval ner`` with the shipped model, on samples of ../shared/data/ner."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import islice

import pytest

from riwaya.tasks import ner
from riwaya.tasks.metrics import ner_scores


def rows(path, n: int) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in islice(f, n)]


def test_one_valid_bio_tag_per_given_token(data_dir):
    sample = rows(data_dir / "ner" / "anercorp-a.jsonl", 60)
    preds = ner.predict(sample)
    assert [p["id"] for p in preds] == [r["id"] for r in sample]
    for r, p in zip(sample, preds, strict=True):
        assert len(p["tags"]) == len(r["tokens"])
        prev = "O"
        for t in p["tags"]:
            assert t == "O" or (t[:2] in ("B-", "I-") and t[2:] in ner.TYPES)
            assert not (t.startswith("I-") and prev[2:] != t[2:])
            prev = t


def test_sample_scores_well(data_dir):
    sample = rows(data_dir / "ner" / "newsfane-dev.jsonl", 150)
    preds = ner.predict(sample)
    scores = ner_scores([r["tags"] for r in sample], [p["tags"] for p in preds])
    assert scores["micro_f1_pers_loc_org"] > 0.6


def test_clitic_split_rows():
    preds = ner.predict([{"id": "x", "tokens": ["و", "قال", "وزير", "الخارجية", "الاميركي", "جون",
                                                "كيري", "ل", "وكالة", "رويترز", "في", "روما", "."]}])
    tags = preds[0]["tags"]
    assert tags[5:7] == ["B-PERS", "I-PERS"] and tags[11] == "B-LOC"


def test_bad_rows_fail_with_one_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "tokens": "not a list"}\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "riwaya.cli", "predict", "ner", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "tokens" in proc.stderr and proc.stdout == ""


@pytest.mark.slow
def test_eval_command_prints_micro_f1(data_dir):
    proc = subprocess.run([sys.executable, "-m", "riwaya.cli", "eval", "ner",
                           str(data_dir / "ner" / "anercorp-a.jsonl"), "--json"],
                          capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout)["micro_f1_pers_loc_org"] >= 0.79
