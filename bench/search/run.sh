#!/usr/bin/env bash
# Site search benchmark (make bench-search): a fresh PostgreSQL database with 20,000 pages and
# 100,000 replies, indexed by Wagtail's database backend; 50 mixed searches as an anonymous
# visitor and as a member. The last line is the RESULT line (bench/search/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
DB="${BENCH_SEARCH_DB:-bench_search}"
PYTHON="${PYTHON:-.venv/bin/python}"

dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DB"
createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DB"

export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-cms.settings.test}"
unset SEARCH_URL

"$PYTHON" manage.py migrate --noinput -v 0
"$PYTHON" bench/search/bench.py seed
"$PYTHON" bench/search/bench.py measure
