#!/usr/bin/env bash
# `make serve`: production settings on this machine (gunicorn + WhiteNoise + the task worker)
# against PostgreSQL and Redis. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# shellcheck source=tools/serve-env.sh
source tools/serve-env.sh
prepare_database

tools/worker.sh &
WORKER_PID=$!
trap 'kill "$WORKER_PID" 2>/dev/null || true; wait "$WORKER_PID" 2>/dev/null || true' EXIT INT TERM

echo "Serving http://$HOST:$PORT/ (production settings; database $DATABASE_URL, cache $REDIS_URL)"
GUNICORN_BIND="$HOST:$PORT" .venv/bin/gunicorn -c gunicorn.conf.py cms.wsgi
