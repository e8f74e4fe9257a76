#!/usr/bin/env bash
# Debian's Tesseract and its simplified-Chinese data: ingest reads the pages of a
# PDF that have no text layer (scans) with it.
set -euo pipefail
if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx chi_sim \
  && tesseract --list-langs 2>/dev/null | grep -qx eng; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO=sudo
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim \
  tesseract-ocr-eng >/dev/null
