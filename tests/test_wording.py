"""Arabic explanations: verbs agree in gender with the outlet they report on."""

from __future__ import annotations

from riwaya.report.wording import feminine, verb


def test_outlets_are_feminine_unless_a_masculine_head_noun_opens_the_name():
    assert verb("يورد", "الجزيرة + وكالات") == "تورد"
    assert verb("ينفرد", "صحيفة المساء") == "تنفرد"
    assert verb("يذكر", "Reuters") == "تذكر"
    assert verb("يورد", "موقع أخبار الحدث") == "يورد"
    assert verb("يقول", "المرصد السوري لحقوق الإنسان") == "يقول"


def test_an_article_known_by_its_id_or_file_name_is_the_article():
    assert not feminine("000_c30c670de5ae5a37")
    assert not feminine("masaa_no_withdrawal")
    assert verb("يتفق", ["000_c30c670de5ae5a37", "الجزيرة"]) == "يتفق"
    assert verb("يتفق", ["الجزيرة", "000_c30c670de5ae5a37"]) == "تتفق"
