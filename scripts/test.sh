#!/usr/bin/env bash
# Set up (test tools, Debian's Chromium and Tesseract included), lint, run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
scripts/setup-browser.sh
scripts/setup-ocr.sh
.venv/bin/ruff check src tests scripts
.venv/bin/ruff format --check src tests scripts
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
