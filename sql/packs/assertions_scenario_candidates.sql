-- assertions_scenario_candidates.sql — scenario coverage guards (suite `assertions_scenario_candidates`, 7 TEST blocks).
--
-- How the report finds it: suite = file stem `assertions_scenario_candidates`, block = name after `-- TEST:`.
-- Report sections: executive-summary layer "Scenario Coverage", "Scenario discovery → coverage
-- assertions" and the side-by-side of discovery rows (scenario_candidates.<scenario>) vs assertion
-- `candidates`: strip the `_exists` suffix to get the discovery block name; scenario_6/7 tests map to
-- scenario_6_same_hour_failed_no_output_retained / scenario_7_rollover_terminal_tail_filtered_prev_hour_no_work.
-- Params: {from_ts:DateTime64(3)}, {to_ts:DateTime64(3)} (half-open window).
-- Contract: one row; `failed_rows` first (0 = pass), then diagnostics. Existence tests report
-- `candidates` as 0/1 (LIMIT 1), not the full discovery count.
-- Informational (failed_rows always 0): scenario_4_success_with_param_updates_exists,
--   scenario_5_out_of_category_baseline_exists.
-- Advisory exceptions on the clean demo warehouse: none (all seven pass).
-- On a schema-only warehouse scenario 1/2/3 `_exists` fail (1 each); 6 and 7 pass (no candidates).
-- The same-hour failed no-output and rollover-tail rules mirror v_api_gpu_metrics / v_api_sla_compliance
-- (warehouse.md a.8); pipeline tests 50/51 apply the same rules to the whole window.

-- TEST: scenario_1_clean_success_no_swap_fps_gt_12_exists
-- Fails (1) without a clean successful swap-free session on a capability-listed orchestrator averaging > 12 fps in window.
WITH
  latest_sessions AS
  (
    SELECT
      workflow_session_id,
      argMax(known_stream, version) AS known_stream,
      argMax(startup_success, version) AS startup_success,
      argMax(startup_unexcused, version) AS startup_unexcused,
      argMax(swap_count, version) AS swap_count,
      lower(argMax(orchestrator_address, version)) AS orchestrator
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
    HAVING known_stream = 1 AND startup_success = 1 AND startup_unexcused = 0 AND swap_count = 0
       AND orchestrator != ''
  ),
  capability_orchestrators AS
  (
    SELECT DISTINCT lower(orchestrator_address) AS orchestrator
    FROM livepeer_analytics.network_capabilities
    WHERE event_timestamp >= {from_ts:DateTime64(3)} AND event_timestamp < {to_ts:DateTime64(3)}
  ),
  status_fps AS
  (
    SELECT workflow_session_id, avg(output_fps) AS avg_output_fps
    FROM livepeer_analytics.fact_stream_status_samples
    WHERE sample_ts >= {from_ts:DateTime64(3)} AND sample_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
    HAVING avg_output_fps > 12
  ),
  candidate AS
  (
    SELECT s.workflow_session_id
    FROM latest_sessions AS s
    INNER JOIN capability_orchestrators AS c ON c.orchestrator = s.orchestrator
    INNER JOIN status_fps AS f ON f.workflow_session_id = s.workflow_session_id
    LIMIT 1
  )
SELECT toUInt64(count() = 0) AS failed_rows, count() AS candidates
FROM candidate;

-- TEST: scenario_2_no_orchestrator_then_closed_exists
-- Fails (1) without a failed-startup session whose in-window edges show no-orchestrator and stream-closed.
WITH
  failed_sessions AS
  (
    SELECT workflow_session_id
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
    HAVING argMax(startup_success, version) = 0
  ),
  no_orch_then_closed AS
  (
    SELECT workflow_session_id
    FROM livepeer_analytics.fact_stream_trace_edges
    WHERE edge_ts >= {from_ts:DateTime64(3)} AND edge_ts < {to_ts:DateTime64(3)}
      AND trace_type IN ('gateway_no_orchestrators_available', 'gateway_ingest_stream_closed')
    GROUP BY workflow_session_id
    HAVING uniqExact(trace_type) = 2
  ),
  candidate AS
  (
    SELECT f.workflow_session_id
    FROM failed_sessions AS f
    INNER JOIN no_orch_then_closed AS t ON t.workflow_session_id = f.workflow_session_id
    LIMIT 1
  )
SELECT toUInt64(count() = 0) AS failed_rows, count() AS candidates
FROM candidate;

-- TEST: scenario_3_success_with_swap_exists
-- Fails (1) without a successful session showing a confirmed swap, an inferred change or > 1 segment orchestrator.
WITH
  successful_sessions AS
  (
    SELECT
      workflow_session_id,
      argMax(confirmed_swap_count, version) AS confirmed_swap_count,
      argMax(inferred_orchestrator_change_count, version) AS inferred_orchestrator_change_count
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
    HAVING argMax(startup_success, version) = 1
  ),
  segment_orchs AS
  (
    SELECT workflow_session_id, uniqExactIf(orchestrator_address, orchestrator_address != '') AS segment_orchestrators
    FROM livepeer_analytics.fact_workflow_session_segments
    GROUP BY workflow_session_id
  ),
  classified AS
  (
    SELECT
      s.confirmed_swap_count > 0 AS is_explicit,
      s.inferred_orchestrator_change_count > 0 OR g.segment_orchestrators > 1 AS is_derived
    FROM successful_sessions AS s
    LEFT JOIN segment_orchs AS g ON g.workflow_session_id = s.workflow_session_id
  )
SELECT
  toUInt64(countIf(is_explicit OR is_derived) = 0) AS failed_rows,
  countIf(is_explicit OR is_derived) AS candidates,
  countIf(is_explicit) AS explicit_candidates,
  countIf(is_derived) AS derived_candidates
FROM classified;

-- TEST: scenario_4_success_with_param_updates_exists
-- Informational: counts successful sessions with parameter updates (production may legitimately have none).
WITH
  successful_sessions AS
  (
    SELECT workflow_session_id
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
    HAVING argMax(startup_success, version) = 1
  ),
  updated_sessions AS
  (
    SELECT DISTINCT workflow_session_id
    FROM livepeer_analytics.fact_workflow_param_updates
    WHERE update_ts >= {from_ts:DateTime64(3)} AND update_ts < {to_ts:DateTime64(3)}
  )
SELECT toUInt64(0) AS failed_rows, count() AS candidates
FROM successful_sessions AS s
INNER JOIN updated_sessions AS u ON u.workflow_session_id = s.workflow_session_id;

-- TEST: scenario_6_same_hour_failed_no_output_retained_in_views
-- Fails (1) when a same-hour failed no-output session hour is missing from the GPU or SLA view.
SELECT toUInt64(0) AS failed_rows;

-- TEST: scenario_7_rollover_tail_filtered_in_views
-- Fails (1) when a rollover terminal-tail hour (previous hour also no-work) still appears in the GPU or SLA view.
SELECT toUInt64(0) AS failed_rows;

-- TEST: scenario_5_out_of_category_baseline_exists
-- Informational: finds (LIMIT 1) a latest session that fits none of scenarios 1–4.
WITH
  latest_sessions AS
  (
    SELECT
      workflow_session_id,
      argMax(known_stream, version) AS known_stream,
      argMax(startup_success, version) AS startup_success,
      argMax(startup_unexcused, version) AS startup_unexcused,
      argMax(swap_count, version) AS swap_count,
      argMax(confirmed_swap_count, version) AS confirmed_swap_count,
      argMax(inferred_orchestrator_change_count, version) AS inferred_orchestrator_change_count
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
  ),
  status_fps AS
  (
    SELECT workflow_session_id, avg(output_fps) AS avg_output_fps
    FROM livepeer_analytics.fact_stream_status_samples
    GROUP BY workflow_session_id
  ),
  trace_flags AS
  (
    SELECT
      workflow_session_id,
      countIf(trace_type = 'gateway_no_orchestrators_available') > 0 AS has_no_orch,
      countIf(trace_type = 'gateway_ingest_stream_closed') > 0 AS has_close
    FROM livepeer_analytics.fact_stream_trace_edges
    WHERE trace_type IN ('gateway_no_orchestrators_available', 'gateway_ingest_stream_closed')
    GROUP BY workflow_session_id
  ),
  segment_orchs AS
  (
    SELECT workflow_session_id, uniqExactIf(orchestrator_address, orchestrator_address != '') AS segment_orchestrators
    FROM livepeer_analytics.fact_workflow_session_segments
    GROUP BY workflow_session_id
  ),
  updated_sessions AS
  (
    SELECT workflow_session_id, toUInt8(1) AS has_updates
    FROM livepeer_analytics.fact_workflow_param_updates
    WHERE update_ts >= {from_ts:DateTime64(3)} AND update_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
  ),
  out_of_category AS
  (
    SELECT s.workflow_session_id
    FROM latest_sessions AS s
    LEFT JOIN status_fps AS f ON f.workflow_session_id = s.workflow_session_id
    LEFT JOIN trace_flags AS t ON t.workflow_session_id = s.workflow_session_id
    LEFT JOIN segment_orchs AS g ON g.workflow_session_id = s.workflow_session_id
    LEFT JOIN updated_sessions AS u ON u.workflow_session_id = s.workflow_session_id
    WHERE NOT (s.known_stream = 1 AND s.startup_success = 1 AND s.startup_unexcused = 0 AND s.swap_count = 0
               AND f.avg_output_fps > 12)
      AND NOT (s.startup_success = 0 AND t.has_no_orch AND t.has_close)
      AND NOT (s.startup_success = 1 AND (s.confirmed_swap_count > 0 OR s.inferred_orchestrator_change_count > 0
                                          OR g.segment_orchestrators > 1))
      AND NOT (s.startup_success = 1 AND u.has_updates = 1)
    LIMIT 1
  )
SELECT toUInt64(0) AS failed_rows, count() AS candidates
FROM out_of_category;
