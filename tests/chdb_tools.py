"""Helpers for tests that need their own chDB directory.

A process can hold one chDB data path at a time, and a path can be opened by one process at a
time, so small crafted warehouses are built (and `reportgen` runs against them) in subprocesses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_in_subprocess

PYTHON = sys.executable


def make_warehouse(path: Path, statements: list[str]) -> Path:
    """Create a chDB directory at `path` by running `statements` read-write."""
    run_in_subprocess(f"""
        import clickhouse_connect
        client = clickhouse_connect.get_client(dsn="chdb://{path}")
        for sql in {json.dumps(statements)}:
            client.command(sql)
        client.close()
        result = None
    """)
    return path


def reportgen(*args: str, env: dict | None = None, timeout: float = 300,
              cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("CH_HOST", None) if env is None or "CH_HOST" not in env else None
    return subprocess.run([PYTHON, "-m", "reportgen", *args], capture_output=True, text=True,
                          timeout=timeout, env=full_env, cwd=cwd)
