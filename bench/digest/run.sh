#!/usr/bin/env bash
# Digest benchmark (make bench-digest): a fresh PostgreSQL database with 10,000 members across 5
# communities (bulk-inserted), announcements, topics, replies and follows; then the daily and
# weekly digests of all of them built and sent to the in-memory mail backend. The last line is the
# RESULT line (bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
DB="${BENCH_DIGEST_DB:-bench_digest}"
PYTHON="${PYTHON:-.venv/bin/python}"

dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DB"
createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DB"

export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
# The test settings: DEBUG off, in-memory mail and cache, tasks run at once.
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-cms.settings.test}"
unset SEARCH_URL REDIS_URL

"$PYTHON" manage.py migrate --noinput -v 0
"$PYTHON" bench/digest/bench.py seed
"$PYTHON" bench/digest/bench.py measure
