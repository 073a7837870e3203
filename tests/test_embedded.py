"""The embedded demo warehouse is reused while fixture and SQL are unchanged, rebuilt otherwise."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import run_in_subprocess

REPO = Path(__file__).resolve().parent.parent

ENSURE = """
import json, os
from pathlib import Path
from reportgen.embedded import ensure_demo_warehouse, locked, demo_root
fixture = {fixture!r}
with locked(demo_root({artifacts!r})):
    data, manifest = ensure_demo_warehouse({artifacts!r}, Path(fixture) if fixture else None)
marker = data / "reportgen_build.json"
result = {{"data": str(data), "manifest": str(manifest), "marker_mtime": os.stat(marker).st_mtime_ns,
          "fixture_hash": json.loads(marker.read_text())["fixture_hash"]}}
"""


def ensure(artifacts: Path, fixture: Path | None = None) -> dict:
    return run_in_subprocess(ENSURE.format(artifacts=str(artifacts), fixture=str(fixture) if fixture else None))


def test_reused_until_the_fixture_changes(tmp_path):
    artifacts = tmp_path / "artifacts"
    first = ensure(artifacts)
    assert first["manifest"] == str(REPO / "fixtures" / "demo" / "manifest.json")
    assert ensure(artifacts) == first  # same build, not rebuilt
    fixture = tmp_path / "fixture"
    shutil.copytree(REPO / "fixtures" / "demo", fixture)
    assert ensure(artifacts, fixture)["marker_mtime"] == first["marker_mtime"]  # same content
    manifest = json.loads((fixture / "manifest.json").read_text())
    manifest["generated_at"] = "2026-11-26T00:00:00+00:00"
    (fixture / "manifest.json").write_text(json.dumps(manifest))
    changed = ensure(artifacts, fixture)
    assert changed["fixture_hash"] != first["fixture_hash"]
    assert changed["marker_mtime"] != first["marker_mtime"]
    assert not (artifacts / "demo-warehouse" / "data.building").exists()
