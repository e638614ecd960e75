"""Readers: every format, every encoding, the seeds and the shared corpus."""

from __future__ import annotations

import gzip
import io
import itertools
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import riwaya
from riwaya.ingest import ReadStats, read
from riwaya.ingest.plaintext import split_credits

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ARABIC = ("قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في العاصمة.\n"
          "وأضاف أن الوفدين اتفقا على جدول الأعمال.")


def one(path) -> riwaya.model.Article:
    articles = list(read(path, strict=True))
    assert len(articles) == 1
    return articles[0]


# --------------------------------------------------------------------------- plain text
def test_text_title_credits_and_body_kept_exactly():
    raw = (FIXTURES / "article.txt").read_text(encoding="utf-8")
    a = one(FIXTURES / "article.txt")
    assert a.title == "افتتاح جسر جديد على نهر المدينة"
    assert a.credits == "المصدر : وكالة أنباء المدينة"
    assert raw.startswith(a.text) and a.text.endswith("سيارة يوميا.")
    assert "المصدر" not in a.text
    assert a.origin == str(FIXTURES / "article.txt")
    assert len(a.id) == 16 and a.source is None


@pytest.mark.parametrize("line", ["المصدر : الجزيرة + وكالات", "المصدر: رويترز", "Source: AFP"])
def test_credits_line_variants(line):
    body, credits = split_credits(f"نص الخبر الأول.\n\n{line}\n")
    assert (body, credits) == ("نص الخبر الأول.", line)


def test_no_title_when_first_line_is_a_sentence(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("وقال الوزير إن الاجتماع انتهى.\nوأضاف أن الجولة المقبلة في مارس.", encoding="utf-8")
    assert one(f).title is None


def test_seed_002_title_and_credits(seed_paths):
    _, seed_002 = seed_paths
    raw = seed_002.read_text(encoding="utf-8")
    a = one(seed_002)
    assert a.title == "التحالف يستبعد تدخلا عسكريا وشيكا بليبيا"
    assert a.credits == "المصدر : الجزيرة + وكالات"
    assert raw.startswith(a.text)
    assert a.text.endswith("في مناطق انتشاره الرئيسية.")


def test_seed_000_no_title_no_credits(seed_paths):
    seed_000, _ = seed_paths
    a = one(seed_000)
    assert a.title is None and a.credits is None
    assert a.text == seed_000.read_text(encoding="utf-8")


def test_ids_are_stable_content_hashes(tmp_path):
    (tmp_path / "a.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARABIC.replace("\n", "\r\n") + "\n", encoding="utf-8")
    a, b = read([tmp_path / "a.txt", tmp_path / "b.txt"], strict=True)
    assert a.id == b.id
    assert b.text == ARABIC + "\n"  # CRLF folded to LF, the rest as published


# --------------------------------------------------------------------------- encodings
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256", "iso-8859-6"])
def test_encodings_detected(tmp_path, encoding):
    f = tmp_path / f"article-{encoding}.txt"
    f.write_bytes(ARABIC.encode(encoding))
    a = one(f)
    assert a.text == ARABIC


def test_cp1256_text_with_latin_punctuation(tmp_path):
    text = "أعلنت الشركة (ش.م.ع) أرباحا بلغت 2.5 مليون دولار، بزيادة 10% عن العام الماضي!"
    f = tmp_path / "legacy.txt"
    f.write_bytes(text.encode("cp1256"))
    assert one(f).text == text


def test_html_windows_1256_declared(tmp_path):
    page = (FIXTURES / "page.html").read_text(encoding="utf-8").replace(
        'charset="utf-8"', 'charset="windows-1256"')
    f = tmp_path / "page.html"
    f.write_bytes(page.encode("cp1256", "replace"))
    a = one(f)
    assert "أغلقت السلطات المحلية" in a.text


# --------------------------------------------------------------------------- HTML
def test_html_body_and_metadata():
    a = one(FIXTURES / "page.html")
    assert a.title == "أمطار غزيرة تغلق طرقا في الشمال"
    assert a.source == "صحيفة الوادي"
    assert a.author == "سلمى ناصر"
    assert a.published is not None and a.published.date().isoformat() == "2024-03-05"
    assert a.url == "https://alwadi.example/news/rain-north"
    assert "فرق الإنقاذ أجلت أكثر من 200 شخص" in a.text
    assert "رياضة" not in a.text and "جميع الحقوق محفوظة" not in a.text  # nav, footer


# --------------------------------------------------------------------------- JSON / JSONL
def test_jsonl_records():
    arts = list(read(FIXTURES / "articles.jsonl", strict=True))
    assert [a.id for a in arts[:2]] == ["fx-1", "fx-2"]
    assert arts[0].published == datetime(2016, 2, 2, 10, 15)
    assert arts[0].source == "alsahel" and arts[0].author == "فريق التحرير"
    assert arts[1].author is None
    assert arts[2].origin.endswith("articles.jsonl:4")  # blank line 3 skipped, line numbers kept
    assert len(arts[2].id) == 16  # no id in the record: content hash


def test_jsonl_gzipped_and_json_list(tmp_path):
    gz = tmp_path / "dump.jsonl.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "articles.jsonl").read_bytes()))
    assert [a.id for a in read(gz, strict=True)][:2] == ["fx-1", "fx-2"]
    arts = list(read(FIXTURES / "articles.json", strict=True))
    assert [a.id for a in arts] == ["j-1", "j-2"]
    assert arts[0].origin.endswith("articles.json[0]")


def test_json_single_object_and_unknown_keys_in_meta(tmp_path):
    f = tmp_path / "one.json"
    f.write_text('{"id": 7, "text": "خبر قصير.", "section": "محليات"}', encoding="utf-8")
    a = one(f)
    assert a.id == "7" and a.meta == {"section": "محليات"}


def test_shared_corpus_first_rows(data_dir):
    corpus = data_dir / "corpus" / "saudinewsnet.jsonl.gz"
    if not corpus.exists():
        pytest.skip("corpus not available")
    arts = list(itertools.islice(read(corpus, strict=True), 50))
    assert arts[0].id == "snn-0" and arts[0].source == "aawsat"
    assert arts[0].published == datetime(2015, 7, 21, 2, 51, 32)
    assert arts[0].origin.endswith("saudinewsnet.jsonl.gz:1")
    assert all(a.text and a.title for a in arts[:10])


# --------------------------------------------------------------------------- feeds
def test_rss_entries():
    a, b = read(FIXTURES / "feed.rss", strict=True)
    assert a.id == "sahel-0001" and a.source == "أخبار الساحل"
    assert a.title == "افتتاح ميناء صيد جديد"
    assert a.text == ("افتتح وزير الزراعة ميناء صيد جديدا في المدينة الساحلية.\n"
                      "وقال الوزير إن الميناء سيوفر 300 فرصة عمل.")
    assert a.published == datetime(2016, 2, 2, 10, 15, tzinfo=UTC)
    assert a.author == "مراسل الساحل"
    assert b.id == "https://sahel.example/news/2"  # no guid: the link
    assert "&" in b.text and "&amp;" not in b.text
    assert b.published == datetime(2016, 2, 3, 16, 0, tzinfo=UTC)


def test_atom_entry():
    a = one(FIXTURES / "feed.atom")
    assert a.id == "urn:example:jabal:42" and a.source == "نشرة الجبل"
    assert a.author == "هدى سالم" and a.url == "https://jabal.example/42"
    assert a.text.startswith("تساقطت الثلوج") and "<p>" not in a.text


# --------------------------------------------------------------------------- folders, globs, stdin
def test_folder_recursive_and_glob(tmp_path):
    sub = tmp_path / "deeper" / "still"
    sub.mkdir(parents=True)
    (sub / "x.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "y.txt").write_text("خبر آخر تماما.", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")  # unknown extension: not read from folders
    (tmp_path / ".hidden.txt").write_text("مخفي", encoding="utf-8")
    stats = ReadStats()
    arts = list(read(tmp_path, stats=stats))
    assert len(arts) == 2 and stats.skipped == 0
    assert len(list(read(str(tmp_path / "**" / "*.txt"), strict=True))) == 2


def fake_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))


def test_stdin_sniffs_format(monkeypatch):
    fake_stdin(monkeypatch, (FIXTURES / "articles.jsonl").read_bytes())
    arts = list(read("-", strict=True))
    assert [a.id for a in arts][:2] == ["fx-1", "fx-2"]
    assert arts[0].origin == "<stdin>:1"


def test_stdin_plain_text(monkeypatch):
    fake_stdin(monkeypatch, ARABIC.encode("cp1256"))
    a = one("-")
    assert a.text == ARABIC and a.origin == "<stdin>"


def test_unknown_extension_sniffed(tmp_path):
    f = tmp_path / "download.php"
    f.write_bytes((FIXTURES / "feed.atom").read_bytes())
    assert one(f).id == "urn:example:jabal:42"


def test_api_read_and_analyze(seed_paths):
    _, seed_002 = seed_paths
    analysis = riwaya.analyze(seed_002)
    assert analysis.article.credits == "المصدر : الجزيرة + وكالات"
    assert riwaya.analyze(analysis.article).article is analysis.article
    for s in analysis.document.sentences:
        assert analysis.article.text[s.start:s.end].strip()


def test_stdin_gzipped_jsonl_with_long_lines(monkeypatch):
    long_text = "خبر طويل " * 2000  # first line longer than what is peeked to sniff the format
    rows = f'{{"id": "long", "text": "{long_text}"}}\n{{"id": "short", "text": "نص."}}\n'
    fake_stdin(monkeypatch, gzip.compress(rows.encode("utf-8")))
    assert [a.id for a in read("-", strict=True)] == ["long", "short"]


def test_json_lines_under_a_json_name(tmp_path):
    f = tmp_path / "dump.json"
    f.write_bytes((FIXTURES / "articles.jsonl").read_bytes())
    assert [a.id for a in read(f, strict=True)][:2] == ["fx-1", "fx-2"]


@pytest.mark.parametrize("declaration, encoding", [
    (' encoding="windows-1256"', "cp1256"), (' encoding="iso-8859-6"', "iso-8859-6"),
    ("", "cp1256"),  # undeclared legacy bytes: detected
])
def test_feed_in_legacy_encodings(tmp_path, declaration, encoding):
    xml = (FIXTURES / "feed.atom").read_text(encoding="utf-8").replace(' encoding="utf-8"', declaration)
    f = tmp_path / "legacy.atom"
    f.write_bytes(xml.encode(encoding))
    assert one(f).title == "ثلوج على القمم العالية"


@pytest.mark.parametrize("text, encoding", [
    ("Le ministre a déclaré à la presse que l’intervention n’était pas prévue.", "cp1252"),
    ("Café au lait and a résumé for the naïve reporter, said the minister on Tuesday.", "latin-1"),
])
def test_western_legacy_encodings(tmp_path, text, encoding):
    f = tmp_path / "latin.txt"
    f.write_bytes(text.encode(encoding))
    assert one(f).text == text
