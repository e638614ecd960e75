"""The claims stage's check-worthiness batch: scores do not depend on the batch a text is in,
and words are the training tokenizer's words however they are written."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from riwaya.models import checkworthy

TEXTS = [
    "قال وزير الخارجية إن 5 جنود قتلوا في الغارة",
    "أكد المتحدث باسم الحكومة أن المفاوضات ستستأنف الأسبوع المقبل",
    "الحمد لله",
    "ذكرت صحيفة_TTU أن 𝐀𝐁 قوة غربية تستعد لِلتدخل في ليبيا 😀",
    "",
    "US officials said 1,200 troops\u0640 would stay; www.example.org @user",
]


def test_batch_scores_equal_one_by_one():
    batch = checkworthy.scores(TEXTS)
    alone = [checkworthy.scores([t])[0] for t in TEXTS]
    assert batch == alone


def test_words_are_the_token_patterns_words():
    model = checkworthy.load()
    bigrams = dict(zip(model._bigram_codes.tolist(), model._bigram_feats.tolist(), strict=True))
    for text in TEXTS:
        clean = checkworthy.preprocess(text).lower()
        ids = [model._word_ids.get(w, 0) for w in checkworthy._TOKEN.findall(clean)]
        expected = [int(model._unigram[i]) for i in ids if model._unigram[i] >= 0]
        expected += [bigrams[a * model._n_words + b] for a, b in pairwise(ids)
                     if a and b and a * model._n_words + b in bigrams]
        codes = np.frombuffer(f" {clean} ".encode("utf-32-le"), dtype=np.uint32)
        assert sorted(model._word_feats(codes)[1].tolist()) == sorted(expected), text


def test_claims_of_several_articles_scored_together_equal_one_by_one(news_paths):
    from riwaya.api import analyze
    from riwaya.extract import claims
    from riwaya.model import to_dict

    analyses = [analyze(p) for p in news_paths]
    alone = [to_dict(a.claims) for a in analyses]
    claims.annotate_many(analyses)
    assert [to_dict(a.claims) for a in analyses] == alone
    assert all(c.checkworthy is not None for a in analyses for c in a.claims)


def test_preprocessed_codes_are_those_of_preprocess(data_dir, seed_paths):
    """The scorer's numpy preprocessing gives the code points of ``preprocess`` on tweets (links,
    handles, emoji), seed sentences and spellings with digits around marks and mixed scripts."""
    import json

    rows = (data_dir / "checkworthy" / "checkthat2022-1a-dev.jsonl").read_text(encoding="utf-8")
    texts = [json.loads(line)["text"] for line in rows.splitlines()]
    texts += [line for p in seed_paths for line in p.read_text(encoding="utf-8").splitlines()]
    texts += [*TEXTS, "قُتل ١٢\u064b3 و4٫5 جنديًا في آذار ١٩٩٠م", "Ünal ΣΟΦΙΑ said 2,000", "12ـ٣٤ة"]
    for text in texts:
        expected = np.frombuffer(f" {checkworthy.preprocess(text)} ".encode("utf-32-le", "surrogatepass"),
                                 dtype=np.uint32)
        assert np.array_equal(checkworthy.preprocessed_codes(text), expected), text
