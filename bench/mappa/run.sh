#!/usr/bin/env bash
# Mappa benchmark (make bench-mappa): a fresh PostgreSQL database with every Comune of the ISTAT
# registry (manage.py load_enti and load_comuni: ~7,900 with their population) and a synthetic Mappa response for each, built in bulk by
# demo.mappa.load_synthetic (what load_demo uses); then the public dashboard and an Ente's report
# PDF, timed through Django's test client. The last line is the RESULT line (bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
DB="${BENCH_MAPPA_DB:-bench_mappa}"
PYTHON="${PYTHON:-.venv/bin/python}"

dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DB"
createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DB"

export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
# The test settings: DEBUG off, in-memory mail and cache, tasks run at once.
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-cms.settings.test}"
unset SEARCH_URL REDIS_URL

"$PYTHON" manage.py migrate --noinput -v 0
"$PYTHON" manage.py load_enti
"$PYTHON" manage.py load_comuni --verbosity 0
"$PYTHON" bench/mappa/bench.py seed
"$PYTHON" bench/mappa/bench.py measure
