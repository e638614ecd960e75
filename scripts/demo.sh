#!/usr/bin/env bash
# Sets up riwaya and compares the bundled example articles.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/riwaya compare examples/*.txt "$@"
