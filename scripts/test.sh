#!/usr/bin/env bash
# The whole suite. With DATABASE_URL/REDIS_URL set (CI) it runs against PostgreSQL and Redis.
set -uo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1
out=$(.venv/bin/python manage.py makemigrations --check --dry-run --settings=skincare.test_settings 2>&1) || {
  echo "makemigrations --check: a model change has no migration"; echo "$out"; exit 1; }
.venv/bin/ruff check --quiet . || { echo "ruff found problems"; exit 1; }
.venv/bin/mypy || { echo "mypy found problems (files: [tool.mypy] in pyproject.toml)"; exit 1; }
.venv/bin/lint-imports --no-cache || { echo "an architecture contract is broken ([tool.importlinter] in pyproject.toml)"; exit 1; }
.venv/bin/pytest --durations=15 "$@"
rc=$?
# pytest exits 5 when it collected no tests: not a failure of the code, but say so.
if [ $rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi
exit $rc
