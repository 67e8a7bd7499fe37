# Sourced by tools/serve.sh, tools/worker.sh and bench/loadtest/run.sh: production settings on
# this machine, against PostgreSQL and Redis, over plain http://127.0.0.1 (so no HTTPS redirect,
# no HSTS, no Secure-only cookies). Every value can be overridden from the environment.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY="$ROOT/.venv/bin/python"
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-cms.settings.production}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal_serve}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/1}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export BASE_URL=${BASE_URL:-http://127.0.0.1:${PORT:-8000}}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
export SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}
export SECURE_HSTS_PRELOAD=${SECURE_HSTS_PRELOAD:-false}
export SECURE_COOKIES=${SECURE_COOKIES:-false}
export SAML_SESSION_COOKIE_SAMESITE=${SAML_SESSION_COOKIE_SAMESITE:-Lax}
# A secret key generated once for this machine (var/serve/secret_key), so sessions survive restarts.
mkdir -p "$ROOT/var/serve"
if [[ -z "${SECRET_KEY:-}" ]]; then
  if [[ ! -s "$ROOT/var/serve/secret_key" ]]; then
    (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$ROOT/var/serve/secret_key")
  fi
  SECRET_KEY=$(cat "$ROOT/var/serve/secret_key")
  export SECRET_KEY
fi
# The SP key and certificate: the self-signed development pair (var/saml/), created if missing.
if [[ -z "${SAML_KEY_FILE:-}" ]]; then
  DJANGO_SETTINGS_MODULE=cms.settings.dev DATABASE_URL=sqlite:///:memory: \
    "$PY" "$ROOT/manage.py" saml_certificates >/dev/null
  export SAML_KEY_FILE="$ROOT/var/saml/sp.key" SAML_CERT_FILE="$ROOT/var/saml/sp.crt"
fi
# The Open Badges signing key (docs/deploy.md, "Open Badges keys"): this machine's, created once.
if [[ -z "${ACADEMY_BADGE_KEY_FILE:-}" ]]; then
  export ACADEMY_BADGE_KEY_FILE="$ROOT/var/keys/academy-badges.pem"
  if [[ ! -s "$ACADEMY_BADGE_KEY_FILE" ]]; then
    DJANGO_SETTINGS_MODULE=cms.settings.dev DATABASE_URL=sqlite:///:memory: \
      "$PY" "$ROOT/manage.py" badge_key --create >/dev/null
  fi
fi
export SAML_IPA_CODE=${SAML_IPA_CODE:-DEMO_IPA}
export SAML_CONTACT_EMAIL=${SAML_CONTACT_EMAIL:-spid-tech@example.org}

# Create the database if missing, migrate, collect static files, load the demo when empty
# (with cms.settings.demo: production's plus the demo app).
prepare_database() {
  "$PY" - <<'PYEOF'
import os
from urllib.parse import urlsplit

import psycopg

url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
admin = url._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
        print(f"created database {name}")
PYEOF
  "$PY" "$ROOT/manage.py" migrate --noinput -v0
  "$PY" "$ROOT/manage.py" collectstatic --noinput -v0
  if [[ $("$PY" "$ROOT/manage.py" shell --no-imports -c \
      'from cms.models import HomePage; print(HomePage.objects.exists())' 2>/dev/null | tail -1) != "True" ]]; then
    "$PY" "$ROOT/manage.py" load_enti
    # The demo app is not installed by the production settings: cms.settings.demo adds it,
    # for this command only (docs/decisions.md, "One shape (issue 13): the demo app").
    DJANGO_SETTINGS_MODULE=${DEMO_SETTINGS_MODULE:-cms.settings.demo} "$PY" "$ROOT/manage.py" load_demo
  fi
  ensure_admin
}

# The editors' account of `make serve`. Production settings never create the README's demo
# account (load_demo says so): `admin` gets SERVE_ADMIN_PASSWORD, or a password generated once for
# this machine and kept in var/serve/admin_password (readable by you only).
ensure_admin() {
  local password_file="$ROOT/var/serve/admin_password"
  if [[ -z "${SERVE_ADMIN_PASSWORD:-}" ]]; then
    if [[ ! -s "$password_file" ]]; then
      (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(18))' > "$password_file")
    fi
    SERVE_ADMIN_PASSWORD=$(cat "$password_file")
  fi
  if [[ $("$PY" "$ROOT/manage.py" shell --no-imports -c \
      'from django.contrib.auth import get_user_model; print(get_user_model().objects.filter(username="admin").exists())' \
      2>/dev/null | tail -1) != "True" ]]; then
    DJANGO_SUPERUSER_PASSWORD="$SERVE_ADMIN_PASSWORD" "$PY" "$ROOT/manage.py" createsuperuser \
      --noinput --username admin --email admin@comunidigitali.example
    echo "Account admin creato: password da SERVE_ADMIN_PASSWORD o in $password_file"
  fi
}
