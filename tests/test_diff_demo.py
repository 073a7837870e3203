"""End to end on the demo warehouse: build, run, inject a fault, run again, diff.

The shared session `demo_warehouse` is never modified: this test builds its own copy from the
same demo fixture (tests/conftest.py `demo_fixture_dir`) in a subprocess, and every run is a
`reportgen run` subprocess (one chDB path per process).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from tests.conftest import demo_fixture_dir
from tests.test_diff_support import execute, reportgen

DB = "livepeer_analytics"
_DLQ_COLUMNS = ("schema_version, source_topic, source_partition, source_offset, source_record_timestamp, "
                "event_id, event_type, event_timestamp, replay, failure_stage, failure_class, failure_reason, "
                "failure_details, payload_encoding, payload_body")
# A core-type event rejected to the DLQ inside the window: raw_typed_no_dlq_or_quarantine_for_core_types fails.
FAULT = [
    f"INSERT INTO {DB}.streaming_events_dlq ({_DLQ_COLUMNS}) "
    "SELECT '1', 'streaming_events', 0, 999999, min(event_timestamp), 'fault-dlq', 'ai_stream_status', "
    "min(event_timestamp), 0, 'parse', 'SCHEMA_INVALID', 'injected <b>fault</b>', '', 'json', '{}' "
    f"FROM {DB}.streaming_events WHERE type = 'ai_stream_status'"
]
NEW_FAILURE = "assertions_raw_typed.raw_typed_no_dlq_or_quarantine_for_core_types"


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo_diff")
    fixture = demo_fixture_dir()
    build = ("import sys; from pathlib import Path; from reportgen.demo.builder import build_warehouse; "
             "build_warehouse(Path(sys.argv[1]), Path(sys.argv[2]))")
    done = subprocess.run([sys.executable, "-c", build, str(fixture), str(root / "wh")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    args = ["run", "--target", f"chdb://{root / 'wh'}", "--manifest", str(fixture / "manifest.json"),
            "--artifacts", str(root / "artifacts"), "--quiet", "--concurrency", "2"]
    first = reportgen(*args, "--run-id", "20260225T000001Z")
    assert first.returncode in (0, 1), first.stderr
    execute(root / "wh", FAULT)
    second = reportgen(*args, "--run-id", "20260225T000002Z")
    assert second.returncode == 1, second.stdout + second.stderr
    return root / "artifacts"


def test_demo_fault_is_reported_as_a_new_failure(demo_runs: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["diff", "--latest", "--artifacts", str(demo_runs)])
    assert text.exit_code == 1, text.output
    lines = text.stdout.splitlines()
    assert lines[0].startswith("REGRESSION: 1 new failure(s), 0 fixed")
    start = lines.index("NEW FAILURES (1)")
    assert lines[start + 1].split()[:2] == ["FAIL", NEW_FAILURE]
    assert "PASS -> FAIL  failed_rows 0 -> 1" in lines[start + 1]
    assert lines[start + 2].strip().startswith("diagnostics: dlq_rows=1")
    assert "01_raw_ingest streaming_events_dlq: rows_window" in text.stdout

    as_json = runner.invoke(main, ["diff", "--latest", "--json", "--artifacts", str(demo_runs)])
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    assert data["headline"] == lines[0] and data["new_failures"] == [NEW_FAILURE]
    failure = next(c for c in data["checks"] if c["check"] == NEW_FAILURE)
    assert failure["diagnostics"]["dlq_rows"] == 1
    # same window and target (the bundled packs may legitimately differ while being edited)
    assert [n["topic"] for n in data["context"] if n["topic"] in ("window", "target")] == []
    html = (Path(data["b"]["path"]) / "diff.html").read_text(encoding="utf-8")
    assert f'data-check="{NEW_FAILURE}"' in html and data["headline"] in html

    same = runner.invoke(main, ["diff", data["b"]["path"], data["b"]["path"], "--artifacts", str(demo_runs)])
    assert same.exit_code == 0 and same.stdout.startswith("NO CHANGE"), same.output
