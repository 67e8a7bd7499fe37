"""The discussions app keeps the portal's one file layout (issue 13): models, permissions, reads as
QuerySet methods, writes in ``services/``, pages in ``views/``, the API in
``api/{views,serializers,urls}.py``, receivers in ``signal_handlers.py``; no module is longer than
600 lines."""

from pathlib import Path

import discussions

APP = Path(discussions.__file__).parent
MAX_LINES = 600

EXPECTED = [
    "models.py",
    "permissions.py",
    "forms.py",
    "urls.py",
    "signals.py",
    "signal_handlers.py",
    "wagtail_hooks.py",
    "services/__init__.py",
    "services/common.py",
    "services/topics.py",
    "services/replies.py",
    "services/moderation.py",
    "views/__init__.py",
    "views/common.py",
    "views/topics.py",
    "views/replies.py",
    "views/moderation.py",
    "views/notifications.py",
    "api/__init__.py",
    "api/views.py",
    "api/serializers.py",
    "api/urls.py",
]

GONE = [
    "services.py",
    "moderation.py",
    "views.py",
    "moderation_views.py",
    "notification_views.py",
    "moderation_urls.py",
    "notification_urls.py",
    "api.py",
    "api_urls.py",
]


def _modules():
    return [path for path in APP.rglob("*.py") if "migrations" not in path.relative_to(APP).parts]


def test_no_module_exceeds_the_limit():
    long = {
        str(path.relative_to(APP)): lines
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_expected_files_exist():
    assert [name for name in EXPECTED if not (APP / name).is_file()] == []
    assert [name for name in GONE if (APP / name).exists()] == []


def test_reads_are_queryset_methods():
    from discussions.models import Flag, ModerationLog, Reply, Topic

    assert callable(Topic.objects.for_listing)
    assert callable(Topic.objects.in_community)
    assert callable(Reply.objects.published)
    assert callable(Reply.objects.in_threads)
    assert callable(Flag.objects.open)
    assert callable(ModerationLog.objects.in_community)
