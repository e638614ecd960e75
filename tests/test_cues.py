"""Cues on real sentences of the seeds, with their scopes."""

from __future__ import annotations

from riwaya.extract.cues import cues_in


def kinds(text):
    return {(c.kind, c.text) for c in cues_in(text)}


def test_ruling_out():
    assert ("ruling_out", "استبعد") in kinds("استبعد التحالف الدولي تدخلا عسكريا في ليبيا في هذه المرحلة")
    assert ("ruling_out", "من غير الوارد") in kinds('إنه "من غير الوارد إطلاقا" التدخل عسكريا في ليبيا')
    assert ("ruling_out", "ليس هناك حماسة") in kinds("أنه ليس هناك حماسة لدى إيطاليا")


def test_hedge():
    assert ("hedge", "ربما") in kinds("لدراسة إمكانية التدخل ضد التنظيم ، ربما بقيادة إيطالية.")
    assert ("hedge", "على ما يبدو") in kinds("تتريث على ما يبدو في تنفيذ عمل عسكري")
    assert ("hedge", "قد يكون") in kinds("قد يكون الهجوم وشيكا")
    assert not any(k == "hedge" for k, _ in kinds("وقد أعلن وزير الدفاع"))  # قد + past verb


def test_negation_with_scope():
    text = "أعلن منذ البداية أنه لا ينوي إرسال قوات إلى هذا البلد, وأن هذا الأمر ينسحب"
    neg = next(c for c in cues_in(text) if c.kind == "negation")
    assert neg.text == "لا"
    assert text[neg.scope_start:neg.scope_end].strip() == "ينوي إرسال قوات إلى هذا البلد"
    assert ("ruling_out", "لا ينوي") in kinds(text)


def test_future():
    assert ("future", "سيعقد") in kinds("سيعقد التحالف الذي تقوده الولايات المتحدة اجتماعًا الثلاثاء")
    assert ("future", "سوف") in kinds("سوف يصل الوفد")
    assert not any(k == "future" for k, _ in kinds("السياسة الخارجية في سيناء"))


def test_reported():
    assert ("reported", "نقلا عن") in kinds("نقلا عن مصادر ليبية لم تكشف عن هويتها")


def test_drone_is_not_negation():
    assert not any(k == "negation" for k, _ in kinds("مركبات جوية دون طيار"))
