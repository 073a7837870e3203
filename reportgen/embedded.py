"""The embedded default target: the demo warehouse built from the checked-in demo fixture.

Built into `<artifacts>/demo-warehouse/` and reused while the fixture and the warehouse SQL are
unchanged (a content hash decides); rebuilt otherwise. One process at a time: an exclusive lock
file guards the directory for the whole run, and a second concurrent run gets a clear message.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from reportgen.errors import FixtureError, TargetError
from reportgen.resources import fixtures_dir

DEMO_DIRNAME = "demo-warehouse"


def demo_fixture_dir() -> Path:
    return fixtures_dir() / "demo"


@contextmanager
def locked(folder: Path) -> Iterator[IO[str]]:
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / "lock", "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise TargetError(
                f"the demo warehouse in {folder} is in use by another reportgen process "
                f"(pid {holder}); wait for it to finish or use --artifacts elsewhere"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield handle
    finally:
        handle.close()


def ensure_demo_warehouse(artifacts: str | Path, fixture: Path | None = None) -> tuple[Path, Path]:
    """Build (or reuse) the demo warehouse; return (chDB data dir, fixture manifest).

    Reused while its build marker matches the fixture and the warehouse SQL (content hashes);
    rebuilt otherwise. Call inside `locked(demo_root(artifacts))`.
    """
    from reportgen.demo import build_warehouse, is_build_current  # deferred: only needed here

    fixture = fixture or demo_fixture_dir()
    manifest = fixture / "manifest.json"
    if not manifest.exists():
        raise FixtureError(f"demo fixture {fixture} has no manifest.json")
    root = demo_root(artifacts)
    data = root / "data"
    if is_build_current(data, fixture):
        return data, manifest
    building = root / "data.building"  # a build cut short never replaces a good one
    shutil.rmtree(building, ignore_errors=True)
    build_warehouse(fixture, building)
    shutil.rmtree(data, ignore_errors=True)
    os.rename(building, data)
    return data, manifest


def demo_root(artifacts: str | Path) -> Path:
    return Path(artifacts) / DEMO_DIRNAME
