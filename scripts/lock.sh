#!/usr/bin/env bash
# Resolves riwaya's dependencies afresh (the newest versions pip finds) in a throwaway venv, runs
# ruff, mypy and the test suite there, and only if they pass writes the versions to constraints.txt,
# which scripts/setup.sh installs. Arguments go to pytest. Run it to move the pins forward.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$PY" -m venv "$TMP/venv"
"$TMP/venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
"$TMP/venv/bin/python" -m pip install -q --disable-pip-version-check -e '.[dev]' 2>&1 \
  | grep -v '^WARNING: Location' || true
"$TMP/venv/bin/ruff" check src tests benchmarks scripts
"$TMP/venv/bin/mypy"  # configured in pyproject.toml, as in scripts/test.sh
"$TMP/venv/bin/python" -m pytest "$@"
{
  echo "# Versions riwaya is tested with (scripts/setup.sh installs them: pip install -c constraints.txt)."
  echo "# Written by scripts/lock.sh after the suite passed on the newest versions pip found; Python $("$TMP/venv/bin/python" -c 'import platform; print(platform.python_version())')."
  "$TMP/venv/bin/python" -m pip freeze --exclude-editable --disable-pip-version-check | grep -iv '^riwaya'
} > constraints.txt
echo "lock: constraints.txt written ($(grep -vc '^#' constraints.txt) packages)"
