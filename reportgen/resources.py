"""Locate the bundled `sql/` and `templates/` folders.

In an installed wheel they live inside the package (hatch force-include); in a source
checkout or editable install they sit beside the package at the repository root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _resource(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} not found next to {_PACKAGE_DIR}")


def sql_dir() -> Path:
    return _resource("sql")


def templates_dir() -> Path:
    return _resource("templates")


def packs_dir() -> Path:
    return sql_dir() / "packs"


def warehouse_sql_dir() -> Path:
    return sql_dir() / "warehouse"


def fixtures_dir() -> Path:
    """The checked-in fixtures (the demo fixture the embedded warehouse is built from)."""
    return _resource("fixtures")
