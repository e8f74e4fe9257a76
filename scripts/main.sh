#!/usr/bin/env bash
# The main job: set up, re-ingest every package from its source, validate every
# package with the plain frictionless validator.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/juesuan schemas --check
for source in datapackage/*/*/source/*; do
  .venv/bin/juesuan ingest "$source"
done
for descriptor in datapackage/*/*/datapackage.json; do
  .venv/bin/frictionless validate "$descriptor" >/dev/null
  echo "valid: $descriptor"
done
