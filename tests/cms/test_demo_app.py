"""The demo app (issue 13): installed by the dev, test and demo settings only, imported by no
other app, its content in data files rather than Python."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cms.test_settings import ROOT, run_manage, sp_certificate  # noqa: F401

PRODUCTION_ENV = {
    "SECRET_KEY": "k3y-" + "Zq9x!Lm2#Rt7" * 6,
    "ALLOWED_HOSTS": "portale.example.it",
    "REDIS_URL": "redis://127.0.0.1:6379/5",
}
# The tests and the benchmarks (bench/) run under the test settings, where the demo is installed:
# they may use it (bench-mappa seeds with the demo's synthetic Comuni); the apps may not.
SKIPPED_DIRS = {
    ".venv",
    ".venv-spid",
    "node_modules",
    ".git",
    "demo",
    "tests",
    "bench",
    "var",
    "media",
}


def settings_of(module, env):
    """``"demo" in INSTALLED_APPS`` and ``DEMO_ADMIN_ACCOUNT`` of a settings module imported
    alone (importing two settings modules in one process would share base.py's lists)."""
    code = (
        f"import json, {module} as s;"
        "print(json.dumps(['demo' in s.INSTALLED_APPS, s.DEMO_ADMIN_ACCOUNT]))"
    )
    full_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=full_env | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_only_dev_test_and_demo_settings_install_the_demo_app(sp_certificate):  # noqa: F811
    env = PRODUCTION_ENV | sp_certificate
    assert settings_of("cms.settings.production", env) == [False, False]
    # What `make serve` loads the demo with: production's settings plus the app, and still
    # never the README's demo account.
    assert settings_of("cms.settings.demo", env) == [True, False]
    assert settings_of("cms.settings.dev", {}) == [True, True]
    assert settings_of("cms.settings.test", {}) == [True, True]


def test_production_settings_have_no_load_demo_command(sp_certificate):  # noqa: F811
    env = {"DJANGO_SETTINGS_MODULE": "cms.settings.production", **PRODUCTION_ENV, **sp_certificate}
    result = run_manage("help", "load_demo", env_overrides=env)
    assert result.returncode != 0
    assert "Unknown command: 'load_demo'" in result.stderr
    result = run_manage(
        "help", "load_demo", env_overrides=env | {"DJANGO_SETTINGS_MODULE": "cms.settings.demo"}
    )
    assert result.returncode == 0, result.stderr
    assert "Load the demo content" in result.stdout


def python_files():
    for folder, dirs, files in os.walk(ROOT):
        if folder == str(ROOT):
            dirs[:] = [name for name in dirs if name not in SKIPPED_DIRS]
        dirs[:] = [name for name in dirs if name != "__pycache__"]
        for name in files:
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def imported_modules(path):
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_app_imports_the_demo():
    offenders = [
        f"{os.path.relpath(path, ROOT)}: {module}"
        for path in python_files()
        for module in imported_modules(path)
        if module == "demo" or module.startswith("demo.")
    ]
    assert offenders == []


MAX_LINES = 600


def test_demo_modules_stay_code_not_content():
    """The demo's text lives in demo/data; no Python module of the app grows past 600 lines."""
    sizes = {}
    for folder, _dirs, files in os.walk(ROOT / "demo"):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as file:
                    sizes[os.path.relpath(path, ROOT)] = sum(1 for _line in file)
    assert "demo/management/commands/load_demo.py" in sizes
    assert {path: size for path, size in sizes.items() if size > MAX_LINES} == {}
