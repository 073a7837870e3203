"""Every command documents itself with a real example; the exit codes are in the top help."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from reportgen.cli import main


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


COMMANDS = [path for path, _ in all_commands(main)]


def test_expected_commands_exist():
    assert {("run",), ("render",), ("runs",), ("diff",), ("demo",), ("demo", "build"),
            ("demo", "counts"), ("demo", "generate")} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_has_an_example(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    example = result.output.split("Example:", 1)[1]
    assert "reportgen " in example


def test_top_level_help_lists_exit_codes():
    result = CliRunner().invoke(main, ["--help"])
    assert "Exit codes: 0" in result.output and "3 target unreachable" in result.output


def test_python_dash_m_entry_point():
    proc = subprocess.run([sys.executable, "-m", "reportgen", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "reportgen" in proc.stdout


def test_unknown_option_is_usage_error():
    result = CliRunner().invoke(main, ["run", "--nope"])
    assert result.exit_code == 2
