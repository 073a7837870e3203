"""The bundled packs match the catalogue of spec/packs.md: files, block names, order, conventions.

Pure parsing, no warehouse. The pipeline suite is another engineer's file; its expected names are
checked too, and skipped only while the file does not exist yet.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportgen.packs import load_pack
from reportgen.resources import packs_dir, sql_dir

TRACE = [
    "01_raw_ingest", "02_typed_tables", "03_silver_projection_counts", "04_stateful_fact_counts",
    "05_reliability_and_swap_summary", "06_rollup_population", "07_view_population",
    "08_gpu_view_parity", "09_sla_view_parity", "10_network_demand_view_parity",
]
RAW_TYPED = [
    "raw_typed_accepted_estimate_nonnegative", "raw_typed_no_dlq_or_quarantine_for_core_types",
    "raw_typed_core_1to1_parity", "raw_typed_network_capabilities_expected_in_window",
    "raw_typed_network_capabilities_fanout_guard",
]
PIPELINE = [
    "raw_events_present", "capability_dimension_mvs_present", "capability_dimensions_projecting",
    "capability_snapshot_gpu_coverage", "capability_prices_key_multiplicity_guard", "session_fact_present",
    "core_raw_to_silver_gold_nonempty", "network_capabilities_raw_and_typed_present",
    "status_raw_to_silver_projection", "trace_raw_to_silver_projection", "ingest_raw_to_silver_projection",
    "session_final_uniqueness", "workflow_session_has_identifier", "swap_signal_split_consistency",
    "gold_sessions_use_canonical_orchestrator_identity", "swapped_sessions_have_evidence",
    "param_updates_reference_existing_session", "lifecycle_session_pipeline_model_compatible",
    "session_to_segment_pipeline_model_consistency", "session_to_latency_pipeline_model_consistency",
    "session_to_status_projection_consistency", "status_vs_segment_identity_consistency",
    "latency_vs_segment_identity_consistency", "gpu_view_no_perf_only_orphan_rows",
    "proxy_to_canonical_multiplicity_guard", "session_summary_change_flags_consistency",
    "lifecycle_unattributed_pipeline_not_model_id", "trace_edge_pipeline_model_coverage",
    "latest_sessions_vs_segment_session_ids", "raw_session_rows_vs_latest_sessions",
    "segment_rows_vs_segment_session_ids", "mixed_known_stream_versions",
    "agg_stream_performance_1m_matches_status_samples", "gpu_view_covers_healthy_attributed_session_keys",
    "demand_has_rows_for_all_session_hours", "gpu_count_delta_explained_by_key_overlap",
    "network_demand_counts_aligned_to_rollup", "sla_counts_aligned_to_raw_latest_sessions",
    "view_count_grain_ordering", "gpu_view_matches_rollup", "network_demand_view_matches_rollup",
    "network_demand_effective_success_not_above_startup_success",
    "network_demand_effective_success_penalizes_failure_indicators", "network_demand_model_split_conservation",
    "network_demand_join_multiplicity_guard", "network_demand_pipeline_join_inflation_guard",
    "preexisting_grain_drift_baseline_gpu_sla", "sla_view_matches_session_fact", "sla_ratios_in_bounds",
    "terminal_tail_artifact_filtered_in_gpu_sla", "same_hour_failed_no_output_retained_in_gpu_sla",
    "active_no_output_rows_retained_in_gpu_sla", "gold_pipeline_empty_hotspots_diagnostic",
    "serving_views_do_not_reference_typed_raw_tables",
]
API_READINESS = [
    "api_views_present", "gpu_metrics_keys_not_null", "gold_pipeline_coverage_attributable_min_threshold",
    "gpu_metrics_rollup_fields_consistent", "gpu_metrics_latency_fields_nonnegative",
    "gpu_metrics_startup_seconds_matches_ms", "network_demand_hourly_grain",
    "network_demand_required_columns_present", "network_demand_by_gpu_hourly_grain",
    "network_demand_by_gpu_required_columns_present", "network_demand_by_gpu_capacity_fields_nonnegative",
    "network_demand_additive_fields_nonnegative", "network_demand_served_unserved_consistency",
    "network_demand_pipeline_not_model_id", "network_demand_pipeline_fallback_applied",
    "sla_compliance_rollup_safe", "sla_compliance_required_columns_present",
    "network_demand_success_ratios_valid", "network_demand_success_ratio_penalizes_failure_indicators",
    "network_demand_low_sample_windows", "sla_recompute_parity_vs_latest_sessions",
]
SCENARIO_ASSERTIONS = [
    "scenario_1_clean_success_no_swap_fps_gt_12_exists", "scenario_2_no_orchestrator_then_closed_exists",
    "scenario_3_success_with_swap_exists", "scenario_4_success_with_param_updates_exists",
    "scenario_6_same_hour_failed_no_output_retained_in_views", "scenario_7_rollover_tail_filtered_in_views",
    "scenario_5_out_of_category_baseline_exists",
]
SCENARIO_QUERIES = [
    "scenario_1_clean_success_no_swap_fps_gt_12", "scenario_6_same_hour_failed_no_output_retained",
    "scenario_7_rollover_terminal_tail_filtered_prev_hour_no_work", "scenario_2_no_orchestrator_then_closed",
    "scenario_3_success_with_swap", "scenario_4_success_with_param_updates", "scenario_5_out_of_category_baseline",
]

CATALOGUE: dict[str, tuple[str, list[str]]] = {
    "trace_pipeline_flow": ("QUERY", TRACE),
    "assertions_raw_typed": ("TEST", RAW_TYPED),
    "assertions_pipeline": ("TEST", PIPELINE),
    "assertions_api_readiness": ("TEST", API_READINESS),
    "assertions_scenario_candidates": ("TEST", SCENARIO_ASSERTIONS),
    "scenario_candidates": ("QUERY", SCENARIO_QUERIES),
}
OTHERS_FILES = {"assertions_pipeline"}  # its conventions are checked by tests/test_pack_pipeline.py

# The notebook diagnostics and drill-downs owned by this suite of tests (suite -> block names).
NOTEBOOK_PACKS: dict[str, list[str]] = {
    "notebook_stateful_checks": ["stateful_checks"],
    "notebook_session_versions": ["kpi_summary", "version_diagnostics", "mixed_known_stream_versions",
                                  "per_version_rows", "version_field_diffs"],
    "notebook_scenario_fallout": ["fallout_population", "scenario5_coverage"],
    "notebook_coverage_profile": ["coverage_profile", "hourly_status_sparsity"],
    "notebook_schema_probes": ["describe_v_api_gpu_metrics", "describe_v_api_network_demand",
                               "describe_v_api_network_demand_by_gpu", "describe_v_api_sla_compliance"],
}
SESSION_DRILLDOWN = ["diagnostics", "gpu_observed", "capability_correlation", "timeline", "audit",
                     "audit_layers", "hourly_gpu_rows"]
SCHEMA_TESTS = {"api_views_present", "network_demand_required_columns_present",
                "network_demand_by_gpu_required_columns_present", "sla_compliance_required_columns_present",
                "network_demand_low_sample_windows"}

# Warehouse objects a pack may name; each must be qualified as livepeer_analytics.<name>.
WAREHOUSE_OBJECTS = [
    "streaming_events", "streaming_events_dlq", "streaming_events_quarantine", "ai_stream_status",
    "stream_trace_events", "ai_stream_events", "stream_ingest_metrics", "network_capabilities",
    "network_capabilities_advertised", "network_capabilities_model_constraints", "network_capabilities_prices",
    "dim_orchestrator_capability_snapshots", "dim_orchestrator_capability_current",
    "fact_stream_status_samples", "fact_stream_trace_edges", "fact_stream_ingest_samples",
    "fact_workflow_sessions", "fact_workflow_session_segments", "fact_workflow_param_updates",
    "fact_workflow_latency_samples", "agg_stream_performance_1m", "agg_reliability_1h",
    "v_api_gpu_metrics", "v_api_network_demand", "v_api_network_demand_by_gpu", "v_api_sla_compliance",
    "payment_events",
]


def own_pack_files() -> list[Path]:
    files = [packs_dir() / f"{suite}.sql" for suite in CATALOGUE if suite not in OTHERS_FILES]
    files += [packs_dir() / f"{suite}.sql" for suite in NOTEBOOK_PACKS]
    files += sorted((sql_dir() / "drilldown").glob("*.sql"))
    return files


@pytest.mark.parametrize("suite", list(CATALOGUE))
def test_catalogue_file_blocks_and_order(suite: str) -> None:
    kind, names = CATALOGUE[suite]
    path = packs_dir() / f"{suite}.sql"
    pack = load_pack(path)
    assert pack.suite == suite
    assert pack.kind == kind
    assert [b.name for b in pack.blocks] == names


def test_catalogue_totals() -> None:
    assert [len(v[1]) for v in CATALOGUE.values()] == [10, 5, 54, 21, 7, 7]
    assert sum(len(v[1]) for v in CATALOGUE.values()) == 104


@pytest.mark.parametrize("suite", list(NOTEBOOK_PACKS))
def test_notebook_packs_blocks(suite: str) -> None:
    pack = load_pack(packs_dir() / f"{suite}.sql")
    assert pack.kind == "QUERY"
    assert [b.name for b in pack.blocks] == NOTEBOOK_PACKS[suite]
    assert suite in pack.header, "the header must say how the report finds the suite"


def test_session_drilldown_blocks_are_keyed_by_sid() -> None:
    pack = load_pack(sql_dir() / "drilldown" / "session_drilldown.sql")
    assert pack.kind == "QUERY"
    assert [b.name for b in pack.blocks] == SESSION_DRILLDOWN
    assert all(b.batched and "sid" not in b.params for b in pack.blocks)  # one query for all sessions


def test_readiness_drilldown_blocks_are_named_after_failable_readiness_tests() -> None:
    pack = load_pack(sql_dir() / "drilldown" / "readiness_drilldown.sql")
    names = [b.name for b in pack.blocks]
    assert set(names) == set(API_READINESS) - SCHEMA_TESTS
    assert all(not b.per_session for b in pack.blocks)


@pytest.mark.parametrize("path", own_pack_files(), ids=lambda p: p.name)
def test_block_conventions(path: Path) -> None:
    pack = load_pack(path)
    for block in pack.blocks:
        lines = block.sql.splitlines()
        assert lines[0].startswith("-- ") and len(lines[0]) > 10, f"{block.name}: one-line comment under the marker"
        code = re.sub(r"--[^\n]*", "", block.sql)
        for obj in WAREHOUSE_OBJECTS:
            bare = re.search(rf"\b(?:FROM|JOIN|TABLE)\s+{obj}\b", code, re.IGNORECASE)
            assert not bare, f"{block.name}: {obj} must be named livepeer_analytics.{obj}"
        assert "<= {to_ts" not in code and "> {from_ts" not in code, f"{block.name}: half-open window"
        assert set(block.params) <= {"from_ts", "to_ts", "limit_per_scenario", "sid", "sids"}
        for name, type_ in re.findall(r"\{(\w+):([^}]+)\}", code):
            expected = {"from_ts": "DateTime64(3)", "to_ts": "DateTime64(3)",
                        "limit_per_scenario": "UInt32", "sid": "String", "sids": "Array(String)"}[name]
            assert type_ == expected, f"{block.name}: {{{name}:{type_}}}"


def test_scenario_queries_are_limited_newest_first() -> None:
    pack = load_pack(packs_dir() / "scenario_candidates.sql")
    for block in pack.blocks:
        tail = block.sql[block.sql.rindex("ORDER BY"):]
        assert tail.startswith("ORDER BY session_start_ts DESC"), block.name
        assert tail.rstrip().endswith("LIMIT {limit_per_scenario:UInt32}"), block.name


def test_sql_readme_lists_every_bundled_pack_file() -> None:
    readme = (sql_dir() / "README.md").read_text(encoding="utf-8")
    bundled = sorted(packs_dir().glob("*.sql")) + sorted((sql_dir() / "drilldown").glob("*.sql"))
    for path in bundled:
        assert f"`{path.name}`" in readme, f"sql/README.md does not list {path.name}"
