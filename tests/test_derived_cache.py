"""The disk cache of derived tables: what comes back is what was built, and a cache that is
missing, broken or unwritable only costs the building."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import SEED_000, need
from riwaya import resources
from riwaya.resources import derived


def _built() -> dict:
    return {"index": {("بشار", "اسد"): [(3, False)], ("un",): [(1, True)]},
            "arrays": {"pad": np.arange(6, dtype=np.float64).reshape(2, 3)},
            "table": np.array([-1, 4, 7], dtype=np.int16), "stop": frozenset({"في", "من"}),
            "nested": (np.ones(2, dtype=bool), ["a", ("b", 2)]), "n": 3, "x": 0.5}


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    return a == b


def test_a_kept_build_comes_back_equal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIWAYA_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def build() -> dict:
        calls.append(1)
        return _built()

    first = derived("unit", build)
    second = derived("unit", build)
    assert calls == [1]  # the second came from disk
    assert _same(first, _built()) and _same(second, _built())
    assert len(list(tmp_path.glob("unit-*.marshal"))) == 1


def test_broken_missing_or_unwritable_cache_rebuilds(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIWAYA_CACHE_DIR", str(tmp_path))
    derived("unit", _built)
    (kept,) = tmp_path.glob("unit-*.marshal")
    kept.write_bytes(b"\x00not marshal")
    assert _same(derived("unit", _built), _built())
    monkeypatch.setenv("RIWAYA_CACHE_DIR", "off")
    assert _same(derived("unit", _built), _built())
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("RIWAYA_CACHE_DIR", str(blocked / "sub"))
    assert _same(derived("unit", _built), _built())


def test_a_change_to_the_package_is_a_new_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIWAYA_CACHE_DIR", str(tmp_path))
    derived("unit", _built)
    resources.package_fingerprint.cache_clear()
    monkeypatch.setattr(resources, "package_fingerprint", lambda: "another-install-state")
    calls: list[int] = []
    derived("unit", lambda: calls.append(1) or _built())
    assert calls == [1]
    assert [p.name.endswith("another-install-state.marshal") for p in tmp_path.glob("unit-*")] == [True]


@pytest.mark.shared
def test_analysis_is_the_same_with_and_without_kept_tables(tmp_path: Path) -> None:
    """Gazetteer, tagger, word clusters, frequencies and check-worthiness from disk give the
    analysis built from the files (a real article, two fresh processes)."""
    seed = need(SEED_000)
    out = {}
    for cache in ("off", str(tmp_path), str(tmp_path)):  # built, then kept and read back
        env = {**os.environ, "RIWAYA_CACHE_DIR": cache}
        run = subprocess.run([sys.executable, "-m", "riwaya.cli", "analyze", str(seed), "--format",
                              "json"], capture_output=True, text=True, env=env, check=True)
        out.setdefault(cache, []).append(json.loads(run.stdout))
    assert list(tmp_path.glob("ner-tagger-*.marshal")) and list(tmp_path.glob("gazetteer-*.marshal"))
    assert out["off"][0] == out[str(tmp_path)][0] == out[str(tmp_path)][1]
    assert out["off"][0]["entities"]
