# newsroom: `make run` serves the app with demo data on SQLite (with a task worker and the scheduler), `make test`
# runs lint and the suite.
# PYTHON=/path/to/python3.12 overrides the interpreter search below.

VENV := .venv
BIN := $(VENV)/bin
# What each target needs installed: the runtime requirements (run, deploy, serve), or those and the test and lint
# tools (test, lint, fuzzing, benchmarks). Each stamp is renewed when its requirements change.
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
HOST ?= 127.0.0.1
PORT ?= 8000

# First interpreter that actually runs and is >= 3.12 (pyenv shims that fail are skipped).
PYTHON ?= $(shell sh bin/find-python)

.PHONY: run test lint deploy serve fuzz-api bench-accuracy bench-import bench-admin bench-api bench-feeds bench-feeds-load bench-lists venv clean browser

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "newsroom needs Python 3.12 or newer; none found. Install one or set PYTHON=..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(DEV): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(RUNTIME)

venv: $(DEV)

# Serves on HOST:PORT (default 127.0.0.1:8000), e.g. `make run PORT=8080`.
run: $(RUNTIME)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_articles samples/ --status published --verbosity 1 || true
	$(BIN)/python manage.py ensure_admin
	$(BIN)/python manage.py ensure_demo_feed --url http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)/demo/feed.xml
	@echo "Starting the web server on http://$(HOST):$(PORT)/, a task worker and the scheduler (Ctrl-C stops all three)."
	PATH="$(abspath $(BIN)):$$PATH" HOST=$(HOST) NEWSROOM_FEEDS_ALLOW_PRIVATE=1 \
		$(BIN)/honcho start --procfile Procfile --port $(PORT)

# Production: `make deploy` each release (collectstatic, migrate, check --deploy), then `make serve` (gunicorn).
# Both read the production environment (README.md, "Deployment"); PORT and WEB_CONCURRENCY set the port and workers.
deploy: $(RUNTIME)
	bin/deploy

serve: $(RUNTIME)
	HOST=$(HOST) PORT=$(PORT) bin/serve

# schemathesis over HTTP with every check, anonymous and signed in, against gunicorn on a scratch database.
fuzz-api: $(DEV)
	bin/fuzz-api

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

browser:
	@sh bin/ensure-chromium

test: $(DEV) lint browser
	$(BIN)/python -m pytest

bench-accuracy: $(DEV)
	$(BIN)/python bench/ingest_accuracy.py ../shared/samples/pieces

bench-import: $(DEV)
	$(BIN)/python bench/import_speed.py

bench-admin: $(DEV)
	$(BIN)/python bench/admin_speed.py

bench-feeds: $(DEV)
	$(BIN)/python bench/feed_formats.py

# Feed polling under load (1,000 feeds by default; `make bench-feeds-load ARGS="--feeds 100"` for a small run).
bench-feeds-load: $(DEV)
	$(BIN)/python bench/feeds_load.py $(ARGS)

bench-lists: $(DEV)
	$(BIN)/python bench/list_serialization.py

# SQLite by default; DATABASE_URL=postgres://... benchmarks PostgreSQL (in a database named newsroom_bench, or
# the one NEWSROOM_BENCH_DATABASE names).
bench-api: $(DEV)
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk >/dev/null 2>&1 || \
		{ echo "bench-api needs wrk (Debian package): apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python bench/api_load.py

clean:
	rm -rf $(VENV) .pytest_cache test-results
