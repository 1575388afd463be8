#!/usr/bin/env bash
# Development tools from the npm registry (package.json + package-lock.json): axe-core for the accessibility
# tests. `npm ci` installs exactly the locked versions; a stamp keyed on the lock file skips it when unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
STAMP=node_modules/.installed
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then exit 0; fi
if ! command -v npm >/dev/null; then
  echo "npm is missing: install Node.js (apt-get install nodejs npm) for the accessibility tests (axe-core)." >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$STAMP"
