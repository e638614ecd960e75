"""Reports of a comparison: JSON against its schema, HTML safety and links, CSV, ClaimReview,
terminal text (logical and visual right-to-left)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from riwaya.model import Comparison
from riwaya.report import render
from riwaya.report.bidi import reorder, shape, visual
from riwaya.resources import PACKAGE

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    """The bundled examples: two reports we wrote of one invented event (every kind of finding
    but timing), so these tests need nothing from ../shared."""
    import riwaya

    return riwaya.compare([str(ROOT / "examples" / "sahil_withdrawal.txt"),
                           str(ROOT / "examples" / "masaa_no_withdrawal.txt")])


def schema() -> dict:
    return json.loads((PACKAGE / "schema" / "comparison.schema.json").read_text(encoding="utf-8"))


def check_json(report: str) -> dict:
    import jsonschema

    data = json.loads(report)
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.Draft202012Validator(schema()).validate(data)
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for story in data["stories"]:
        for f in story["findings"]:
            for e in f["evidence"]:
                assert texts[e["article"]][e["start"]:e["end"]] == e["text"]
        for s in story["summary"]:
            for e in s["evidence"]:
                assert texts[e["article"]][e["start"]:e["end"]] == e["text"]
    return data


def test_json_validates_and_spans_slice(comparison):
    data = check_json(render(comparison, "json"))
    assert data["schema_version"] == "2.1"
    assert {f["kind"] for f in data["stories"][0]["findings"]} >= {"contradiction", "numeric_discrepancy"}


def test_schema_rejects_a_bad_report(comparison):
    import jsonschema

    data = json.loads(render(comparison, "json"))
    data["stories"][0]["findings"][0]["kind"] = "verdict"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)


def test_html_links_every_finding_to_its_spans_and_back(comparison):
    page = render(comparison, "html")
    assert '<html lang="ar" dir="rtl">' in page
    for f in comparison.stories[0].findings:
        assert f'id="{f.id}"' in page
        for i in range(len(f.evidence)):
            assert f'href="#{f.id}-e{i}"' in page and f'id="{f.id}-e{i}"' in page
        assert f'class="back" href="#{f.id}"' in page
    assert "<svg" in page and "<mark" in page


def test_html_escapes_text_and_neutralises_bidi_controls():
    from riwaya.comparison.compare import compare_analyses
    from riwaya.model import Analysis, Article
    from riwaya.text import build_document

    hostile = "قال الوزير <script>alert(1)</script> إن \u202eالقوات\u202c لن تنسحب \u2067x\u2069.\n"
    arts = [Analysis(build_document(Article(i, hostile + t, source=f"<b>{i}</b>")))
            for i, t in (("a", "نفى الوزير سحب القوات."), ("b", "بدأ سحب القوات."))]
    page = render(compare_analyses(arts), "html")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>a</b>" not in page
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]", page)
    assert "[U+202E]" in page


def test_html_isolates_outlet_names_in_other_scripts_inside_arabic_sentences():
    """A store of files names outlets by their stems: «تورد akhbar-alhadath …» must not let the
    Latin name and its neighbours' punctuation reorder the sentence."""
    import riwaya
    from riwaya.model import Article

    texts = [(ROOT / "examples" / n).read_text(encoding="utf-8")
             for n in ("sahil_withdrawal.txt", "masaa_no_withdrawal.txt")]
    arts = [Article("a", texts[0], source="akhbar-alhadath"), Article("b", texts[1], source="masaa_2024")]
    page = render(riwaya.compare(arts), "html")
    summary = re.search(r'<ul class="summary">(.*?)</ul>', page, flags=re.S).group(1)
    assert "<bdi>akhbar-alhadath</bdi>" in summary and "<bdi>masaa_2024</bdi>" in summary
    assert not re.search(r"(?<!<bdi>)(akhbar-alhadath|masaa_2024)(?!</bdi>)", summary)


def test_terminal_report_shows_escape_sequences_instead_of_running_them():
    """An article (or a file name) carrying ESC sequences or a bidi override cannot repaint the
    terminal or forge lines of the report: they are shown as \\x1b, \\u202e."""
    from riwaya.comparison.compare import compare_analyses
    from riwaya.model import Analysis, Article
    from riwaya.text import build_document

    forged = "\x1b[2J\x1b[31mنفى الوزير\u202e سحب القوات من المدينة.\n"
    arts = [Analysis(build_document(Article(i, forged + t, source=f"out\x1b]0;{i}\x07")))
            for i, t in (("a", "نفى الوزير سحب القوات."), ("b", "بدأ سحب القوات من المدينة."))]
    for bidi in ("logical", "visual"):
        text = render(compare_analyses(arts), "text", bidi=bidi)
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
        assert "\\x1b" in text


def test_csv_one_row_per_finding(comparison):
    text = render(comparison, "csv", "en")
    assert text.startswith("\ufeff")  # the byte-order mark spreadsheets need for Arabic
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == len(comparison.stories[0].findings)
    numeric = next(r for r in rows if r["kind"] == "numeric discrepancy")
    assert "14 مدنيا" in numeric["evidence"] and "9 مدنيين" in numeric["evidence"]
    assert set(numeric["outlets"].split(" | ")) == {"وكالة الأنباء الساحلية", "صحيفة المساء"}
    assert numeric["urls"] == ""  # no url: an empty cell, not " | "
    assert float(numeric["confidence"]) > 0
    arabic = list(csv.DictReader(io.StringIO(render(comparison, "csv", "ar").removeprefix("\ufeff"))))
    assert {r["kind"] for r in arabic} >= {"تناقض", "اتفاق"} and "غير محسوم" in {r["status"] for r in arabic}


def test_csv_cells_never_run_as_formulas():
    from riwaya.report.csvreport import cell

    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and cell("+1") == "'+1" and cell("@x") == "'@x"
    assert cell("تناقض") == "تناقض"


def test_claimreview_drafts_leave_the_rating_empty(comparison):
    drafts = json.loads(render(comparison, "claimreview"))
    disputed = [f for f in comparison.stories[0].findings
                if f.kind in ("contradiction", "numeric_discrepancy", "date_discrepancy")]
    assert len(drafts) == len(disputed)
    for d in drafts:
        assert d["@context"] == "https://schema.org" and d["@type"] == "ClaimReview"
        assert d["claimReviewed"]
        assert d["itemReviewed"]["@type"] == "Claim" and d["itemReviewed"]["appearance"]
        assert d["itemReviewed"]["author"]["name"]
        assert d["reviewRating"]["ratingValue"] is None
    first = drafts[0]
    assert "سحب قواته" in first["claimReviewed"]
    assert first["itemReviewed"]["author"]["name"] in (
        "وكالة الأنباء الساحلية", "مصادر عسكرية مطلعة طلبت عدم الكشف")


def test_terminal_logical_shows_the_text_as_written(comparison):
    out = render(comparison, "text", width=120)
    assert "تناقض" in out and "وكالة الأنباء الساحلية" in out and "صحيفة المساء" in out
    assert "غير محسوم" in out and "unresolved" not in out  # status words in Arabic too
    assert "المسائل" in out  # the matters and each outlet's position
    assert "┃" in out  # the evidence table, outlets side by side
    assert "\x1b[" not in out  # no colour codes unless asked
    coloured = render(comparison, "text", width=120, colour=True)
    assert "\x1b[" in coloured


def test_terminal_visual_reorders_right_to_left(comparison):
    out = render(comparison, "text", width=120, bidi="visual")
    # the outlet name appears shaped and reversed, as a terminal without bidi must be fed it
    assert reorder(shape("صحيفة المساء")) in out
    assert "صحيفة المساء" not in out


def test_visual_keeps_latin_and_numbers_left_to_right():
    line = visual("قال كيري إن التحالف نفذ 10,000 غارة في Syria")
    assert "10,000" in line and "Syria" in line
    assert line.index("Syria") < line.index("10,000")  # read right to left: Syria comes last
    assert shape("لا") == "\ufefb"  # lam-alef ligature
    assert shape("بب") == "\ufe91\ufe90"  # initial + final beh
