"""The communities app keeps the portal's one file layout (issue 13): reads in ``selectors.py``
and QuerySet methods, writes in ``services/``, site views in ``views/``, the API in
``api/{views,serializers,urls}.py``, forms in ``forms.py``, signal receivers in
``signal_handlers.py``; and no module longer than 600 lines."""

from __future__ import annotations

from pathlib import Path

import pytest

import communities

APP = Path(communities.__file__).resolve().parent
MAX_LINES = 600

EXPECTED = [
    "models/__init__.py",
    "permissions.py",
    "roles.py",
    "selectors.py",
    "services/__init__.py",
    "views/__init__.py",
    "api/__init__.py",
    "api/views.py",
    "api/serializers.py",
    "api/support.py",
    "api/urls.py",
    "forms.py",
    "urls.py",
    "member_urls.py",
    "wagtail_hooks.py",
    "signal_handlers.py",
    "apps.py",
]

#: The old homes, gone: one name for one job in every app.
GONE = [
    "api.py",
    "api_serializers.py",
    "api_support.py",
    "services.py",
    "views.py",
    "manage_views.py",
    "member_views.py",
    "manage_forms.py",
]


def _modules():
    return sorted(
        path for path in APP.rglob("*.py") if "migrations" not in path.relative_to(APP).parts
    )


@pytest.mark.parametrize("name", EXPECTED)
def test_expected_file_exists(name):
    assert (APP / name).is_file(), f"communities/{name} is missing"


@pytest.mark.parametrize("name", GONE)
def test_old_module_is_gone(name):
    assert not (APP / name).exists(), f"communities/{name} came back"


def test_no_module_exceeds_the_limit():
    too_long = {
        str(path.relative_to(APP)): count
        for path in _modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"longer than {MAX_LINES} lines: {too_long}"


def test_the_public_names_of_the_services_stay_on_the_package():
    from communities import services

    for name in services.__all__:
        assert callable(getattr(services, name)) or name in {"DECIDED_BY", "REQUEST_FOR"}
