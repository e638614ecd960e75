"""The text layer on the seeds, on the corpus and on sentences written for these tests."""

from __future__ import annotations

import copy
import gzip
import itertools
import json
import pickle

import pytest

from riwaya.model import Article, Document
from riwaya.text import build_document
from riwaya.text.normalize import key
from riwaya.text.tokenize import token_strings


def doc(text: str) -> Document:
    return build_document(Article(id="t", text=text))


def sentences(text: str) -> list[str]:
    d = doc(text)
    return [text[s.start:s.end] for s in d.sentences]


def tokens(text: str) -> list[tuple[str, str]]:
    d = doc(text)
    return [(text[t.start:t.end], t.kind) for t in d.tokens]


def assert_spans_slice(d: Document) -> None:
    text = d.text
    assert list(token_strings(d.tokens, text)) == [text[t.start:t.end] for t in d.tokens]
    prev_end = 0
    for t in d.tokens:
        assert 0 <= t.start < t.end <= len(text)
        assert t.start >= prev_end and not text[t.start:t.end].isspace()
        prev_end = t.end
    for i, s in enumerate(d.sentences):
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == text[s.start:s.end].strip()
        toks = d.sentence_tokens(i)
        assert toks and toks[0].start == s.start and toks[-1].end <= s.end
        assert d.sentence_at(s.start) == i
    assert d.segments[0].start == 0 and d.segments[-1].end == len(text)
    for a, b in itertools.pairwise(d.segments):
        assert a.end == b.start


# --------------------------------------------------------------------------- seeds
@pytest.fixture(scope="module")
def seeds(seed_paths):
    return [doc(p.read_text(encoding="utf-8")) for p in seed_paths]


def test_seed_spans_slice_the_text(seeds):
    for d in seeds:
        assert_spans_slice(d)


def test_seed_documents_survive_pickling_and_copying(seeds):
    for d in seeds:
        for other in (pickle.loads(pickle.dumps(d)), copy.deepcopy(d)):
            assert other.tokens == d.tokens and other.sentences == d.sentences
            assert_spans_slice(other)


def test_seed_002_caption_is_one_english_segment(seeds):
    d = seeds[1]
    langs = [(g.lang, d.text[g.start:g.end]) for g in d.segments]
    assert [lang for lang, _ in langs] == ["ar", "en", "ar"]
    caption = langs[1][1]
    assert caption.startswith("Italian Foreign Minister") and caption.endswith("since last May.'")


def test_seed_000_latin_name_stays_in_arabic_segment(seeds):
    d = seeds[0]
    assert "TTU" in d.text
    assert [g.lang for g in d.segments] == ["ar"]


def test_seed_000_no_sentence_cut_at_arabic_comma(seeds):
    d = seeds[0]
    for s in d.sentences:
        assert not d.text[s.start:s.end].endswith(("،", ","))
    first = d.text[d.sentences[0].start:d.sentences[0].end]
    assert "التنظيم ، ربما بقيادة إيطالية." in first


def test_seed_000_sign_off_and_share_prompt_are_not_content(seeds):
    d = seeds[0]
    flags = {d.text[s.start:s.end]: s.content for s in d.sentences}
    assert flags["ع.ع.م."] is False
    assert flags["شارك رأيك"] is False
    assert sum(not c for c in flags.values()) == 2


def test_seed_002_credits_line_is_not_content(seeds):
    d = seeds[1]
    last = d.sentences[-1]
    assert d.text[last.start:last.end].startswith("المصدر")
    assert last.content is False
    assert all(s.content for s in d.sentences[:-1])


def test_paragraphs_follow_line_breaks(seeds):
    d = seeds[0]
    lines = [ln for ln in d.text.split("\n") if ln.strip()]
    assert max(s.paragraph for s in d.sentences) == len(lines) - 1


def test_seed_keys_match_across_spellings(seeds):
    keys = {t.key for d in seeds for t in d.tokens}
    assert key("ليبيا") in keys and key("بليبيا") == key("ليبيا")


# --------------------------------------------------------------------------- sentences
def test_arabic_comma_and_latin_comma_never_end_a_sentence():
    assert sentences("قال الوزير، في مؤتمر صحفي، إن الوضع خطير, وأضاف أنه لا حل.") == [
        "قال الوزير، في مؤتمر صحفي، إن الوضع خطير, وأضاف أنه لا حل."
    ]


def test_arabic_and_latin_terminals():
    assert sentences("هل انتهى الاجتماع؟ نعم! وبدأ آخر. Then it ended.") == [
        "هل انتهى الاجتماع؟", "نعم!", "وبدأ آخر.", "Then it ended."
    ]


def test_abbreviations_and_initials_are_not_boundaries():
    assert sentences("وقال د. محمد علي إن م. أحمد وصل. ثم غادر.") == [
        "وقال د. محمد علي إن م. أحمد وصل.", "ثم غادر."
    ]
    assert sentences("Mr. Kerry met U.S. officials and John F. Kennedy's heirs. They left.") == [
        "Mr. Kerry met U.S. officials and John F. Kennedy's heirs.", "They left."
    ]


def test_year_mark_after_number_ends_a_sentence():
    assert sentences("تأسست عام 1990 م. وقال المدير.") == ["تأسست عام 1990 م.", "وقال المدير."]


def test_decimals_are_not_boundaries():
    assert sentences("بلغ النمو 2.5 في المئة و٢٫٥ أخرى. انتهى.") == [
        "بلغ النمو 2.5 في المئة و٢٫٥ أخرى.", "انتهى."
    ]


@pytest.mark.parametrize("q", [("«", "»"), ("“", "”"), ('"', '"'), ("”", "”")])
def test_quotes_are_kept_whole(q):
    o, c = q
    text = f"قال الوزير {o}لن نتدخل. ليس الآن! ربما لاحقا{c} ثم غادر القاعة. وانتهى."
    assert sentences(text) == [f"قال الوزير {o}لن نتدخل. ليس الآن! ربما لاحقا{c} ثم غادر القاعة.", "وانتهى."]


def test_sentence_ends_after_closing_quote():
    text = "وأضاف: «الوضع خطير.» وقال آخر إنه هادئ."
    assert sentences(text) == ["وأضاف: «الوضع خطير.»", "وقال آخر إنه هادئ."]


def test_unbalanced_quote_does_not_swallow_the_line():
    assert sentences("قال «لن نتدخل. ثم غادر. وانتهى.") == ["قال «لن نتدخل.", "ثم غادر.", "وانتهى."]


def test_line_breaks_end_sentences_and_paragraphs():
    d = doc("العنوان بلا نقطة\n\nالفقرة الأولى. جملة ثانية.\nالفقرة الثانية")
    assert [(d.text[s.start:s.end], s.paragraph) for s in d.sentences] == [
        ("العنوان بلا نقطة", 0), ("الفقرة الأولى.", 1), ("جملة ثانية.", 1), ("الفقرة الثانية", 2)
    ]


# --------------------------------------------------------------------------- tokens
def test_number_percent_url_hashtag_mention_tokens():
    got = tokens("ارتفع 40% و٤٠٪ من ١٠٬٠٠٠ إلى 10,000 و2.5 #ليبيا @afp https://x.com/a?b=1.")
    assert ("40%", "percent") in got and ("و٤٠٪", "percent") in got
    assert ("١٠٬٠٠٠", "number") in got and ("10,000", "number") in got and ("و2.5", "number") in got
    assert ("#ليبيا", "hashtag") in got and ("@afp", "mention") in got
    assert ("https://x.com/a?b=1", "url") in got and got[-1] == (".", "punct")


def test_number_keys_and_prefixes():
    d = doc("من ١٠٬٠٠٠ إلى 10,000 و٤٠٪")
    nums = [t for t in d.tokens if t.kind in ("number", "percent")]
    assert [t.key for t in nums] == ["10000", "10000", "40%"]
    assert nums[-1].prefix == "و"


def test_word_tokens_carry_keys_and_clitics():
    d = doc("وبالتالي سيتوجه كيري بليبيا")
    by_text = {d.text[t.start:t.end]: t for t in d.tokens}
    assert by_text["بليبيا"].key == "ليبيا" and by_text["بليبيا"].prefix == "ب"
    assert by_text["وبالتالي"].prefix == "وبال"
    assert all(t.stem for t in d.tokens)


def test_initials_are_single_tokens():
    assert ("ع.ع.م.", "word") in tokens("ع.ع.م.")
    assert ("U.S.", "word") in tokens("the U.S. army")


def test_display_text_is_never_rewritten():
    text = "أَسْتُرالِيا والـحـكـومـة ١٠٬٠٠٠"
    d = doc(text)
    assert d.text == text and "".join(text[t.start:t.end] for t in d.tokens) == text.replace(" ", "")


# --------------------------------------------------------------------------- segments and boilerplate
def test_short_latin_stretch_stays_arabic_long_one_is_its_own_segment():
    assert [g.lang for g in doc("قالت صحيفة TTU الفرنسية إن John Kerry وصل.").segments] == ["ar"]
    d = doc("قال المصدر.\nLe ministre français des affaires étrangères a déclaré mardi.\nانتهى.")
    assert [g.lang for g in d.segments] == ["ar", "fr", "ar"]


def test_all_latin_text():
    assert [g.lang for g in doc("The coalition met in Rome on Tuesday.").segments] == ["en"]


def test_empty_text():
    d = doc("")
    assert d.tokens == [] and d.sentences == [] and [(g.start, g.end) for g in d.segments] == [(0, 0)]


@pytest.mark.parametrize(
    "line",
    ["شارك", "شارك رأيك", "اقرأ أيضاً: الوزير يصل إلى روما", "اقرأ أيضا", "Read also: Kerry in Rome",
     "للمزيد من الأخبار تابعونا", "(أ ف ب)", "ع.ع.م.", "المصدر : الجزيرة + وكالات", "رويترز", "«الفرنسية»"],
)
def test_boilerplate_lines_are_marked_not_deleted(line):
    text = f"قال الوزير إن الاجتماع انتهى.\n{line}\nوأضاف أنه سيعود."
    d = doc(text)
    assert [s.content for s in d.sentences] == [True] * 1 + [False] * (len(d.sentences) - 2) + [True]
    assert line in text[d.sentences[1].start:d.sentences[-2].end]


def test_reporting_that_mentions_sharing_is_content():
    assert all(s.content for s in doc("شارك الوزير في اجتماع روما أمس.").sentences)


# --------------------------------------------------------------------------- corpus property
def test_spans_slice_the_text_for_corpus_articles(data_dir):
    path = data_dir / "corpus" / "saudinewsnet.jsonl.gz"
    if not path.exists():
        pytest.skip(f"{path} not available")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in itertools.islice(f, 0, 3000, 10)]
    for row in rows:
        d = doc(row["text"])
        assert_spans_slice(d)
        covered = {i for s in d.sentences for i in range(s.token_start, s.token_end)}
        assert covered == set(range(len(d.tokens)))


def test_spelled_latin_letters_are_not_boundaries():
    assert sentences("قالت شبكة سي. إن. إن. الأمريكية إن بي. بي. سي. نقلت الخبر. وانتهى.") == [
        "قالت شبكة سي. إن. إن. الأمريكية إن بي. بي. سي. نقلت الخبر.", "وانتهى."
    ]


def test_separator_lines_are_not_content():
    d = doc("الخبر الأول.\n* * *\nالخبر الثاني.")
    assert [s.content for s in d.sentences] == [True, False, True]


def test_short_product_name_defaults_to_english_not_a_guess():
    d = doc("زرنا مطعم Bebek Bengil Dirty Duck Diner في بالي.")
    assert [g.lang for g in d.segments] == ["ar", "en", "ar"]


def test_windows_line_endings_and_blank_text():
    d = doc("السطر الأول.\r\nالسطر الثاني\r\n")
    assert [(d.text[s.start:s.end], s.paragraph) for s in d.sentences] == [
        ("السطر الأول.", 0), ("السطر الثاني", 1)
    ]
    assert doc(" \n\t ").sentences == []


def test_period_after_closing_quote_stays_with_its_sentence():
    assert sentences("قال: «ماذا يسبب اسمك؟». وأعلن المكتب (ألم تشاهد CNN؟). انتهى.") == [
        "قال: «ماذا يسبب اسمك؟».", "وأعلن المكتب (ألم تشاهد CNN؟).", "انتهى."
    ]


def test_random_mixtures_of_tricky_characters_always_give_valid_spans():
    import random

    pool = [
        *"قال ليبيا. ،,؟!…«»“”\"'()\n\r\t 0123٠١٢٣٬٫%٪#@:/-ـًٌّ",
        "U.S.", "ع.ع.م.", "http://a.b/c", "د.", "Mr.", "سي.", "10,000", "٢٫٥", "Kerry said", "\u200f", "ﻻ"
    ]
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 80)))
        assert_spans_slice(doc(text))



CHILD = """
import pickle, sys, json
from riwaya.extract.entities import annotate
from riwaya.model import Analysis, Article
from riwaya.text import build_document
annotate(Analysis(build_document(Article(id="other", text=sys.argv[2]))))  # other words first
analysis = Analysis(pickle.loads(open(sys.argv[1], "rb").read()))
annotate(analysis)
print(json.dumps(sorted([m.start, m.end, m.type] for m in analysis.mentions)))
"""


def test_a_document_pickled_into_another_process_gets_the_same_entities(tmp_path, seed_paths):
    import subprocess
    import sys

    from riwaya.extract.entities import annotate
    from riwaya.model import Analysis

    seed_000, seed_002 = (p.read_text(encoding="utf-8") for p in seed_paths)
    here = Analysis(doc(seed_000))
    annotate(here)
    (tmp_path / "doc.pkl").write_bytes(pickle.dumps(here.document))
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "doc.pkl"), seed_002],
                         capture_output=True, text=True, check=True).stdout
    assert here.mentions and json.loads(out) == sorted([m.start, m.end, m.type] for m in here.mentions)
