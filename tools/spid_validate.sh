#!/usr/bin/env bash
# Run Developers Italia's spid-sp-test (SPID and CIE profiles) against a throwaway dev server.
# Usage: tools/spid_validate.sh   (needs .venv and .venv-spid; `make spid-test` prepares both)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SPID_TEST=.venv-spid/bin/spid_sp_test
WORK=$(mktemp -d)
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://localhost:$PORT"
export DJANGO_SETTINGS_MODULE=cms.settings.dev
export DATABASE_URL="sqlite:///$WORK/db.sqlite3"
export BASE_URL="$BASE"
export SAML_TEST_IDP_METADATA="$WORK/idp-metadata.xml"
export ALLOWED_HOSTS="localhost,127.0.0.1"
export LOG_LEVEL=WARNING

(cd "$WORK" && "$OLDPWD/$SPID_TEST" --idp-metadata >"$SAML_TEST_IDP_METADATA" 2>/dev/null)
$PY manage.py migrate --noinput >/dev/null
$PY manage.py saml_certificates >/dev/null
$PY manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do
  curl -fs -o /dev/null "$BASE/spid/metadata/" && break
  sleep 0.5
done

status=0
run() {
  local kind=$1 profile=$2 out
  echo "== spid-sp-test: $kind ($profile)"
  out=$("$SPID_TEST" --metadata-url "$BASE/$kind/metadata/" \
    --authn-url "$BASE/$kind/login/?idp=https://localhost:8443" \
    --extra -tr --profile "$profile" 2>&1) || true
  echo "$out" | grep -E "^\S*(❌|Error|error)" | head -40 || true
  local summary
  summary=$(echo "$out" | grep -E "executed [0-9]+ tests, [0-9]+ failed" | tail -1)
  echo "${summary:-no summary: validator did not finish}"
  if ! echo "$summary" | grep -qE "executed [0-9]+ tests, 0 failed"; then
    status=1
    echo "$out" | tail -60
  fi
}
run spid spid-sp-public
run cie cie-sp-public
exit $status
