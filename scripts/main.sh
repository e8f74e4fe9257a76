#!/usr/bin/env bash
# The main job: set up, check every package against its source, ingest every
# source again, validate every package, build the site into site-build/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# A committed package whose source is a scan is re-ingested with OCR.
scripts/setup-ocr.sh
.venv/bin/juesuan schemas --check
.venv/bin/juesuan codes check
# Every committed package must be what its source gives (hand-edited ones are skipped).
.venv/bin/juesuan check-sources
for source in datapackage/*/*/source/*; do
  .venv/bin/juesuan ingest --skip-hand-edited "$source"
done
# frictionless itself (schema, types, keys, foreign keys), arithmetic, code lists,
# narrative: the reference the fast pass is held to, on the committed packages.
.venv/bin/juesuan validate --frictionless --no-cache
# The static site, from every package (mkdocs build --strict, Pagefind index); its
# validation takes the fast pass, which gives frictionless's findings.
.venv/bin/juesuan build
