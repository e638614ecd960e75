"""`riwaya predict` and `riwaya eval` for every labelled task, end to end on the fixture rows
(tests/fixtures/data, written for the project in the ../shared/data formats). Far too few rows to
measure a model: these check the commands, the row formats and the shipped weights' answers."""

from __future__ import annotations

import json

import pytest

from riwaya.cli import main

LABELS = {
    "ner": None,
    "checkworthy": {0, 1},
    "pairs": {"agree", "contradict", "neutral"},
    "claim-article": {"agree", "disagree", "discuss", "unrelated"},
}
FILES = {"ner": "ner", "checkworthy": "checkworthy", "pairs": "pairs", "claim-article": "claim-article",
         "clusters": "clusters", "similarity": "pairs"}


def _predict(task: str, mini_data, tmp_path) -> tuple[list[dict], list[dict]]:
    src = mini_data / FILES[task] / "mini-dev.jsonl"
    out = tmp_path / f"{task}.jsonl"
    assert main(["predict", task, str(src), "-o", str(out)]) == 0
    gold = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines()]
    pred = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in pred] == [g["id"] for g in gold]
    return gold, pred


@pytest.mark.parametrize("task", ["checkworthy", "pairs", "claim-article"])
def test_predict_gives_one_known_label_per_row(task, mini_data, tmp_path) -> None:
    _, pred = _predict(task, mini_data, tmp_path)
    assert {p["label"] for p in pred} <= LABELS[task]


def test_ner_predicts_one_valid_bio_tag_per_token(mini_data, tmp_path) -> None:
    gold, pred = _predict("ner", mini_data, tmp_path)
    for g, p in zip(gold, pred, strict=True):
        assert len(p["tags"]) == len(g["tokens"])
        for prev, tag in zip(["O", *p["tags"]], p["tags"], strict=False):
            assert tag == "O" or (tag[:2] in ("B-", "I-") and tag[2:] in ("PERS", "LOC", "ORG", "MISC"))
            assert not tag.startswith("I-") or prev[2:] == tag[2:]
    found = {t for p in pred for t in p["tags"]}
    assert "B-LOC" in found  # نابل, تونس and الرباط are places the gazetteer knows


def test_clusters_keep_the_flood_apart_from_the_festival(mini_data, tmp_path) -> None:
    gold, pred = _predict("clusters", mini_data, tmp_path)
    by_gold: dict[str, set] = {}
    for g, p in zip(gold, pred, strict=True):
        by_gold.setdefault(g["cluster"], set()).add(p["cluster"])
    assert len(by_gold["flood"]) == 1 and len(by_gold["cinema"]) == 1
    assert by_gold["flood"] != by_gold["cinema"]


def test_similarity_ranks_a_paraphrase_above_an_unrelated_pair(mini_data, tmp_path) -> None:
    _, pred = _predict("similarity", mini_data, tmp_path)
    score = {p["id"]: p["score"] for p in pred}
    assert all(0.0 <= s <= 1.0 for s in score.values())
    assert score["p-1"] > score["p-2"] and score["p-4"] > score["p-5"]


@pytest.mark.parametrize(("task", "key"), [("ner", "micro_f1_pers_loc_org"), ("checkworthy", "macro_f1"),
                                           ("pairs", "macro_f1_agree_contradict"),
                                           ("claim-article", "macro_f1"), ("clusters", "bcubed_f1")])
def test_eval_prints_the_task_s_metrics(task, key, mini_data, capsys) -> None:
    assert main(["eval", task, str(mini_data / FILES[task] / "mini-dev.jsonl"), "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert 0.0 <= metrics[key] <= 1.0


def test_eval_of_rows_without_the_task_s_gold_field_is_one_clear_error(mini_data, capsys) -> None:
    assert main(["eval", "similarity", str(mini_data / "pairs" / "mini-dev.jsonl")]) == 2
    assert "the gold rows have no 'score' field" in capsys.readouterr().err


def test_eval_gives_each_headline_figure_a_bootstrap_interval_around_it(mini_data, capsys) -> None:
    src = str(mini_data / "pairs" / "mini-dev.jsonl")
    assert main(["eval", "pairs", src, "--json", "--bootstrap", "200"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    lo, hi = metrics["interval_95"]["accuracy"]
    assert lo <= metrics["accuracy"] <= hi
    assert main(["eval", "pairs", src, "--bootstrap", "0"]) == 0
    assert "bootstrap" not in capsys.readouterr().out
