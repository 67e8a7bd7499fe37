# The portal's application image: gunicorn + WhiteNoise (app servers) and the task worker
# (same image, `command: python manage.py db_worker`). See docs/deploy.md, "Scaling out".

# --- Front-end assets: Bootstrap Italia from npm ---------------------------------------------
FROM node:22-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- Application -------------------------------------------------------------------------------
FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    GUNICORN_BIND=0.0.0.0:8000

# xmlsec1: pysaml2 signs and verifies SPID/CIE messages with it. gettext: compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends xmlsec1 gettext curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 portal
WORKDIR /app

COPY pyproject.toml ./
# The `production` group: `base` plus django-storages/boto3 for optional object storage.
RUN pip install "pip>=25.1" && pip install --group production

COPY --chown=portal:portal . .
COPY --from=assets --chown=portal:portal /build/node_modules/bootstrap-italia/dist node_modules/bootstrap-italia/dist

# Static files are collected at build time (hashed names, compressed; WhiteNoise serves them).
# Production settings need their variables even for collectstatic: throwaway values here.
RUN mkdir -p /tmp/build-saml \
    && DJANGO_SETTINGS_MODULE=cms.settings.dev SAML_CERT_DIR=/tmp/build-saml DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       python manage.py saml_certificates >/dev/null \
    && DJANGO_SETTINGS_MODULE=cms.settings.dev DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       ACADEMY_BADGE_KEY_FILE=/tmp/build-saml/badges.pem python manage.py badge_key --create >/dev/null \
    && ACADEMY_BADGE_KEY_FILE=/tmp/build-saml/badges.pem SECRET_KEY=build-only ALLOWED_HOSTS=build SAML_KEY_FILE=/tmp/build-saml/sp.key \
       SAML_CERT_FILE=/tmp/build-saml/sp.crt SAML_IPA_CODE=build SAML_CONTACT_EMAIL=build@example.org \
       DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://build:6379/0 \
       sh -c "python manage.py collectstatic --noinput -v0 && python manage.py compilemessages -v0 --ignore=.venv" \
    && rm -rf /tmp/build-saml /tmp/build.sqlite3 \
    && mkdir -p /app/media /app/private_media \
    && chown -R portal:portal /app/media /app/private_media /app/staticfiles

USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["gunicorn", "-c", "gunicorn.conf.py", "cms.wsgi"]
