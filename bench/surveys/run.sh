#!/usr/bin/env bash
# Results page benchmark (make bench-surveys): a fresh PostgreSQL database with one questionnaire
# of 30 questions and 100,000 responses (bulk-inserted with COPY, the result cells computed by
# INSERT … SELECT … GROUP BY); then its results page rendered for a manager through Django's test
# client, without and with 1–3 filters. The last line is the RESULT line (bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
DB="${BENCH_SURVEYS_DB:-bench_surveys}"
PYTHON="${PYTHON:-.venv/bin/python}"

dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DB"
createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DB"

export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
# The test settings: DEBUG off, in-memory mail and cache, tasks run at once.
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-cms.settings.test}"
unset SEARCH_URL REDIS_URL

"$PYTHON" manage.py migrate --noinput -v 0
"$PYTHON" bench/surveys/bench.py seed
"$PYTHON" bench/surveys/bench.py measure
