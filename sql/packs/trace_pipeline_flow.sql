-- trace_pipeline_flow.sql — ordered raw → API trace (suite `trace_pipeline_flow`, 10 QUERY blocks).
--
-- How the report finds it: suite = file stem `trace_pipeline_flow`, block = the name after `-- QUERY:`
-- (01_raw_ingest … 10_network_demand_view_parity). Report section: "Ordered pipeline trace (01 … 10)";
-- the diff compares the rows_window counts and the parity figures of these blocks between runs.
-- Params: {from_ts:DateTime64(3)}, {to_ts:DateTime64(3)} (half-open window >= from_ts AND < to_ts).
-- No pass/fail: blocks 08–10 carry an advisory `failure_mode`
--   (EMPTY_BOTH / NO_OVERLAP_BOTH_NONEMPTY / VALUE_MISMATCH_WITH_OVERLAP / PASS).
-- Layer blocks 01–04 return (object_name, rows_window, min_ts, max_ts) ordered by object_name; an
-- empty object shows rows_window 0 and 1970-01-01 bounds. 06/07 return (object_name, rows_window).

-- QUERY: 01_raw_ingest
-- Raw ingress, DLQ and quarantine rows in the window (DLQ/quarantine on source_record_timestamp).
SELECT object_name, rows_window, min_ts, max_ts
FROM
(
  SELECT 'streaming_events' AS object_name, count() AS rows_window,
         min(event_timestamp) AS min_ts, max(event_timestamp) AS max_ts
  FROM livepeer_analytics.streaming_events
  WHERE event_timestamp >= {from_ts:DateTime64(3)} AND event_timestamp < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT 'streaming_events_dlq', count(), min(source_record_timestamp), max(source_record_timestamp)
  FROM livepeer_analytics.streaming_events_dlq
  WHERE source_record_timestamp >= {from_ts:DateTime64(3)} AND source_record_timestamp < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT 'streaming_events_quarantine', count(), min(source_record_timestamp), max(source_record_timestamp)
  FROM livepeer_analytics.streaming_events_quarantine
  WHERE source_record_timestamp >= {from_ts:DateTime64(3)} AND source_record_timestamp < {to_ts:DateTime64(3)}
)
ORDER BY object_name;

-- QUERY: 02_typed_tables
-- Typed (parsed) table rows in the window by event_timestamp, one row per typed table.
SELECT object_name, rows_window, min_ts, max_ts
FROM
(
  SELECT 'ai_stream_status' AS object_name, count() AS rows_window,
         min(event_timestamp) AS min_ts, max(event_timestamp) AS max_ts
  FROM livepeer_analytics.ai_stream_status
  WHERE event_timestamp >= {from_ts:DateTime64(3)} AND event_timestamp < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT 'stream_trace_events', count(), min(event_timestamp), max(event_timestamp)
  FROM livepeer_analytics.stream_trace_events
  WHERE event_timestamp >= {from_ts:DateTime64(3)} AND event_timestamp < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT 'ai_stream_events', count(), min(event_timestamp), max(event_timestamp)
  FROM livepeer_analytics.ai_stream_events
  WHERE event_timestamp >= {from_ts:DateTime64(3)} AND event_timestamp < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT 'stream_ingest_metrics', count(), min(event_timestamp), max(event_timestamp)
  FROM livepeer_analytics.stream_ingest_metrics
  WHERE event_timestamp >= {from_ts:DateTime64(3)} AND event_timestamp < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT 'network_capabilities', count(), min(event_timestamp), max(event_timestamp)
  FROM livepeer_analytics.network_capabilities
  WHERE event_timestamp >= {from_ts:DateTime64(3)} AND event_timestamp < {to_ts:DateTime64(3)}
)
ORDER BY object_name;

-- QUERY: 03_silver_projection_counts
-- Silver fact rows in the window (status/ingest on sample_ts, trace edges on edge_ts).
SELECT object_name, rows_window, min_ts, max_ts
FROM
(
  SELECT 'fact_stream_status_samples' AS object_name, count() AS rows_window,
         min(sample_ts) AS min_ts, max(sample_ts) AS max_ts
  FROM livepeer_analytics.fact_stream_status_samples
  WHERE sample_ts >= {from_ts:DateTime64(3)} AND sample_ts < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT 'fact_stream_trace_edges', count(), min(edge_ts), max(edge_ts)
  FROM livepeer_analytics.fact_stream_trace_edges
  WHERE edge_ts >= {from_ts:DateTime64(3)} AND edge_ts < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT 'fact_stream_ingest_samples', count(), min(sample_ts), max(sample_ts)
  FROM livepeer_analytics.fact_stream_ingest_samples
  WHERE sample_ts >= {from_ts:DateTime64(3)} AND sample_ts < {to_ts:DateTime64(3)}
)
ORDER BY object_name;

-- QUERY: 04_stateful_fact_counts
-- Lifecycle fact rows (all versions) in the window: sessions, segments, param updates.
SELECT object_name, rows_window, min_ts, max_ts
FROM
(
  SELECT 'fact_workflow_sessions' AS object_name, count() AS rows_window,
         min(session_start_ts) AS min_ts, max(session_start_ts) AS max_ts
  FROM livepeer_analytics.fact_workflow_sessions
  WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT 'fact_workflow_session_segments', count(), min(segment_start_ts), max(segment_start_ts)
  FROM livepeer_analytics.fact_workflow_session_segments
  WHERE segment_start_ts >= {from_ts:DateTime64(3)} AND segment_start_ts < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT 'fact_workflow_param_updates', count(), min(update_ts), max(update_ts)
  FROM livepeer_analytics.fact_workflow_param_updates
  WHERE update_ts >= {from_ts:DateTime64(3)} AND update_ts < {to_ts:DateTime64(3)}
  -- UNION ALL
  -- SELECT 'fact_lifecycle_edge_coverage', count(), min(signal_ts), max(signal_ts)
  -- FROM livepeer_analytics.fact_lifecycle_edge_coverage
  -- WHERE signal_ts >= {from_ts:DateTime64(3)} AND signal_ts < {to_ts:DateTime64(3)}
)
ORDER BY object_name;

-- QUERY: 05_reliability_and_swap_summary
-- Session outcome totals over the latest version of each session started in the window.
WITH
  latest_sessions AS
  (
    SELECT known_stream, startup_success, startup_excused, startup_unexcused,
           confirmed_swap_count, inferred_orchestrator_change_count
    FROM
    (
      SELECT
        known_stream, startup_success, startup_excused, startup_unexcused,
        confirmed_swap_count, inferred_orchestrator_change_count,
        row_number() OVER (PARTITION BY workflow_session_id
                           ORDER BY version DESC, session_start_ts DESC, session_end_ts DESC) AS rn
      FROM livepeer_analytics.fact_workflow_sessions FINAL
      WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    )
    WHERE rn = 1
  )
SELECT
  count() AS sessions,
  countIf(known_stream = 1) AS known_stream_sessions,
  countIf(startup_success = 1) AS startup_success_sessions,
  countIf(startup_excused = 1) AS startup_excused_sessions,
  countIf(startup_unexcused = 1) AS startup_unexcused_sessions,
  countIf(confirmed_swap_count > 0) AS confirmed_swapped_sessions,
  countIf(inferred_orchestrator_change_count > 0) AS inferred_orchestrator_change_sessions,
  countIf(confirmed_swap_count > 0 OR inferred_orchestrator_change_count > 0) AS swapped_sessions,
  if(known_stream_sessions = 0, 0.0, startup_unexcused_sessions / toFloat64(known_stream_sessions)) AS unexcused_rate
FROM latest_sessions;

-- QUERY: 06_rollup_population
-- Rollup rows (distinct aggregate keys, independent of background merges) by window_start in the window.
SELECT object_name, rows_window
FROM
(
  SELECT 'agg_stream_performance_1m' AS object_name, count() AS rows_window
  FROM
  (
    SELECT 1
    FROM livepeer_analytics.agg_stream_performance_1m
    WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
    GROUP BY window_start, gateway, orchestrator_address, pipeline, model_id, gpu_id, region
  )
  UNION ALL
  SELECT 'agg_reliability_1h' AS object_name, count() AS rows_window
  FROM
  (
    SELECT 1
    FROM livepeer_analytics.agg_reliability_1h
    WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
    GROUP BY window_start, gateway, orchestrator_address, pipeline, model_id, gpu_id, region
  )
)
ORDER BY object_name;

-- QUERY: 07_view_population
-- API serving view rows by window_start in the window.
SELECT object_name, rows_window
FROM
(
  SELECT 'v_api_gpu_metrics' AS object_name, count() AS rows_window
  FROM livepeer_analytics.v_api_gpu_metrics
  WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT 'v_api_network_demand', count()
  FROM livepeer_analytics.v_api_network_demand
  WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT 'v_api_sla_compliance', count()
  FROM livepeer_analytics.v_api_sla_compliance
  WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
)
ORDER BY object_name;

-- QUERY: 08_gpu_view_parity
-- Re-rolls the 1-minute perf rollup to hours (avgMerge fps) and compares keys/fps with v_api_gpu_metrics.
WITH
  rollup_hourly AS
  (
    SELECT
      toStartOfHour(window_start) AS hour,
      orchestrator_address AS orch,
      pipeline,
      ifNull(model_id, '') AS model,
      ifNull(gpu_id, '') AS gpu,
      ifNull(region, '') AS reg,
      avgMerge(output_fps_avg_state) AS avg_fps
    FROM livepeer_analytics.agg_stream_performance_1m
    WHERE window_start >= toStartOfHour({from_ts:DateTime64(3)})
      AND window_start < {to_ts:DateTime64(3)}
    GROUP BY hour, orch, pipeline, model, gpu, reg
    HAVING hour >= {from_ts:DateTime64(3)}
  ),
  view_hourly AS
  (
    SELECT
      toDateTime64(window_start, 3, 'UTC') AS hour,
      orchestrator_address AS orch,
      pipeline,
      ifNull(model_id, '') AS model,
      ifNull(gpu_id, '') AS gpu,
      ifNull(region, '') AS reg,
      avg_output_fps AS avg_fps
    FROM livepeer_analytics.v_api_gpu_metrics
    WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  ),
  joined AS
  (
    SELECT
      r.hour IS NOT NULL AS in_rollup,
      v.hour IS NOT NULL AS in_view,
      ifNull(r.orch, '') = '' AS r_empty_orch,
      ifNull(r.gpu, '') = '' AS r_empty_gpu,
      ifNull(r.reg, '') = '' AS r_empty_reg,
      ifNull(v.orch, '') = '' AS v_empty_orch,
      ifNull(v.gpu, '') = '' AS v_empty_gpu,
      ifNull(v.reg, '') = '' AS v_empty_reg,
      abs(r.avg_fps - v.avg_fps) AS abs_diff_fps
    FROM rollup_hourly AS r
    FULL OUTER JOIN view_hourly AS v
      ON r.hour = v.hour AND r.orch = v.orch AND r.pipeline = v.pipeline
     AND r.model = v.model AND r.gpu = v.gpu AND r.reg = v.reg
    SETTINGS join_use_nulls = 1
  )
SELECT
  multiIf(rollup_rows = 0 AND view_rows = 0, 'EMPTY_BOTH',
          joined_rows = 0, 'NO_OVERLAP_BOTH_NONEMPTY',
          max_abs_diff_fps > 1e-6, 'VALUE_MISMATCH_WITH_OVERLAP',
          'PASS') AS failure_mode,
  countIf(in_rollup) AS rollup_rows,
  countIf(in_view) AS view_rows,
  countIf(in_rollup AND in_view) AS joined_rows,
  countIf(in_rollup AND NOT in_view) AS rollup_only_keys,
  countIf(in_view AND NOT in_rollup) AS view_only_keys,
  countIf(in_rollup AND r_empty_orch) AS rollup_empty_orch_rows,
  countIf(in_rollup AND r_empty_gpu) AS rollup_empty_gpu_rows,
  countIf(in_rollup AND r_empty_reg) AS rollup_empty_region_rows,
  countIf(in_view AND v_empty_orch) AS view_empty_orch_rows,
  countIf(in_view AND v_empty_gpu) AS view_empty_gpu_rows,
  countIf(in_view AND v_empty_reg) AS view_empty_region_rows,
  ifNull(avgIf(abs_diff_fps, in_rollup AND in_view), 0) AS mean_abs_diff_fps,
  ifNull(maxIf(abs_diff_fps, in_rollup AND in_view), 0) AS max_abs_diff_fps
FROM joined;
