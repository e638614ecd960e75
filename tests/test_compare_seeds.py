"""``riwaya compare`` on real text: the two seeds (acceptance 1 and 3), the bundled examples
(acceptance 4 and 6) and stories of ../shared/data/clusters."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


def _kinds(data: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for story in data["stories"]:
        for f in story["findings"]:
            out.setdefault(f["kind"], []).append(f)
    return out


def _texts(f: dict, article: str | None = None) -> str:
    return " ".join(e["text"] for e in f["evidence"] if article is None or e["article"] == article)


def _has_claims(data: dict) -> bool:
    return all(a["claims"] for a in data["articles"])


@pytest.fixture(scope="module")
def seeds_json(seed_paths) -> dict:
    out = subprocess.run([sys.executable, "-m", "riwaya.cli", "compare", *map(str, seed_paths),
                          "--format", "json"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    from test_report import check_json

    return check_json(out.stdout)


def _ids(data: dict) -> tuple[str, str]:
    by_origin = {Path(a["origin"]).name[:3]: a["id"] for a in data["articles"]}
    return by_origin["000"], by_origin["002"]


def test_seeds_are_one_story(seeds_json):
    assert len(seeds_json["stories"]) == 1 and not seeds_json["set_aside"]
    assert len(seeds_json["stories"][0]["articles"]) == 2


def test_seeds_naming(seeds_json):  # داعش against تنظيم الدولة
    s000, s002 = _ids(seeds_json)
    naming = _kinds(seeds_json)["naming"][0]
    assert "داعش" in _texts(naming, s000)
    assert "تنظيم الدولة" in _texts(naming, s002)


def _matter(data: dict, finding: dict) -> dict:
    return next(m for m in data["stories"][0]["matters"] if m["id"] == finding["matter"])


def test_seeds_contradiction_on_the_intervention(seeds_json):
    """000's troops (1000 British soldiers, special forces landed) against 002's ruling out by the
    coalition, Fabius, Gentiloni, Obama through Kerry and Hammond: one contradiction."""
    s000, s002 = _ids(seeds_json)
    (contradiction,) = _kinds(seeds_json)["contradiction"]
    assert contradiction["status"] == "unresolved"
    assert contradiction["details"]["affirms"] == [s000] and contradiction["details"]["negates"] == [s002]
    asserting, denying = _texts(contradiction, s000), _texts(contradiction, s002)
    assert "1000 جندي" in asserting and "القوات الخاصة" in asserting
    for denial in ("استبعد التحالف الدولي تدخلا عسكريا", "فابيوس", "جنتيلوني", "لا ينوي إرسال قوات",
                   "قوات على الأرض"):
        assert denial in denying
    assert "أوباما عبر وزير الخارجية الأميركي جون كيري" in contradiction["explanation_ar"]
    assert "هاموند" in contradiction["explanation_ar"]
    positions = {p["article"]: p["stance"] for p in _matter(seeds_json, contradiction)["positions"]}
    assert positions == {s000: "asserts", s002: "denies"}


def test_seeds_sourcing_names_the_chain(seeds_json):
    """000's basis is the chain Akhbar al-Hadath → TTU → unnamed Libyan sources, and media
    reports; 002's, ministers by name."""
    s000, _ = _ids(seeds_json)
    (contradiction,) = _kinds(seeds_json)["contradiction"]
    contrast = next(f for f in _kinds(seeds_json)["sourcing_contrast"]
                    if f["matter"] == contradiction["matter"])
    text = contrast["explanation_ar"]
    assert "صحيفة TTU" in text and "← مصادر ليبية لم تكشف عن هويتها" in text and "تقارير إعلامية" in text
    assert "فابيوس" in text and "جنتيلوني" in text
    spans = [e["text"] for e in contrast["evidence"] if e["article"] == s000]
    assert "مصادر ليبية لم تكشف عن هويتها" in spans
    summary = " ".join(s["text_ar"] for s in seeds_json["stories"][0]["summary"])
    assert "← مصادر ليبية لم تكشف عن هويتها" in summary


def test_seeds_timing_of_the_rome_meeting(seed_paths):
    """000 anticipates the meeting «next Tuesday», 002 reports it held: with 000 published on
    28 January 2016, the finding says Tuesday 2 February 2016, and the day it counted from."""
    import riwaya

    comparison = riwaya.compare(list(map(str, seed_paths)), published={seed_paths[0].stem: "2016-01-28"})
    (timing,) = [f for f in comparison.stories[0].findings if f.kind == "timing"]
    s000 = comparison.analyses[0].article.id
    assert timing.details["earlier"] == s000 and timing.details["stages"][s000] == "anticipated"
    assert "الثلاثاء المقبل" in " ".join(e.text for e in timing.evidence if e.article == s000)
    said = "«الثلاثاء المقبل»: الثلاثاء 2 فبراير 2016، محسوبًا من الخميس 28 يناير 2016"
    assert said in timing.explanation_ar
    assert "Tuesday 2 February 2016, counted from Thursday 28 January 2016" in timing.explanation_en


def test_seeds_agree_on_the_rome_meeting(seeds_json):
    agreements = [f for f in _kinds(seeds_json)["agreement"] if len(f["articles"]) == 2]
    assert any("روما" in _texts(f) and ("كيري" in _texts(f) or "Kerry" in _texts(f)) for f in agreements)
    # the intensified fight against IS is part of it: 000's partners «تكثيف التزاماتهم … ودحر»
    assert any("تكثيف" in _texts(f) for f in agreements)


def test_seeds_none_of_the_wrong_items(seeds_json):
    s000, s002 = _ids(seeds_json)
    story = seeds_json["stories"][0]
    kinds = _kinds(seeds_json)
    # 002 only relays that Western reports speak of preparations: no agreement rests on it
    for f in kinds.get("agreement", []):
        assert "تتحدث تقارير إعلامية غربية" not in _texts(f, s002)
    # no sentence under a contradiction and an agreement at once
    contra = {(e["article"], e["start"]) for f in kinds["contradiction"] for e in f["evidence"]}
    agree = {(e["article"], e["start"]) for f in kinds.get("agreement", []) for e in f["evidence"]}
    assert not contra & agree
    # 002's denial lede is not "unique", nor are the TTU claims on the contradicted matter
    unique = " ".join(_texts(f) for f in kinds["unique"])
    assert "استبعد التحالف الدولي تدخلا عسكريا" not in unique
    assert "موافقة مبدئية لنشر 1000 جندي" not in unique
    # the dispute line quotes what is disputed, not the meeting announcement
    dispute = next(s for s in story["summary"] if s["text_ar"].startswith("موضع خلاف"))
    assert "سيعقد التحالف" not in dispute["text_ar"]
    # the coalition is a body, not a named person
    (contradiction,) = kinds["contradiction"]
    named = contradiction["explanation_en"]
    assert "named person" not in named
    # the ClaimReview draft reviews the disputed claim
    disputed = contradiction["details"]["disputed"]
    assert disputed.startswith(s000)


def test_seeds_one_story_whatever_one_date(seed_paths):
    """Only 000 dated, any day from 26 January to 5 February 2016: still one story."""
    import riwaya

    for day in ("2016-01-26", "2016-01-28", "2016-02-02", "2016-02-05"):
        comparison = riwaya.compare(list(map(str, seed_paths)), published={seed_paths[0].stem: day})
        assert len(comparison.stories) == 1 and not comparison.set_aside, day
        assert any(f.kind == "contradiction" for f in comparison.stories[0].findings), day


def test_seeds_agreements_report_the_same_event(seeds_json):
    # two statements that merely name Kerry and Tuesday (his trip to London, his call on NATO)
    # are not the same report, nor are the TTU sentence and the US officials' budget figure
    for f in _kinds(seeds_json)["agreement"]:
        texts = _texts(f)
        assert not ("TTU" in texts and "سبعة مليارات" in texts)


def test_seeds_unique_figures(seeds_json):
    """Figures only one side gives: 000's 100 men for Tripoli, 002's ten thousand strikes, 50%,
    seven billion dollars; each figure listed once, in Arabic."""
    s000, s002 = _ids(seeds_json)
    unique = {f["articles"][0]: f for f in _kinds(seeds_json)["unique"]}
    assert "100 عنصر" in unique[s000]["details"]["figures"]
    figures002 = unique[s002]["details"]["figures"]
    for figure in ("عشرة آلاف غارة", "50%", "سبعة مليارات دولار"):
        assert figure in figures002
    assert not any("10,000" in f for f in figures002)


def test_examples_set_aside_the_unrelated_article():
    pytest.importorskip("riwaya.comparison.stories")
    import riwaya

    comparison = riwaya.compare([str(p) for p in EXAMPLES])
    fair = next(a.article.id for a in comparison.analyses if "fair_books" in (a.article.origin or ""))
    assert comparison.set_aside == [fair]
    assert len(comparison.stories) == 1
    assert fair not in comparison.stories[0].story.articles


def test_examples_cli_text_report(tmp_path):
    out = subprocess.run([sys.executable, "-m", "riwaya.cli", "compare", *map(str, EXAMPLES),
                          "--format", "html", "-o", str(tmp_path / "r.html")],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_bad_input_is_one_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "riwaya.cli", "compare", str(empty), str(EXAMPLES[0]),
                          "-o", str(tmp_path / "r.json"), "--format", "json"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and "compare needs at least two articles" in out.stderr
    assert not (tmp_path / "r.json").exists()


def test_a_shared_data_story(data_dir):
    """Two reports of one claim from ../shared/data/clusters compare without error, with spans
    that slice their texts and at least one finding."""
    import riwaya
    from riwaya.model import Article

    path = data_dir / "clusters" / "unifiedfc-dev.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    by_cluster: dict[str, list[dict]] = {}
    for r in rows:
        by_cluster.setdefault(r["cluster"], []).append(r)
    cluster = next(c for c, rs in sorted(by_cluster.items()) if len(rs) >= 2)
    arts = [Article(r["id"], r["text"], url=r["url"], source=r["url"].split("/")[2])
            for r in by_cluster[cluster][:2]]
    comparison = riwaya.compare(arts)
    assert comparison.stories
    for f in comparison.stories[0].findings:
        for e in f.evidence:
            text = next(a.text for a in arts if a.id == e.article)
            assert text[e.start:e.end] == e.text


def test_seeds_sourcing_evidence_names_the_speakers(seeds_json):
    # Kerry (inherited from the sentence before) and Obama (quoted inside) are two spans, not
    # the text between them
    _, s002 = _ids(seeds_json)
    (contradiction,) = _kinds(seeds_json)["contradiction"]
    contrast = next(f for f in _kinds(seeds_json)["sourcing_contrast"]
                    if f["matter"] == contradiction["matter"])
    spans = [e["text"] for e in contrast["evidence"] if e["article"] == s002]
    assert "وزير الخارجية الأميركي جون كيري" in spans and "الرئيس باراك أوباما" in spans
    assert not any("حلف شمال الأطلسي" in t for t in spans)
