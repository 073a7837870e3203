-- trace_pipeline_flow.sql — ordered raw → API trace (suite `trace_pipeline_flow`, 10 QUERY blocks).
--
-- How the report finds it: suite = file stem `trace_pipeline_flow`, block = the name after `-- QUERY:`
-- (01_raw_ingest … 10_network_demand_view_parity). Report section: "Ordered pipeline trace (01 … 10)";
-- the diff compares the rows_window counts and the parity figures of these blocks between runs.
-- Params: {from_ts:DateTime64(3)}, {to_ts:DateTime64(3)} (half-open window >= from_ts AND < to_ts).
-- No pass/fail: blocks 08–10 carry an advisory `failure_mode`
--   (EMPTY_BOTH / NO_OVERLAP_BOTH_NONEMPTY / VALUE_MISMATCH_WITH_OVERLAP / PASS).
-- 09 keys the latest-session recompute like v_api_sla_compliance: the hours in which a session has
-- attributed status samples, rollover terminal-tail hours excluded (warehouse.md a.8).
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
      avgMerge(output_fps_avg_state) AS avg_fps,
      toUInt8(1) AS present
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
      avg_output_fps AS avg_fps,
      toUInt8(1) AS present
    FROM livepeer_analytics.v_api_gpu_metrics
    WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  ),
  joined AS
  (
    SELECT
      r.present = 1 AS in_rollup,
      v.present = 1 AS in_view,
      r.orch = '' AS r_empty_orch,
      r.gpu = '' AS r_empty_gpu,
      r.reg = '' AS r_empty_reg,
      v.orch = '' AS v_empty_orch,
      v.gpu = '' AS v_empty_gpu,
      v.reg = '' AS v_empty_reg,
      abs(r.avg_fps - v.avg_fps) AS abs_diff_fps
    FROM rollup_hourly AS r
    FULL OUTER JOIN view_hourly AS v
      ON r.hour = v.hour AND r.orch = v.orch AND r.pipeline = v.pipeline
     AND r.model = v.model AND r.gpu = v.gpu AND r.reg = v.reg
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
  if(joined_rows = 0, 0., avgIf(abs_diff_fps, in_rollup AND in_view)) AS mean_abs_diff_fps,
  maxIf(abs_diff_fps, in_rollup AND in_view) AS max_abs_diff_fps
FROM joined;

-- QUERY: 09_sla_view_parity
-- Recomputes hourly known/unexcused/swapped counts from latest sessions (incl. empty orchestrator) vs the SLA view.
WITH
  latest_sessions AS
  (
    SELECT *
    FROM
    (
      SELECT *,
             row_number() OVER (PARTITION BY workflow_session_id
                                ORDER BY version DESC, session_start_ts DESC, session_end_ts DESC) AS rn
      FROM livepeer_analytics.fact_workflow_sessions FINAL
      WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    )
    WHERE rn = 1
  ),
  status_profile AS
  (
    SELECT
      workflow_session_id, hour, samples, fps_positive_samples, running_state_samples,
      lagInFrame(hour) OVER w AS prev_hour,
      lagInFrame(samples) OVER w AS prev_samples,
      lagInFrame(fps_positive_samples) OVER w AS prev_fps_positive_samples,
      lagInFrame(running_state_samples) OVER w AS prev_running_state_samples
    FROM
    (
      SELECT
        workflow_session_id,
        toDateTime(toStartOfHour(sample_ts), 'UTC') AS hour,
        count() AS samples,
        countIf(output_fps > 0) AS fps_positive_samples,
        countIf(state IN ('ONLINE', 'DEGRADED_INFERENCE', 'DEGRADED_INPUT')) AS running_state_samples
      FROM livepeer_analytics.fact_stream_status_samples
      WHERE is_attributed = 1
        AND sample_ts >= toStartOfHour({from_ts:DateTime64(3)})
        AND sample_ts < toStartOfHour({to_ts:DateTime64(3)}) + INTERVAL 1 HOUR
      GROUP BY workflow_session_id, hour
    )
    WINDOW w AS (PARTITION BY workflow_session_id ORDER BY hour ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  ),
  raw_hourly AS
  (
    SELECT
      p.hour AS hour,
      s.orchestrator_address AS orch,
      s.pipeline AS pipeline,
      ifNull(s.model_id, '') AS model,
      ifNull(s.gpu_id, '') AS gpu,
      ifNull(s.region, '') AS reg,
      toInt64(sum(s.known_stream)) AS known,
      toInt64(sum(s.startup_unexcused)) AS unexcused,
      toInt64(countIf(s.confirmed_swap_count > 0 OR s.inferred_orchestrator_change_count > 0)) AS swapped,
      toUInt8(1) AS present
    FROM status_profile AS p
    INNER JOIN latest_sessions AS s ON s.workflow_session_id = p.workflow_session_id
    WHERE p.hour >= {from_ts:DateTime64(3)} AND p.hour < {to_ts:DateTime64(3)}
      AND NOT (s.session_start_ts < p.hour
               AND s.session_end_ts IS NOT NULL
               AND s.session_end_ts >= p.hour AND s.session_end_ts < p.hour + INTERVAL 1 HOUR
               AND p.samples < 3 AND p.fps_positive_samples = 0 AND p.running_state_samples = 0
               AND p.prev_hour = p.hour - INTERVAL 1 HOUR AND p.prev_samples > 0
               AND p.prev_fps_positive_samples = 0 AND p.prev_running_state_samples = 0)
    GROUP BY hour, orch, pipeline, model, gpu, reg
  ),
  view_hourly AS
  (
    SELECT
      window_start AS hour,
      orchestrator_address AS orch,
      pipeline,
      ifNull(model_id, '') AS model,
      ifNull(gpu_id, '') AS gpu,
      ifNull(region, '') AS reg,
      toInt64(known_sessions) AS known,
      toInt64(unexcused_sessions) AS unexcused,
      toInt64(swapped_sessions) AS swapped,
      toUInt8(1) AS present
    FROM livepeer_analytics.v_api_sla_compliance
    WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  ),
  joined AS
  (
    SELECT
      r.present = 1 AS in_raw,
      v.present = 1 AS in_view,
      abs(r.known - v.known) AS known_diff,
      abs(r.unexcused - v.unexcused) AS unexcused_diff,
      abs(r.swapped - v.swapped) AS swapped_diff
    FROM raw_hourly AS r
    FULL OUTER JOIN view_hourly AS v
      ON r.hour = v.hour AND r.orch = v.orch AND r.pipeline = v.pipeline
     AND r.model = v.model AND r.gpu = v.gpu AND r.reg = v.reg
  )
SELECT
  multiIf(raw_rows = 0 AND view_rows = 0, 'EMPTY_BOTH',
          joined_rows = 0, 'NO_OVERLAP_BOTH_NONEMPTY',
          total_known_diff + total_unexcused_diff + total_swapped_diff > 0, 'VALUE_MISMATCH_WITH_OVERLAP',
          'PASS') AS failure_mode,
  countIf(in_raw) AS raw_rows,
  countIf(in_view) AS view_rows,
  countIf(in_raw AND in_view) AS joined_rows,
  countIf(in_raw AND NOT in_view) AS raw_only_keys,
  countIf(in_view AND NOT in_raw) AS view_only_keys,
  sumIf(known_diff, in_raw AND in_view) AS total_known_diff,
  sumIf(unexcused_diff, in_raw AND in_view) AS total_unexcused_diff,
  sumIf(swapped_diff, in_raw AND in_view) AS total_swapped_diff
FROM joined;

-- QUERY: 10_network_demand_view_parity
-- Rebuilds v_api_network_demand (pipeline blanking, unambiguous fallback, perf ∪ demand keys) and compares.
WITH
  latest_sessions AS
  (
    SELECT
      toDateTime64(toStartOfHour(argMax(session_start_ts, version)), 3, 'UTC') AS hour,
      argMax(gateway, version) AS gateway,
      ifNull(argMax(region, version), '') AS region_key,
      ifNull(argMax(model_id, version), '') AS model_key,
      if(lower(argMax(pipeline, version)) = lower(model_key), '', argMax(pipeline, version)) AS pipeline_key,
      argMax(known_stream, version) AS known_stream,
      argMax(orchestrator_address, version) AS orchestrator_address,
      argMax(startup_unexcused, version) AS startup_unexcused,
      argMax(confirmed_swap_count, version) AS confirmed_swap_count,
      argMax(inferred_orchestrator_change_count, version) AS inferred_orchestrator_change_count,
      argMax(loading_only_session, version) AS loading_only_session,
      argMax(zero_output_fps_session, version) AS zero_output_fps_session
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE session_start_ts >= toStartOfHour({from_ts:DateTime64(3)})
      AND session_start_ts < toStartOfHour({to_ts:DateTime64(3)}) + INTERVAL 1 HOUR
      AND session_start_ts > toDateTime64('2000-01-01 00:00:00', 3, 'UTC')
    GROUP BY workflow_session_id
  ),
  demand AS
  (
    SELECT
      hour, gateway, region_key, pipeline_key, model_key,
      toInt64(sum(known_stream)) AS known_sessions,
      toInt64(countIf(known_stream = 1 AND orchestrator_address != '')) AS served_sessions,
      toInt64(countIf(known_stream = 1 AND orchestrator_address = '')) AS unserved_sessions,
      toInt64(sum(startup_unexcused)) AS unexcused_sessions,
      toInt64(countIf(confirmed_swap_count > 0 OR inferred_orchestrator_change_count > 0)) AS swapped_sessions,
      toInt64(countIf(known_stream = 1 AND (startup_unexcused = 1 OR loading_only_session = 1
                                            OR zero_output_fps_session = 1))) AS effective_failed_sessions,
      toUInt8(1) AS present
    FROM latest_sessions
    GROUP BY hour, gateway, region_key, pipeline_key, model_key
  ),
  fallback AS
  (
    SELECT hour, gateway, region_key, model_key, groupUniqArrayIf(pipeline_key, pipeline_key != '') AS pipelines
    FROM demand
    GROUP BY hour, gateway, region_key, model_key
    HAVING length(pipelines) = 1
  ),
  perf AS
  (
    SELECT
      hour, gateway, region_key, pipeline_key, model_key,
      toInt64(uniqExactMerge(streams_state)) AS total_streams,
      toInt64(uniqExactMerge(sessions_state)) AS total_sessions,
      avgMerge(fps_state) AS avg_output_fps,
      countMerge(samples_state) / 60.0 AS total_minutes,
      toUInt8(1) AS present
    FROM
    (
      SELECT
        p.hour AS hour, p.gateway AS gateway, p.region_key AS region_key, p.model_key AS model_key,
        if(p.pipeline_raw = '' AND length(fb.pipelines) = 1, fb.pipelines[1], p.pipeline_raw) AS pipeline_key,
        p.streams_state AS streams_state, p.sessions_state AS sessions_state,
        p.fps_state AS fps_state, p.samples_state AS samples_state
      FROM
      (
        SELECT
          toDateTime64(toStartOfHour(window_start), 3, 'UTC') AS hour,
          gateway,
          ifNull(region, '') AS region_key,
          ifNull(model_id, '') AS model_key,
          if(lower(pipeline) = lower(ifNull(model_id, '')), '', pipeline) AS pipeline_raw,
          uniqExactMergeState(streams_uniq_state) AS streams_state,
          uniqExactMergeState(sessions_uniq_state) AS sessions_state,
          avgMergeState(output_fps_avg_state) AS fps_state,
          countMergeState(sample_count_state) AS samples_state
        FROM livepeer_analytics.agg_stream_performance_1m
        WHERE window_start >= toStartOfHour({from_ts:DateTime64(3)})
          AND window_start < toStartOfHour({to_ts:DateTime64(3)}) + INTERVAL 1 HOUR
        GROUP BY hour, gateway, region_key, model_key, pipeline_raw
      ) AS p
      LEFT JOIN fallback AS fb
        ON fb.hour = p.hour AND fb.gateway = p.gateway AND fb.region_key = p.region_key AND fb.model_key = p.model_key
    )
    GROUP BY hour, gateway, region_key, pipeline_key, model_key
  ),
  expected AS
  (
    SELECT
      if(p.present = 1, p.hour, d.hour) AS hour,
      if(p.present = 1, p.gateway, d.gateway) AS gateway,
      if(p.present = 1, p.region_key, d.region_key) AS region_key,
      if(p.present = 1, p.pipeline_key, d.pipeline_key) AS pipeline_key,
      if(p.present = 1, p.model_key, d.model_key) AS model_key,
      p.total_streams AS total_streams, p.total_sessions AS total_sessions,
      p.avg_output_fps AS avg_output_fps, p.total_minutes AS total_minutes,
      d.known_sessions AS known_sessions, d.served_sessions AS served_sessions,
      d.unserved_sessions AS unserved_sessions, d.unexcused_sessions AS unexcused_sessions,
      d.swapped_sessions AS swapped_sessions,
      if(d.known_sessions = 0, 0., 1 - d.unexcused_sessions / d.known_sessions) AS startup_success_ratio,
      if(d.known_sessions = 0, 0., 1 - d.effective_failed_sessions / d.known_sessions) AS success_ratio,
      toUInt8(1) AS present
    FROM perf AS p
    FULL OUTER JOIN demand AS d
      ON p.hour = d.hour AND p.gateway = d.gateway AND p.region_key = d.region_key
     AND p.pipeline_key = d.pipeline_key AND p.model_key = d.model_key
  ),
  view_rows AS
  (
    SELECT
      toDateTime64(window_start, 3, 'UTC') AS hour, gateway, region AS region_key, pipeline AS pipeline_key,
      model_id AS model_key,
      toInt64(total_streams) AS total_streams, toInt64(total_sessions) AS total_sessions,
      avg_output_fps, total_minutes,
      toInt64(known_sessions) AS known_sessions, toInt64(served_sessions) AS served_sessions,
      toInt64(unserved_sessions) AS unserved_sessions, toInt64(unexcused_sessions) AS unexcused_sessions,
      toInt64(swapped_sessions) AS swapped_sessions,
      startup_success_ratio, success_ratio,
      toUInt8(1) AS present
    FROM livepeer_analytics.v_api_network_demand
    WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  ),
  joined AS
  (
    SELECT
      e.present = 1 AS in_rollup,
      v.present = 1 AS in_view,
      abs(e.avg_output_fps - v.avg_output_fps) AS fps_diff,
      abs(e.total_minutes - v.total_minutes) AS minutes_diff,
      abs(e.total_sessions - v.total_sessions) AS sessions_diff,
      abs(e.total_streams - v.total_streams) AS streams_diff,
      abs(e.known_sessions - v.known_sessions) AS known_diff,
      abs(e.served_sessions - v.served_sessions) AS served_diff,
      abs(e.unserved_sessions - v.unserved_sessions) AS unserved_diff,
      abs(e.unexcused_sessions - v.unexcused_sessions) AS unexcused_diff,
      abs(e.swapped_sessions - v.swapped_sessions) AS swapped_diff,
      abs(e.startup_success_ratio - v.startup_success_ratio) AS startup_ratio_diff,
      abs(e.success_ratio - v.success_ratio) AS success_ratio_diff
    FROM (SELECT * FROM expected WHERE hour >= {from_ts:DateTime64(3)} AND hour < {to_ts:DateTime64(3)}) AS e
    FULL OUTER JOIN view_rows AS v
      ON e.hour = v.hour AND e.gateway = v.gateway AND e.region_key = v.region_key
     AND e.pipeline_key = v.pipeline_key AND e.model_key = v.model_key
  ),
  summary AS
  (
    SELECT
      countIf(in_rollup) AS rollup_rows,
      countIf(in_view) AS view_rows,
      countIf(in_rollup AND in_view) AS joined_rows,
      countIf(in_rollup AND NOT in_view) AS rollup_only_keys,
      countIf(in_view AND NOT in_rollup) AS view_only_keys,
      if(joined_rows = 0, 0., avgIf(fps_diff, in_rollup AND in_view)) AS mean_abs_diff_fps,
      maxIf(fps_diff, in_rollup AND in_view) AS max_abs_diff_fps,
      if(joined_rows = 0, 0., avgIf(minutes_diff, in_rollup AND in_view)) AS mean_abs_diff_minutes,
      maxIf(minutes_diff, in_rollup AND in_view) AS max_abs_diff_minutes,
      sumIf(sessions_diff, in_rollup AND in_view) AS total_diff_sessions,
      sumIf(streams_diff, in_rollup AND in_view) AS total_diff_streams,
      sumIf(known_diff, in_rollup AND in_view) AS total_diff_known_sessions,
      sumIf(served_diff, in_rollup AND in_view) AS total_diff_served_sessions,
      sumIf(unserved_diff, in_rollup AND in_view) AS total_diff_unserved_sessions,
      sumIf(unexcused_diff, in_rollup AND in_view) AS total_diff_unexcused_sessions,
      sumIf(swapped_diff, in_rollup AND in_view) AS total_diff_swapped_sessions,
      maxIf(startup_ratio_diff, in_rollup AND in_view) AS max_abs_diff_startup_success_ratio,
      maxIf(success_ratio_diff, in_rollup AND in_view) AS max_abs_diff_success_ratio
    FROM joined
  )
SELECT
  multiIf(rollup_rows = 0 AND view_rows = 0, 'EMPTY_BOTH',
          joined_rows = 0, 'NO_OVERLAP_BOTH_NONEMPTY',
          max_abs_diff_fps > 1e-6 OR max_abs_diff_minutes > 1e-6
            OR total_diff_sessions + total_diff_streams + total_diff_known_sessions + total_diff_served_sessions
               + total_diff_unserved_sessions + total_diff_unexcused_sessions + total_diff_swapped_sessions > 0
            OR max_abs_diff_startup_success_ratio > 1e-6 OR max_abs_diff_success_ratio > 1e-6,
          'VALUE_MISMATCH_WITH_OVERLAP',
          'PASS') AS failure_mode,
  *
FROM summary;
