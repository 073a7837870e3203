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
-- (warehouse.md a.8); pipeline tests 50/51 apply the same rules to the whole window. Keys are the
-- session's (hour, orchestrator, pipeline, model, gpu, region). Scenario 7 only counts a view row as
-- the tail's when no other session has status evidence at that key-hour (`candidates_sharing_key`
-- reports the ones it cannot attribute), so concurrent healthy sessions do not raise false alarms.
-- Scenario 6 "failed" = error_count > 0, last_error_occurred, loading_only_session or
-- zero_output_fps_session; "no-work" = no fps-positive and no running-state attributed samples.

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
WITH
  failed_same_hour_sessions AS
  (
    SELECT workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
           toDateTime64(toStartOfHour(session_start_ts), 3, 'UTC') AS hour,
           orchestrator_address, pipeline, ifNull(model_id, '') AS model_key,
           ifNull(gpu_id, '') AS gpu_key, ifNull(region, '') AS region_key
    FROM
    (
      SELECT
        *,
        row_number() OVER (PARTITION BY workflow_session_id
                           ORDER BY version DESC, session_start_ts DESC, session_end_ts DESC) AS rn
      FROM livepeer_analytics.fact_workflow_sessions FINAL
      WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    )
    WHERE rn = 1
      AND session_end_ts IS NOT NULL
      AND toStartOfHour(session_end_ts) = toStartOfHour(session_start_ts)
      AND (error_count > 0 OR last_error_occurred = 1 OR loading_only_session = 1 OR zero_output_fps_session = 1)
      AND orchestrator_address != '' AND ifNull(gpu_id, '') != ''
  ),
  status_hours AS
  (
    SELECT
      workflow_session_id,
      toDateTime64(toStartOfHour(sample_ts), 3, 'UTC') AS hour,
      count() AS status_samples,
      countIf(output_fps > 0) AS fps_positive_samples,
      countIf(state IN ('ONLINE', 'DEGRADED_INFERENCE', 'DEGRADED_INPUT')) AS running_state_samples
    FROM livepeer_analytics.fact_stream_status_samples
    WHERE is_attributed = 1
      AND sample_ts >= toStartOfHour({from_ts:DateTime64(3)})
      AND sample_ts < toStartOfHour({to_ts:DateTime64(3)}) + INTERVAL 1 HOUR
    GROUP BY workflow_session_id, hour
    HAVING fps_positive_samples = 0 AND running_state_samples = 0
  ),
  view_keys AS
  (
    SELECT hour, orchestrator_address, pipeline, model_key, gpu_key, region_key,
           max(in_gpu) AS present_in_gpu_view, max(in_sla) AS present_in_sla_view
    FROM
    (
      SELECT toDateTime64(window_start, 3, 'UTC') AS hour, orchestrator_address, pipeline,
             ifNull(model_id, '') AS model_key, ifNull(gpu_id, '') AS gpu_key, ifNull(region, '') AS region_key,
             toUInt8(1) AS in_gpu, toUInt8(0) AS in_sla
      FROM livepeer_analytics.v_api_gpu_metrics
      WHERE window_start >= toStartOfHour({from_ts:DateTime64(3)}) AND window_start < {to_ts:DateTime64(3)}
      UNION ALL
      SELECT toDateTime64(window_start, 3, 'UTC'), orchestrator_address, pipeline, ifNull(model_id, ''),
             ifNull(gpu_id, ''), ifNull(region, ''), toUInt8(0), toUInt8(1)
      FROM livepeer_analytics.v_api_sla_compliance
      WHERE window_start >= toStartOfHour({from_ts:DateTime64(3)}) AND window_start < {to_ts:DateTime64(3)}
    )
    GROUP BY hour, orchestrator_address, pipeline, model_key, gpu_key, region_key
  )
SELECT
  toUInt64(countIf(v.present_in_gpu_view = 0 OR v.present_in_sla_view = 0) > 0) AS failed_rows,
  count() AS candidates,
  countIf(v.present_in_gpu_view = 0) AS gpu_missing_rows,
  countIf(v.present_in_sla_view = 0) AS sla_missing_rows
FROM failed_same_hour_sessions AS s
INNER JOIN status_hours AS h ON h.workflow_session_id = s.workflow_session_id AND h.hour = s.hour
LEFT JOIN view_keys AS v
  ON v.hour = s.hour AND v.orchestrator_address = s.orchestrator_address AND v.pipeline = s.pipeline
 AND v.model_key = s.model_key AND v.gpu_key = s.gpu_key AND v.region_key = s.region_key;

-- TEST: scenario_7_rollover_tail_filtered_in_views
-- Fails (1) when a rollover terminal-tail hour (previous hour also no-work) still appears in the GPU or SLA view.
WITH
  overlapping_sessions AS
  (
    SELECT workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
           orchestrator_address, pipeline, ifNull(model_id, '') AS model_key,
           ifNull(gpu_id, '') AS gpu_key, ifNull(region, '') AS region_key
    FROM
    (
      SELECT
        *,
        row_number() OVER (PARTITION BY workflow_session_id
                           ORDER BY version DESC, session_start_ts DESC, session_end_ts DESC) AS rn
      FROM livepeer_analytics.fact_workflow_sessions FINAL
      WHERE session_start_ts < {to_ts:DateTime64(3)}
        AND ifNull(session_end_ts, session_start_ts) >= toStartOfHour({from_ts:DateTime64(3)}) - INTERVAL 1 HOUR
    )
    WHERE rn = 1 AND orchestrator_address != ''
  ),
  status_profile AS
  (
    SELECT
      workflow_session_id, hour, status_samples, fps_positive_samples, running_state_samples,
      lagInFrame(hour) OVER w AS prev_hour,
      lagInFrame(status_samples) OVER w AS prev_status_samples,
      lagInFrame(fps_positive_samples) OVER w AS prev_fps_positive_samples,
      lagInFrame(running_state_samples) OVER w AS prev_running_state_samples
    FROM
    (
      SELECT
        workflow_session_id,
        toDateTime64(toStartOfHour(sample_ts), 3, 'UTC') AS hour,
        count() AS status_samples,
        countIf(output_fps > 0) AS fps_positive_samples,
        countIf(state IN ('ONLINE', 'DEGRADED_INFERENCE', 'DEGRADED_INPUT')) AS running_state_samples
      FROM livepeer_analytics.fact_stream_status_samples
      WHERE is_attributed = 1
        AND sample_ts >= toStartOfHour({from_ts:DateTime64(3)}) - INTERVAL 1 HOUR
        AND sample_ts < toStartOfHour({to_ts:DateTime64(3)}) + INTERVAL 1 HOUR
      GROUP BY workflow_session_id, hour
    )
    WINDOW w AS (PARTITION BY workflow_session_id ORDER BY hour ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  ),
  session_hours AS
  (
    SELECT
      s.workflow_session_id AS workflow_session_id, s.stream_id AS stream_id, s.request_id AS request_id,
      s.session_start_ts AS session_start_ts, s.session_end_ts AS session_end_ts,
      p.hour AS hour, s.orchestrator_address AS orchestrator_address, s.pipeline AS pipeline,
      s.model_key AS model_key, s.gpu_key AS gpu_key, s.region_key AS region_key,
      p.status_samples AS status_samples, p.prev_status_samples AS prev_status_samples,
      s.session_start_ts < p.hour
        AND s.session_end_ts IS NOT NULL
        AND s.session_end_ts >= p.hour AND s.session_end_ts < p.hour + INTERVAL 1 HOUR
        AND p.status_samples < 3 AND p.fps_positive_samples = 0 AND p.running_state_samples = 0
        AND p.prev_hour = p.hour - INTERVAL 1 HOUR AND p.prev_status_samples > 0
        AND p.prev_fps_positive_samples = 0 AND p.prev_running_state_samples = 0 AS is_tail
    FROM status_profile AS p
    INNER JOIN overlapping_sessions AS s ON s.workflow_session_id = p.workflow_session_id
    WHERE p.hour >= toStartOfHour({from_ts:DateTime64(3)}) AND p.hour < {to_ts:DateTime64(3)}
  ),
  tails AS
  (
    SELECT
      hour, orchestrator_address, pipeline, model_key, gpu_key, region_key,
      countIf(NOT is_tail) AS other_sessions_at_key,
      arrayJoin(groupArrayIf((workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
                              status_samples, prev_status_samples), is_tail)) AS tail
    FROM session_hours
    GROUP BY hour, orchestrator_address, pipeline, model_key, gpu_key, region_key
  ),
  view_keys AS
  (
    SELECT hour, orchestrator_address, pipeline, model_key, gpu_key, region_key,
           max(in_gpu) AS in_gpu_view, max(in_sla) AS in_sla_view
    FROM
    (
      SELECT toDateTime64(window_start, 3, 'UTC') AS hour, orchestrator_address, pipeline,
             ifNull(model_id, '') AS model_key, ifNull(gpu_id, '') AS gpu_key, ifNull(region, '') AS region_key,
             toUInt8(1) AS in_gpu, toUInt8(0) AS in_sla
      FROM livepeer_analytics.v_api_gpu_metrics
      WHERE window_start >= toStartOfHour({from_ts:DateTime64(3)}) AND window_start < {to_ts:DateTime64(3)}
      UNION ALL
      SELECT toDateTime64(window_start, 3, 'UTC'), orchestrator_address, pipeline, ifNull(model_id, ''),
             ifNull(gpu_id, ''), ifNull(region, ''), toUInt8(0), toUInt8(1)
      FROM livepeer_analytics.v_api_sla_compliance
      WHERE window_start >= toStartOfHour({from_ts:DateTime64(3)}) AND window_start < {to_ts:DateTime64(3)}
    )
    GROUP BY hour, orchestrator_address, pipeline, model_key, gpu_key, region_key
  )
SELECT
  toUInt64(countIf(v.in_gpu_view = 1 OR v.in_sla_view = 1) > 0) AS failed_rows,
  count() AS candidates,
  countIf(v.in_gpu_view = 1) AS gpu_rows_found,
  countIf(v.in_sla_view = 1) AS sla_rows_found,
  countIf(t.other_sessions_at_key > 0) AS candidates_sharing_key
FROM tails AS t
LEFT JOIN view_keys AS v
  ON v.hour = t.hour AND v.orchestrator_address = t.orchestrator_address AND v.pipeline = t.pipeline
 AND v.model_key = t.model_key AND v.gpu_key = t.gpu_key AND v.region_key = t.region_key
 AND t.other_sessions_at_key = 0;

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
