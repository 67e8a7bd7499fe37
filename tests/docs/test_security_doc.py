"""docs/security.md names the test behind each promise: every test it names exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")
NAMED_IN_PARENS = re.compile(r"`(tests/[\w/]+\.py)` \(([^)]*)\)")


def references():
    text = DOC.read_text()
    found = set(REFERENCE.findall(text))
    for path, names in NAMED_IN_PARENS.findall(text):
        found.update((path, name) for name in re.findall(r"`(test_\w+)`", names))
    return sorted(found)


def test_the_document_names_tests():
    assert len(references()) > 30


def test_every_named_test_exists():
    missing = []
    for path, name in references():
        source = ROOT / path
        if not source.exists():
            missing.append(path)
        elif name and not re.search(rf"^\s*def {name}\(", source.read_text(), re.M):
            missing.append(f"{path}::{name}")
    assert missing == []
