"""Every failable TEST of assertions_pipeline.sql fails on a faulty demo warehouse.

Each case injects one fault into the session demo warehouse through `reportgen.demo.faults`
(a registered fault, or `inject_sql` with the tables/views to restore), runs the block through the
real collect path, and asserts failed_rows > 0 with the expected diagnostics moving against the
clean run. Informational blocks (failed_rows hard-coded 0) and the two blocks that cannot fail by
construction get a case showing their diagnostics respond. After every case the block must give
its clean result again (the warehouse is restored exactly).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from reportgen.demo.faults import inject, inject_sql, view_with_replacement
from reportgen.demo.schema import ddl_for
from tests.test_pack_pipeline import BLOCKS, INFORMATIONAL, UNFAILABLE, demo_params, first_row  # noqa: F401

D = "livepeer_analytics"
SESSIONS = ("fact_workflow_sessions", "agg_reliability_1h")  # the reliability MV sees session inserts
LATEST_SESSIONS = f"""(SELECT * FROM {D}.fact_workflow_sessions
    ORDER BY workflow_session_id, version DESC LIMIT 1 BY workflow_session_id)"""
LATEST_SEGMENTS = f"""(SELECT * FROM {D}.fact_workflow_session_segments
    ORDER BY workflow_session_id, segment_index, version DESC LIMIT 1 BY workflow_session_id, segment_index)"""


def session_versions(replace: str, where: str = "1") -> str:
    """A newer version of every latest session matching `where`, with columns replaced."""
    # the filter sits in a subquery: a REPLACE alias would shadow the column it tests
    return (f"INSERT INTO {D}.fact_workflow_sessions SELECT * REPLACE ({replace}, version + 1000 AS version) "
            f"FROM (SELECT * FROM {LATEST_SESSIONS} WHERE {where})")


def segment_versions(replace: str, where: str = "1") -> str:
    """A newer version of every latest segment matching `where`, with columns replaced."""
    return (f"INSERT INTO {D}.fact_workflow_session_segments "
            f"SELECT * REPLACE ({replace}, version + 1000 AS version) "
            f"FROM (SELECT * FROM {LATEST_SEGMENTS} WHERE {where})")


def wrapped_view(view: str, select: str) -> str:
    """DDL replacing `view` by `select`, where `{source}` stands for the view's own schema definition."""
    ddl = ddl_for(view).sql.strip().rstrip(";")
    head, body = ddl.split("\nAS\n", 1)
    return f"{head}\nAS\n" + select.replace("{source}", f"({body})")


Check = Callable[[dict, dict], bool]


@dataclass(frozen=True)
class Case:
    block: str
    id: str
    expect: Check  # (row under fault, clean row) -> the expected diagnostics moved
    fault: str | None = None  # a registered fault of reportgen.demo.faults
    statements: tuple[str, ...] = ()
    restore_tables: tuple[str, ...] = ()
    restore_views: tuple[str, ...] = ()

    def apply(self, client):
        if self.fault:
            return inject(client, self.fault)
        return inject_sql(client, self.statements, self.restore_tables, self.restore_views)


def view_case(block: str, id: str, view: str, select: str, expect: Check) -> Case:
    return Case(block, id, expect, statements=(wrapped_view(view, select),), restore_views=(view,))


GPU, SLA, DEMAND = "v_api_gpu_metrics", "v_api_sla_compliance", "v_api_network_demand"

FAILING_CASES = [
    Case("raw_events_present", "typed_trace_emptied",
         lambda r, c: r["failed_rows"] == 1 and r["missing_objects"] == ["stream_trace_events"],
         statements=(f"TRUNCATE TABLE {D}.stream_trace_events",), restore_tables=("stream_trace_events",)),
    Case("capability_dimension_mvs_present", "snapshot_mv_dropped",
         lambda r, c: r["failed_rows"] == 1
         and r["missing_mvs"] == ["mv_network_capabilities_to_dim_orchestrator_capability_snapshots"],
         fault="drop_capability_mv"),
    Case("capability_dimensions_projecting", "snapshot_dim_emptied",
         lambda r, c: r["dim_caps_rows"] == 0 and r["caps_rows"] == c["caps_rows"] > 0,
         fault="empty_capability_dimension"),
    Case("capability_snapshot_gpu_coverage", "dim_gpus_lost",
         lambda r, c: r["total_gpu_deficit"] > 0 and r["loss_rows"] + r["missing_dim_keys"] > 0,
         statements=(f"ALTER TABLE {D}.dim_orchestrator_capability_snapshots DELETE "
                     f"WHERE ifNull(gpu_id, '') != '' AND cityHash64(gpu_id) % 3 = 0",),
         restore_tables=("dim_orchestrator_capability_snapshots",)),
    Case("capability_snapshot_gpu_coverage", "dim_gpus_expanded",
         lambda r, c: r["expansion_rows"] > 0 and r["total_gpu_surplus"] > 0,
         statements=(f"INSERT INTO {D}.dim_orchestrator_capability_snapshots SELECT * REPLACE "
                     f"(concat(assumeNotNull(gpu_id), '-ghost') AS gpu_id) "
                     f"FROM (SELECT * FROM {D}.dim_orchestrator_capability_snapshots WHERE ifNull(gpu_id, '') != '' "
                     f"ORDER BY snapshot_ts DESC, source_event_uid LIMIT 1)",),
         restore_tables=("dim_orchestrator_capability_snapshots",)),
    Case("capability_prices_key_multiplicity_guard", "price_row_duplicated_case_variant",
         lambda r, c: r["duplicate_groups"] == 1 and r["max_rows_in_group"] == 2,
         statements=(f"INSERT INTO {D}.network_capabilities_prices SELECT * REPLACE "
                     f"(upper(orchestrator_address) AS orchestrator_address) "
                     f"FROM {D}.network_capabilities_prices ORDER BY event_timestamp DESC, source_event_id LIMIT 1",),
         restore_tables=("network_capabilities_prices", "dim_orchestrator_capability_prices")),
    Case("session_fact_present", "sessions_emptied",
         lambda r, c: r["failed_rows"] == 1 and r["sessions_window"] == 0,
         statements=(f"TRUNCATE TABLE {D}.fact_workflow_sessions",), restore_tables=SESSIONS),
    Case("core_raw_to_silver_gold_nonempty", "trace_edges_emptied",
         lambda r, c: r["trace_rows"] == 0 and r["status_rows"] == c["status_rows"],
         statements=(f"TRUNCATE TABLE {D}.fact_stream_trace_edges",), restore_tables=("fact_stream_trace_edges",)),
    Case("network_capabilities_raw_and_typed_present", "typed_capabilities_emptied",
         lambda r, c: r["typed_rows"] == 0 and r["raw_rows"] == c["raw_rows"] > 0,
         statements=(f"TRUNCATE TABLE {D}.network_capabilities",), restore_tables=("network_capabilities",)),
    Case("status_raw_to_silver_projection", "silver_status_rows_deleted",
         lambda r, c: r["missing_in_silver"] > 0 and r["total_row_deficit"] == r["missing_in_silver"],
         fault="delete_silver_status_rows"),
    Case("status_raw_to_silver_projection", "typed_status_rows_deleted",
         lambda r, c: r["silver_only_keys"] > 0 and r["typed_keys"] < c["typed_keys"],
         fault="drop_typed_status_rows"),
    Case("trace_raw_to_silver_projection", "silver_trace_rows_deleted",
         lambda r, c: r["missing_in_silver"] > 0 and r["silver_keys"] < c["silver_keys"],
         fault="delete_silver_trace_rows"),
    Case("ingest_raw_to_silver_projection", "ingest_projection_mv_dropped",
         lambda r, c: r["silver_keys"] == 0 and r["missing_in_silver"] == c["typed_keys"] > 0,
         fault="drop_ingest_projection_mv"),
    Case("ingest_raw_to_silver_projection", "ingest_samples_duplicated",
         lambda r, c: r["multiplicity_mismatch"] == 3 and r["total_row_excess"] == 3,
         statements=(f"INSERT INTO {D}.fact_stream_ingest_samples SELECT * FROM {D}.fact_stream_ingest_samples "
                     f"ORDER BY sample_ts, source_event_uid LIMIT 3",),
         restore_tables=("fact_stream_ingest_samples",)),
    Case("session_final_uniqueness", "max_version_duplicated",
         lambda r, c: 0 < r["failed_rows"] <= r["unique_sessions_checked"], fault="duplicate_session_version"),
    Case("workflow_session_has_identifier", "empty_session_id",
         lambda r, c: r["failed_rows"] == 1 and r["total_rows"] == c["total_rows"] + 1,
         statements=(f"INSERT INTO {D}.fact_workflow_sessions SELECT * REPLACE ('' AS workflow_session_id) "
                     f"FROM {LATEST_SESSIONS} ORDER BY workflow_session_id LIMIT 1",),
         restore_tables=SESSIONS),
    Case("swap_signal_split_consistency", "swap_count_drifts",
         lambda r, c: r["failed_rows"] > 0 and r["rows_checked"] == c["rows_checked"],
         statements=(session_versions("toUInt16(confirmed_swap_count + 1) AS swap_count",
                                      "cityHash64(workflow_session_id) % 4 = 0"),),
         restore_tables=SESSIONS),
    Case("gold_sessions_use_canonical_orchestrator_identity", "unknown_session_orchestrator",
         lambda r, c: r["failed_rows"] == 1 and r["noncanonical_session_orchestrators"] == 1
         and r["session_orchestrators_checked"] == c["session_orchestrators_checked"] + 1,
         statements=(session_versions("'0x00000000000000000000000000000000000fa17' AS orchestrator_address",
                                      "orchestrator_address != '' ORDER BY workflow_session_id LIMIT 1"),),
         restore_tables=SESSIONS),
    Case("swapped_sessions_have_evidence", "swap_flag_without_evidence",
         lambda r, c: r["failed_rows"] > 0 and len(r["failing_workflow_session_ids"]) == r["swapped_without_evidence"],
         statements=(session_versions("toUInt16(1) AS confirmed_swap_count, toUInt16(1) AS swap_count",
                                      "confirmed_swap_count = 0 AND inferred_orchestrator_change_count = 0 "
                                      "AND orchestrator_address != ''"),),
         restore_tables=SESSIONS),
    Case("param_updates_reference_existing_session", "orphan_param_update",
         lambda r, c: r["failed_rows"] == 1 and r["orphan_param_updates"] == 1, fault="orphan_param_updates"),
    Case("lifecycle_session_pipeline_model_compatible", "attributed_pipeline_collapsed_to_model",
         lambda r, c: r["collapsed_semantic_rows"] == 1 and r["rows_checked"] == c["rows_checked"],
         statements=(session_versions("upper(assumeNotNull(model_id)) AS pipeline",
                                      "gpu_attribution_method != 'none' AND ifNull(model_id, '') != '' "
                                      "ORDER BY workflow_session_id LIMIT 1"),),
         restore_tables=SESSIONS),
    Case("session_to_segment_pipeline_model_consistency", "session_model_drifts",
         lambda r, c: r["session_segment_model_mismatches"] > 0 and r["comparable_rows"] == c["comparable_rows"],
         statements=(session_versions("'fault-model' AS model_id",
                                      "gpu_attribution_method != 'none' AND cityHash64(workflow_session_id) % 3 = 0"),),
         restore_tables=SESSIONS),
    Case("session_to_latency_pipeline_model_consistency", "session_pipeline_drifts",
         lambda r, c: r["pipeline_mismatch_rows"] > 0 and r["model_mismatch_rows"] == 0,
         statements=(session_versions("'fault-pipeline' AS pipeline",
                                      "gpu_attribution_method != 'none' AND workflow_session_id IN "
                                      f"(SELECT workflow_session_id FROM {D}.fact_workflow_latency_samples)"),),
         restore_tables=SESSIONS),
    Case("session_to_status_projection_consistency", "every_session_identity_drifts",
         lambda r, c: r["status"] == "FAIL" and r["pipeline_mismatch_rows"] == r["comparable_pipeline_rows"] > 0
         and r["model_mismatch_rows"] == r["comparable_model_rows"] > 0,
         statements=(session_versions("'fault-pipeline' AS pipeline, 'fault-model' AS model_id"),),
         restore_tables=SESSIONS),
    Case("status_vs_segment_identity_consistency", "every_segment_orchestrator_drifts",
         lambda r, c: r["status"] == "FAIL" and r["identity_mismatch_rows"] == r["rows_checked"] > 0,
         statements=(segment_versions("'0x00000000000000000000000000000000000fa17' AS orchestrator_address"),),
         restore_tables=("fact_workflow_session_segments",)),
    Case("latency_vs_segment_identity_consistency", "every_segment_orchestrator_drifts",
         lambda r, c: r["status"] == "FAIL" and r["identity_mismatch_rows"] == r["rows_checked"] > 0,
         statements=(segment_versions("'0x00000000000000000000000000000000000fa17' AS orchestrator_address"),),
         restore_tables=("fact_workflow_session_segments",)),
    Case("proxy_to_canonical_multiplicity_guard", "proxy_uri_with_two_canonicals",
         lambda r, c: r["status"] == "FAIL" and r["proxy_uri_multi_canonical_rows"] == 1
         and r["proxy_uri_keys_checked"] == c["proxy_uri_keys_checked"],
         statements=(f"INSERT INTO {D}.network_capabilities SELECT * REPLACE "
                     f"('0x00000000000000000000000000000000000fa17' AS orchestrator_address) "
                     f"FROM {D}.network_capabilities WHERE local_address != '' "
                     f"ORDER BY event_timestamp DESC, source_event_id, orchestrator_address LIMIT 1",),
         restore_tables=("network_capabilities", "dim_orchestrator_capability_snapshots")),
    Case("session_summary_change_flags_consistency", "segment_model_changes_unflagged",
         lambda r, c: r["model_flag_mismatch_rows"] > 0 and r["pipeline_flag_mismatch_rows"] == 0,
         statements=(f"INSERT INTO {D}.fact_workflow_session_segments SELECT * REPLACE "
                     f"(segment_index + 100 AS segment_index, 'fault-model' AS model_id) FROM {LATEST_SEGMENTS} "
                     f"WHERE cityHash64(workflow_session_id) % 4 = 0 AND workflow_session_id IN "
                     f"(SELECT workflow_session_id FROM {LATEST_SESSIONS} WHERE has_model_change = 0)",),
         restore_tables=("fact_workflow_session_segments",)),
    Case("lifecycle_unattributed_pipeline_not_model_id", "unattributed_pipeline_is_model",
         lambda r, c: r["bad_rows"] > 0 and r["rows_checked"] == c["rows_checked"] > 0,
         statements=(session_versions("'fault-model' AS pipeline, 'fault-model' AS model_id",
                                      "gpu_attribution_method = 'none'"),),
         restore_tables=SESSIONS),
    Case("trace_edge_pipeline_model_coverage", "no_labelled_trace_edges",
         lambda r, c: r["status"] == "FAIL" and r["uncovered_sessions"] == r["attributed_sessions_checked"] > 0,
         statements=(f"ALTER TABLE {D}.fact_stream_trace_edges UPDATE model_id = NULL WHERE 1",),
         restore_tables=("fact_stream_trace_edges",)),
    Case("latest_sessions_vs_segment_session_ids", "orphan_segments",
         lambda r, c: r["status"] == "FAIL" and r["segment_session_ids"] > r["sessions_latest"] and r["delta"] < 0,
         fault="orphan_segments"),
    Case("mixed_known_stream_versions", "known_stream_regresses",
         lambda r, c: r["status"] == "FAIL" and r["regressive_sessions"] > 0, fault="regress_known_stream"),
    Case("agg_stream_performance_1m_matches_status_samples", "perf_mv_dropped",
         lambda r, c: r["failure_mode"] == "KEY_MISMATCH" and r["rollup_rows"] == 0
         and r["expected_only_keys"] == c["expected_rows"] > 0,
         fault="drop_status_projection_mv"),
    Case("agg_stream_performance_1m_matches_status_samples", "silver_rows_deleted_after_rollup",
         lambda r, c: r["failure_mode"] in ("KEY_MISMATCH", "VALUE_MISMATCH") and r["total_diff_samples"] > 0,
         fault="delete_silver_status_rows"),
    view_case("gpu_view_covers_healthy_attributed_session_keys", "healthy_rows_dropped", GPU,
              "SELECT * FROM {source} WHERE startup_success_sessions = 0",
              lambda r, c: r["status"] == "FAIL" and r["missing_gpu_keys"] == c["eligible_session_keys"]
              and len(r["missing_key_examples"]) > 0),
    view_case("demand_has_rows_for_all_session_hours", "odd_hours_dropped", DEMAND,
              "SELECT * FROM {source} WHERE toHour(window_start) % 2 = 0",
              lambda r, c: r["missing_demand_hours"] > 0 and len(r["missing_hours"]) == r["missing_demand_hours"]),
    view_case("gpu_count_delta_explained_by_key_overlap", "view_row_duplicated", GPU,
              "SELECT * FROM {source} UNION ALL (SELECT * FROM {source} ORDER BY window_start DESC, "
              "orchestrator_address LIMIT 1)",
              lambda r, c: r["view_rows"] == c["view_rows"] + 1 and r["row_delta"] != r["overlap_delta"]),
    view_case("network_demand_counts_aligned_to_rollup", "demand_pipeline_renamed", DEMAND,
              "SELECT * REPLACE (concat(pipeline, '-fault') AS pipeline) FROM {source}",
              lambda r, c: r["view_only_keys"] == c["view_rows"] and r["rollup_only_keys"] == c["rollup_rows"]),
    view_case("sla_counts_aligned_to_raw_latest_sessions", "sla_rows_dropped", SLA,
              "SELECT * FROM {source} WHERE startup_success_sessions = 0",
              lambda r, c: r["raw_only_keys"] > 0 and r["view_only_keys"] == 0),
    view_case("gpu_view_matches_rollup", "gpu_fps_scaled", GPU,
              "SELECT * REPLACE (avg_output_fps * 1.5 AS avg_output_fps) FROM {source}",
              lambda r, c: r["failure_mode"] == "VALUE_MISMATCH_WITH_OVERLAP" and r["max_abs_diff_fps"] > 1),
    Case("network_demand_view_matches_rollup", "demand_minutes_doubled",
         lambda r, c: r["failure_mode"] == "VALUE_MISMATCH_WITH_OVERLAP" and r["max_abs_diff_minutes"] > 0,
         fault="corrupt_demand_view_minutes"),
    view_case("network_demand_view_matches_rollup", "demand_known_sessions_inflated", DEMAND,
              "SELECT * REPLACE (known_sessions + 1 AS known_sessions) FROM {source}",
              lambda r, c: r["total_diff_known_sessions"] == c["view_rows"] and r["total_diff_swapped_sessions"] == 0),
    view_case("network_demand_effective_success_not_above_startup_success", "success_above_startup", DEMAND,
              "SELECT * REPLACE (startup_success_ratio + 0.5 AS success_ratio) FROM {source}",
              lambda r, c: r["failed_rows"] == 1 and r["rows_checked"] == c["rows_checked"]),
    view_case("network_demand_effective_success_penalizes_failure_indicators", "success_ratio_forced_to_one", DEMAND,
              "SELECT * REPLACE (1. AS success_ratio) FROM {source}",
              lambda r, c: r["failed_rows"] == 1),
    Case("network_demand_join_multiplicity_guard", "empty_perf_pipeline_backfills_onto_existing_key",
         # one rollup row copied with an empty pipeline (1 s later: a distinct AggregatingMergeTree
         # key, same hour); the sessions name one pipeline, so both perf groups map to one demand key
         lambda r, c: r["expected_nonunique_keys"] == 1 and r["api_nonunique_keys"] == 0,
         statements=(f"INSERT INTO {D}.agg_stream_performance_1m SELECT * REPLACE "
                     f"('' AS pipeline, window_start + INTERVAL 1 SECOND AS window_start) "
                     f"FROM (SELECT * FROM {D}.agg_stream_performance_1m WHERE pipeline != '' "
                     f"ORDER BY window_start DESC, orchestrator_address LIMIT 1)",),
         restore_tables=("agg_stream_performance_1m",)),
    view_case("network_demand_join_multiplicity_guard", "demand_row_duplicated", DEMAND,
              "SELECT * FROM {source} UNION ALL (SELECT * FROM {source} ORDER BY window_start DESC, gateway LIMIT 1)",
              lambda r, c: r["api_nonunique_keys"] == 1 and r["expected_nonunique_keys"] == 0),
    view_case("sla_view_matches_session_fact", "sla_known_inflated", SLA,
              "SELECT * REPLACE (known_sessions + 1 AS known_sessions) FROM {source}",
              lambda r, c: r["failure_mode"] == "VALUE_MISMATCH_WITH_OVERLAP"
              and r["total_known_diff"] == c["view_rows"] and r["total_unexcused_diff"] == 0),
    Case("sla_ratios_in_bounds", "sla_startup_ratio_corrupted",
         lambda r, c: r["failed_rows"] > 0 and r["rows_checked"] == c["rows_checked"],
         fault="corrupt_sla_view_startup_ratio"),
    view_case("sla_ratios_in_bounds", "sla_score_doubled", SLA,
              "SELECT * REPLACE (sla_score * 2 + 1 AS sla_score) FROM {source}",
              lambda r, c: r["failed_rows"] > 0),
    Case("terminal_tail_artifact_filtered_in_gpu_sla", "tail_filter_disabled",
         lambda r, c: r["status"] == "FAIL" and r["gpu_rows_found"] > 0 and r["sla_rows_found"] > 0,
         statements=(view_with_replacement(GPU, "AND samples < 3", "AND samples < 0"),
                     view_with_replacement(SLA, "AND p.samples < 3", "AND p.samples < 0")),
         restore_views=(GPU, SLA)),
    view_case("same_hour_failed_no_output_retained_in_gpu_sla", "failed_rows_dropped_from_gpu", GPU,
              "SELECT * FROM {source} WHERE sessions_with_last_error + loading_only_sessions "
              "+ zero_output_fps_sessions = 0",
              lambda r, c: r["gpu_missing_rows"] > 0 and r["sla_missing_rows"] == 0),
    view_case("same_hour_failed_no_output_retained_in_gpu_sla", "failed_rows_dropped_from_sla", SLA,
              "SELECT * FROM {source} WHERE sessions_with_last_error + loading_only_sessions "
              "+ zero_output_fps_sessions = 0",
              lambda r, c: r["sla_missing_rows"] > 0 and r["gpu_missing_rows"] == 0),
    view_case("active_no_output_rows_retained_in_gpu_sla", "no_output_rows_dropped_from_sla", SLA,
              "SELECT * FROM {source} WHERE loading_only_sessions + zero_output_fps_sessions = 0",
              lambda r, c: r["sla_missing_rows"] > 0 and r["gpu_missing_rows"] == 0),
    view_case("active_no_output_rows_retained_in_gpu_sla", "zero_fps_rows_dropped_from_gpu", GPU,
              "SELECT * FROM {source} WHERE loading_only_sessions + zero_output_fps_sessions = 0",
              lambda r, c: r["gpu_missing_rows"] > 0),
    Case("serving_views_do_not_reference_typed_raw_tables", "view_reads_raw_events",
         lambda r, c: r["offending_views"] == 1 and r["offending_refs"] == 1 and r["views_checked"] == c["views_checked"],
         statements=(view_with_replacement(
             "v_api_session_identity", f"FROM {D}.fact_workflow_sessions",
             f"FROM {D}.fact_workflow_sessions WHERE workflow_session_id NOT IN "
             f"(SELECT id FROM {D}.streaming_events)"),),
         restore_views=("v_api_session_identity",)),
]

#: Blocks whose failed_rows is 0 by design: the fault must move their diagnostics instead.
RESPONDING_CASES = [
    view_case("gpu_view_no_perf_only_orphan_rows", "evidence_columns_zeroed", GPU,
              "SELECT * REPLACE (toUInt64(0) AS known_sessions, toUInt64(0) AS valid_prompt_to_first_frame_count, "
              "toUInt64(0) AS valid_startup_time_count, toUInt64(0) AS valid_e2e_latency_count) FROM {source}",
              lambda r, c: r["status"] == "WARN" and r["orphan_rows"] > c["orphan_rows"]),
    Case("raw_session_rows_vs_latest_sessions", "extra_version_per_session",
         lambda r, c: r["sessions_raw"] == c["sessions_raw"] + c["sessions_latest"]
         and r["delta"] == c["delta"] + c["sessions_latest"] and r["status"] == "INFO",
         statements=(session_versions("event_count AS event_count"),), restore_tables=SESSIONS),
    Case("segment_rows_vs_segment_session_ids", "extra_version_per_segment",
         lambda r, c: r["segment_rows"] > c["segment_rows"] and r["segment_session_ids"] == c["segment_session_ids"],
         statements=(segment_versions("reason AS reason"),), restore_tables=("fact_workflow_session_segments",)),
    view_case("view_count_grain_ordering", "demand_rows_multiplied", DEMAND,
              "SELECT * FROM {source} AS demand_rows CROSS JOIN numbers(10) AS copies",
              lambda r, c: r["status"] == "WARN" and r["demand_rows"] == 10 * c["demand_rows"]),
    Case("network_demand_model_split_conservation", "demand_minutes_doubled",
         lambda r, c: r["status"] == "FAIL" and r["max_abs_diff_minutes"] > 0,
         fault="corrupt_demand_view_minutes"),
    view_case("network_demand_pipeline_join_inflation_guard", "every_model_row_copied", DEMAND,
              "SELECT * FROM {source} UNION ALL SELECT * REPLACE (concat(model_id, '-copy') AS model_id) FROM {source}",
              lambda r, c: r["inflation_factor"] > c["inflation_factor"] and r["safe_sum"] == pytest.approx(
                  2 * c["safe_sum"])),
    view_case("preexisting_grain_drift_baseline_gpu_sla", "sla_known_inflated", SLA,
              "SELECT * REPLACE (known_sessions + 1 AS known_sessions) FROM {source}",
              lambda r, c: r["status"] == "WARN" and r["sla_known_diff"] > c["sla_known_diff"]),
    view_case("gold_pipeline_empty_hotspots_diagnostic", "gpu_pipeline_blanked", GPU,
              "SELECT * REPLACE ('' AS pipeline) FROM {source}",
              lambda r, c: r["total_rows_with_empty_pipeline"] > c["total_rows_with_empty_pipeline"]
              and len(r["top_orchestrator_addresses"]) > 0 and len(r["top_gpu_ids"]) > 0),
]


#: Partial drift is advisory for the blocks whose catalogue rule fails only on a total mismatch.
PARTIAL_DRIFT_CASES = [
    Case("session_to_status_projection_consistency", "one_session_identity_drifts",
         lambda r, c: 0 < r["pipeline_mismatch_rows"] < r["comparable_pipeline_rows"],
         statements=(session_versions("'fault-pipeline' AS pipeline, 'fault-model' AS model_id",
                                      f"workflow_session_id IN (SELECT workflow_session_id FROM "
                                      f"{D}.fact_stream_status_samples ORDER BY workflow_session_id LIMIT 1)"),),
         restore_tables=SESSIONS),
    Case("status_vs_segment_identity_consistency", "one_segment_orchestrator_drifts",
         lambda r, c: 0 < r["identity_mismatch_rows"] < r["rows_checked"],
         statements=(segment_versions("'0x00000000000000000000000000000000000fa17' AS orchestrator_address",
                                      f"workflow_session_id IN (SELECT workflow_session_id FROM "
                                      f"{D}.fact_stream_status_samples WHERE is_attributed = 1 "
                                      f"ORDER BY workflow_session_id LIMIT 1)"),),
         restore_tables=("fact_workflow_session_segments",)),
    Case("latency_vs_segment_identity_consistency", "one_segment_orchestrator_drifts",
         lambda r, c: 0 < r["identity_mismatch_rows"] < r["rows_checked"],
         statements=(segment_versions("'0x00000000000000000000000000000000000fa17' AS orchestrator_address",
                                      f"workflow_session_id IN (SELECT workflow_session_id FROM "
                                      f"{D}.fact_workflow_latency_samples WHERE orchestrator_address != '' "
                                      f"ORDER BY workflow_session_id LIMIT 1)"),),
         restore_tables=("fact_workflow_session_segments",)),
    Case("trace_edge_pipeline_model_coverage", "one_session_loses_labelled_edges",
         lambda r, c: r["uncovered_sessions"] == 1,
         statements=(f"ALTER TABLE {D}.fact_stream_trace_edges UPDATE model_id = NULL WHERE workflow_session_id = "
                     f"(SELECT min(workflow_session_id) FROM {D}.fact_stream_trace_edges WHERE model_id IS NOT NULL)",),
         restore_tables=("fact_stream_trace_edges",)),
    Case("latest_sessions_vs_segment_session_ids", "two_sessions_lose_their_segments",
         lambda r, c: r["delta"] == c["delta"] + 2 and r["segment_session_ids"] == c["segment_session_ids"] - 2,
         statements=(f"ALTER TABLE {D}.fact_workflow_session_segments DELETE WHERE workflow_session_id IN "
                     f"(SELECT DISTINCT workflow_session_id FROM {D}.fact_workflow_session_segments "
                     f"ORDER BY workflow_session_id LIMIT 2)",),
         restore_tables=("fact_workflow_session_segments",)),
]


def _run_case(case: Case, rw_client, ro_client, params: dict) -> tuple[dict, dict]:
    clean = first_row(ro_client, case.block, params)
    with case.apply(rw_client):
        faulty = first_row(ro_client, case.block, params)
    restored = first_row(ro_client, case.block, params)
    assert restored == clean, f"{case.block} did not return to its clean result after the fault"
    return clean, faulty


@pytest.mark.parametrize("case", FAILING_CASES, ids=lambda c: f"{c.block}-{c.id}")
def test_fault_makes_the_check_fail(case: Case, rw_client, ro_client, demo_params) -> None:
    clean, faulty = _run_case(case, rw_client, ro_client, demo_params)
    assert clean["failed_rows"] == 0, clean
    assert faulty["failed_rows"] > 0, faulty
    assert case.expect(faulty, clean), {"clean": clean, "faulty": faulty}


@pytest.mark.parametrize("case", RESPONDING_CASES, ids=lambda c: f"{c.block}-{c.id}")
def test_informational_diagnostics_respond(case: Case, rw_client, ro_client, demo_params) -> None:
    clean, faulty = _run_case(case, rw_client, ro_client, demo_params)
    assert clean["failed_rows"] == 0 and faulty["failed_rows"] == 0
    assert case.expect(faulty, clean), {"clean": clean, "faulty": faulty}


@pytest.mark.parametrize("case", PARTIAL_DRIFT_CASES, ids=lambda c: f"{c.block}-{c.id}")
def test_partial_drift_is_an_advisory_warn(case: Case, rw_client, ro_client, demo_params) -> None:
    clean, faulty = _run_case(case, rw_client, ro_client, demo_params)
    assert clean["status"] == "PASS" and clean["failed_rows"] == 0, clean
    assert faulty["status"] == "WARN" and faulty["failed_rows"] == 0, faulty
    assert case.expect(faulty, clean), {"clean": clean, "faulty": faulty}


def test_every_block_has_a_fault_case() -> None:
    failing = {case.block for case in FAILING_CASES}
    responding = {case.block for case in RESPONDING_CASES}
    assert responding == INFORMATIONAL | UNFAILABLE
    assert failing == set(BLOCKS) - INFORMATIONAL - UNFAILABLE


# ------------------------------------------------- tail artifacts sharing an hour with real work

#: The rollover-tail session-hours of the demo: a session started in an earlier hour ends in
#: `hour` with < 3 attributed status samples and none with fps > 0.
TAIL_SESSION_HOURS = f"""
SELECT toInt64(toUnixTimestamp(toStartOfHour(s.session_end_ts))) * 1000 AS hour_ms, st.orchestrator_address, st.pipeline,
       assumeNotNull(st.model_id), assumeNotNull(st.gpu_id)
FROM {LATEST_SESSIONS} AS s
INNER JOIN {D}.fact_stream_status_samples AS st
    ON st.workflow_session_id = s.workflow_session_id AND toStartOfHour(st.sample_ts) = toStartOfHour(s.session_end_ts)
WHERE st.is_attributed = 1 AND s.session_end_ts IS NOT NULL
  AND toStartOfHour(s.session_start_ts) < toStartOfHour(s.session_end_ts)
  AND st.model_id IS NOT NULL AND st.gpu_id IS NOT NULL
GROUP BY hour_ms, st.orchestrator_address, st.pipeline, st.model_id, st.gpu_id
HAVING count() < 3 AND countIf(st.output_fps > 0) = 0
ORDER BY hour_ms, st.orchestrator_address LIMIT 1"""

#: A clean, successful single-hour session whose status rows show output: the donor to copy.
HEALTHY_SESSION = f"""
SELECT workflow_session_id, toUnixTimestamp64Milli(session_start_ts)
FROM {LATEST_SESSIONS}
WHERE startup_success = 1 AND confirmed_swap_count = 0 AND inferred_orchestrator_change_count = 0
  AND orchestrator_address != '' AND ifNull(gpu_id, '') != '' AND session_end_ts IS NOT NULL
  AND toStartOfHour(session_start_ts) = toStartOfHour(session_end_ts)
  AND workflow_session_id IN (SELECT workflow_session_id FROM {D}.fact_stream_status_samples WHERE output_fps > 0)
ORDER BY workflow_session_id LIMIT 1"""


class PreconditionError(RuntimeError):
    """The demo data lacks what the scenario needs (must fail the test, not satisfy the xfail)."""


def test_healthy_session_sharing_a_tail_artifact_hour_stays_in_the_gpu_view(rw_client, ro_client, demo_params):
    """A tail artifact drops only a key-hour whose status evidence is all artifacts: a healthy session
    copied onto the artifact's orchestrator/GPU hour must stay in v_api_gpu_metrics (block 34 passes,
    and block 40 agrees on that key-hour's fps, artifact samples included)."""
    tail = rw_client.query(TAIL_SESSION_HOURS).result_rows
    donor = rw_client.query(HEALTHY_SESSION).result_rows
    if not tail or not donor:
        raise PreconditionError(f"demo warehouse lacks a tail artifact ({tail}) or a healthy donor ({donor})")
    (hour_ms, orchestrator, pipeline, model, gpu), (donor_id, donor_start_ms) = tail[0], donor[0]
    # move a copy of the donor to 30 minutes into the artifact hour, on the artifact's key
    shift_ms = hour_ms + 30 * 60 * 1000 - donor_start_ms
    identity = (f"concat(workflow_session_id, '|shares-tail-hour') AS workflow_session_id, "
                f"'{orchestrator}' AS orchestrator_address, '{pipeline}' AS pipeline, "
                f"'{model}' AS model_id, '{gpu}' AS gpu_id")
    statements = (
        f"INSERT INTO {D}.fact_stream_status_samples SELECT * REPLACE ({identity}, "
        f"sample_ts + toIntervalMillisecond({shift_ms}) AS sample_ts) "
        f"FROM (SELECT * FROM {D}.fact_stream_status_samples WHERE workflow_session_id = '{donor_id}')",
        f"INSERT INTO {D}.fact_workflow_sessions SELECT * REPLACE ({identity}, "
        f"session_start_ts + toIntervalMillisecond({shift_ms}) AS session_start_ts, "
        f"session_end_ts + toIntervalMillisecond({shift_ms}) AS session_end_ts) "
        f"FROM (SELECT * FROM {LATEST_SESSIONS} WHERE workflow_session_id = '{donor_id}')",
    )
    clean = first_row(ro_client, "gpu_view_covers_healthy_attributed_session_keys", demo_params)
    with inject_sql(rw_client, statements, restore_tables=(
            "fact_stream_status_samples", "agg_stream_performance_1m", *SESSIONS)):
        covered = first_row(ro_client, "gpu_view_covers_healthy_attributed_session_keys", demo_params)
        parity = first_row(ro_client, "gpu_view_matches_rollup", demo_params)
    if covered["eligible_session_keys"] != clean["eligible_session_keys"] + 1:
        raise PreconditionError(f"the copied session is not a new eligible key: {clean} -> {covered}")
    assert covered["failed_rows"] == 0, covered
    assert parity["failed_rows"] == 0 and parity["joined_rows"] == parity["view_rows"], parity
