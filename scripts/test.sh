#!/usr/bin/env bash
# Sets up riwaya (with Chromium for the browser tests, and Debian's PostgreSQL, which the store
# tests start a throwaway server of) and runs the linter, the type checker and the test suite.
# Without ../shared beside the checkout, the tests that need it are skipped; without PostgreSQL
# (not root, no apt-get), the PostgreSQL runs of the store tests are.
set -euo pipefail
cd "$(dirname "$0")/.."
RIWAYA_BROWSER=1 bash scripts/setup.sh
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || echo "test: could not install postgresql; the PostgreSQL store tests will be skipped" >&2
  else
    echo "test: PostgreSQL is not installed (apt-get install postgresql); its store tests will be skipped" >&2
  fi
fi
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy  # configured in pyproject.toml: all of src/riwaya
exec .venv/bin/python -m pytest "$@"
