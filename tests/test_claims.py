"""Claims of the seeds: attribution, polarity, modality, annotations, check-worthiness."""

from __future__ import annotations


def claim_with(a, needle):
    return next(c for c in a.claims if needle in c.text)


def test_ids_spans_and_scores(a000, a002):
    for a in (a000, a002):
        text = a.document.text
        assert [c.id for c in a.claims] == [f"{a.article.id}:c{i}" for i in range(len(a.claims))]
        for c in a.claims:
            assert text[c.start:c.end] == c.text
            assert 0.0 <= c.checkworthy <= 1.0


def test_boilerplate_is_not_a_claim(a000, a002):
    assert not any("شارك رأيك" in c.text for c in a000.claims)
    assert not any(c.text.startswith("المصدر") for c in a002.claims)


def test_ttu_claim_ultimate_source_is_anonymous(a000):
    c = claim_with(a000, "إقناع كتيبة")
    assert c.source.kind == "anonymous" and c.modality == "reported"


def test_ruled_out_claims_are_negative(a002):
    c = claim_with(a002, "استبعد التحالف الدولي")
    assert c.modality == "ruled_out" and c.polarity == "negative"
    c = claim_with(a002, "ليس هناك حماسة")
    assert c.polarity == "negative" and "جنتيلوني" in c.source.text


def test_several_statements_in_one_sentence(a002):
    first = claim_with(a002, "فأكد على دعم الحكومة")
    second = claim_with(a002, "استبعد نشر")
    assert first is not second and first.sentence == second.sentence
    assert first.polarity == "positive" and second.polarity == "negative"


def test_claim_carries_quantities_and_dates(a002):
    c = claim_with(a002, "سبعة مليارات")
    assert [a002.quantities[i].value for i in c.quantities] == [7e9]
    assert c.source.kind == "anonymous" and c.modality == "future"
    c = claim_with(a002, "آشتون كارتر")
    assert {a002.dates[i].text for i in c.dates} == {"الثلاثاء", "العام القادم"}


def test_hedged_claim(a000):
    c = claim_with(a000, "ربما بقيادة إيطالية")
    assert c.hedged


def test_entities_linked(a002):
    c = claim_with(a002, "وقال كيري في مؤتمر")
    assert c.entities


def test_trigger_gating_finds_what_a_full_scan_finds(seed_paths, data_dir):
    """Dates, quantities and cues run only around trigger tokens; a full scan finds the same."""
    import gzip
    import json
    from datetime import date
    from itertools import islice

    from riwaya.extract.cues import cues_in
    from riwaya.extract.dates import dates_in
    from riwaya.extract.quantities import quantities_in
    from riwaya.model import Article, to_dict
    from riwaya.pipeline import analyze_article

    corpus = data_dir / "corpus" / "saudinewsnet.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in islice(f, 40)]
    texts += [p.read_text(encoding="utf-8") for p in seed_paths]
    for i, text in enumerate(texts):
        a = analyze_article(Article(id=str(i), text=text))
        doc = a.document
        anchor = date.fromisoformat(a.dateline.value) if a.dateline else None  # the page's own day
        full_dates = dates_in(text, anchor, [(s.start, s.end) for s in doc.sentences])
        assert [(d.start, d.end, d.value) for d in full_dates] == \
            [(d.start, d.end, d.value) for d in a.dates]
        skip = [(d.start, d.end) for d in a.dates]
        skip += [(m.start, m.end) for m in a.mentions if m.type in ("LOC", "PERS", "ORG")]
        assert [to_dict(q) for q in quantities_in(text, skip)] == \
            [{**to_dict(q), "sentence": None} for q in a.quantities]
        full_cues = [c for s in doc.sentences for c in cues_in(text, s.start, s.end)]
        assert [(c.start, c.end, c.kind) for c in full_cues] == \
            [(c.start, c.end, c.kind) for c in a.cues]


def test_trigger_tokens_of_a_text_tokenized_before_another(data_dir):
    """Trigger tokens are those whose key is a trigger key, whatever order texts are tokenized
    and scanned in (an earlier text's words are numbered before a later one's)."""
    import gzip
    import json
    from itertools import islice

    from riwaya.extract.arabic_regex import trigger_keys, trigger_tokens
    from riwaya.model import Article
    from riwaya.text import build_document

    with gzip.open(data_dir / "corpus" / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in islice(f, 900, 904)]
    docs = [build_document(Article(id=str(i), text=t)) for i, t in enumerate(texts)]
    keys = trigger_keys(["من", "في", "على", "قال", "أعلن", "وزير", "المملكة"], ("", "و", "ف"))
    for doc in docs[::-1]:  # the last tokenized is scanned first
        found = trigger_tokens(doc, keys)
        assert found and found == [i for i, t in enumerate(doc.tokens) if t.key in keys]


def test_a_denying_reporting_verb_negates_what_it_reports():
    from riwaya.model import Article
    from riwaya.pipeline import analyze_article

    text = ("نفى وزير الداخلية خالد الراشد وجود أي خطة لإغلاق المعبر الحدودي.\n"
            "وقال الراشد إن المعبر سيبقى مفتوحا أمام الشاحنات.")
    a = analyze_article(Article(id="deny", text=text))
    denial = claim_with(a, "نفى وزير الداخلية")
    assert denial.polarity == "negative" and denial.source.kind == "named_person"
    assert claim_with(a, "سيبقى مفتوحا").polarity == "positive"
