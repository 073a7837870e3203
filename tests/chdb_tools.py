"""Helpers for tests that need their own chDB directory.

A process can hold one chDB data path at a time, and a path can be opened by one process at a
time, so small crafted warehouses are built (and `reportgen` runs against them) in subprocesses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PYTHON = sys.executable


def run_python(code: str, *, timeout: float = 180) -> dict:
    """Run `code` in a fresh interpreter; it must print one JSON object on its last line."""
    proc = subprocess.run([PYTHON, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"subprocess failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1]) if lines else {}


def make_warehouse(path: Path, statements: list[str]) -> Path:
    """Create a chDB directory at `path` by running `statements` read-write."""
    run_python(f"""
        import json, clickhouse_connect
        client = clickhouse_connect.get_client(dsn="chdb://{path}")
        for sql in {json.dumps(statements)}:
            client.command(sql)
        client.close()
        print("{{}}")
    """)
    return path


def reportgen(*args: str, env: dict | None = None, timeout: float = 300,
              cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("CH_HOST", None) if env is None or "CH_HOST" not in env else None
    return subprocess.run([PYTHON, "-m", "reportgen", *args], capture_output=True, text=True,
                          timeout=timeout, env=full_env, cwd=cwd)
