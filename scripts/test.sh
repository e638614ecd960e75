#!/usr/bin/env bash
# Sets up riwaya (with Chromium for the browser tests) and runs the linter and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
RIWAYA_BROWSER=1 bash scripts/setup.sh
.venv/bin/ruff check src tests benchmarks scripts
exec .venv/bin/python -m pytest "$@"
