#!/usr/bin/env bash
# `make loadtest`: gunicorn (production settings) + PostgreSQL + Redis on this machine, driven by
# locust (headless). Three phases against the same server:
#   1. ceiling  — a bare Django view returning a fixed page (/_ceiling/), as fast as possible;
#   2. home     — the anonymous home page (served by the page cache), as fast as possible;
#   3. mixed    — anonymous visitors browsing + LOADTEST_MEMBERS signed-in members (reserved
#                 area, topic pages, replies), with think time.
# Ends with: RESULT ceiling_rps=<r> home_anon_rps=<r> ratio=<x> topic_member_p95_ms=<t> errors=<n>
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${LOADTEST_PORT:-8765}
export DATABASE_URL=${LOADTEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench_loadtest}
export REDIS_URL=${LOADTEST_REDIS_URL:-redis://127.0.0.1:6379/2}
export LOADTEST_CEILING=1
export PAGE_CACHE=${PAGE_CACHE:-true}
export GUNICORN_BIND="127.0.0.1:$PORT"
export BASE_URL="http://127.0.0.1:$PORT"
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
RATE_USERS=${LOADTEST_RATE_USERS:-16}       # concurrent clients for phases 1 and 2
RATE_TIME=${LOADTEST_RATE_TIME:-20s}
export LOADTEST_MEMBERS=${LOADTEST_MEMBERS:-20}
ANON_USERS=${LOADTEST_ANON_USERS:-30}
MIXED_TIME=${LOADTEST_MIXED_TIME:-60s}
OUT=var/loadtest
mkdir -p "$OUT"

echo "== installing the load generator (dependency group 'bench')"
.venv/bin/python -m pip install --quiet --group bench

# shellcheck source=tools/serve-env.sh
source tools/serve-env.sh
echo "== database $DATABASE_URL (migrate, static files, demo content when empty)"
prepare_database

echo "== seeding members and their sessions"
.venv/bin/python bench/loadtest/seed.py --members "$((LOADTEST_MEMBERS + 10))" --out "$OUT/seed.json"
# A clean slate in the load test's own Redis database: no page cache, no rate-limit counts.
.venv/bin/python - <<'PYEOF'
import os

import redis

redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
PYEOF
export LOADTEST_SEED="$OUT/seed.json"

echo "== starting gunicorn on $GUNICORN_BIND"
.venv/bin/gunicorn -c gunicorn.conf.py cms.wsgi > "$OUT/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
trap 'kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  if .venv/bin/python -c "import urllib.request,sys; urllib.request.urlopen('$BASE_URL/healthz', timeout=2)" 2>/dev/null; then
    break
  fi
  sleep 1
done
.venv/bin/python -c "import urllib.request; print('healthz', urllib.request.urlopen('$BASE_URL/healthz').read().decode())"

locust_phase() {
  local name=$1 users=$2 rate=$3 duration=$4
  shift 4
  echo "== phase $name: $users users (spawned at $rate/s), $duration"
  .venv/bin/locust -f bench/loadtest/locustfile.py --headless --only-summary \
    -H "$BASE_URL" -u "$users" -r "$rate" -t "$duration" --stop-timeout 5 \
    --csv "$OUT/$name" --loglevel WARNING "$@" > "$OUT/$name.log" 2>&1 || true
  tail -n 25 "$OUT/$name.log" | sed -n '/Type/,/Aggregated/p' | head -n 20
}

# Warm up, as a server that has been running a while would be: every worker process has imported
# its lazily-loaded code and holds the shared snapshots (menus, restrictions, locales), and the
# anonymous pages are in the page cache. Each URL is asked 12 times (gunicorn's 3 processes).
.venv/bin/python - <<PYEOF
import json
import urllib.request

seed = json.load(open("$LOADTEST_SEED", encoding="utf-8"))
cookie = f"{seed['session_cookie']}={seed['sessions'][-1]}"
anonymous = ["/_ceiling/", *seed["pages"].values()]
member = [seed["community"], *[t["url"] for t in seed["topics"]]]
if seed.get("reserved_area"):
    member.append(seed["reserved_area"])
for _ in range(12):
    for path in anonymous:
        urllib.request.urlopen("$BASE_URL" + path, timeout=30).read()
    for path in ["/", *member]:
        request = urllib.request.Request("$BASE_URL" + path, headers={"Cookie": cookie})
        urllib.request.urlopen(request, timeout=30).read()
PYEOF

locust_phase ceiling "$RATE_USERS" "$RATE_USERS" "$RATE_TIME" CeilingUser
locust_phase home "$RATE_USERS" "$RATE_USERS" "$RATE_TIME" HomeUser
# The mixed phase: visitors and members arrive over ~5 s (not all in the same instant), and the
# statistics restart once all have arrived (--reset-stats): the figures are the steady state.
locust_phase mixed "$((ANON_USERS + LOADTEST_MEMBERS))" "${LOADTEST_SPAWN_RATE:-10}" "$MIXED_TIME" \
  --reset-stats AnonymousBrowser Member

.venv/bin/python bench/loadtest/report.py "$OUT"
