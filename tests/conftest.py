"""Shared pytest fixtures.

chDB holds one data path per process: every in-process chDB test shares the single demo
warehouse built by ``demo_warehouse``. Anything that needs another chDB path (an empty
schema-only warehouse, a second build, a faulty copy) runs in a subprocess through
``run_in_subprocess``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

_RESULT_MARKER = "__REPORTGEN_SUBPROCESS_RESULT__"


class SubprocessError(RuntimeError):
    """The code run by ``run_in_subprocess`` failed."""


def run_in_subprocess(code: str, timeout: float = 600) -> object:
    """Run Python ``code`` in a fresh interpreter and return the JSON value it reports.

    The code must assign the value to a variable named ``result`` (JSON-serialisable).
    Raises ``SubprocessError`` with the child's stderr when it fails.
    """
    wrapper = (
        textwrap.dedent(code)
        + "\n\nimport json as _json\n"
        + f"print({_RESULT_MARKER!r} + _json.dumps(result, default=str))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapper],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(REPO_ROOT),
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if proc.returncode != 0:
        raise SubprocessError(f"subprocess failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(_RESULT_MARKER):
            return json.loads(line[len(_RESULT_MARKER):])
    raise SubprocessError(f"subprocess printed no result:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


@pytest.fixture(scope="session")
def subprocess_runner():
    """The ``run_in_subprocess`` helper as a fixture (for tests that prefer injection)."""
    return run_in_subprocess


def demo_fixture_dir() -> Path:
    """The checked-in demo fixture, or the reference fixture (real production events) until it exists."""
    demo = REPO_ROOT / "fixtures" / "demo"
    if (demo / "manifest.json").is_file():
        return demo
    return REPO_ROOT / "fixtures" / "reference"


@pytest.fixture(scope="session")
def demo_fixture() -> Path:
    """Path of the fixture folder the session warehouse is built from."""
    return demo_fixture_dir()


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory, demo_fixture):
    """BuildReport of the session demo warehouse (built once per test process)."""
    from reportgen.demo.builder import build_warehouse

    return build_warehouse(demo_fixture, tmp_path_factory.mktemp("demo_warehouse") / "chdb")


@pytest.fixture(scope="session")
def demo_warehouse(demo_build) -> Path:
    """Path of the chDB directory holding the built demo warehouse (one per test process)."""
    return Path(demo_build.data_dir)


@pytest.fixture(scope="session")
def rw_client(demo_warehouse):
    """Read-write client on the session demo warehouse (fault injection, setup)."""
    import clickhouse_connect

    client = clickhouse_connect.get_client(dsn=f"chdb://{demo_warehouse}")
    yield client
    client.close()


@pytest.fixture(scope="session")
def ro_client(demo_warehouse):
    """Read-only client (readonly=2) on the session demo warehouse, as `reportgen run` uses."""
    import clickhouse_connect

    client = clickhouse_connect.get_client(dsn=f"chdb://{demo_warehouse}", settings={"readonly": 2})
    yield client
    client.close()
