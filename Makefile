# The README's two commands are `make run` and `make test`; everything else supports them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.13 (3.12 minimum): PATH first, then pyenv's usual places.
PYTHON ?= $(shell for p in python3.13 $$HOME/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.13*/bin/python3 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; break; fi; done)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: system-run system-test spid-test certs help run test setup venv deps npm migrate demo lint format check-migrations test-python test-browser test-sqlite clean messages serve worker loadtest bench-discussions bench-search bench-digest bench-surveys bench-mappa verify-badges

help:
	@echo "make run    set everything up and serve the demo on http://$(HOST):$(PORT)"
	@echo "make test   lint, migration check and the whole test suite"

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12+ not found (install 3.13)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet --group dev
	touch $@

venv deps: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

npm: node_modules/.installed

# System packages (xmlsec1, npm; for the tests also chromium and gettext): installed with apt-get
# when this machine allows it, otherwise one line names them and the command that installs them.
system-run:
	@tools/system_packages.sh run

system-test:
	@tools/system_packages.sh test

setup: system-run deps npm

migrate: setup
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_enti
	$(MANAGE) load_comuni --verbosity 0
	$(MANAGE) load_demo

run: demo
	$(MANAGE) runserver $(HOST):$(PORT)

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-migrations: deps
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) makemigrations --check --dry-run

# Dev/test SAML keys are created once, before parallel test workers could race for them.
certs: deps
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) saml_certificates >/dev/null

# Python tests run on every core (pytest-xdist); browser tests in one process after them.
test-python: setup certs
	$(VENV)/bin/pytest -n auto -m "not browser"

test-browser: system-test setup certs
	$(VENV)/bin/pytest -m browser

# CI's second pass on the demo's embedded SQLite database: the tests whose code differs by database
# (full-text search backends, the demo loader, the page cache, pages and their visibility,
# bulk-loaded discussions and their lists, polls' counts, the digests' bulk reads, the surveys'
# result cells (an upsert in raw SQL) and their sums); settings, headers,
# spreadsheets, the role matrices and moderation (plain filters and updates) do not.
SQLITE_TESTS := tests/search tests/discussions/test_latest.py \
	tests/discussions/test_notifications.py tests/discussions/test_queries.py \
	tests/discussions/test_views.py tests/discussions/test_polls.py \
	tests/mailing/test_digests.py \
	tests/surveys/test_engine.py tests/surveys/test_results.py tests/mappa/test_demo_content.py \
	tests/cms/test_load_demo.py tests/cms/test_demo_app.py tests/cms/test_caching.py \
	tests/cms/test_chrome_cache.py tests/cms/test_pages.py tests/cms/test_page_tree.py \
	tests/cms/test_access.py tests/cms/test_privacy.py tests/cms/test_feeds_api.py
test-sqlite: setup certs
	env -u DATABASE_URL $(VENV)/bin/pytest -n auto -m "not browser" $(SQLITE_TESTS)

# Python tests on every core, then the browser tests (transactional, each restoring the migrated
# data) in one process, so that no flush ever runs before another worker's ordinary tests. CI
# (SQLITE_BESIDE_BROWSER=1) runs the SQLite pass beside the browser tests (tools/sqlite_beside.sh).
test: system-test setup lint check-migrations spid-test certs
	$(VENV)/bin/pytest -n auto -m "not browser"
	@if [ -n "$(SQLITE_BESIDE_BROWSER)" ]; then tools/sqlite_beside.sh start $(SQLITE_TESTS); fi
	$(VENV)/bin/pytest -m browser
	@if [ -n "$(SQLITE_BESIDE_BROWSER)" ]; then tools/sqlite_beside.sh wait; fi

.venv-spid/.installed: pyproject.toml
	$(PYTHON) -m venv .venv-spid
	.venv-spid/bin/python -m pip install --quiet --upgrade "pip>=25.1"
	.venv-spid/bin/python -m pip install --quiet --group spid
	touch $@

spid-test: setup .venv-spid/.installed
	tools/spid_validate.sh

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 media

messages: deps
	$(MANAGE) makemessages -l it -l en --ignore=.venv --ignore=.venv-spid --ignore=node_modules --ignore=staticfiles --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv --ignore=.venv-spid --ignore=node_modules

# --- Production-like serving and benchmarks (bench/README.md records the figures) ---------------
# Production settings locally against PostgreSQL and Redis: gunicorn + whitenoise + task worker.
serve: setup
	tools/serve.sh

worker: setup
	tools/worker.sh

# Load test (gunicorn + PostgreSQL + Redis); ends with one RESULT line.
loadtest: setup
	bench/loadtest/run.sh

# Topic page rendering with 1,000 and 10,000 replies on PostgreSQL; ends with one RESULT line.
bench-discussions: setup
	bench/discussions/run.sh

# Daily and weekly digests of 10,000 members across 5 communities; ends with one RESULT line.
bench-digest: setup
	bench/digest/run.sh

# Site search over 20,000 pages and 100,000 replies on PostgreSQL; ends with one RESULT line.
bench-search: setup
	bench/search/run.sh

# Results page of a 30-question questionnaire with 100,000 responses on PostgreSQL; one RESULT line.
bench-surveys: setup
	bench/surveys/run.sh

# Mappa: public dashboard and report PDF with every Comune (≥ 7,000) answered; one RESULT line.
bench-mappa: setup
	bench/mappa/run.sh

# --- Open Badges (issue 18, docs/academy.md) ---------------------------------------------------
# Every badge of the demo (make run's database, built here when it has no badge yet) exported to
# var/badges/ and checked offline by an independent verifier (Digital Bazaar's JavaScript VC
# libraries, tools/verify_badges.mjs); ends with one RESULT line, fails when a badge fails.
BADGES_DIR ?= var/badges
verify-badges: setup
	$(MANAGE) migrate --noinput -v 0
	@$(MANAGE) shell -v 0 -c "import sys; from academy.models import IssuedBadge; sys.exit(not IssuedBadge.objects.exists())" \
		|| { echo "The demo database has no badge yet: loading the demo"; \
		$(MANAGE) load_enti && $(MANAGE) load_comuni --verbosity 0 && $(MANAGE) load_demo; }
	$(MANAGE) export_badges $(BADGES_DIR)
	node tools/verify_badges.mjs $(BADGES_DIR)
