"""Shared fixtures: the third-party data beside the checkout (../shared), skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
SEED_000 = SEEDS / "000_c30c670de5ae5a37.txt"  # Libyan outlet: TTU, anonymous sources
SEED_002 = SEEDS / "002_305c1df4ca845c06.txt"  # Al Jazeera: ministers on record in Rome


def need(path: Path) -> Path:
    """Skip the test cleanly when a file of ../shared is not there."""
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture(scope="session")
def seed_paths() -> tuple[Path, Path]:
    return need(SEED_000), need(SEED_002)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return need(DATA)


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
