"""The report's view model: derived panels, formatting, harness reading — on real run folders."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pyarrow as pa
import pytest

from reportgen.report import derived, model
from reportgen.report.charts import script_json, timeline_figure
from reportgen.report.format import anchor, fmt
from reportgen.report.harness import load_harness
from reportgen.report.lookup import Lookup, valid_utf8
from reportgen.snapshot import open_run
from tests.test_report_support import HOSTILE_SIDS, UINT64_MAX, cached_run, make_hostile_run, make_subset_run


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return open_run(cached_run("hostile", tmp_path_factory, make_hostile_run))


@pytest.fixture(scope="module")
def subset(tmp_path_factory):
    return open_run(cached_run("subset", tmp_path_factory, make_subset_run))


# ------------------------------------------------------------------------- pure helpers


def test_fmt_covers_warehouse_values():
    assert fmt(None) == ""
    assert fmt(float("nan")) == "NaN"
    assert fmt(float("inf")) == "inf"
    assert fmt(UINT64_MAX) == "18446744073709551615"
    assert fmt(b"a\xffb") == "a\ufffdb"
    assert fmt("x" * 1000).endswith("…") and len(fmt("x" * 1000)) == 400
    assert fmt([("k", 1), ("j", None)]) == '{"j": null, "k": 1}'
    assert fmt("\udcff") == "?"  # lone surrogate from undecodable bytes never reaches the file


def test_anchor_is_stable_and_safe():
    assert anchor("check", "assertions_pipeline", "raw_events_present") == \
        "check-assertions_pipeline-raw_events_present"
    hostile = anchor("session", HOSTILE_SIDS[0])
    assert hostile == anchor("session", HOSTILE_SIDS[0])
    assert set(hostile) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
    assert anchor("session", "a|b") != anchor("session", "a/b")


def test_version_field_diffs_warn_on_known_stream_regression():
    rows = [
        {"workflow_session_id": "s", "version": 1, "known_stream": 0, "startup_success": 0, "session_end_ts": None},
        {"workflow_session_id": "s", "version": 2, "known_stream": 1, "startup_success": 1, "session_end_ts": None},
        {"workflow_session_id": "s", "version": 3, "known_stream": 0, "startup_success": 1, "session_end_ts": None},
        {"workflow_session_id": "t", "version": 1, "known_stream": 1, "startup_success": 0, "session_end_ts": None},
        {"workflow_session_id": "t", "version": 2, "known_stream": 1, "startup_success": 0, "session_end_ts": None},
    ]
    diffs = derived.version_field_diffs(rows)
    # regressions first, so a truncated table never hides one
    assert [(d["from_version"], d["to_version"], d["status"]) for d in diffs] == [(2, 3, "WARN"), (1, 2, "INFO")]
    assert diffs[1]["changed_fields"] == "known_stream: 0 -> 1; startup_success: 0 -> 1"


def test_valid_utf8_replaces_undecodable_bytes():
    raw = pa.array([b"ok", b"x\xff\xfey", None], pa.binary())
    text = pa.Array.from_buffers(pa.string(), 3, raw.buffers())
    table = pa.table({"s": text, "n": [1, 2, 3]})
    with pytest.raises(UnicodeDecodeError):
        table.column("s").to_pylist()
    assert valid_utf8(table).column("s").to_pylist() == ["ok", "x\ufffd\ufffdy", None]


def test_script_json_cannot_close_its_element():
    text = str(script_json({"a": "</script><script>alert(1)</script>", "b": "<!-- & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "<!-- & \u2028"}
    with pytest.raises(ValueError):
        script_json({"x": math.nan})  # NaN must be cleaned before embedding, never written as NaN


def test_timeline_figure_marks_start_end_and_escapes_hover():
    rows = [{"ts": "2026-02-25 11:00:01.000", "source": "fact_stream_trace_edges", "detail": "<b>x</b>"},
            {"ts": "2026-02-25 11:00:02.000", "source": "raw_ai_stream_events", "detail": "error"}]
    fig = timeline_figure(rows, "2026-02-25 11:00:00.000", None)
    assert [t["name"] for t in fig["data"]] == ["fact_stream_trace_edges", "raw_ai_stream_events"]
    assert "&lt;b&gt;x&lt;/b&gt;" in fig["data"][0]["hovertext"][0]
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["session start"]


def test_load_harness_reads_summary_and_failed_assertions(tmp_path: Path):
    run = tmp_path / "test-runs" / "20260226T191221Z"
    (run / "stages").mkdir(parents=True)
    (tmp_path / "test-runs" / "20250101T000000Z").mkdir()
    (run / "summary.json").write_text(json.dumps({
        "run_id": "20260226T191221Z", "mode": "full", "failed": True,
        "results": [{"stage": "stack_up", "status": "PASS", "duration_sec": 1.5, "error": None},
                    {"stage": "assert_api", "status": "FAIL", "duration_sec": 2.0, "error": "exit 1"}]}))
    (run / "stages" / "assert_api.json").write_text(json.dumps({"results": [
        {"name": "gpu_metrics_keys_not_null", "passed": False, "failed_rows": 3, "diagnostics": {"rows_checked": 9},
         "error": None},
        {"name": "api_views_present", "passed": True, "failed_rows": 0, "diagnostics": {}, "error": None}]}))
    (run / "stages" / "assert_pipeline.json").write_text("{not json")
    data = load_harness(tmp_path, "")
    assert data["run_id"] == "20260226T191221Z"  # newest folder when HARNESS_RUN_ID is empty
    assert [s["stage"] for s in data["stages"]] == ["stack_up", "assert_api"]
    assert data["failures"] == [{"suite": "assert_api", "test_name": "gpu_metrics_keys_not_null", "failed_rows": 3,
                                 "error": "", "diagnostics": {"rows_checked": 9}}]
    assert data["problems"] and "assert_pipeline.json" in data["problems"][0]
    assert load_harness(tmp_path, "20250101T000000Z")["stages"] == []
    assert load_harness(tmp_path, "nope") is None
    assert load_harness(tmp_path / "missing", None) is None


# ------------------------------------------------------------------------- real run folders


def test_model_on_hostile_run_keys_sessions_by_real_ids(hostile):
    view = model.build(hostile)
    sids = {s["sid"] for s in view["sessions"]}
    assert sids == set(HOSTILE_SIDS)
    for session in view["sessions"]:
        diag = next(p for p in session["panels"] if p["key"] == "diagnostics")
        values = {row[0].text: row[1].text for row in diag["table"].rows}
        assert values["workflow_session_id"] == session["sid"]  # never a widget key, never all-zero
        assert session["start"].startswith("2026-02-25")
    timeline = next(s for s in view["sessions"] if s["sid"] == HOSTILE_SIDS[0])
    assert timeline["figure"] is not None and timeline["timeline_total"] >= 2


def test_model_summary_lists_every_non_passing_check(hostile):
    view = model.build(hostile)
    listed = {(n["block"].suite, n["block"].name) for n in view["summary"]["non_passing"]}
    expected = {(b.suite, b.name) for b in hostile.blocks if b.phase == 1 and b.status in ("FAIL", "ERROR", "WARN")}
    assert listed == expected and ("assertions_pipeline", "raw_events_present") in listed
    assert view["summary"]["verdict"] == "FAIL"
    assert all(n["anchor"] for n in view["summary"]["non_passing"])


def test_model_derived_panels_from_snapshot(hostile):
    lookup = Lookup(hostile)
    versions = derived.session_versions(lookup)
    # s1 went known_stream 1 -> 0 (version 1 -> UInt64 max): a regression, hence WARN
    regress = [d for d in versions["diffs"] if d["status"] == "WARN"]
    assert [d["workflow_session_id"] for d in regress] == [HOSTILE_SIDS[0]]
    assert regress[0]["to_version"] == UINT64_MAX
    assert versions["mixed"]["status"] == "WARN" and versions["mixed"]["value"] == 1
    stateful, source = derived.stateful_checks(lookup)
    assert {r["check_name"] for r in stateful} == {"latest_sessions_vs_segment_session_ids",
                                                   "raw_session_rows_vs_latest_sessions",
                                                   "segment_rows_vs_segment_session_ids"}
    raw_vs_latest = next(r for r in stateful if r["check_name"] == "raw_session_rows_vs_latest_sessions")
    assert (raw_vs_latest["lhs"], raw_vs_latest["rhs"], raw_vs_latest["delta"]) == (5, 4, 1)
    fall = derived.fallout(lookup)
    assert fall["coverage"]["fallout_total_sessions"] == 4  # no session matches scenarios 1-4
    assert fall["coverage"]["scenario5_sampled_sessions"] == 4
    assert fall["coverage"]["fallout_covered_by_scenario5"] == 4
    assert fall["coverage"]["residual_fallout_sessions"] == 0
    recon = derived.reconciliation(lookup)
    assert [r["test_name"] for r in recon["rows"]][:2] == ["agg_stream_performance_1m_matches_status_samples",
                                                           "gpu_view_matches_rollup"]
    comparison = {r["scenario_name"]: r for r in derived.discovery_vs_assertions(lookup)}
    assert comparison["scenario_5_out_of_category_baseline"]["discovery_rows"] == 4
    assert comparison["scenario_1_clean_success_no_swap_fps_gt_12"]["discovery_rows"] == 0


def test_model_tolerates_runs_without_the_bundled_packs(subset):
    view = model.build(subset)
    assert [s["block"].name for s in view["trace"]["sections"]][0] == "01_raw_ingest"
    assert all(not s["present"] for s in view["suites"])
    assert view["sessions"] == []
    assert view["scenarios"]["fallout"] is None
    assert view["drill"]["coverage"] is None
    stateful_panel = view["trace"]["sections"][3]["panels"][0]
    assert stateful_panel["missing"]


def test_large_tables_are_truncated_with_a_note():
    from reportgen.report.environment import environment
    from reportgen.report.tables import from_arrow

    table = from_arrow("big", pa.table({"n": list(range(500)), "s": ["<x>"] * 500}))
    assert len(table.rows) == 200 and table.hidden_rows == 300
    html = environment().from_string(
        '{% from "report/_macros.html.j2" import table %}{{ table(t) }}').render(t=table)
    assert "300 more rows in the snapshot" in html
    assert html.count("<tr>") == 201 and "&lt;x&gt;" in html and "<x>" not in html


def test_table_component_snapshot():
    """A rendered table with a fixed id, byte for byte (update the expectation when the markup changes)."""
    from reportgen.report.tables import Cell, DataTable, from_records

    table = from_records("t-x", [{"name": "<a>", "status": "FAIL", "n": 3, "v": None}, {"name": "b"}],
                         ["name", "status", "n", "v"])
    assert str(table.html()) == (
        '<div class="tbl-wrap"><table class="data" id="t-x">\n<thead><tr><th>name</th><th>status</th><th>n</th>'
        '<th>v</th></tr></thead>\n<tbody>\n'
        '<tr><td>&lt;a&gt;</td><td class="st st-FAIL">FAIL</td><td class="num">3</td><td class="null"></td></tr>\n'
        '<tr><td>b</td><td></td><td></td><td></td></tr>\n</tbody></table></div>')
    linked = DataTable("t-y", ["c"], [[Cell('x"y', "", '#a"b')]], 1, search=['q"<'])
    assert '<tr data-search="q&quot;&lt;"><td><a href="#a&quot;b">x&quot;y</a></td></tr>' in str(linked.html())


def test_per_session_limits_shrink_when_many_sessions_share_the_page():
    from reportgen.report.sessions import PANEL_ROWS, TIMELINE_POINTS, scaled

    assert scaled(PANEL_ROWS, 35, 3) == PANEL_ROWS
    assert scaled(PANEL_ROWS, 140, 3) == 3
    assert scaled(TIMELINE_POINTS, 70, 200) == 1000
