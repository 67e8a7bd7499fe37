"""Settings shared by every environment. Everything that varies comes from the environment."""

import datetime
import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps first so that their templates and translations win.
    "cms",
    "membership",
    "communities",
    "kits",
    "webinars",
    "faq",
    "search",
    "discussions",
    "events",
    "mailing",
    "surveys",
    "materials",
    "mappa",
    "academy",
    "reports",
    # Threaded replies (django-comments-xtd on django-contrib-comments, which needs sites).
    "django_comments_xtd",
    "django_comments",
    "django.contrib.sites",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "cms.middleware.HealthCheckMiddleware",  # /healthz before anything else
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.cache.PageCacheMiddleware",  # anonymous public pages (cms/cache.py)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.chrome.SharedDataMiddleware",  # the site and portal settings from a snapshot
    "membership.middleware.RegistrationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.PrivateResponseMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"
ASGI_APPLICATION = "cms.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.portal",
                "discussions.context_processors.notifications",
            ],
        },
    },
]

# Database: an SQLite file (the embedded demo) unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's PostgreSQL search index uses SearchVectorField and GIN indexes.
    INSTALLED_APPS.append("django.contrib.postgres")

# Cache: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
        },
        # Wagtail's image renditions (one lookup per image per page otherwise).
        "renditions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal") + "-renditions",
            "TIMEOUT": 24 * 60 * 60,
        },
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The page cache (cms/cache.py): anonymous public pages. Off unless switched on (production
# switches it on with REDIS_URL: a per-process cache could not be invalidated across processes).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", False)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "300"))  # seconds in Redis
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))  # browsers and proxies
# Domain experts in a community's support team (the seeds: 3-5); acceptances past it answer 409.
COMMUNITY_SUPPORT_EXPERTS_MAX = int(os.environ.get("COMMUNITY_SUPPORT_EXPERTS_MAX", "5"))
# The load test's bare "ceiling" view at /_ceiling/ (bench/loadtest/run.sh); never in production.
LOADTEST_CEILING = env_bool("LOADTEST_CEILING", False)

AUTH_USER_MODEL = "membership.User"
LOGIN_URL = "membership:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accedi/"
WAGTAIL_FRONTEND_LOGIN_TEMPLATE = "membership/login.html"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Italian first, English second.
LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

# Static files: the project's own, Bootstrap Italia's distribution and the map of Italy from
# node_modules.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    *(
        (f"bootstrap-italia/{part}", BASE_DIR / "node_modules" / "bootstrap-italia" / "dist" / part)
        for part in ("css", "js", "fonts", "svg")
    ),
    # The map of Italy's regions (npm @svg-maps/italy, CC BY 4.0), read by mappa/italy.py.
    ("svg-maps/italy", BASE_DIR / "node_modules" / "@svg-maps" / "italy"),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files never served under MEDIA_URL (designation acts): only through checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email through Django's mail API (Django 6.1 MAILERS); SMTP when EMAIL_HOST is set,
# the console otherwise.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Community dei Comuni Digitali <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work through Django's task framework: run at once (dev, tests) unless
# TASKS_BACKEND=database, where django-tasks-db stores tasks and `manage.py db_worker` runs them
# (production's default; tools/worker.sh). Its tables exist everywhere.
INSTALLED_APPS += ["django_tasks_db"]
if os.environ.get("TASKS_BACKEND", "immediate") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Wagtail
WAGTAIL_SITE_NAME = "Community dei Comuni Digitali"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
# Search: database backend; Elasticsearch/OpenSearch with SEARCH_URL (cms/settings/search.py).
from .search import search_backends  # noqa: E402

WAGTAILSEARCH_BACKENDS = search_backends()
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "odt",
    "ods",
    "odp",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "zip",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents are served through Django so that collection privacy is always enforced.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ALLOW_UNICODE_SLUGS = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- SPID and CIE (SAML) ---------------------------------------------------------------------
# Everything about the SPID/CIE service provider lives in this section (membership/saml/).
# dev.py and test.py append their overrides; production.py checks what production needs.
INSTALLED_APPS += ["djangosaml2"]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # staff: /admin/ and /accedi/
    "djangosaml2.backends.Saml2Backend",  # members: SPID and CIE (membership/identity.py)
]
# A separate session cookie (SameSite=None in production) that survives the IdP's cross-site
# POST to the assertion consumer service.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "djangosaml2.middleware.SamlSessionMiddleware",
)
SAML_SESSION_COOKIE_NAME = "saml_session"
SAML_SESSION_COOKIE_SAMESITE = os.environ.get("SAML_SESSION_COOKIE_SAMESITE", "None")
SAML_CONFIG_LOADER = "membership.saml.conf.config_loader"
# Entity IDs and endpoint URLs derive from BASE_URL unless SAML_BASE_URL overrides it.
SAML_BASE_URL = os.environ.get("SAML_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")
SAML_ENTITY_IDS = {
    "spid": os.environ.get("SAML_SPID_ENTITY_ID", f"{SAML_BASE_URL}/spid/metadata/"),
    "cie": os.environ.get("SAML_CIE_ENTITY_ID", f"{SAML_BASE_URL}/cie/metadata/"),
}
# The SP's signing key and certificate (PEM). Production must set both (production.py).
SAML_KEY_FILE = os.environ.get("SAML_KEY_FILE", "")
SAML_CERT_FILE = os.environ.get("SAML_CERT_FILE", "")
# Dev/test: a self-signed SPID-profile pair is created here on first use (git-ignored).
SAML_CERT_DIR = Path(os.environ.get("SAML_CERT_DIR", BASE_DIR / "var" / "saml"))
SAML_AUTO_CERTIFICATES = False
# --- Accademia: Open Badges 3.0 (academy/credentials.py, docs/deploy.md "Open Badges keys") ---
# The Ed25519 private key (PEM) that signs the badges, its id in the portal's DID document, the
# retired keys still published ({"key id": "public.pem"}) and the issuer's name. Development and
# test create the key on first use; production requires the file.
ACADEMY_BADGE_KEY_FILE = os.environ.get(
    "ACADEMY_BADGE_KEY_FILE", str(BASE_DIR / "var" / "keys" / "academy-badges.pem")
)
ACADEMY_BADGE_KEY_ID = os.environ.get("ACADEMY_BADGE_KEY_ID", "badge-key-1")
ACADEMY_BADGE_PREVIOUS_KEYS = json.loads(os.environ.get("ACADEMY_BADGE_PREVIOUS_KEYS", "{}"))
ACADEMY_BADGE_KEY_AUTOCREATE = True
ACADEMY_ISSUER_NAME = os.environ.get(
    "ACADEMY_ISSUER_NAME", "Community dei Comuni Digitali — Accademia dei Comuni Digitali"
)
# Requested authentication level (SpidL1..3, minimum comparison; ForceAuthn from L2).
SAML_SPID_LEVEL = int(os.environ.get("SAML_SPID_LEVEL", "2"))
SAML_CIE_LEVEL = int(os.environ.get("SAML_CIE_LEVEL", "2"))
# Allowed clock skew between us and the IdPs, in seconds.
SAML_CLOCK_SKEW = int(os.environ.get("SAML_CLOCK_SKEW", "120"))
# spid-sp-test's fake IdP metadata (a file path): honoured only by dev and test settings.
SAML_TEST_IDP_METADATA = ""
SAML_ORGANIZATION = {
    "name": os.environ.get("SAML_ORGANIZATION_NAME", "Community dei Comuni Digitali"),
    "display_name": os.environ.get(
        "SAML_ORGANIZATION_DISPLAY_NAME", "Community dei Comuni Digitali"
    ),
    "url": os.environ.get("SAML_ORGANIZATION_URL", f"{SAML_BASE_URL}/"),
}
SAML_CONTACT = {
    "ipa_code": os.environ.get("SAML_IPA_CODE", ""),
    "email": os.environ.get("SAML_CONTACT_EMAIL", ""),
    "phone": os.environ.get("SAML_CONTACT_PHONE", ""),
    # CIE: ISTAT code of the municipality of the organisation's seat (Roma: 058091).
    "municipality": os.environ.get("SAML_MUNICIPALITY", "058091"),
    "locality": os.environ.get("SAML_LOCALITY", "Roma"),
}
SAML_IGNORE_LOGOUT_ERRORS = True
SAML_CSP_HANDLER = ""

# --- Community API (issue 4): communities/api/, mounted at /api/community/v1/ -----------------
# Token authentication (DRF's authtoken: its migration creates the table) beside the session;
# the OpenAPI 3 schema by drf-spectacular, its Swagger UI served from here (sidecar, no CDN).
INSTALLED_APPS += ["rest_framework.authtoken", "drf_spectacular", "drf_spectacular_sidecar"]
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "drf_spectacular.openapi.AutoSchema"
SPECTACULAR_SETTINGS = {
    "TITLE": "Community dei Comuni Digitali: community API",
    "DESCRIPTION": (
        "Communities of practice, memberships, working groups and invitations. Authenticate "
        "with the portal session (CSRF token on unsafe methods) or with "
        "`Authorization: Token <key>` (create it with POST /api/community/v1/token/). "
        "Errors: 401 not signed in, 403 refused (`detail`, `code`), 404 not visible, "
        "400 invalid input (errors by field), 409 conflict."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/community/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Its deploy check generates a schema of the whole site (Wagtail's admin and v2 APIs
    # included) and warns about them; tests/communities/test_api.py validates ours instead.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "ENUM_NAME_OVERRIDES": {
        "CommunityRoleEnum": "communities.api.serializers.COMMUNITY_ROLES",
        "MemberRoleEnum": "communities.api.serializers.MEMBER_ROLES",
        "WorkingGroupRoleEnum": "communities.api.serializers.GROUP_ROLES",
        "WorkingGroupStatusEnum": "communities.api.serializers.GROUP_STATUSES",
        "ReplyStateEnum": "discussions.api.serializers.REPLY_STATES",
        "TopicStateEnum": "discussions.api.serializers.TOPIC_STATES",
        "MaterialKindEnum": "materials.api.serializers.DOCUMENT_KINDS",
        "ValidationRoundStatusEnum": "materials.api.serializers.ROUND_STATUSES",
        "CourseAreaEnum": "academy.api.serializers.AREAS",
        "CourseLevelEnum": "academy.api.serializers.LEVELS",
        "CourseDeliveryEnum": "academy.api.serializers.DELIVERIES",
        "CourseStateEnum": "academy.api.serializers.COURSE_STATES",
        "CourseEditionStateEnum": "academy.api.serializers.EDITION_STATES",
        "EnrolmentStatusEnum": "academy.api.serializers.ENROLMENT_STATUSES",
        "BadgeStateEnum": "academy.api.serializers.BADGE_STATES",
        "BadgeVerificationStateEnum": "academy.api.serializers.VERIFICATION_STATES",
    },
}

# Discussions: replies are django-comments-xtd comments (discussions.models.Reply), threaded to a
# depth of 3 (levels 0-2). Posting goes through the access policy (discussions/gate.py).
SITE_ID = 1
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "discussions.models.Reply"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_THREADED_EMAILS = False
COMMENTS_XTD_LIST_ORDER = ("thread_id", "order")
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "default": {
        "who_can_post": "users",
        "allow_flagging": False,
        "allow_feedback": False,
        "show_feedback": False,
    }
}
# COMMENT_MAX_LENGTH stays at the library default (3,000 characters): changing it would alter
# django-contrib-comments' own migrations.
# Posting limits per member, counted in the cache (Redis in production): (posts, seconds).
DISCUSSIONS_RATE_LIMITS = {"reply": [(5, 60), (30, 3600)], "topic": [(5, 3600)]}
# How long a reply keeps the IP address it was posted from, in days (then
# `manage.py purge_reply_ips`, run daily, forgets it; docs/deploy.md).
REPLY_IP_RETENTION_DAYS = int(os.environ.get("REPLY_IP_RETENTION_DAYS", "30"))

# The audit trail (cms/audit.py, Wagtail's log entries): how long entries are kept, in days.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "730"))

# --- Hardening (issue 12): staff sign-in throttle, security headers, idle sessions ------------
# Staff sign-in (/accedi/ and /admin/login/): django-axes counts failed password sign-ins per
# username + client address in the database (shared by every process) and locks that pair out
# for AXES_COOLOFF_TIME after AXES_FAILURE_LIMIT failures, with an Italian 429 page
# (membership/security.py). SPID/CIE never go through a password backend: login() is called
# with the SAML backend directly, so the axes backend (first, as axes requires) never sees them.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS.insert(0, "axes.backends.AxesStandaloneBackend")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "membership.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# The client address: REMOTE_ADDR, or the X-Forwarded-For entry added by the first of
# TRUSTED_PROXY_COUNT proxies in front of gunicorn (membership/security.py). Never trust the
# header without a proxy that sets it: anyone could then choose the address they are counted on.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "membership.security.client_ip"
# Failures only: AccessAttempt (the counters) and AccessFailureLog (every failure, with its
# address); successful sign-ins are not logged by axes (SPID/CIE sign-ins would be, too).
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 200
# Failed sign-ins are kept this many days, then purged by `manage.py purge_expired`.
SIGN_IN_FAILURE_RETENTION_DAYS = int(os.environ.get("SIGN_IN_FAILURE_RETENTION_DAYS", "90"))

# Content-Security-Policy (Django's built-in middleware). The site: scripts from this origin or
# with the request's nonce only ({{ csp_nonce }}); styles may be inline (Bootstrap Italia and
# its fonts loader set them); images and media from here (and the object storage, production.py),
# frames for the embeds' players. The admin (/admin/, Wagtail's own inline scripts) gets
# ADMIN_CSP enforced and the site's script rules report-only (cms/security.py).
from django.utils.csp import CSP  # noqa: E402

CSP_MEDIA_SOURCES = env_list("CSP_MEDIA_SOURCES")
CSP_FRAME_SOURCES = env_list(
    "CSP_FRAME_SOURCES",
    "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com",
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", *CSP_MEDIA_SOURCES],
    "media-src": [CSP.SELF, *CSP_MEDIA_SOURCES],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF, *CSP_FRAME_SOURCES],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
ADMIN_CSP = {
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],  # the page preview is an iframe of the admin
}
ADMIN_CSP_REPORT_ONLY = {
    **SECURE_CSP,
    "script-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:", *CSP_MEDIA_SOURCES],
    "frame-ancestors": [CSP.SELF],
}
ADMIN_PATH_PREFIX = "/admin/"
CSP_REPORT_URI = os.environ.get("CSP_REPORT_URI", "")
if CSP_REPORT_URI:
    for _policy in (SECURE_CSP, ADMIN_CSP_REPORT_ONLY):
        _policy["report-uri"] = CSP_REPORT_URI
    del _policy
TEMPLATES[0]["OPTIONS"]["context_processors"].append("django.template.context_processors.csp")
SECURE_REFERRER_POLICY = "same-origin"
# No avatars from gravatar.com in the admin: no editor's e-mail hash sent to a third party, and
# no image from outside the policies' img-src.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Powerful browser features nobody on the portal needs, refused for the page and its frames.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)
# Outermost after SecurityMiddleware: static files, cached pages and every view get them.
_at = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE[_at:_at] = [
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "cms.security.SecurityHeadersMiddleware",
]
del _at

# Idle sessions: a signed-in session unused for this many seconds is signed out (staff and
# editors sooner: they hold more power). 0 switches the check off. membership/middleware.py.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(2 * 60 * 60)))
STAFF_SESSION_IDLE_TIMEOUT = int(os.environ.get("STAFF_SESSION_IDLE_TIMEOUT", str(30 * 60)))
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "membership.middleware.IdleSessionMiddleware",
)

# The demo's `admin` account with the README's password: dev and test settings only
# (demo/management/commands/load_demo.py); production never creates it.
DEMO_ADMIN_ACCOUNT = False
