#!/usr/bin/env bash
# `make run`: the label scanner reads labels with tesseract and its English data. Install them when missing and this
# machine allows it (root with apt-get); otherwise print the one command to run, and serve everything else (the scanner
# answers 503 `ocr_unavailable` until then). Never fails `make run`.
set -uo pipefail
TESSERACT=${TESSERACT:-tesseract}
PKGS="tesseract-ocr tesseract-ocr-eng"
have_eng() { command -v "$TESSERACT" >/dev/null 2>&1 && "$TESSERACT" --list-langs 2>/dev/null | grep -qx eng; }
have_eng && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ocr: tesseract with English data is missing: installing $PKGS with apt-get..."
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends $PKGS >/dev/null 2>&1 \
     && have_eng; then
    echo "ocr: tesseract installed; the label scanner is on."
    exit 0
  fi
  echo "ocr: apt-get could not install $PKGS."
fi
if command -v apt-get >/dev/null 2>&1; then cmd="sudo apt-get install $PKGS"
elif command -v brew >/dev/null 2>&1; then cmd="brew install tesseract"
elif command -v dnf >/dev/null 2>&1; then cmd="sudo dnf install tesseract tesseract-langpack-eng"
else cmd="install tesseract (with its English data) from your package manager"; fi
echo "ocr: the label scanner needs tesseract; run:  $cmd"
echo "ocr: serving everything else now; label scans answer 503 ocr_unavailable until tesseract is installed."
exit 0
