#!/usr/bin/env bash
# Topic page benchmark (make bench-discussions): a fresh PostgreSQL database with one community,
# a member and two topics with 1,000 and 10,000 threaded replies; page 1 of each rendered as the
# member through Django's test client. The last line is the RESULT line (bench/discussions/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
DB="${BENCH_DISCUSSIONS_DB:-bench_discussions}"
PYTHON="${PYTHON:-.venv/bin/python}"

dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DB"
createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DB"

export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
# The test settings: DEBUG off, in-memory mail and cache, tasks run at once.
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-cms.settings.test}"
unset SEARCH_URL REDIS_URL

"$PYTHON" manage.py migrate --noinput -v 0
"$PYTHON" bench/discussions/bench.py seed
"$PYTHON" bench/discussions/bench.py measure
