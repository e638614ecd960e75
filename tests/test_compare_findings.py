"""Each finding kind from its mechanism, on small articles we write (annotations set by hand, so
these tests do not depend on the extractors), plus alignment basics."""

from __future__ import annotations

from riwaya.comparison.align import align, claim_infos, fold, stem
from riwaya.comparison.compare import compare_story
from riwaya.model import Analysis, Article, Claim, Cue, DateExpr, Mention, Quantity, Source, Story
from riwaya.text import build_document


def make(aid: str, text: str, claims: list[dict], source: str) -> Analysis:
    """An analysis of ``text`` with claims given as ``{"text": substring, ...fields}``."""
    an = Analysis(document=build_document(Article(aid, text, source=source)))
    for n, spec in enumerate(claims):
        spec = dict(spec)
        sub = spec.pop("text")
        start = text.index(sub)
        claim = Claim(f"{aid}-c{n}", start, start + len(sub), sub, 0)
        for key in ("modality", "polarity"):
            if key in spec:
                setattr(claim, key, spec.pop(key))
        for src in spec.pop("chain", []):
            kind, stext = src
            s0 = text.find(stext)
            claim.chain.append(Source(kind, stext, s0 if s0 >= 0 else None,
                                      s0 + len(stext) if s0 >= 0 else None))
        for qtext, value, unit in spec.pop("quantities", []):
            q0 = text.index(qtext, start)
            an.quantities.append(Quantity(q0, q0 + len(qtext), qtext, value, unit))
            claim.quantities.append(len(an.quantities) - 1)
        for dtext, value, tense in spec.pop("dates", []):
            d0 = text.index(dtext, start)
            an.dates.append(DateExpr(d0, d0 + len(dtext), dtext, value, tense=tense))
            claim.dates.append(len(an.dates) - 1)
        for ctext, kind in spec.pop("cues", []):
            c0 = text.index(ctext, start)
            an.cues.append(Cue(c0, c0 + len(ctext), kind, ctext))
            claim.cues.append(len(an.cues) - 1)
        for etext, eid in spec.pop("entities", []):
            e0 = text.index(etext, start)
            an.mentions.append(Mention(e0, e0 + len(etext), etext, "LOC", eid))
            claim.entities.append(eid)
        assert not spec, spec
        an.claims.append(claim)
    return an


A_TEXT = ("قالت مصادر مطلعة طلبت عدم الكشف عن هويتها إن الجيش بدأ سحب قواته من مدينة بير الغنم. "
          "وأسفرت الاشتباكات في بير الغنم عن مقتل 14 مدنيا. "
          "ومن المقرر أن يعقد الوزير اجتماعا مع وجهاء بير الغنم الأحد المقبل. "
          "وتحدث مسؤول عن خلايا تابعة لتنظيم داعش في المنطقة.")
B_TEXT = ("نفى وزير الدفاع سليم العبيدي أي نية لسحب القوات من مدينة بير الغنم. "
          "وقال العبيدي إن الاشتباكات في بير الغنم أسفرت عن مقتل 9 مدنيين. "
          "وعقد الوزير الأحد اجتماعا مع وجهاء بير الغنم في المدينة. "
          "وأضاف أن عناصر من تنظيم الدولة شاركوا في الهجوم.")
BIR = ("بير الغنم", "LOC:bir")


def _pair() -> tuple[Analysis, Analysis]:
    a = make("A", A_TEXT, [
        {"text": "إن الجيش بدأ سحب قواته من مدينة بير الغنم", "modality": "reported",
         "chain": [("anonymous", "مصادر مطلعة طلبت عدم الكشف عن هويتها")], "entities": [BIR]},
        {"text": "وأسفرت الاشتباكات في بير الغنم عن مقتل 14 مدنيا", "entities": [BIR],
         "quantities": [("14 مدنيا", 14, "مدني")]},
        {"text": "ومن المقرر أن يعقد الوزير اجتماعا مع وجهاء بير الغنم الأحد المقبل", "modality": "future",
         "entities": [BIR], "dates": [("الأحد المقبل", None, "future")]},
    ], "وكالة الساحل")
    b = make("B", B_TEXT, [
        {"text": "نفى وزير الدفاع سليم العبيدي أي نية لسحب القوات من مدينة بير الغنم",
         "modality": "ruled_out", "polarity": "negative", "cues": [("نفى", "ruling_out")],
         "chain": [("named_person", "وزير الدفاع سليم العبيدي")], "entities": [BIR]},
        {"text": "إن الاشتباكات في بير الغنم أسفرت عن مقتل 9 مدنيين", "entities": [BIR],
         "chain": [("named_person", "العبيدي")], "quantities": [("9 مدنيين", 9, "مدنيين")]},
        {"text": "وعقد الوزير الأحد اجتماعا مع وجهاء بير الغنم في المدينة", "entities": [BIR],
         "dates": [("الأحد", None, "past")]},
    ], "صحيفة المساء")
    return a, b


def _kinds(sc) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in sc.findings:
        out.setdefault(f.kind, []).append(f)
    return out


def test_matching_forms_fold_clitics_and_spelling():
    assert fold("أستراليا") == fold("استراليا")
    assert stem("بليبيا") == stem("ليبيا")
    assert stem("اجتماعًا") == stem("الاجتماع")


def test_alignment_pairs_the_claims_about_the_same_matter():
    a, b = _pair()
    als = align([claim_infos(a), claim_infos(b)], use_model=False)
    best = {}
    for al in als:
        best.setdefault(al.a.index, al.b.index)
    assert best[0] == 0  # withdrawal ↔ denial of withdrawal
    assert best[1] == 1  # death tolls
    assert best[2] == 2  # the meeting


def test_every_kind_from_hand_annotated_articles():
    a, b = _pair()
    sc = compare_story(Story("S1", ["A", "B"]), [a, b], use_model=False)
    kinds = _kinds(sc)
    contradiction = kinds["contradiction"][0]
    assert contradiction.status == "unresolved"
    assert contradiction.details["affirms"] == ["A"] and contradiction.details["negates"] == ["B"]
    assert {e.claim for e in contradiction.evidence} >= {"A-c0", "B-c0"}

    numeric = kinds["numeric_discrepancy"][0]
    assert sorted(numeric.details["values"].values()) == [9, 14]

    sourcing = kinds["sourcing_contrast"][0]
    assert sourcing.articles == ["A", "B"]
    assert "مصادر مطلعة" in " ".join(e.text for e in sourcing.evidence)
    assert "العبيدي" in " ".join(e.text for e in sourcing.evidence)

    timing = kinds["timing"][0]
    assert timing.details["anticipated_in"] == "A" and timing.details["reported_in"] == "B"

    naming = kinds["naming"][0]
    texts = {e.text for e in naming.evidence}
    assert any("داعش" in t for t in texts) and "تنظيم الدولة" in texts

    for f in sc.findings:
        assert f.explanation_ar and f.explanation_en and 0 < f.confidence < 1
        for e in f.evidence:
            text = a.article.text if e.article == "A" else b.article.text
            assert text[e.start:e.end] == e.text
    assert sc.summary and all(s.findings for s in sc.summary)


def test_agreement_and_unique():
    a = make("A", "وصل وزير الخارجية جون كيري إلى روما للمشاركة في اجتماع التحالف. "
                  "وسيتوجه كيري بعدها إلى لندن لحضور مؤتمر المانحين.", [
        {"text": "وصل وزير الخارجية جون كيري إلى روما للمشاركة في اجتماع التحالف",
         "entities": [("كيري", "P:kerry"), ("روما", "LOC:rome")]},
        {"text": "وسيتوجه كيري بعدها إلى لندن لحضور مؤتمر المانحين",
         "entities": [("كيري", "P:kerry"), ("لندن", "LOC:london")]},
    ], "one")
    b = make("B", "شارك جون كيري في اجتماع التحالف في روما. وأعلن كيري أن التحالف نفذ 10 آلاف غارة.", [
        {"text": "شارك جون كيري في اجتماع التحالف في روما",
         "entities": [("كيري", "P:kerry"), ("روما", "LOC:rome")]},
        {"text": "وأعلن كيري أن التحالف نفذ 10 آلاف غارة", "entities": [("كيري", "P:kerry")],
         "quantities": [("10 آلاف غارة", 10000, "غارة")]},
    ], "two")
    sc = compare_story(Story("S1", ["A", "B"]), [a, b], use_model=False)
    kinds = _kinds(sc)
    agreement = kinds["agreement"][0]
    assert {e.claim for e in agreement.evidence} == {"A-c0", "B-c0"}
    unique = {f.articles[0]: f for f in kinds["unique"]}
    assert "لندن" in unique["A"].evidence[0].text
    assert "10 آلاف غارة" in unique["B"].details["items"][0]["quantities"]
    assert "contradiction" not in kinds


def test_date_discrepancy():
    a = make("A", "وقع الانفجار في مرفأ المدينة يوم 4 أغسطس 2020.", [
        {"text": "وقع الانفجار في مرفأ المدينة يوم 4 أغسطس 2020", "entities": [("المدينة", "LOC:x")],
         "dates": [("4 أغسطس 2020", "2020-08-04", "past")]}], "one")
    b = make("B", "وقع الانفجار في مرفأ المدينة يوم 5 أغسطس 2020.", [
        {"text": "وقع الانفجار في مرفأ المدينة يوم 5 أغسطس 2020", "entities": [("المدينة", "LOC:x")],
         "dates": [("5 أغسطس 2020", "2020-08-05", "past")]}], "two")
    sc = compare_story(Story("S1", ["A", "B"]), [a, b], use_model=False)
    found = _kinds(sc)["date_discrepancy"][0]
    assert found.details["values"] == {"A": "2020-08-04", "B": "2020-08-05"}
    assert found.evidence[0].text == "4 أغسطس 2020"


def test_unrelated_claims_do_not_contradict():
    a = make("A", "افتتح معرض الكتاب بمشاركة 300 دار نشر.", [
        {"text": "افتتح معرض الكتاب بمشاركة 300 دار نشر", "quantities": [("300 دار", 300, "دار")]}], "one")
    b = make("B", "نفى الوزير نشر قوات في الجنوب.", [
        {"text": "نفى الوزير نشر قوات في الجنوب", "modality": "ruled_out", "cues": [("نفى", "ruling_out")]}],
        "two")
    sc = compare_story(Story("S1", ["A", "B"]), [a, b], use_model=False)
    assert not [f for f in sc.findings if f.kind in ("contradiction", "agreement", "numeric_discrepancy")]


def test_numeric_discrepancies_are_one_per_article_pair_and_unit():
    """Many differing figures for the same thing give one finding per pair of articles, not one
    per combination of figures."""
    from riwaya.comparison import compare_analyses
    from riwaya.pipeline import analyze_article

    def article(aid: str, tolls: list[int], outlet: str) -> Analysis:
        lines = [f"قالت وزارة الصحة في مدينة الواحة إن الهجوم على السوق المركزي أسفر عن مقتل {n} مدنيا."
                 for n in tolls]
        return analyze_article(Article(id=aid, text="\n".join(lines), source=outlet))

    a = article("a", [12, 15, 17, 19], "صحيفة الأولى")
    b = article("b", [30, 33, 35, 38], "صحيفة الثانية")
    comparison = compare_analyses([a, b])
    found = [f for s in comparison.stories for f in s.findings if f.kind == "numeric_discrepancy"]
    assert len(found) == 1
    assert set(found[0].details["values"]) == {"a", "b"}


def test_pair_model_batches_give_the_same_stances(a000, a002, monkeypatch):
    """The seeds' aligned pairs judged a few at a time (as a large story's thousands are, to bound
    memory) get exactly the stances they get in one batch."""
    import riwaya.comparison.align as align_module

    infos = [claim_infos(a000), claim_infos(a002)]
    whole = align(infos)
    monkeypatch.setattr(align_module, "PAIR_BATCH", 7)
    batched = align(infos)
    assert len(whole) > 7 and all(al.stance for al in whole)
    assert [al.stance for al in batched] == [al.stance for al in whole]
