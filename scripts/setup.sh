#!/usr/bin/env bash
# Sets up riwaya in ./.venv (idempotent), at the versions pinned in constraints.txt.
# RIWAYA_BROWSER=1 also installs Debian's Chromium and Playwright for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
# constraints.txt pins every dependency to the versions the suite passed with (scripts/lock.sh)
.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]' 2>&1 \
  | grep -v '^WARNING: Location' || true
.venv/bin/python -c 'import riwaya' # fails loudly if the install did not work
if [ "${RIWAYA_BROWSER:-0}" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
      || echo "setup: could not install chromium; browser tests will be skipped" >&2
  else
    echo "setup: chromium is not installed (apt-get install chromium); browser tests will be skipped" >&2
  fi
fi
