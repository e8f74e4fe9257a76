#!/usr/bin/env bash
# Set up and run the whole test suite, with the linter first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check src tests scripts
.venv/bin/python -m pytest "$@"
