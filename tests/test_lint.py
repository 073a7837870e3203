"""ruff (configured in pyproject.toml) finds nothing in the package, the tests or the benchmarks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "reportgen", "tests", "benchmarks"],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_click_lives_in_cli_only():
    import re

    pattern = re.compile(r"^\s*(import click\b|from click\b)", re.MULTILINE)
    offenders = [p for p in (REPO / "reportgen").rglob("*.py")
                 if p.name != "cli.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders


def test_no_safe_filter_in_templates():
    for template in (REPO / "templates").rglob("*.j2"):
        text = template.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", ""), template
