"""Titles as every view shows them: HTML character references decoded at ingest, and stories
labelled by their articles' headlines, never cut mid-word."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from _workspace import fill
from riwaya.ingest import read
from riwaya.ingest.fields import clean_field
from riwaya.model import Article, shorten, story_label


def test_character_references_in_titles_are_decoded_once_read(mini_data) -> None:
    titles = {a.id: a.title for a in read(mini_data / "corpus" / "mini.jsonl.gz")}
    assert titles["mini-4"] == "توزيع “دليل الإسعافات الأولية” على المدارس"
    assert not any("&#" in t for t in titles.values())


def test_clean_field_decodes_twice_escaped_references_and_leaves_plain_text() -> None:
    assert clean_field("الوزير &amp;#8220;يستقيل&amp;#8221;") == "الوزير “يستقيل”"
    assert clean_field("  قصف\n في   حلب ") == "قصف في حلب"
    assert clean_field("AT&T و R&D") == "AT&T و R&D"  # an ampersand that is no reference stays
    assert clean_field("&nbsp;") is None and clean_field(None) is None


def test_a_feed_title_with_escaped_references_is_clean(tmp_path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>الساحل &amp;amp; الوطن'
        "</title><item><title>توزيع &amp;#8220;الدليل&amp;#8221; على المدارس</title>"
        "<link>https://example.org/1</link><description>وزعت الوزارة الدليل على المدارس.</description>"
        "</item></channel></rss>",
        encoding="utf-8",
    )
    (article,) = read(feed)
    assert article.title == "توزيع “الدليل” على المدارس"
    assert article.source == "الساحل & الوطن"


def test_text_is_never_rewritten(tmp_path) -> None:
    path = tmp_path / "a.jsonl"
    record = {"id": "x", "title": "&#8220;عنوان&#8221;", "text": "نص &#8220;كما نشر&#8221;"}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,) = read(path)
    assert article.title == "“عنوان”" and article.text == "نص &#8220;كما نشر&#8221;"


def test_shorten_cuts_at_a_word_boundary() -> None:
    text = "أعلنت وزارة التجهيز أن أشغال إصلاح الطرق والجسور التي دمرتها الفيضانات ستبدأ الأسبوع المقبل"
    short = shorten(text, 40)
    assert short.endswith("…") and len(short) <= 40
    assert text.startswith(short[:-1]) and text[len(short) - 1] == " "  # the cut falls between words
    assert shorten("قصيرة") == "قصيرة"


def test_a_story_is_labelled_by_the_first_article_that_has_a_headline() -> None:
    untitled = Article(id="a", text="لقي ثلاثة أشخاص حتفهم وأصيب 12 آخرون جراء فيضانات اجتاحت مدينة "
                                    "نابل التونسية ليلة الاثنين بعد أمطار غزيرة استمرت أكثر من عشر ساعات."
                                    "\nسطر ثان.")
    titled = Article(id="b", text="نص.", title="فيضانات نابل: ثلاثة قتلى")
    assert story_label([untitled, titled]) == "فيضانات نابل: ثلاثة قتلى"
    label = story_label([untitled])
    assert label.endswith("…") and "سطر ثان" not in label
    assert untitled.text.startswith(label[:-1])
    assert untitled.text[len(label) - 1] == " "


def test_the_workspace_labels_stories_by_headline(tmp_path, story_paths) -> None:
    """The web app's story list and page show the headline a .txt file's first line gives."""
    from riwaya.store import open_store
    from riwaya.web.app import create_app

    articles = list(read([str(p) for p in story_paths]))
    with open_store(tmp_path / "w.db") as store:
        fill(store, articles)
    with TestClient(create_app(tmp_path / "w.db"), base_url="http://127.0.0.1") as client:
        (story,) = client.get("/api/stories").json()["stories"]
        assert story["label"] == "فيضانات نابل: ثلاثة قتلى وإجلاء 450 عائلة"
        assert story["label"] in client.get("/").text
