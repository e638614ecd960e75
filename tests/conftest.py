"""Shared fixtures: the third-party data beside the checkout (../shared), skipped when absent, and
the project's own small fixture set (``tests/fixtures``), always there.

Tests that need ../shared are marked ``shared`` (automatically when they use ``seed_paths``,
``data_dir``, ``a000`` or ``a002``, explicitly where they read it directly): ``pytest -m "not
shared"`` runs what a clone alone can run, and those tests skip cleanly without it anyway.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
SEED_000 = SEEDS / "000_c30c670de5ae5a37.txt"  # Libyan outlet: TTU, anonymous sources
SEED_002 = SEEDS / "002_305c1df4ca845c06.txt"  # Al Jazeera: ministers on record in Rome

# The project's own fixture set (written for these tests; see tests/fixtures/README.md): one story
# told by three outlets, one unrelated article, and a few rows per labelled task in the formats of
# ../shared/data.
FIXTURES = ROOT / "tests" / "fixtures"
NEWS = FIXTURES / "news"
FLOOD = tuple(NEWS / f"{name}.txt" for name in ("sahil_flood", "watan_flood", "agency_flood"))
UNRELATED = NEWS / "cinema_festival.txt"
MINI_DATA = FIXTURES / "data"
SHARED_FIXTURES = frozenset({"seed_paths", "data_dir", "a000", "a002"})


def pytest_configure(config: pytest.Config) -> None:
    """Derived tables (``riwaya.resources.derived``) in a folder of this run, for the tests and
    the processes they start: a run neither reads nor fills the user's cache."""
    import os
    import tempfile

    if "RIWAYA_CACHE_DIR" not in os.environ:
        os.environ["RIWAYA_CACHE_DIR"] = tempfile.mkdtemp(prefix="riwaya-test-cache-")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``shared`` every test that uses ../shared through a fixture (directly or not)."""
    for item in items:
        if SHARED_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.shared)


def need(path: Path) -> Path:
    """Skip the test cleanly when a file of ../shared is not there."""
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def corpus_rows(ids: set[str]) -> dict[str, dict]:
    """The rows of ../shared's corpus with these ids (read until all are found; skips without it)."""
    import gzip
    import json

    rows: dict[str, dict] = {}
    with gzip.open(need(DATA / "corpus" / "saudinewsnet.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["id"] in ids:
                rows[row["id"]] = row
                if len(rows) == len(ids):
                    break
    return rows


@pytest.fixture(scope="session")
def seed_paths() -> tuple[Path, Path]:
    return need(SEED_000), need(SEED_002)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return need(DATA)


@pytest.fixture(scope="session")
def story_paths() -> tuple[Path, Path, Path]:
    """Three reports of one story (floods in Nabeul) from three outlets, in the project's own
    words: figures that differ (3 and 5 dead, 450 and 300 families), a named official against
    anonymous sources, a date each."""
    return FLOOD


@pytest.fixture(scope="session")
def news_paths() -> tuple[Path, ...]:
    """The flood story's three reports and one unrelated article (a film festival)."""
    return (*FLOOD, UNRELATED)


@pytest.fixture(scope="session")
def corpus_path() -> Path:
    """Articles in the corpus format for tests that need some, whichever they are: the SaudiNewsNet
    corpus of ../shared where it is, else the fixture corpus (five articles)."""
    shared = DATA / "corpus" / "saudinewsnet.jsonl.gz"
    return shared if shared.exists() else MINI_DATA / "corpus" / "mini.jsonl.gz"


@pytest.fixture(scope="session")
def mini_data() -> Path:
    """A few rows per labelled task in the ``../shared/data`` layout, written for the tests."""
    return MINI_DATA


@pytest.fixture(scope="module")
def a000(seed_paths):
    """Seed 000 through the whole pipeline (cached per session by claims_helpers.analyse)."""
    from claims_helpers import analyse

    return analyse(seed_paths[0])


@pytest.fixture(scope="module")
def a002(seed_paths):
    """Seed 002 through the whole pipeline."""
    from claims_helpers import analyse

    return analyse(seed_paths[1])


@pytest.fixture(scope="session")
def postgres():
    """One throwaway PostgreSQL server for the whole session (skips, saying why, without one)."""
    from _postgres import Server

    server = Server()
    reason = server.why_not()
    if reason:
        server.stop()
        pytest.skip(f"PostgreSQL tests: {reason}")
    try:
        server.start()
    except Exception as exc:
        server.stop()
        log = getattr(exc, "stderr", "") or ""
        pytest.fail(f"the test PostgreSQL server did not start: {exc} {log}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def new_db(request, tmp_path):
    """Makes new, empty workspace stores' ``--db``: SQLite files, then PostgreSQL databases (the
    test runs once with each)."""
    if request.param == "sqlite":
        n = itertools.count()
        return lambda: str(tmp_path / f"w{next(n) or ''}.db")
    return request.getfixturevalue("postgres").new_database


@pytest.fixture
def db(new_db) -> str:
    """A new, empty workspace store's ``--db``: a SQLite file, then a PostgreSQL database."""
    return new_db()
