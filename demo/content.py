"""The demo content, read from the TOML files in ``demo/data/`` (see ``data/README.md``)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> dict:
    """The parsed ``demo/data/<name>.toml`` (read once per process; do not modify it)."""
    with (DATA_DIR / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)
