#!/usr/bin/env python
"""Re-record ``tests/fixtures/models_expected.json`` after ``riwaya train pairs`` and ``riwaya train
claim-article``: the pair and claim–article models are fitted again (the deterministic recipe of
``riwaya train``), their *scikit-learn* estimators predict the fixture rows, and the shipped arrays
are checked to predict the same (largest difference printed) before the file is written.

    .venv/bin/python scripts/record_model_fixture.py        # needs the `train` extra and ../shared/data

The shipped files must be the ones these fits give (``riwaya train`` wrote them): the script stops,
writing nothing, if a fit's export differs from the shipped file.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from riwaya.cli import pin_blas_kernel, single_threaded_blas

single_threaded_blas()  # before numpy loads, as `riwaya train` does: the fits' last bits depend on it
pin_blas_kernel()

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from riwaya.models import claim_stance, stance  # noqa: E402
from riwaya.models.features import VECTOR_DIFF_DIMS, VECTOR_NAMES  # noqa: E402
from riwaya.models.io import save_npz, sha256  # noqa: E402
from riwaya.models.wordvectors import vectors as load_vectors  # noqa: E402
from riwaya.resources import WEIGHTS_DIR, shared_data_dir  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "models_expected.json"


def _same_as_shipped(arrays: dict, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        save_npz(Path(tmp) / name, arrays)
        if sha256(Path(tmp) / name) != sha256(WEIGHTS_DIR / name):
            sys.exit(f"record_model_fixture: a fit's {name} is not the shipped file: "
                     "run `riwaya train` first")


def _proba(fitted, x) -> np.ndarray:
    out = np.zeros((x.shape[0], len(stance.LABELS)))
    out[:, fitted.classes_] = fitted.predict_proba(x)
    return out


def pair_probabilities(model: dict, pairs: list[tuple[str, str]]) -> np.ndarray:
    """The stack of :func:`riwaya.models.stance.fit` run with its scikit-learn objects."""
    import scipy.sparse as sp

    p = stance._Pairs(pairs, load_vectors())
    reg = model["register"].predict_proba(model["register_chars"].transform(
        [f"{a} {b}" for a, b in zip(p.a, p.b, strict=True)]))
    x = sp.hstack([model["chars"].transform(p.b), model["diff"].transform(p.diff),
                   model["diff_chars"].transform([stance._changed_text(t) for t in p.diff]),
                   sp.csr_matrix((p.dense - model["mu"]) / model["sd"])]).tocsr()
    linear = [_proba(lr, x) for lr in model["linear"]]
    block = np.hstack([p.dense, p.vec[:, :len(VECTOR_NAMES) - VECTOR_DIFF_DIMS], p.sent])
    vector = _proba(model["vector_lr"], (block - model["vec_mu"]) / model["vec_sd"])
    return _proba(model["booster"], np.hstack([p.dense, reg, *linear, p.vec, vector]))


def main() -> int:
    data = shared_data_dir()
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    with threadpool_limits(1):
        model = stance.fit_rows(*stance.training_rows(data), load_vectors())
        _same_as_shipped(stance.export(model), stance.MODEL_FILE)
        pairs = [(r["a"], r["b"]) for r in expected["pairs"]]
        want = pair_probabilities(model, pairs)
    got = stance.probabilities(pairs)
    print(f"pairs: {len(pairs)} rows, arrays vs scikit-learn max |diff| {np.abs(got - want).max():.2e}")
    for r, w in zip(expected["pairs"], want, strict=True):
        r["probabilities"] = [float(v) for v in w]

    fitted = claim_stance.fitted(claim_stance.read_rows(data / claim_stance.TRAIN))
    _same_as_shipped(claim_stance.export(fitted), claim_stance.MODEL_FILE)
    scorer, clf, bias = fitted["sentences"], fitted["stance"], fitted["bias"]
    mini = {r["id"]: r for r in map(json.loads, (FIXTURE.parent / "data" / "claim-article" / "mini-dev.jsonl")
                                     .read_text(encoding="utf-8").splitlines())}
    worst = 0.0
    for r in expected["claim_article"]:
        row = mini[r["id"]]
        sentences = row["article"].split("\n")
        feats = claim_stance._features([row["claim"]], [sentences])
        with threadpool_limits(1):
            want_c = claim_stance._shift(claim_stance._probabilities(clf, feats), np.array(bias))[0]
            _, margin = claim_stance._ranked(scorer, claim_stance._Claim.read(row["claim"]), sentences)
        order = np.argsort(-margin, kind="stable")[:claim_stance.TOP]
        r["probabilities"] = [float(v) for v in want_c]
        r["relevant_sentences"] = [[int(i), claim_stance.logistic(float(margin[i]))] for i in order]
        got_c = claim_stance.probabilities([row["claim"]], [sentences])[0]
        worst = max(worst, float(np.abs(got_c - want_c).max()))
    n = len(expected["claim_article"])
    print(f"claim-article: {n} rows, arrays vs scikit-learn max |diff| {worst:.2e}")
    FIXTURE.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
