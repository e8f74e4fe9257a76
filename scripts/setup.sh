#!/usr/bin/env bash
# Create .venv and install juesuan. Safe to run again.
# Usage: scripts/setup.sh [EXTRA]   e.g. scripts/setup.sh dev (the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${1:+[$1]}"
