"""Our bundled packs on the clean demo warehouse (conftest's shared `demo_warehouse`, read-only).

- every TEST of ours passes (no advisory exception is expected on the demo data — see the headers);
- the trace pack shows rows in every layer and PASS on the three parity blocks;
- the scenario queries find candidates for every scenario class the fixture contains;
- the notebook diagnostics agree with each other and with the trace pack;
- the per-session drill-downs return rows for every discovered session;
- per-block timings stay well under the run budget (printed with `pytest -s`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportgen.collect import BlockResult, discovered_sessions, run_block, split_by_session, unique_session_ids
from reportgen.packs import load_pack
from reportgen.window import format_param, manifest_window
from tests.packs_support import OWN_QUERY_PACKS, OWN_TEST_PACKS, pack_path

LIMIT = 5
#: TESTs of ours allowed to fail on the clean demo warehouse (advisory by catalogue rule). None.
ADVISORY_ON_DEMO: set[str] = set()


@pytest.fixture(scope="module")
def demo_params(demo_fixture: Path) -> dict:
    start, end = manifest_window(demo_fixture / "manifest.json")
    return {"from_ts": format_param(start), "to_ts": format_param(end), "limit_per_scenario": LIMIT}


@pytest.fixture(scope="module")
def results(ro_client, demo_params) -> dict[str, dict[str, BlockResult]]:
    out: dict[str, dict[str, BlockResult]] = {}
    for suite in OWN_TEST_PACKS + OWN_QUERY_PACKS + ["readiness_drilldown"]:
        out[suite] = {b.name: run_block(ro_client, b, demo_params) for b in load_pack(pack_path(suite)).blocks}
    return out


@pytest.fixture(scope="module")
def sessions(results) -> list[str]:
    return unique_session_ids(discovered_sessions(results["scenario_candidates"].values(), LIMIT))


@pytest.fixture(scope="module")
def batched_drilldowns(ro_client, demo_params, sessions) -> dict[str, BlockResult]:
    """Each session drill-down block run once for every discovered session, as collect does."""
    blocks = load_pack(pack_path("session_drilldown")).blocks
    return {b.name: run_block(ro_client, b, {**demo_params, "sids": sessions}) for b in blocks}


@pytest.fixture(scope="module")
def drilldowns(batched_drilldowns, sessions) -> dict[str, dict[str, BlockResult]]:
    out: dict[str, dict[str, BlockResult]] = {sid: {} for sid in sessions}
    for name, result in batched_drilldowns.items():
        assert result.error is None, f"{name}: {result.error}"
        for part in split_by_session(result, sessions):
            out[part.sid][name] = part
    return out


def rows(result: BlockResult) -> list[dict]:
    assert result.error is None, f"{result.block.block_id}: {result.error}"
    return result.table.to_pylist()


def first(result: BlockResult) -> dict:
    got = rows(result)
    assert got, f"{result.block.block_id} returned no rows"
    return got[0]


def test_no_block_errors(results) -> None:
    errors = {f"{s}.{n}": r.error for s, blocks in results.items() for n, r in blocks.items() if r.error}
    assert errors == {}


def test_every_test_passes_on_the_clean_demo(results) -> None:
    failing = {f"{suite}.{name}": first(r) for suite in OWN_TEST_PACKS
               for name, r in results[suite].items() if first(r)["failed_rows"] != 0}
    assert set(failing) == ADVISORY_ON_DEMO, json.dumps(failing, default=str, indent=1)


def test_trace_pack_shows_rows_in_every_layer(results) -> None:
    trace = results["trace_pipeline_flow"]
    for block, objects in {
        "01_raw_ingest": ["streaming_events", "streaming_events_dlq", "streaming_events_quarantine"],
        "02_typed_tables": ["ai_stream_events", "ai_stream_status", "network_capabilities",
                            "stream_ingest_metrics", "stream_trace_events"],
        "03_silver_projection_counts": ["fact_stream_ingest_samples", "fact_stream_status_samples",
                                        "fact_stream_trace_edges"],
        "04_stateful_fact_counts": ["fact_workflow_param_updates", "fact_workflow_session_segments",
                                    "fact_workflow_sessions"],
        "06_rollup_population": ["agg_reliability_1h", "agg_stream_performance_1m"],
        "07_view_population": ["v_api_gpu_metrics", "v_api_network_demand", "v_api_sla_compliance"],
    }.items():
        got = rows(trace[block])
        assert [r["object_name"] for r in got] == objects, block
        assert all(r["rows_window"] > 0 for r in got), (block, got)
    summary = first(trace["05_reliability_and_swap_summary"])
    assert summary["sessions"] > 0 and summary["known_stream_sessions"] > 0
    for block in ("08_gpu_view_parity", "09_sla_view_parity", "10_network_demand_view_parity"):
        result = first(trace[block])
        assert result["failure_mode"] == "PASS", (block, result)
        assert result["joined_rows"] > 0


def test_scenario_queries_find_every_fixture_class(results, demo_fixture: Path) -> None:
    manifest = json.loads((demo_fixture / "manifest.json").read_text(encoding="utf-8"))
    expected = {name for name, entry in manifest["scenarios"].items()
                if entry.get("candidate_count", 0) > 0 and name.startswith("scenario_")}
    assert expected, "the demo fixture declares no scenario classes"
    required = ["scenario_name", "workflow_session_id", "stream_id", "request_id", "session_start_ts", "session_end_ts"]
    for name, result in results["scenario_candidates"].items():
        got = rows(result)
        assert result.table.column_names[:6] == required, name
        assert len(got) <= LIMIT, name
        starts = [r["session_start_ts"] for r in got]
        assert starts == sorted(starts, reverse=True), f"{name} is not newest first"
        if name in expected:
            assert got, f"{name}: no candidates although the fixture contains the class"


def test_scenario_assertions_agree_with_discovery(results) -> None:
    tests, queries = results["assertions_scenario_candidates"], results["scenario_candidates"]
    for scenario in ("scenario_1_clean_success_no_swap_fps_gt_12", "scenario_2_no_orchestrator_then_closed",
                     "scenario_3_success_with_swap", "scenario_5_out_of_category_baseline"):
        assert first(tests[f"{scenario}_exists"])["candidates"] >= 1
        assert rows(queries[scenario])
    assert first(tests["scenario_4_success_with_param_updates_exists"])["candidates"] >= len(
        rows(queries["scenario_4_success_with_param_updates"]))
    s6 = first(tests["scenario_6_same_hour_failed_no_output_retained_in_views"])
    assert s6["candidates"] >= len(rows(queries["scenario_6_same_hour_failed_no_output_retained"])) > 0
    assert all(r["present_in_gpu_view"] == 1 and r["present_in_sla_view"] == 1
               for r in rows(queries["scenario_6_same_hour_failed_no_output_retained"]))
    s7_rows = rows(queries["scenario_7_rollover_terminal_tail_filtered_prev_hour_no_work"])
    assert first(tests["scenario_7_rollover_tail_filtered_in_views"])["candidates"] == len(s7_rows) > 0
    assert all(r["present_in_gpu_view"] == 0 and r["present_in_sla_view"] == 0 for r in s7_rows)


def test_notebook_diagnostics_are_consistent(results) -> None:
    kpi = first(results["notebook_session_versions"]["kpi_summary"])
    assert kpi == first(results["trace_pipeline_flow"]["05_reliability_and_swap_summary"])
    versions = first(results["notebook_session_versions"]["version_diagnostics"])
    assert versions["distinct_workflow_sessions"] == kpi["sessions"]
    assert versions["raw_session_rows"] >= kpi["sessions"]
    stateful = {r["check_name"]: r for r in rows(results["notebook_stateful_checks"]["stateful_checks"])}
    assert stateful["raw_session_rows_vs_latest_sessions"]["lhs"] == versions["raw_session_rows"]
    assert stateful["latest_sessions_vs_segment_session_ids"]["status"] == "PASS"
    fallout = rows(results["notebook_scenario_fallout"]["fallout_population"])
    assert len(fallout) == kpi["sessions"]
    fallout_ids = {r["workflow_session_id"] for r in fallout if r["is_fallout"] == 1}
    coverage = first(results["notebook_scenario_fallout"]["scenario5_coverage"])
    assert coverage["fallout_total_sessions"] == len(fallout_ids) > 0
    s5_ids = {r["workflow_session_id"] for r in rows(results["scenario_candidates"]["scenario_5_out_of_category_baseline"])}
    assert s5_ids <= fallout_ids
    assert coverage["scenario5_sampled_sessions"] == len(s5_ids)
    s1_ids = {r["workflow_session_id"] for r in rows(results["scenario_candidates"]["scenario_1_clean_success_no_swap_fps_gt_12"])}
    assert all(r["matches_scenario_1"] == 1 for r in fallout if r["workflow_session_id"] in s1_ids)
    profile = {r["object_name"]: r for r in rows(results["notebook_coverage_profile"]["coverage_profile"])}
    trace_views = {r["object_name"]: r["rows_window"] for r in rows(results["trace_pipeline_flow"]["07_view_population"])}
    assert {k: v["rows_window"] for k, v in profile.items()} == trace_views
    sparsity = rows(results["notebook_coverage_profile"]["hourly_status_sparsity"])
    silver = {r["object_name"]: r["rows_window"] for r in rows(results["trace_pipeline_flow"]["03_silver_projection_counts"])}
    assert sum(r["status_rows"] for r in sparsity) == silver["fact_stream_status_samples"]
    assert str(results["notebook_coverage_profile"]["hourly_status_sparsity"].table.schema.field("window_start").type).startswith("timestamp")
    for view in ("v_api_gpu_metrics", "v_api_network_demand", "v_api_network_demand_by_gpu", "v_api_sla_compliance"):
        names = [r["name"] for r in rows(results["notebook_schema_probes"][f"describe_{view}"])]
        assert "window_start" in names


def test_readiness_drilldowns_are_empty_when_tests_pass(results) -> None:
    for name, result in results["readiness_drilldown"].items():
        assert rows(result) == [], f"readiness drill-down {name} shows rows on the clean demo"


def test_session_drilldowns_return_rows_for_discovered_sessions(drilldowns, results) -> None:
    assert len(drilldowns) >= 5
    clean_ids = {r["workflow_session_id"] for r in rows(results["scenario_candidates"]["scenario_1_clean_success_no_swap_fps_gt_12"])}
    for sid, blocks in drilldowns.items():
        diag = first(blocks["diagnostics"])
        assert diag["workflow_session_id"] == sid and diag["session_rows_all_versions"] > 0
        assert first(blocks["audit"])["stream_id"] == diag["stream_id"]
        timeline = rows(blocks["timeline"])
        sources = {r["source"] for r in timeline}
        assert {"fact_stream_trace_edges", "raw_stream_trace_events"} <= sources, sid
        assert [r["ts"] for r in timeline] == sorted(r["ts"] for r in timeline)
        layers = {r["object_name"]: r["rows"] for r in rows(blocks["audit_layers"])}
        assert layers.get("streaming_events", 0) > 0 and layers.get("fact_workflow_sessions", 0) > 0, sid
        assert first(blocks["gpu_observed"])["workflow_session_id"] == sid
        assert len(rows(blocks["capability_correlation"])) <= 200  # per session, like the per-sid LIMIT 200
        if sid in clean_ids:
            assert rows(blocks["capability_correlation"]), f"{sid}: no capability snapshots"
            hourly = rows(blocks["hourly_gpu_rows"])
            assert hourly and any(r["in_gpu_view"] == 1 for r in hourly), sid
            assert diag["known_stream"] == 1 and diag["startup_success"] == 1


def test_block_timings(results, batched_drilldowns) -> None:
    timings = sorted(((r.duration_s, f"{s}.{n}") for s, blocks in results.items() for n, r in blocks.items()),
                     reverse=True)
    per_session = {name: r.duration_s for name, r in batched_drilldowns.items()}  # one query for all sessions
    print("\nslowest phase-1 blocks:")
    for seconds, name in timings[:12]:
        print(f"  {seconds:6.3f}s  {name}")
    print(f"phase-1 total: {sum(t for t, _ in timings):.2f}s over {len(timings)} blocks")
    print("session drill-down per batched block:", {k: round(v, 3) for k, v in per_session.items()})
    assert all(seconds < 3.0 for seconds, _ in timings), timings[:3]
    assert sum(t for t, _ in timings) < 30
    assert max(per_session.values()) < 2.0
