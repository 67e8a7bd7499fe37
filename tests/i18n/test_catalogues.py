"""UI translations: the Italian catalogue is complete, current and compiled."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
ITALIAN_PO = ROOT / "locale" / "it" / "LC_MESSAGES" / "django.po"
IGNORED = {
    ".venv",
    ".venv-spid",
    "var",
    "node_modules",
    "staticfiles",
    "media",
    ".git",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
}


def entries(catalogue):
    return {(e.msgctxt, e.msgid): e for e in catalogue if not e.obsolete and e.msgid}


def test_italian_catalogue_is_complete():
    po = polib.pofile(str(ITALIAN_PO))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert not missing, f"untranslated or fuzzy Italian strings: {missing[:20]}"


@pytest.mark.parametrize("language", ["it", "en"])
def test_compiled_catalogue_matches_source(language):
    po_path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    po = entries(polib.pofile(str(po_path)))
    mo = entries(polib.mofile(str(po_path.with_suffix(".mo"))))
    translated = {k: e for k, e in po.items() if e.translated() and not e.fuzzy}
    stale = [
        k[1]
        for k, e in translated.items()
        if k not in mo
        or (mo[k].msgstr or mo[k].msgstr_plural)
        != (e.msgstr or {int(i): s for i, s in e.msgstr_plural.items()})
    ]
    assert not stale, f"run `make messages`: django.mo is stale for {stale[:10]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_catalogue_contains_every_string_in_the_code(tmp_path):
    """makemessages on a copy of the project finds no string missing from the catalogue."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=lambda d, names: [n for n in names if n in IGNORED])
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "it",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=node_modules",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
    )
    assert result.returncode == 0, result.stderr
    fresh = set(entries(polib.pofile(str(copy / "locale/it/LC_MESSAGES/django.po"))))
    current = set(entries(polib.pofile(str(ITALIAN_PO))))
    assert not fresh - current, f"run `make messages`: new strings {sorted(fresh - current)[:20]}"
