"""Linking on text of our own: clitics, spelling variants, surnames, titles, scripts, lookups."""

from __future__ import annotations

from riwaya.extract.entities import annotate, link_across, lookup
from riwaya.extract.entities.translit import same_name
from riwaya.model import Analysis, Article
from riwaya.text import build_document


def analyse(text: str, ident: str = "a") -> Analysis:
    analysis = Analysis(build_document(Article(id=ident, text=text)))
    annotate(analysis)
    return analysis


def ids_of(analysis: Analysis, surface: str) -> set[str]:
    return {m.entity for m in analysis.mentions if m.text == surface}


def test_clitics_share_the_entity():
    a = analyse("وصل الوفد إلى الكويت ثم غادر والكويت تراقب. "
                "وأعلنت الحكومة دعمها لداعش؟ لا، بل حربها على داعش.")
    assert ids_of(a, "الكويت") == {"LOC:KW"}
    assert ids_of(a, "داعش") == {"ORG:isis"}
    assert all(a.document.text[m.start:m.end] == m.text for m in a.mentions)


def test_barqa_is_not_raqqa():
    """«برقة» (Barqa, eastern Libya) is not ب + «الرقة» (Raqqa, Syria)."""
    a = analyse("قال مسؤول إن قوات إقليم برقة تسيطر على الموانئ، وإن الفيدراليين في برقة يرفضون. "
                "وسيطر التنظيم على الرقة في سوريا.")
    raqqa = ids_of(a, "الرقة")
    assert raqqa and "LOC:cyrenaica" not in raqqa
    bare = a.document.text.index("في برقة") + 3
    assert not {m.entity for m in a.mentions if m.start < bare + 4 and bare < m.end} & raqqa
    assert ids_of(a, "إقليم برقة") == {"LOC:cyrenaica"}


def test_spelling_variants_meet():
    a = analyse("قالت الخارجية الأمريكية إن الوفد سيزور الدانمرك.", "a")
    b = analyse("وأكدت الخارجية الأميركية أن الوزير زار الدنمرك.", "b")
    link_across([a, b])
    assert ids_of(a, "الخارجية الأمريكية") == ids_of(b, "الخارجية الأميركية") == {"ORG:us-state-dept"}
    assert ids_of(a, "الدانمرك") == ids_of(b, "الدنمرك") == {"LOC:DK"}


def test_unknown_names_with_spelling_variants_link_across():
    a = analyse("وقال القيادي عبدالرحيم الزنتاني إن المفاوضات مستمرة.", "a")
    b = analyse("وأكد القيادي عبد الرحيم الزنتاني أن الاتفاق قريب.", "b")
    link_across([a, b])
    (x,) = ids_of(a, "عبدالرحيم الزنتاني")
    assert ids_of(b, "عبد الرحيم الزنتاني") == {x}


def test_surname_binds_to_earlier_full_name():
    a = analyse("التقى الوزير مارتينو فيرالدي بنظرائه في روما. وقال فيرالدي إن الاجتماع كان مثمرا.")
    (full,) = ids_of(a, "مارتينو فيرالدي")
    assert ids_of(a, "فيرالدي") == {full}
    assert any(m.how == "surname" for m in a.mentions if m.text == "فيرالدي")


def test_two_people_sharing_a_surname_do_not_merge():
    text = ("وحضر الاجتماع الرئيس جيمس كوبرلاند ووزير الخارجية توماس كوبرلاند. "
            "وقال كوبرلاند إن الوفدين اتفقا.")
    a = analyse(text)
    first, second = ids_of(a, "جيمس كوبرلاند"), ids_of(a, "توماس كوبرلاند")
    assert first and second and first != second
    surname = ids_of(a, "كوبرلاند")
    assert surname and not surname & (first | second)  # ambiguous: left unlinked


def test_title_binds_to_the_person_it_introduced():
    a = analyse("وقال وزير الخارجية الأميركي جون كيري إن الحل سياسي. وأضاف الوزير الأميركي أن الحوار مستمر.")
    titles = [m for m in a.mentions if m.how == "title"]
    assert [m.text for m in titles] == ["الوزير الأميركي"]
    assert titles[0].entity == "PERS:kerry"


def test_cross_script_names_link():
    assert same_name("باولو جنتيلوني", "Paolo Gentiloni")
    assert same_name("آشتون كارتر", "Ashton Carter")
    assert not same_name("جون كيري", "Paolo Gentiloni")
    a = analyse("Foreign Minister Marco Ferraldi spoke in Rome.", "a")
    b = analyse("وقال وزير الخارجية ماركو فيرالدي إن الحل سياسي.", "b")
    link_across([a, b])
    (x,) = ids_of(a, "Marco Ferraldi")
    assert ids_of(b, "ماركو فيرالدي") == {x}


def test_lookup_known_names():
    state = lookup("الخارجية الأميركية")
    assert state and (state.type, state.subtype) == ("ORG", "ministry")
    for name in ("صحيفة TTU", "أخبار الحدث", "الجزيرة"):
        found = lookup(name)
        assert found and found.subtype == "media", name
    kerry = lookup("كيري")
    assert kerry and kerry.type == "PERS" and kerry.id == lookup("John Kerry").id
    assert lookup("ISIS").id == lookup("تنظيم الدولة").id == lookup("داعش").id
    assert lookup("الثلاثاء") is None and lookup("قوات") is None and lookup("الخارجية") is None
