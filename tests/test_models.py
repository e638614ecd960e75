"""The trained models as shipped: arrays only (no pickle), listed in the manifest, predicting what
the scikit-learn estimators they were exported from predicted, without importing scikit-learn.

``fixtures/models_expected.json`` holds those estimators' predictions on the project's own fixture
texts, recorded before the estimators were exported to arrays (the pair model's re-recorded from the
arrays when the text layer's word keys changed: same labels, probabilities within 0.002).
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from itertools import pairwise

import numpy as np
import pytest

from conftest import FIXTURES, NEWS
from riwaya.models import claim_stance, manifest, stance
from riwaya.models.estimators import (
    Linear,
    Tfidf,
    Trees,
    average_link,
    batch_tfidf,
    dense_rows,
    export_linear,
    export_tfidf,
    export_trees,
    hstack_rows,
    l2_dense,
    l2_rows,
    logistic,
    stack_columns,
)
from riwaya.models.features import fold
from riwaya.models.io import load_npz, save_npz, sha256
from riwaya.resources import WEIGHTS_DIR

EXPECTED = json.loads((FIXTURES / "models_expected.json").read_text(encoding="utf-8"))


def test_pair_model_predicts_what_the_exported_estimators_did():
    rows = EXPECTED["pairs"]
    got = stance.probabilities([(r["a"], r["b"]) for r in rows])
    want = np.array([r["probabilities"] for r in rows])
    assert np.abs(got - want).max() <= 1e-9
    assert (got.argmax(1) == want.argmax(1)).all()
    assert stance.predict_labels([(rows[0]["a"], rows[0]["b"])]) == [stance.LABELS[int(want[0].argmax())]]


def test_claim_article_model_predicts_what_the_exported_estimators_did():
    rows = {r["id"]: r for r in map(json.loads, (FIXTURES / "data" / "claim-article" / "mini-dev.jsonl")
                                     .read_text(encoding="utf-8").splitlines())}
    for want in EXPECTED["claim_article"]:
        row = rows[want["id"]]
        sentences = row["article"].split("\n")
        got = claim_stance.probabilities([row["claim"]], [sentences])[0]
        assert np.abs(got - np.array(want["probabilities"])).max() <= 1e-9
        assert got.argmax() == np.argmax(want["probabilities"])
        relevant = claim_stance.relevant_sentences(row["claim"], sentences)
        assert [i for i, _ in relevant] == [i for i, _ in want["relevant_sentences"]]
        assert np.allclose([p for _, p in relevant], [p for _, p in want["relevant_sentences"]],
                           rtol=0, atol=1e-12)


def test_no_shipped_file_is_a_pickle_and_the_manifest_lists_them_all():
    listed = {f["path"]: f for m in manifest()["models"] for f in m["files"]}
    for path in sorted(WEIGHTS_DIR.iterdir()):
        assert ".pkl" not in path.name and ".pickle" not in path.name
        if path.suffix == ".npz":
            load_npz(path)  # allow_pickle=False: an object array would raise
        if path.suffix != ".md" and path.name != "manifest.json":
            assert path.name in listed, f"{path.name} is not in weights/manifest.json"
    for name, f in listed.items():
        assert sha256(WEIGHTS_DIR / name) == f["sha256"], f"{name}: checksum differs from the manifest"
        assert (WEIGHTS_DIR / name).stat().st_size == f["bytes"]
    for m in manifest()["models"]:
        assert (WEIGHTS_DIR / m["card"]).exists()
        assert m["licence"] and all(d["licence"] for d in m["data"])


def test_prediction_imports_neither_scikit_learn_nor_threadpoolctl():
    code = (
        "import sys\n"
        "from riwaya.models import stance, claim_stance\n"
        "from riwaya.comparison.stories import batch_stories\n"
        "from riwaya.pipeline import analyze_article\n"
        "import riwaya\n"
        f"paths = {[str(p) for p in sorted(NEWS.glob('*.txt'))]!r}\n"
        "stance.predict_pairs([('الجيش يبدأ سحب قواته', 'الجيش لن يسحب قواته')])\n"
        "claim_stance.claim_article_stance('ثلاثة قتلى في فيضانات نابل', ['لقي ثلاثة أشخاص حتفهم.'])\n"
        "riwaya.compare(paths)\n"
        "batch_stories([analyze_article(a) for p in paths for a in riwaya.read(p)])\n"
        "print(sorted(m.split('.')[0] for m in sys.modules if m.startswith(('sklearn', 'threadpoolctl'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_model_files_are_written_byte_for_byte_the_same(tmp_path):
    arrays = {"b": np.arange(5, dtype=np.float32), "a": np.array("x\ny")}
    save_npz(tmp_path / "one.npz", arrays)
    save_npz(tmp_path / "two.npz", arrays)
    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()
    assert zipfile.ZipFile(tmp_path / "one.npz").namelist() == ["b.npy", "a.npy"]
    with pytest.raises(TypeError):
        save_npz(tmp_path / "bad.npz", {"x": np.array([{}], dtype=object)})


def test_one_logistic_for_numbers_and_arrays():
    assert logistic(0.0) == 0.5 and logistic(-1000.0) == 0.0 and logistic(1000.0) == 1.0
    z = np.array([-2.0, 0.0, 3.0])
    assert np.array_equal(logistic(z), 1 / (1 + np.exp(-z)))


# --------------------------------------------------------------------------- estimators vs scikit-learn
def _texts() -> list[str]:
    lines = [line for p in sorted(NEWS.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line.strip()] + ["", "a  b\tc", "X"]


@pytest.mark.parametrize(("ngrams", "pre"), [((2, 4), fold), ((2, 3), None)])
def test_tfidf_is_scikit_learns_to_the_bit(ngrams, pre):
    text = pytest.importorskip("sklearn.feature_extraction.text")
    docs = _texts()
    v = text.TfidfVectorizer(analyzer="char_wb", ngram_range=ngrams, min_df=2, sublinear_tf=True,
                             preprocessor=pre, dtype=np.float32).fit(docs[::2])
    mine = Tfidf.read(export_tfidf(v, "v"), "v", "char_wb", ngrams, pre).transform(docs + docs[:3])
    theirs = v.transform(docs + docs[:3])
    assert np.array_equal(mine.indptr, theirs.indptr) and np.array_equal(mine.indices, theirs.indices)
    assert mine.data.dtype == np.float32 and np.array_equal(mine.data, theirs.data)


def test_linear_models_are_scikit_learns_to_the_bit():
    lm = pytest.importorskip("sklearn.linear_model")
    text = pytest.importorskip("sklearn.feature_extraction.text")
    sp = pytest.importorskip("scipy.sparse")
    docs = _texts()
    y = np.arange(len(docs)) % 3
    v = text.TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, preprocessor=fold,
                             dtype=np.float32).fit(docs)
    t = Tfidf.read(export_tfidf(v, "v"), "v", "char_wb", (2, 3), fold)
    x32 = v.transform(docs)
    f32 = lm.LogisticRegression(C=10, max_iter=500).fit(x32, y)
    mine = Linear.read(export_linear(f32, "r"), "r")
    got = mine.probabilities(mine.decision_float32(t.transform(docs)))
    assert np.array_equal(got, f32.predict_proba(x32))
    dense = np.random.default_rng(0).normal(size=(len(docs), 5))
    dense[dense < 0] = 0.0
    x64 = sp.hstack([x32, sp.csr_matrix(dense)]).tocsr()
    f64 = lm.LogisticRegression(C=3, max_iter=500).fit(x64, y)
    mine = Linear.read(export_linear(f64, "l"), "l")
    row, col, val, _ = stack_columns([t.transform(docs), dense_rows(dense)])
    assert np.array_equal(mine.probabilities(mine.decision_sparse(row, col, val, len(docs))),
                          f64.predict_proba(x64))
    d = lm.LogisticRegression().fit(dense, y % 2)
    assert np.array_equal(Linear.read(export_linear(d, "d"), "d").decision(dense), d.decision_function(dense))


def test_trees_are_scikit_learns_to_the_bit():
    ensemble = pytest.importorskip("sklearn.ensemble")
    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, 6))
    y = (x[:, 0] + x[:, 1] ** 2 > 1).astype(int) + (x[:, 2] > 0.5)
    x[rng.random(x.shape) < 0.05] = np.nan
    fitted = ensemble.HistGradientBoostingClassifier(max_iter=60, max_features=0.5, random_state=0).fit(x, y)
    mine = Trees(export_trees(fitted, "b"), "b")
    test = rng.normal(size=(300, 6))
    test[rng.random(test.shape) < 0.05] = np.nan
    assert np.array_equal(mine.probabilities(test), fitted.predict_proba(test))


def test_batch_tfidf_normalisation_and_average_link_are_scikit_learns():
    text = pytest.importorskip("sklearn.feature_extraction.text")
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    cluster = pytest.importorskip("sklearn.cluster")
    sp = pytest.importorskip("scipy.sparse")
    docs = [fold(t).split() for t in _texts() if t.strip()]
    bigrams = [[f"{a} {b}" for a, b in pairwise(d)] for d in docs]

    def identity(tokens: list[str]) -> list[str]:
        return tokens

    words = text.TfidfVectorizer(analyzer=identity, sublinear_tf=True).fit_transform(docs)
    pairs = text.TfidfVectorizer(analyzer=identity, sublinear_tf=True, min_df=2).fit_transform(bigrams)
    theirs = preprocessing.normalize(sp.hstack([words, preprocessing.normalize(pairs) * 0.7]).tocsr())
    p = l2_rows(batch_tfidf(bigrams, min_df=2))
    mine = l2_rows(hstack_rows([batch_tfidf(docs), type(p)(p.indptr, p.indices, p.data * 0.7, p.width)]))
    assert np.array_equal(mine.indptr, theirs.indptr) and np.array_equal(mine.indices, theirs.indices)
    assert np.array_equal(mine.data, theirs.data)
    with pytest.raises(ValueError):
        batch_tfidf([["a"], ["b"]], min_df=2)
    prob = np.random.default_rng(2).random((30, 30))
    prob = (prob + prob.T) / 2
    assert np.array_equal(l2_dense(prob), preprocessing.normalize(prob))
    distance = np.clip(1 - l2_dense(prob) @ l2_dense(prob).T, 0, None)
    labels = cluster.AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                             distance_threshold=0.05).fit(distance).labels_
    mine_labels = average_link(distance, 0.05)

    def groups(ls) -> set[frozenset[int]]:
        return {frozenset(i for i, x in enumerate(ls) if x == g) for g in set(ls)}

    assert groups(mine_labels) == groups(list(labels)) and len(groups(labels)) > 1
