"""gunicorn settings (`gunicorn -c gunicorn.conf.py cms.wsgi`); every value has an env override.

Sized for a 2-core machine: 3 worker processes (the GIL makes processes, not threads, the unit
of CPU parallelism; one more than the cores covers the time a worker waits on PostgreSQL and
Redis) with 4 threads each (gthread), so slow clients and I/O waits do not block a process.
Scale with GUNICORN_WORKERS ≈ cores + 1 per app server, and add app servers behind the proxy.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Recycle workers now and then (memory), with jitter so they do not restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "500"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Load the application once in the master, then fork (less memory, faster start).
preload_app = True
# The proxy in front sets X-Forwarded-*; trust it (docs/deploy.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Logs: JSON lines on stderr (cms/log.py), access log off unless GUNICORN_ACCESS_LOG=1.
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "0") == "1" else None
errorlog = "-"
access_log_format = (
    '{"remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "query": "%(q)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, "user_agent": "%(a)s"}'
)
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cms.log.JSONFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
