"""Names an article has already given (``NameMemory``), and teams named after places."""

from __future__ import annotations

from riwaya.extract.entities import annotate
from riwaya.extract.entities.memory import NameMemory
from riwaya.model import Analysis, Article
from riwaya.tasks import ner
from riwaya.text import build_document
from riwaya.text.normalize import analyze


def keys(sentence: str) -> list[str]:
    return [analyze(w)[0] for w in sentence.split()]


def test_a_surname_alone_and_a_repeated_name_are_recalled():
    memory = NameMemory()
    first = "وقال رئيس البنك المركزي الأوروبي فيم دويسنبرج إن الفائدة لن تتغير"
    memory.remember(keys(first), [(5, 7, "PERS"), (2, 5, "ORG")])
    later = "وأكد دويسنبرج للصحفيين أن البنك المركزي الأوروبي مستقل"
    assert memory.recall(keys(later), [False] * 8) == [(1, 2, "PERS"), (4, 7, "ORG")]
    # a run already tagged is left alone; so is the surname of a one-word name
    assert memory.recall(keys(later), [False, True] + [False] * 6) == [(4, 7, "ORG")]


def test_common_words_and_titles_are_not_remembered_alone():
    memory = NameMemory(skip=frozenset(keys("الملك")))
    memory.remember(keys("استقبل الملك عبدالله الثاني الوفد"), [(1, 4, "PERS")])
    assert memory.recall(keys("في اليوم الثاني استقبل الملك الوفد"), [False] * 6) == []


def test_a_window_forgets_names_of_older_sentences():
    memory = NameMemory(window=1)
    memory.remember(keys("قال فيم دويسنبرج"), [(1, 3, "PERS")])
    memory.remember(keys("ثم انتهى الاجتماع"), [])
    assert not memory
    assert memory.recall(keys("وقال دويسنبرج"), [False, False]) == []


def test_rows_read_as_running_text_recall_a_bare_surname():
    memory = NameMemory(ner.WINDOW)
    first = ["وقال", "رئيس", "البنك", "فيم", "دويسنبرج", "إن", "الفائدة", "ثابتة", "."]
    tags = ["O", "O", "O", "B-PERS", "I-PERS", "O", "O", "O", "O"]
    assert ner.recall(memory, first, tags) == tags
    later = ["وأكد", "دويسنبرج", "ذلك", "."]
    assert ner.recall(memory, later, ["O"] * 4) == ["O", "B-PERS", "O", "O"]


def test_predict_keeps_one_valid_tag_per_token_across_rows():
    rows = [{"id": "1", "tokens": ["وقال", "وزير", "الخارجية", "الأميركي", "جون", "كيري", "إن",
                                   "المحادثات", "مستمرة", "."]},
            {"id": "2", "tokens": ["وأضاف", "كيري", "أن", "الاتفاق", "قريب", "."]}]
    tags = [p["tags"] for p in ner.predict(rows)]
    assert tags[0][4:6] == ["B-PERS", "I-PERS"] and tags[1][1] == "B-PERS"
    assert [len(t) for t in tags] == [10, 6]


def test_a_first_team_or_a_rank_is_no_club_name():
    """«الأول» is also a GeoNames place: after المنتخب / الفريق / النادي it is an ordinal."""
    analysis = Analysis(build_document(Article(id="a", text=(
        "اجتمع مدرب المنتخب الأول مع اللاعبين، وأجرى الفريق الأول لكرة القدم بالنادي أول تمارينه، "
        "وأبرمت إدارة نادي النجمة عقدين."))))
    annotate(analysis)
    assert {m.text: m.type for m in analysis.mentions} == {"النجمة": "ORG"}


def test_a_team_named_after_a_place_is_an_organisation():
    analysis = Analysis(build_document(Article(id="a", text=(
        "وفاز منتخب البرازيل على ضيفه بهدفين، فيما تعادل نادي الرياض مع الشباب."))))
    annotate(analysis)
    found = {m.text: analysis.entities for m in analysis.mentions}
    types = {m.text: m.type for m in analysis.mentions}
    assert types.get("البرازيل") == "ORG" and types.get("الرياض") == "ORG", found
    teams = {e.names[0]: e.subtype for e in analysis.entities if e.type == "ORG"}
    assert teams.get("البرازيل") == "team"
