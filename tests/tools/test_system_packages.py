"""`make run` / `make test` install their system packages or name them in one line."""

import os
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "system_packages.sh"


def run(tmp_path, purpose, present):
    """Run the script with a PATH holding only bash and the commands in ``present``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ["bash", "id", *present]:
        (bin_dir / name).symlink_to(shutil.which(name) or "/bin/true")
    env = {"PATH": str(bin_dir), "SYSTEM_PACKAGES_INSTALL": "0"}
    return subprocess.run(  # noqa: S603
        [str(bin_dir / "bash"), str(SCRIPT), purpose],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_missing_packages_are_named_in_one_line(tmp_path):
    result = run(tmp_path, "test", present=["npm", "node", "curl"])
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    for package in ("xmlsec1", "chromium", "gettext"):
        assert package in lines[0]
    assert "apt-get install" in lines[0]


def test_run_needs_fewer_packages_than_test(tmp_path):
    result = run(tmp_path, "run", present=["npm", "node", "curl", "chromium"])
    assert result.returncode == 1
    assert "xmlsec1" in result.stderr
    assert "chromium" not in result.stderr
    assert "gettext" not in result.stderr


def test_nothing_to_do_when_everything_is_there(tmp_path):
    present = ["npm", "node", "curl", "xmlsec1", "chromium", "msgfmt"]
    result = run(tmp_path, "test", present=present)
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""


def test_script_is_executable():
    assert os.access(SCRIPT, os.X_OK)
