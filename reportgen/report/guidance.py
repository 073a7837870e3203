"""The notebook's explanatory texts, written for the page (plain text, escaped on render)."""

from __future__ import annotations

from dataclasses import dataclass

TRACE_SUITE = "trace_pipeline_flow"
RAW_TYPED_SUITE = "assertions_raw_typed"
PIPELINE_SUITE = "assertions_pipeline"
API_SUITE = "assertions_api_readiness"
SCENARIO_TEST_SUITE = "assertions_scenario_candidates"
SCENARIO_SUITE = "scenario_candidates"

LAYERS = (  # (layer label, suite) — the notebook's executive summary table
    ("Raw → Typed Assertions", RAW_TYPED_SUITE),
    ("Pipeline Contract Assertions", PIPELINE_SUITE),
    ("API Readiness Assertions", API_SUITE),
    ("Scenario Coverage Assertions", SCENARIO_TEST_SUITE),
)


@dataclass(frozen=True)
class Guidance:
    title: str
    checks: str
    criteria: str
    failures: str = ""


TRACE_SECTIONS: dict[str, Guidance] = {
    "01_raw_ingest": Guidance(
        "01 Raw Ingest",
        "Raw ingress is populated and the DLQ / quarantine tables are not unexpectedly growing.",
        "Rows present in streaming_events; quality side tables stable (ideally empty).",
        "An empty streaming_events means the replay or the window is wrong; DLQ or quarantine rows "
        "point at malformed or duplicate events.",
    ),
    "02_typed_tables": Guidance(
        "02 Typed Tables",
        "Parser output exists for the expected event families.",
        "Typed tables have rows wherever the corresponding raw events exist.",
        "A typed table at zero while raw events of that type exist points at the parser.",
    ),
    "03_silver_projection_counts": Guidance(
        "03 Silver Projection Counts",
        "Typed-to-silver projections are populated.",
        "Silver rows align with typed presence for the enabled event families.",
        "Compare with 02: a silver table far below its typed table means projection loss.",
    ),
    "04_stateful_fact_counts": Guidance(
        "04 Stateful Fact Counts",
        "Lifecycle fact row shapes and latest-session alignment.",
        "Latest sessions and segment/session relationships are not contradictory.",
        "The stateful checks below put comparable grains side by side; FAIL means a contradiction, "
        "INFO a difference that versioning explains.",
    ),
    "05_reliability_and_swap_summary": Guidance(
        "05 Reliability and Swap Summary",
        "Startup and swap outcomes at latest-session grain.",
        "No contradictory startup/swap semantics; version drift is explained.",
        "The KPI summary uses latest-per-session rows to avoid versioning drift in totals; "
        "a known_stream 1 → 0 transition is a regression.",
    ),
    "06_rollup_population": Guidance(
        "06 Rollup Population",
        "Rollup tables have rows for the window.",
        "Rollup rows exist, and the parity checks below explain non-1:1 counts.",
        "Rollups are not 1:1 with raw or stateful counts; read the grain map and the reconciliation "
        "verdicts below.",
    ),
    "07_view_population": Guidance(
        "07 View Population",
        "API view rows exist at their serving grains.",
        "Counts are explainable by grain and parity diagnostics.",
        "An empty view with non-empty rollups points at the view definition or its filters.",
    ),
    "08_gpu_view_parity": Guidance(
        "08 GPU View Parity",
        "GPU view keys and values against the source rollups.",
        "failure_mode PASS, or overlap diagnostics that explain the difference.",
        "NO_OVERLAP or VALUE_MISMATCH: compare the *_only_keys and empty-dimension counts.",
    ),
    "09_sla_view_parity": Guidance(
        "09 SLA View Parity",
        "SLA view counts against a latest-session recompute.",
        "failure_mode PASS with zero aggregate diffs.",
        "Non-zero total_*_diff columns name the counter that drifted.",
    ),
    "10_network_demand_view_parity": Guidance(
        "10 Network Demand View Parity",
        "Demand view against recomputed rollup/session aggregates.",
        "failure_mode PASS with zero key and value diffs.",
        "Key diffs point at the keyspace (pipeline fallback, blanking); value diffs at the metrics.",
    ),
}
TRACE_ORDER = tuple(TRACE_SECTIONS)
TRACE_INTRO = Guidance(
    "Trace Pack: End-to-End Flow",
    "Raw ingest, typed tables, silver/stateful facts, rollups and API views in one ordered pass.",
    "Data traverses each architecture layer for the selected window.",
    "Empty stages or timestamp gaps usually point to readiness, the filtering window, or projection "
    "issues.",
)

SUITE_GUIDANCE: dict[str, Guidance] = {
    RAW_TYPED_SUITE: Guidance(
        "Raw → Typed Assertions",
        "Accounting parity from raw events into typed tables, plus the network capabilities "
        "fan-out guard.",
        "Parser output volume is consistent with accepted raw input (after DLQ/quarantine).",
        "Look at raw_rows, accepted_rows_est, typed_rows and typed_distinct_source_events first.",
    ),
    PIPELINE_SUITE: Guidance(
        "Pipeline Contract Assertions",
        "Presence, projection integrity, session semantics, and rollup/view parity contracts.",
        "Correctness-critical transformations owned by Flink and serving parity in ClickHouse hold.",
        "Treat failures as regressions unless explicitly informational; read the failing test's "
        "diagnostics first.",
    ),
    API_SUITE: Guidance(
        "API Readiness Assertions",
        "Serving view presence, key fields, ratio math, hourly grain, and recompute parity.",
        "Downstream API consumers see coherent and contract-safe metrics.",
        "Focus on view-level formula drift and dimension nullability first.",
    ),
    SCENARIO_TEST_SUITE: Guidance(
        "Scenario Coverage Assertions",
        "Whether the window includes the scenario categories used for fixture generation.",
        "Each scenario class has candidate coverage (except explicitly informational checks).",
        "Usually sparse production windows or missing event classes, not necessarily pipeline "
        "breakage. Several tests are existence-style (LIMIT 1): their candidates value is not a "
        "full discovery count — see the side-by-side in Scenario discovery.",
    ),
}

GRAIN_MAP = (
    ("06_rollup_population", "agg_reliability_1h / agg_stream_performance_1m",
     "time-bucket + serving dimensions (not per-session rows)",
     "assertions_pipeline::gpu_view_matches_rollup"),
    ("07_view_population", "v_api_* views", "API serving grain (view-specific)",
     "assertions_pipeline::network_demand_view_matches_rollup + "
     "assertions_pipeline::sla_view_matches_session_fact"),
    ("08_gpu_view_parity", "v_api_gpu_metrics parity", "join-key intersection at GPU metrics grain",
     "assertions_pipeline::gpu_view_matches_rollup"),
    ("09_sla_view_parity", "v_api_sla_compliance parity", "join-key intersection at SLA grain",
     "assertions_pipeline::sla_view_matches_session_fact"),
    ("10_network_demand_view_parity", "v_api_network_demand parity",
     "join-key intersection at network-demand grain",
     "assertions_pipeline::network_demand_view_matches_rollup"),
)

RECON_TESTS = (
    "agg_stream_performance_1m_matches_status_samples",
    "gpu_view_matches_rollup",
    "network_demand_view_matches_rollup",
    "sla_view_matches_session_fact",
    "gpu_count_delta_explained_by_key_overlap",
    "network_demand_counts_aligned_to_rollup",
    "gpu_view_covers_healthy_attributed_session_keys",
    "demand_has_rows_for_all_session_hours",
    "sla_counts_aligned_to_raw_latest_sessions",
    "view_count_grain_ordering",
)
EXPLAINABILITY_TESTS = RECON_TESTS[4:]
VERDICT_COLUMNS = (
    "failure_mode", "joined_rows", "rollup_rows", "view_rows", "max_abs_diff_fps",
    "max_abs_diff_minutes", "total_diff_sessions", "total_known_diff", "total_unexcused_diff",
    "total_swapped_diff",
)

STATEFUL_TESTS = (  # pipeline tests that carry the notebook's 04 stateful checks
    ("latest_sessions_vs_segment_session_ids", "sessions_latest", "segment_session_ids",
     "segment session ids should be <= latest sessions (gap <= 1 usually expected)"),
    ("raw_session_rows_vs_latest_sessions", "sessions_raw", "sessions_latest",
     "raw rows >= latest sessions; positive delta indicates multiple versions in backend"),
    ("segment_rows_vs_segment_session_ids", "segment_rows", "segment_session_ids",
     "segment rows are event-level and can exceed distinct session ids"),
)

TRACKED_VERSION_FIELDS = (
    "known_stream", "stream_id", "request_id", "startup_success", "startup_excused",
    "startup_unexcused", "swap_count", "confirmed_swap_count", "inferred_orchestrator_change_count",
    "session_end_ts",
)
MIXED_VERSIONS_NOTE = (
    "mixed_known_stream_versions > 0 usually means a session was first emitted with unresolved "
    "identity (known_stream=0) and later corrected (known_stream=1) in a newer version. The "
    "per-version diffs below confirm transitions are one-way (0 → 1) and not regressions (1 → 0)."
)

PRIMARY_SCENARIOS = (
    "scenario_1_clean_success_no_swap_fps_gt_12",
    "scenario_2_no_orchestrator_then_closed",
    "scenario_3_success_with_swap",
    "scenario_4_success_with_param_updates",
)
SCENARIO_5 = "scenario_5_out_of_category_baseline"

SCENARIO_REVIEW: dict[str, tuple[str, str]] = {
    "scenario_1_clean_success_no_swap_fps_gt_12": (
        "Confirm clean successful sessions with sustained output FPS and no swaps.",
        "avg_output_fps > 12, segment_orchestrators is stable (typically 1), and ids map to the "
        "expected fixture rows.",
    ),
    "scenario_2_no_orchestrator_then_closed": (
        "Confirm the startup failure path where the gateway cannot find orchestrators and the "
        "stream closes.",
        "startup_success=0, has_no_orch=1, has_close=1, and timestamps/ids are unique per row.",
    ),
    "scenario_3_success_with_swap": (
        "Confirm successful sessions with explicit, derived, or legacy swap evidence.",
        "Read the buckets explicitly: confirmed_swap_count > 0 (explicit), "
        "inferred_orchestrator_change_count > 0 or segment_orchestrators > 1 (derived), "
        "plus matching stream/request/session ids.",
    ),
    "scenario_4_success_with_param_updates": (
        "Confirm successful sessions with parameter updates.",
        "Non-empty rows when data exists; if empty, treat it as a data-availability signal rather "
        "than a parser failure.",
    ),
    "scenario_5_out_of_category_baseline": (
        "Sampled out-of-category sessions, mirroring the notebook's fallout population "
        "(non-blocking).",
        "scenario_5 session ids are a subset of the fallout sessions for the same window.",
    ),
    "scenario_6_same_hour_failed_no_output_retained": (
        "Same-hour failed sessions with no output must stay visible in the serving views.",
        "present_in_gpu_view = 1 and present_in_sla_view = 1 for every row.",
    ),
    "scenario_7_rollover_terminal_tail_filtered_prev_hour_no_work": (
        "Rollover terminal tails (previous hour without work) must be filtered from the views.",
        "present_in_gpu_view = 0 and present_in_sla_view = 0 for every row.",
    ),
}
SCENARIO_GUARDRAILS = (
    "scenario_3_success_with_swap: require non-zero candidates before running blocking scenario "
    "assertions.",
    "scenario_4_success_with_param_updates: a data-availability signal; production can "
    "legitimately return zero until fact_workflow_param_updates is populated.",
    "scenario_5_out_of_category_baseline: sampled out-of-category sessions used to mirror the "
    "fallout population (non-blocking); its ids should be a subset of the fallout sessions.",
    "Replay fixtures are raw-first; scenario discovery uses typed/fact tables and capability "
    "context can include rows before the scenario window. If scenario assertions fail while raw "
    "replay is present, inspect candidate availability and window selection before parser logic.",
)

SESSION_PANELS = {
    "diagnostics": Guidance(
        "Session diagnostics",
        "The session's lifecycle summary and identity consistency.",
        "stream/request/session ids match the picker, swap/error counters align with the timeline "
        "evidence, and orchestrator presence is expected for the scenario. Confirmed swaps are "
        "explicit orchestrator_swap trace edges; inferred changes are canonical orchestrator "
        "changes observed within the session.",
    ),
    "gpu_observed": Guidance(
        "GPU observed",
        "GPU/model attribution carried in session, segment and param-update facts.",
        "session_gpu_id / model align with the segment arrays; blanks indicate unattributed "
        "sessions or mapping gaps.",
    ),
    "capability": Guidance(
        "Capability correlation",
        "Capability snapshots of the session's orchestrator within ±24 h.",
        "pipeline_match, model_match and gpu_match flags; a recent snapshot_ts near the session "
        "time for the expected orchestrator.",
    ),
    "timeline": Guidance(
        "Timeline",
        "Event ordering from raw traces to silver edges, and raw AI stream events.",
        "Expected lifecycle sequence, consistent stream/request ids, swap/error evidence where "
        "applicable.",
    ),
    "audit": Guidance(
        "Bronze → silver → gold audit",
        "The canonical gold row keys this session produced.",
        "orchestrator/pipeline/model/gpu keys are populated as expected and match the scenario "
        "intent.",
    ),
    "hourly": Guidance(
        "Hourly GPU view rows",
        "Hourly v_api_gpu_metrics rows backing this session.",
        "Key join columns (window_start, orchestrator/pipeline/model/gpu) map to non-null metrics "
        "where attribution exists.",
    ),
}

SCHEMA_TESTS = {
    "api_views_present": ("v_api_gpu_metrics", "v_api_network_demand", "v_api_network_demand_by_gpu",
                          "v_api_sla_compliance"),
    "network_demand_by_gpu_required_columns_present": ("v_api_network_demand_by_gpu",),
    "network_demand_required_columns_present": ("v_api_network_demand",),
    "sla_compliance_required_columns_present": ("v_api_sla_compliance",),
}
PROJECTION_TESTS = (
    "status_raw_to_silver_projection",
    "trace_raw_to_silver_projection",
    "ingest_raw_to_silver_projection",
)
