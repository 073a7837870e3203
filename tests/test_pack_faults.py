"""Fault injection: every failable TEST of our packs fails on a warehouse with the matching fault.

One subprocess builds the demo warehouse once into a private directory, then for every fault
copies it, applies the fault's SQL (data faults: INSERT/DELETE on the facts; serving faults: the
view is renamed and replaced by a wrapper that corrupts one column), runs the target TEST — and,
for API readiness tests, its readiness drill-down — and records the first row. The pristine copy
is measured the same way, so each test can assert that `failed_rows` went from 0 to > 0 and that
the named diagnostic moved. Informational TESTs keep `failed_rows = 0` while their diagnostics
respond. The shared `demo_warehouse` of the test session is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.conftest import run_in_subprocess
from tests.packs_support import subprocess_code

DB = "livepeer_analytics"


def override_view(view: str, select: str) -> list[str]:
    """Rename `view` to `<view>__orig` and recreate it as `select`, where `{orig}` names the original.

    A bare select list (no `{orig}`) means `SELECT <select list> FROM {orig}`.
    """
    orig = f"{DB}.{view}__orig"
    query = select.format(orig=orig) if "{orig}" in select else f"SELECT {select} FROM {orig}"
    return [f"RENAME TABLE {DB}.{view} TO {orig}", f"CREATE VIEW {DB}.{view} AS {query}"]


@dataclass(frozen=True)
class Fault:
    name: str
    suite: str
    test: str
    sql: list[str]
    moved: str | None  # diagnostic expected to change vs clean (None: the drill-down rows are the evidence)
    informational: bool = False
    drilldown: bool = False  # the readiness drill-down of the same name must return offending rows
    also_fails: tuple[str, ...] = field(default=())


RT, API, SC = "assertions_raw_typed", "assertions_api_readiness", "assertions_scenario_candidates"
GPU, DEMAND, BY_GPU, SLA = "v_api_gpu_metrics", "v_api_network_demand", "v_api_network_demand_by_gpu", "v_api_sla_compliance"

_DLQ_COLUMNS = ("schema_version, source_topic, source_partition, source_offset, source_record_timestamp, event_id, "
                "event_type, event_timestamp, replay, failure_stage, failure_class, failure_reason, failure_details, "
                "payload_encoding, payload_body")


def _dlq_insert(event_type: str) -> str:
    return (f"INSERT INTO {DB}.streaming_events_dlq ({_DLQ_COLUMNS}) "
            f"SELECT '1', 'streaming_events', 0, 999999, min(event_timestamp), 'fault-dlq-{event_type}', "
            f"'{event_type}', min(event_timestamp), 0, 'parse', 'SCHEMA_INVALID', 'injected', '', 'json', '{{}}' "
            f"FROM {DB}.streaming_events WHERE type = 'ai_stream_status'")


FAULTS: list[Fault] = [
    # ---- raw -> typed ----
    Fault("core_status_row_in_dlq", RT, "raw_typed_no_dlq_or_quarantine_for_core_types",
          [_dlq_insert("ai_stream_status")], "dlq_rows"),
    Fault("typed_status_rows_lost", RT, "raw_typed_core_1to1_parity",
          [f"DELETE FROM {DB}.ai_stream_status WHERE stream_id = (SELECT min(stream_id) FROM {DB}.ai_stream_status)"],
          "total_typed_rows"),
    Fault("raw_capability_events_missing", RT, "raw_typed_network_capabilities_expected_in_window",
          [f"DELETE FROM {DB}.streaming_events WHERE type = 'network_capabilities'"], "raw_rows",
          also_fails=("raw_typed_network_capabilities_fanout_guard",)),
    Fault("capability_fanout_phantom_sources", RT, "raw_typed_network_capabilities_fanout_guard",
          [f"INSERT INTO {DB}.network_capabilities SELECT * REPLACE (concat('phantom-', source_event_id) AS source_event_id) "
           f"FROM {DB}.network_capabilities"], "typed_distinct_source_events"),
    Fault("rejects_exceed_raw_for_a_type", RT, "raw_typed_accepted_estimate_nonnegative",
          [_dlq_insert("phantom_type")], "overflow_type_count", informational=True),
    # ---- API readiness (serving-view faults) ----
    Fault("api_view_dropped", API, "api_views_present", [f"DROP VIEW {DB}.{BY_GPU}"], "missing_views"),
    Fault("gpu_view_null_gpu_ids", API, "gpu_metrics_keys_not_null",
          override_view(GPU, "* REPLACE (CAST(NULL, 'Nullable(String)') AS gpu_id)"), None, drilldown=True),
    Fault("gpu_view_blank_pipelines", API, "gold_pipeline_coverage_attributable_min_threshold",
          override_view(GPU, "* REPLACE ('' AS pipeline)"), "pipeline_coverage_ratio", drilldown=True),
    Fault("gpu_view_failure_rate_drift", API, "gpu_metrics_rollup_fields_consistent",
          override_view(GPU, "* REPLACE (failure_rate + 0.5 AS failure_rate)"), None, drilldown=True),
    Fault("gpu_view_negative_latency", API, "gpu_metrics_latency_fields_nonnegative",
          override_view(GPU, "* REPLACE (CAST(-1.0, 'Nullable(Float64)') AS e2e_latency_ms)"), None,
          drilldown=True),
    Fault("gpu_view_startup_seconds_drift", API, "gpu_metrics_startup_seconds_matches_ms",
          override_view(GPU, "* REPLACE (CAST(12345.0, 'Nullable(Float64)') AS startup_time_s)"), None,
          drilldown=True),
    Fault("demand_view_off_hour", API, "network_demand_hourly_grain",
          override_view(DEMAND, "* REPLACE (window_start + 60 AS window_start)"), None, drilldown=True),
    Fault("demand_view_column_dropped", API, "network_demand_required_columns_present",
          override_view(DEMAND, "* EXCEPT (success_ratio)"), "missing_columns"),
    Fault("by_gpu_view_off_hour", API, "network_demand_by_gpu_hourly_grain",
          override_view(BY_GPU, "* REPLACE (window_start + 60 AS window_start)"), None, drilldown=True),
    Fault("by_gpu_view_column_dropped", API, "network_demand_by_gpu_required_columns_present",
          override_view(BY_GPU, "* EXCEPT (gpu_type)"), "missing_columns"),
    Fault("by_gpu_view_capacity_overflow", API, "network_demand_by_gpu_capacity_fields_nonnegative",
          override_view(BY_GPU, "* REPLACE (2.0 AS capacity_rate)"), None, drilldown=True),
    Fault("demand_view_negative_fees", API, "network_demand_additive_fields_nonnegative",
          override_view(DEMAND, "* REPLACE (-1.0 AS fee_payment_eth)"), None, drilldown=True),
    Fault("demand_view_total_demand_drift", API, "network_demand_served_unserved_consistency",
          override_view(DEMAND, "* REPLACE (total_demand_sessions + 1 AS total_demand_sessions)"), None,
          drilldown=True),
    Fault("demand_view_pipeline_is_model", API, "network_demand_pipeline_not_model_id",
          override_view(DEMAND, "* REPLACE (if(model_id != '', model_id, pipeline) AS pipeline)"), None,
          drilldown=True),
    Fault("demand_view_fallback_missing", API, "network_demand_pipeline_fallback_applied",
          override_view(DEMAND, "* REPLACE (if(model_id != '', '', pipeline) AS pipeline)"), "rows_checked",
          drilldown=True),
    Fault("sla_view_no_swap_ratio_drift", API, "sla_compliance_rollup_safe",
          override_view(SLA, "* REPLACE (no_swap_ratio - 0.5 AS no_swap_ratio)"), None, drilldown=True),
    Fault("sla_view_column_dropped", API, "sla_compliance_required_columns_present",
          override_view(SLA, "* EXCEPT (startup_success_ratio)"), "missing_columns"),
    Fault("demand_view_ratio_out_of_bounds", API, "network_demand_success_ratios_valid",
          override_view(DEMAND, "* REPLACE (success_ratio + 2 AS success_ratio)"), None, drilldown=True),
    Fault("demand_view_success_ignores_failures", API, "network_demand_success_ratio_penalizes_failure_indicators",
          override_view(DEMAND, "* REPLACE (if(known_sessions > 0, 1.0, success_ratio) AS success_ratio)"),
          None, drilldown=True),
    Fault("demand_view_tiny_minutes", API, "network_demand_low_sample_windows",
          override_view(DEMAND, "* REPLACE (total_minutes / 1000 AS total_minutes)"), "low_sample_windows",
          informational=True),
    Fault("sla_view_known_sessions_drift", API, "sla_recompute_parity_vs_latest_sessions",
          override_view(SLA, "* REPLACE (known_sessions + 1 AS known_sessions)"), "total_known_diff",
          drilldown=True),
    Fault("sla_view_loses_session_hours", API, "sla_recompute_parity_vs_latest_sessions",
          override_view(SLA, "SELECT * FROM {orig} WHERE toHour(window_start) % 2 = 0"),
          "raw_only_keys", drilldown=True),
    # ---- scenario coverage ----
    Fault("no_capability_orchestrators", SC, "scenario_1_clean_success_no_swap_fps_gt_12_exists",
          [f"DELETE FROM {DB}.network_capabilities WHERE 1"], "candidates"),
    Fault("close_edges_lost", SC, "scenario_2_no_orchestrator_then_closed_exists",
          [f"DELETE FROM {DB}.fact_stream_trace_edges WHERE trace_type = 'gateway_ingest_stream_closed'"], "candidates"),
    Fault("swap_evidence_lost", SC, "scenario_3_success_with_swap_exists",
          [f"DELETE FROM {DB}.fact_workflow_sessions WHERE confirmed_swap_count > 0 OR inferred_orchestrator_change_count > 0",
           f"DELETE FROM {DB}.fact_workflow_session_segments WHERE segment_index > 0"], "candidates"),
    Fault("param_updates_lost", SC, "scenario_4_success_with_param_updates_exists",
          [f"DELETE FROM {DB}.fact_workflow_param_updates WHERE 1"], "candidates", informational=True),
    Fault("gpu_view_drops_failed_hours", SC, "scenario_6_same_hour_failed_no_output_retained_in_views",
          override_view(GPU, "SELECT * FROM {orig} WHERE NOT (loading_only_sessions > 0 "
                             "OR zero_output_fps_sessions > 0 OR sessions_with_errors > 0)"), "gpu_missing_rows"),
    Fault("sla_view_keeps_rollover_tails", SC, "scenario_7_rollover_tail_filtered_in_views",
          override_view(SLA, "SELECT * FROM {orig} UNION ALL "
                             "SELECT * REPLACE (window_start + 3600 AS window_start) FROM {orig}"),
          "sla_rows_found"),
]


#: Data changes the notebook's version panels must reflect (they are QUERY blocks, no verdict).
_FIRST_SESSION = (f"(SELECT min(workflow_session_id) FROM (SELECT workflow_session_id FROM {DB}.fact_workflow_sessions "
                  f"GROUP BY workflow_session_id HAVING min(known_stream) = 1))")  # a session always known
VERSION_PROBES: dict[str, list[str]] = {
    # an earlier version emitted with unresolved identity (0 -> 1 upgrade, the normal case)
    "known_stream_upgrade": [
        f"INSERT INTO {DB}.fact_workflow_sessions SELECT * REPLACE (version - 1 AS version, toUInt8(0) AS known_stream) "
        f"FROM {DB}.fact_workflow_sessions WHERE workflow_session_id = {_FIRST_SESSION} ORDER BY version LIMIT 1"],
    # a later version that lost the identity again (1 -> 0 regression)
    "known_stream_regression": [
        f"INSERT INTO {DB}.fact_workflow_sessions SELECT * REPLACE (version + 1 AS version, toUInt8(0) AS known_stream) "
        f"FROM {DB}.fact_workflow_sessions WHERE workflow_session_id = {_FIRST_SESSION} ORDER BY version DESC LIMIT 1"],
}
VERSION_BLOCKS = ["version_diagnostics", "mixed_known_stream_versions", "per_version_rows", "version_field_diffs"]


def _fault_code() -> str:
    # Each case: name -> (statements, [(suite, block names)]); the clean case runs every block once.
    cases: dict[str, tuple[list[str], list[tuple[str, list[str]]]]] = {}
    clean_blocks: dict[str, set[str]] = {}
    for f in FAULTS:
        targets = [(f.suite, [f.test, *f.also_fails])] + ([("readiness_drilldown", [f.test])] if f.drilldown else [])
        cases[f.name] = (f.sql, targets)
    for name, statements in VERSION_PROBES.items():
        cases[name] = (statements, [("notebook_session_versions", VERSION_BLOCKS)])
    for _, targets in cases.values():
        for suite, names in targets:
            clean_blocks.setdefault(suite, set()).update(names)
    clean_targets = [(suite, sorted(names)) for suite, names in clean_blocks.items()]
    return subprocess_code(f"""
        import tempfile
        cases = {cases!r}
        root = Path(tempfile.mkdtemp(prefix="reportgen-faults-"))
        pristine = root / "pristine"
        params = build_demo(str(pristine))

        def measure(name, statements, targets):
            work = root / name
            shutil.copytree(pristine, work, symlinks=True)
            client = clickhouse_connect.get_client(dsn=f"chdb://{{work}}")
            errors = []
            for sql in statements:
                try:
                    client.command(sql, settings={{"mutations_sync": 2}})
                except Exception as exc:
                    errors.append(str(exc)[:500])
            out = {{"inject_errors": errors}}
            for suite, names in targets:
                out.update({{f"{{suite}}.{{n}}": r for n, r in run_suite(client, suite, params, set(names)).items()}})
            client.close()
            shutil.rmtree(work, ignore_errors=True)
            return out

        result = {{"clean": measure("clean", [], {clean_targets!r}), "faulty": {{}}}}
        for name, (statements, targets) in cases.items():
            result["faulty"][name] = measure(name, statements, targets)
        shutil.rmtree(root, ignore_errors=True)
    """)


@pytest.fixture(scope="module")
def fault_results() -> dict:
    return run_in_subprocess(_fault_code(), timeout=900)


def test_every_failable_test_of_ours_has_a_fault() -> None:
    from reportgen.packs import load_pack
    from tests.packs_support import pack_path

    informational = {"raw_typed_accepted_estimate_nonnegative", "network_demand_low_sample_windows",
                     "scenario_4_success_with_param_updates_exists", "scenario_5_out_of_category_baseline_exists"}
    covered = {f.test for f in FAULTS if not f.informational}
    for suite in (RT, API, SC):
        for block in load_pack(pack_path(suite)).blocks:
            if block.name not in informational:
                assert block.name in covered, f"{suite}.{block.name} has no fault-injection test"


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_fault_is_detected(fault: Fault, fault_results: dict) -> None:
    clean, faulty = fault_results["clean"], fault_results["faulty"][fault.name]
    assert faulty["inject_errors"] == [], faulty["inject_errors"]
    for name in (fault.test, *fault.also_fails):
        key = f"{fault.suite}.{name}"
        assert clean[key]["error"] is None and faulty[key]["error"] is None, faulty[key]
        assert clean[key]["first"]["failed_rows"] == 0, f"{name} must pass on the clean warehouse"
        if fault.informational:
            assert faulty[key]["first"]["failed_rows"] == 0, f"{name} is informational"
        else:
            assert faulty[key]["first"]["failed_rows"] > 0, f"{name} missed fault {fault.name}"
    if fault.moved is not None:
        key = f"{fault.suite}.{fault.test}"
        before, after = clean[key]["first"][fault.moved], faulty[key]["first"][fault.moved]
        assert before != after, f"{key}.{fault.moved} did not move ({before!r})"
    if fault.drilldown:
        key = f"readiness_drilldown.{fault.test}"
        assert clean[key]["rows"] == 0
        assert faulty[key]["error"] is None
        assert faulty[key]["rows"] > 0, f"readiness drill-down {fault.test} shows no rows"


def _versions(results: dict) -> dict:
    assert results["inject_errors"] == [], results["inject_errors"]
    return {name: results[f"notebook_session_versions.{name}"] for name in VERSION_BLOCKS}


def test_version_panels_show_a_known_stream_upgrade(fault_results: dict) -> None:
    clean = _versions({"inject_errors": [], **fault_results["clean"]})
    upgraded = _versions(fault_results["faulty"]["known_stream_upgrade"])
    assert upgraded["version_diagnostics"]["first"]["sessions_with_known_stream_transitions"] == (
        clean["version_diagnostics"]["first"]["sessions_with_known_stream_transitions"] + 1)
    mixed = upgraded["mixed_known_stream_versions"]["first"]
    assert mixed["status"] == "WARN" and mixed["value"] >= 1 and mixed["regressive_sessions"] == 0
    assert upgraded["per_version_rows"]["rows"] >= 2
    diffs = upgraded["version_field_diffs"]["all"]
    assert any("known_stream: 0 -> 1" in d["changed_fields"] and d["status"] == "INFO" for d in diffs), diffs


def test_version_panels_flag_a_known_stream_regression(fault_results: dict) -> None:
    regressed = _versions(fault_results["faulty"]["known_stream_regression"])
    assert regressed["mixed_known_stream_versions"]["first"]["regressive_sessions"] == 1
    diffs = regressed["version_field_diffs"]["all"]
    assert any("known_stream: 1 -> 0" in d["changed_fields"] and d["status"] == "WARN" for d in diffs), diffs
