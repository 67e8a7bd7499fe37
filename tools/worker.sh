#!/usr/bin/env bash
# `make worker`: the background task worker (django-tasks-db's db_worker) with the same
# environment as `make serve`. In production run it as its own service (compose.yaml: worker).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools/serve-env.sh
source tools/serve-env.sh
exec .venv/bin/python manage.py db_worker --no-reload "$@"
