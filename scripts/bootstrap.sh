#!/usr/bin/env bash
# Create .venv and install everything the project needs. Idempotent: a stamp file keyed on the
# requirement files skips the work when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
VENV=.venv
STAMP=$VENV/.installed
want=$(cat requirements/*.txt scripts/bootstrap.sh | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then exit 0; fi
[ -x $VENV/bin/python ] || "$PY" -m venv $VENV
# The machine's pip config lists extra local indexes that may be absent: hide those warnings only.
pip_() { "$VENV/bin/python" -m pip --disable-pip-version-check "$@" 2>&1 | { grep -v "^WARNING: Location" || true; }; }
PIP=pip_
$PIP install -q --upgrade pip wheel setuptools
# CPU torch first: a looser range would pull gigabytes of CUDA wheels (ARCHITECTURE.md).
$PIP install -q torch==2.13.0
# mediapipe 0.10.21 is the last release that ships the FaceMesh models; its declared deps drag in
# jax and numpy>=2-incompatible pins, so install it alone and list what it really needs in base.txt.
$PIP install -q --no-deps mediapipe==0.10.21
$PIP install -q -r requirements/dev.txt
echo "$want" > "$STAMP"
