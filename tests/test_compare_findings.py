"""Every finding kind on real text: the bundled examples (two reports we wrote of one invented
event), adjudicated pairs of real articles from ../shared/data/compare, and copies of one report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, need

ROOT = Path(__file__).resolve().parents[1]
SAHIL, MASAA = ROOT / "examples" / "sahil_withdrawal.txt", ROOT / "examples" / "masaa_no_withdrawal.txt"


def _kinds(findings) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in findings:
        out.setdefault(f.kind, []).append(f)
    return out


@pytest.fixture(scope="module")
def examples():
    import riwaya

    comparison = riwaya.compare([str(SAHIL), str(MASAA)])
    ids = {Path(a.article.origin or "").stem: a.article.id for a in comparison.analyses}
    return comparison, ids["sahil_withdrawal"], ids["masaa_no_withdrawal"]


def test_examples_one_verdict_per_matter(examples):
    comparison, _, _ = examples
    story = comparison.stories[0]
    verdicts = [f for f in story.findings if f.kind in ("contradiction", "timing", "agreement")]
    per_matter: dict[str, set[str]] = {}
    for f in verdicts:
        per_matter.setdefault(f.matter, set()).add(f.kind)
    # at most one verdict a matter (an agreement may note what a timing matter's outlets share)
    assert all(len(k - {"agreement"}) <= 1 for k in per_matter.values())
    for m in story.matters:
        claims = [c for p in m.positions for c in p.claims]
        assert len(claims) == len(set(claims))
    every = [c for m in story.matters for p in m.positions for c in p.claims]
    assert len(every) == len(set(every))  # a claim belongs to one matter


def test_examples_contradiction_and_sourcing(examples):
    comparison, sahil, masaa = examples
    kinds = _kinds(comparison.stories[0].findings)
    (contradiction,) = kinds["contradiction"]
    assert contradiction.details["affirms"] == [sahil] and contradiction.details["negates"] == [masaa]
    assert "سحب" in " ".join(e.text for e in contradiction.evidence if e.article == sahil)
    assert "نفى وزير الدفاع" in " ".join(e.text for e in contradiction.evidence if e.article == masaa)
    assert "تورد وكالة الأنباء الساحلية" in contradiction.explanation_ar  # feminine agreement
    assert "تنفيه صحيفة المساء أو تستبعده" in contradiction.explanation_ar
    contrast = next(f for f in kinds["sourcing_contrast"] if f.matter == contradiction.matter)
    assert "مصادر عسكرية مطلعة طلبت عدم الكشف" in " ".join(e.text for e in contrast.evidence)
    assert "وزير الدفاع سليم العبيدي" in contrast.explanation_ar


def test_examples_figures_dates_agreement_naming_unique(examples):
    comparison, sahil, masaa = examples
    kinds = _kinds(comparison.stories[0].findings)
    (numeric,) = kinds["numeric_discrepancy"]
    assert sorted(numeric.details["values"].values()) == [9, 14]
    (dates,) = kinds["date_discrepancy"]
    assert dates.details["values"] == {sahil: "2024-03-03", masaa: "2024-03-04"}
    # the tolls and the days differ, the clash is the same: the matter's verdict is agreement
    agreement = next(f for f in kinds["agreement"] if f.matter == numeric.matter)
    assert {e.article for e in agreement.evidence} == {sahil, masaa}
    naming = kinds["naming"][0]
    assert "داعش" in " ".join(e.text for e in naming.evidence if e.article == sahil)
    unique = {f.articles[0]: f for f in kinds["unique"]}
    assert "40 شاحنة" in unique[sahil].details["figures"]
    assert "5 ملايين دولار" in unique[masaa].details["figures"]


def test_one_outlet_does_not_contradict_itself():
    """The examples' clash, both articles published by one outlet: its earlier and later reports,
    not outlets colliding (nor outlets whose figures, dates or sourcing differ)."""
    import riwaya
    from riwaya.model import Article

    texts = [p.read_text(encoding="utf-8") for p in (SAHIL, MASAA)]
    comparison = riwaya.compare([Article(f"a{i}", t, source="one.example") for i, t in enumerate(texts)])
    assert comparison.stories
    kinds = {f.kind for s in comparison.stories for f in s.findings}
    assert not kinds & {"contradiction", "numeric_discrepancy", "date_discrepancy", "sourcing_contrast"}


def test_copies_are_one_report(tmp_path):
    """The same report carried twice (a file given twice, or a copy under another name) is shown
    as one report, never compared with itself."""
    import riwaya

    copy = tmp_path / "copy.txt"
    copy.write_text(SAHIL.read_text(encoding="utf-8"), encoding="utf-8")
    comparison = riwaya.compare([str(SAHIL), str(copy)])
    assert not comparison.stories and comparison.copies and len(comparison.copies[0]) == 2
    out = subprocess.run([sys.executable, "-m", "riwaya.cli", "compare", str(SAHIL), str(SAHIL)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0 and "Traceback" not in out.stderr
    assert "نسخ من تقرير واحد" in out.stdout


def _rows(split: str) -> dict[str, dict]:
    path = need(DATA / "compare" / f"unifiedfc-{split}.jsonl")
    return {r["id"]: r for r in map(json.loads, path.open(encoding="utf-8"))}


@pytest.fixture(scope="module")
def compare_train():
    from riwaya.tasks.compare import predict

    rows = {**_rows("train"), **_rows("dev")}
    wanted = ["V-7-0~V-7-3", "V-600-5~V-600-7", "V-328-5~V-328-7", "R-102-0~R-102-3", "R-86-1~R-86-3",
              "V-111-1~V-111-3", "R-307-1~R-307-9", "R-320-0~R-320-4"]
    preds = predict([rows[i] for i in wanted])
    return {p["id"]: (rows[p["id"]], p["findings"]) for p in preds}


def _hits(row: dict, finding: dict) -> bool:
    a, b = set(row["a_lines"]), set(row["b_lines"])
    return bool(set(finding["a_lines"]) & a) and bool(set(finding["b_lines"]) & b)


@pytest.mark.parametrize("pair", ["V-7-0~V-7-3", "V-600-5~V-600-7", "R-320-0~R-320-4"])
def test_real_update_is_timing_not_contradiction(compare_train, pair):
    """B has the SDF preparing to storm Raqqa, or launching the battle for it; A reports its
    later capture, or (deep in a long page) the villages north of it taken. An earthquake's
    toll, which one outlet calls provisional, given at two moments."""
    _, findings = compare_train[pair]
    kinds = {f["kind"] for f in findings}
    assert "timing" in kinds and "contradiction" not in kinds


def test_real_contradiction_on_its_lines(compare_train):
    """A has the Russian ministry saying Baghdadi was likely killed; B cites IS-close sources
    saying he is still alive: the denial meets the claim it denies, not a nearer sentence."""
    row, findings = compare_train["V-328-5~V-328-7"]
    assert any(f["kind"] == "contradiction" and _hits(row, f) for f in findings)


def test_real_agreement_on_its_lines(compare_train):
    row, findings = compare_train["R-102-0~R-102-3"]
    assert any(f["kind"] == "agreement" and _hits(row, f) for f in findings)
    assert not any(f["kind"] == "contradiction" for f in findings)


def test_both_carry_the_denial_no_contradiction(compare_train):
    """Both report Lavrov saying Russia made no pledge on the pro-Iran forces' withdrawal; one
    also sets out the US statement he answered: the outlets agree."""
    _, findings = compare_train["R-307-1~R-307-9"]
    assert not any(f["kind"] == "contradiction" for f in findings)


@pytest.mark.parametrize("pair", ["R-86-1~R-86-3", "V-111-1~V-111-3"])
def test_real_different_matters_do_not_contradict(compare_train, pair):
    _, findings = compare_train[pair]
    assert not any(f["kind"] == "contradiction" for f in findings)


def test_eval_compare_prints_what_the_scorer_prints(tmp_path):
    """``riwaya eval compare`` and ``../shared/tools/score.py compare`` agree on dev."""
    gold = need(DATA / "compare" / "unifiedfc-dev.jsonl")
    scorer = need(DATA.parent / "tools" / "score.py")
    pred = tmp_path / "pred.jsonl"
    run = [sys.executable, "-m", "riwaya.cli"]
    out = subprocess.run([*run, "predict", "compare", str(gold), "-o", str(pred)], capture_output=True,
                         text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    theirs = json.loads(subprocess.run([sys.executable, str(scorer), "compare", str(gold), str(pred)],
                                       capture_output=True, text=True, timeout=60).stdout)
    ours = json.loads(subprocess.run([*run, "eval", "compare", str(gold), "--json"], capture_output=True,
                                     text=True, timeout=600, cwd=ROOT).stdout)
    assert ours == theirs
    assert ours["false_contradiction_rate"] <= 0.05 and ours["agreement_recall_on_evidence"] >= 0.8
    assert ours["update_pairs_called_contradiction"] <= 0.1
