"""Settings come from the environment; production refuses to start unsafely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides):
    unset = {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DATABASE_URL",
        "REDIS_URL",
    }
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update({k: v for k, v in env_overrides.items() if v is not None})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"ALLOWED_HOSTS": "portale.example.it"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "portale.example.it"}, "REDIS_URL"),
    ],
)
def test_production_refuses_to_start_without_required_variables(overrides, missing):
    result = run_manage(
        "check", env_overrides={"DJANGO_SETTINGS_MODULE": "cms.settings.production", **overrides}
    )
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


@pytest.fixture(scope="module")
def sp_certificate(tmp_path_factory):
    """A real SPID-profile key and certificate, as production expects them on disk."""
    from membership.saml.certificates import generate_certificate

    folder = tmp_path_factory.mktemp("saml")
    key, cert = folder / "sp.key", folder / "sp.crt"
    generate_certificate(
        key,
        cert,
        entity_id="https://portale.example.it/spid/metadata/",
        organization="Community dei Comuni Digitali",
        ipa_code="c_h501",
        locality="Roma",
        common_name="portale.example.it",
        key_size=2048,
    )
    from academy.credentials import generate_key

    badge_key = folder / "academy-badges.pem"  # the Open Badges key production requires too
    generate_key(badge_key)
    return {
        "SAML_KEY_FILE": str(key),
        "SAML_CERT_FILE": str(cert),
        "SAML_IPA_CODE": "c_h501",
        "SAML_CONTACT_EMAIL": "spid@portale.example.it",
        "ACADEMY_BADGE_KEY_FILE": str(badge_key),
    }


def test_production_refuses_to_start_without_the_sp_certificate():
    result = run_manage(
        "check",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "portale.example.it",
            "REDIS_URL": "redis://127.0.0.1:6379/5",
        },
    )
    assert result.returncode != 0
    assert "SAML_KEY_FILE must point to" in result.stderr


def test_check_deploy_is_clean_with_required_variables(sp_certificate):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "k3y-" + "Zq9x!Lm2#Rt7" * 6,
            "ALLOWED_HOSTS": "portale.example.it",
            "REDIS_URL": "redis://127.0.0.1:6379/5",
            **sp_certificate,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_and_cache_come_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE']);"
        "print(s.CACHES['default']['BACKEND'])"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "django.core.cache.backends.redis.RedisCache",
    ]
    default = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        env_overrides={"DJANGO_SETTINGS_MODULE": "cms.settings.dev"},
    )
    assert default.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
    ]
