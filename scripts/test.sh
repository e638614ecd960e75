#!/usr/bin/env bash
# Sets up riwaya (with Chromium for the browser tests) and runs the linter, the type checker and
# the test suite. Without ../shared beside the checkout, the tests that need it are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
RIWAYA_BROWSER=1 bash scripts/setup.sh
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy  # configured in pyproject.toml: all of src/riwaya
exec .venv/bin/python -m pytest "$@"
