"""Diff semantics on small synthetic run folders (real snapshot files, no warehouse)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.diff import diff_runs, render_terminal
from reportgen.diff_model import (
    ADDED,
    FIXED,
    NEW_FAILURE,
    NEW_WARN,
    REMOVED,
    STATUS_CHANGED,
    STILL_FAILING,
    UNCHANGED,
    categorize,
    context_notes,
    value_change,
)
from tests.test_diff_support import synthetic_run

TRACE = "trace_pipeline_flow"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["diff", *args])
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("PASS", "FAIL", NEW_FAILURE), ("WARN", "ERROR", NEW_FAILURE), ("INFO", "FAIL", NEW_FAILURE),
    ("FAIL", "PASS", FIXED), ("ERROR", "WARN", FIXED),
    ("PASS", "WARN", NEW_WARN), ("INFO", "WARN", NEW_WARN),
    ("FAIL", "ERROR", STILL_FAILING), ("FAIL", "FAIL", STILL_FAILING),
    ("WARN", "PASS", STATUS_CHANGED), ("PASS", "INFO", STATUS_CHANGED),
    ("PASS", "PASS", UNCHANGED), ("WARN", "WARN", UNCHANGED),
    (None, "PASS", ADDED), ("FAIL", None, REMOVED),
])
def test_categories(a: str | None, b: str | None, expected: str) -> None:
    assert categorize(a, b) == expected


def test_value_changes() -> None:
    assert value_change("n", 0, 5).relative is None and value_change("n", 0, 5).delta == 5
    change = value_change("n", Decimal("2.5"), Decimal("5"))
    assert (change.delta, change.relative) == (2.5, 1.0)
    t0, t1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, 0, 1, tzinfo=UTC)
    assert (value_change("ts", t0, t1).delta, value_change("ts", t0, t1).unit) == (60.0, "s")
    assert value_change("ts", t0.isoformat(), t1.isoformat()).delta == 60.0  # diagnostics are JSON
    assert value_change("mode", "PASS", "EMPTY_BOTH").delta is None
    assert value_change("flag", True, False).delta is None  # booleans are not quantities
    assert value_change("x", None, 3).delta is None


def test_fail_on_warn_and_any(tmp_path: Path) -> None:
    a = synthetic_run(tmp_path, "a", [("s", "soft", {"failed_rows": 0, "status": "PASS", "n": 1}),
                                      ("s", "hard", {"failed_rows": 0})])
    b = synthetic_run(tmp_path, "b", [("s", "soft", {"failed_rows": 0, "status": "WARN", "n": 2}),
                                      ("s", "hard", {"failed_rows": 0})])
    art = str(tmp_path)
    expected = {"fail": 0, "warn": 1, "any": 1, "never": 0}
    for fail_on, code in expected.items():
        got, out = invoke(str(a), str(b), "--fail-on", fail_on, "--artifacts", art)
        assert got == code, (fail_on, out)
    _, out = invoke(str(a), str(b), "--artifacts", art)
    assert out.startswith("CHANGED: 0 new failure(s), 0 fixed, 1 new warning(s)")
    assert "NEW WARNINGS (1)\n  s.soft  PASS -> WARN" in out
    # a diagnostic that moved on a check passing in both is not reported (only failing-in-both)
    assert invoke(str(a), str(a), "--fail-on", "any", "--artifacts", art)[0] == 0


def test_still_failing_diagnostics_and_error_messages(tmp_path: Path) -> None:
    a = synthetic_run(tmp_path, "a", [
        ("s", "f", {"failed_rows": 3, "worst": "x", "gone": 1}),
        ("s", "e", {}, "TEST", "Code: 1. first (BAD_ARGUMENTS)"),
        ("s", "to_error", {"failed_rows": 2})])
    b = synthetic_run(tmp_path, "b", [
        ("s", "f", {"failed_rows": 3, "worst": "y", "new": 2.5}),
        ("s", "e", {}, "TEST", "Code: 2. second (BAD_ARGUMENTS)"),
        ("s", "to_error", {}, "TEST", "Code: 3. broke")])
    result = diff_runs(a, b, tmp_path)
    changes = {c.name: {v.key: (v.a, v.b) for v in c.changes} for c in result.checks}
    assert result.new_failures == []
    assert [c.category for c in result.checks] == [STILL_FAILING] * 3
    assert changes["f"] == {"worst": ("x", "y"), "new": (None, 2.5), "gone": (1, None)}
    assert changes["e"] == {"message": ("Code: 1. first (BAD_ARGUMENTS)", "Code: 2. second (BAD_ARGUMENTS)")}
    assert changes["to_error"]["status"] == ("FAIL", "ERROR")
    assert changes["to_error"]["failed_rows"] == (2, None)
    assert result.regressed("fail") is False and result.regressed("any") is True


def test_trace_rows_added_removed_and_parity(tmp_path: Path) -> None:
    t0 = datetime(2026, 1, 1, 1, tzinfo=UTC)
    rows_a = [(TRACE, "01_raw_ingest", {"object_name": "streaming_events", "rows_window": 100,
                                        "min_ts": t0, "max_ts": t0}, "QUERY"),
              (TRACE, "08_gpu_view_parity", {"failure_mode": "PASS", "max_abs_diff_fps": 0.0,
                                             "view_rows": 10}, "QUERY")]
    rows_b = [(TRACE, "01_raw_ingest", {"object_name": "streaming_events_dlq", "rows_window": 4,
                                        "min_ts": t0, "max_ts": t0}, "QUERY"),
              (TRACE, "08_gpu_view_parity", {"failure_mode": "VALUE_MISMATCH_WITH_OVERLAP",
                                             "max_abs_diff_fps": 0.5, "view_rows": 10}, "QUERY")]
    a = synthetic_run(tmp_path, "a", rows_a)
    b = synthetic_run(tmp_path, "b", rows_b)
    result = diff_runs(a, b, tmp_path)
    got = [(t.block, t.row, t.presence, [c.key for c in t.changes]) for t in result.trace]
    assert got == [
        ("01_raw_ingest", "streaming_events_dlq", "added", ["rows_window", "min_ts", "max_ts"]),
        ("01_raw_ingest", "streaming_events", "removed", ["rows_window", "min_ts", "max_ts"]),
        ("08_gpu_view_parity", "", "both", ["failure_mode", "max_abs_diff_fps"]),
    ]
    parity = result.trace[2].changes[1]
    assert (parity.a, parity.b, parity.delta, parity.relative) == (0.0, 0.5, 0.5, None)
    text = render_terminal(result)
    assert "01_raw_ingest streaming_events_dlq [added row]: rows_window - -> 4" in text
    assert "08_gpu_view_parity (row): failure_mode PASS -> VALUE_MISMATCH_WITH_OVERLAP" in text


def test_sessions_and_context_notes(tmp_path: Path) -> None:
    a = synthetic_run(tmp_path, "a", [("s", "t", {"failed_rows": 0})],
                      sessions=[("s1", "scenario_1"), ("s2", "scenario_1"), ("s2", "scenario_3")])
    b = synthetic_run(tmp_path, "b", [("s", "t", {"failed_rows": 0})],
                      sessions=[("s2", "scenario_3"), ("s3", "scenario_2")])
    result = diff_runs(a, b, tmp_path)
    assert [(s.kind, s.workflow_session_id, s.scenarios_a, s.scenarios_b) for s in result.sessions] == [
        ("appeared", "s3", (), ("scenario_2",)), ("disappeared", "s1", ("scenario_1",), ()),
        ("changed", "s2", ("scenario_1", "scenario_3"), ("scenario_3",))]
    notes = context_notes(
        {"window": {"from_ts": "a", "to_ts": "b"}, "target": {"description": "x"},
         "packs": [{"suite": "p", "sha256": "1" * 64}, {"suite": "gone", "sha256": "2" * 64}],
         "versions": {"reportgen": "0.1", "engine": "26.9"}},
        {"window": {"from_ts": "a", "to_ts": "c"}, "target": {"description": "y"},
         "packs": [{"suite": "p", "sha256": "3" * 64}, {"suite": "new", "sha256": "4" * 64}],
         "versions": {"reportgen": "0.2", "engine": "26.9"}})
    assert [n.text for n in notes] == [
        "windows differ: A a .. b, B a .. c", "targets differ: A x, B y",
        "pack p changed (sha256 111111111111 -> 333333333333)", "pack new only in B", "pack gone only in A",
        "reportgen version differs: A 0.1, B 0.2"]


def test_json_and_html_are_deterministic(tmp_path: Path) -> None:
    a = synthetic_run(tmp_path, "a", [("s", "t", {"failed_rows": 0})])
    b = synthetic_run(tmp_path, "b", [("s", "t", {"failed_rows": 4, "d": "<x>"})])
    outs = [invoke(str(a), str(b), "--json", "--artifacts", str(tmp_path), "--out", str(tmp_path / f"{i}.html"))
            for i in range(2)]
    data = [json.loads(out) for _, out in outs]
    assert outs[0][0] == outs[1][0] == 1
    assert [d.pop("html") for d in data] == [str(tmp_path / "0.html"), str(tmp_path / "1.html")]
    assert data[0] == data[1] and data[0]["new_failures"] == ["s.t"]
    html = [(tmp_path / f"{i}.html").read_bytes() for i in range(2)]
    assert html[0] == html[1]
    assert b"&lt;x&gt;" in html[0] and b"<x>" not in html[0]


def test_terminal_output_has_no_control_characters(tmp_path: Path) -> None:
    a = synthetic_run(tmp_path, "a", [("s", "t", {"failed_rows": 0})])
    b = synthetic_run(tmp_path, "b", [("s", "t", {"failed_rows": 1, "note": "\x1b[31mred\x1b[0m\x07 bell"})])
    code, out = invoke(str(a), str(b), "--artifacts", str(tmp_path))
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out
    assert "note=\\x1b[31mred\\x1b[0m\\x07 bell" in out
