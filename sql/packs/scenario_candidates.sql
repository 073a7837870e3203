-- scenario_candidates.sql — scenario discovery (suite `scenario_candidates`, 7 QUERY blocks).
--
-- How the report finds it: suite = file stem `scenario_candidates`, block = scenario name after `-- QUERY:`.
-- Report sections: "Scenario discovery" (candidate rows per block), the session explorer (every
-- discovered workflow_session_id is drilled into with sql/drilldown/session_drilldown.sql) and the
-- fixture export (folder name = block name). The fallout population and the scenario-5 coverage
-- table come from sql/packs/notebook_scenario_fallout.sql.
-- Params: {from_ts:DateTime64(3)}, {to_ts:DateTime64(3)}, {limit_per_scenario:UInt32}.
-- Every block starts from the latest version of each session (FINAL + row_number by version desc,
-- session_start_ts desc, session_end_ts desc) with session_start_ts in the window (scenario 7:
-- sessions overlapping the window), returns at most limit_per_scenario rows ordered by
-- session_start_ts desc (ties by workflow_session_id), and always carries scenario_name,
-- workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts first.
-- Scenario 6/7 use the rules of v_api_gpu_metrics / v_api_sla_compliance (warehouse.md a.8) on the
-- session's (hour, orchestrator, pipeline, model, gpu, region) key. Scenario 7 adds
-- other_sessions_at_key; its present_in_*_view flags are 1 only when the tail is the key-hour's sole
-- status evidence (otherwise the view row belongs to other sessions and proves nothing).
-- Note: the user's scenario 1 also builds capability-wallet overlap CTEs that its final filter
-- never uses; they are omitted here (same rows, less planning work).

-- QUERY: scenario_1_clean_success_no_swap_fps_gt_12
-- Known, successful, not unexcused, swap-free sessions whose status output_fps averages above 12.
WITH
  latest_sessions AS
  (
    SELECT workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts
    FROM
    (
      SELECT
        workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
        known_stream, startup_success, startup_unexcused, swap_count,
        row_number() OVER (PARTITION BY workflow_session_id
                           ORDER BY version DESC, session_start_ts DESC, session_end_ts DESC) AS rn
      FROM livepeer_analytics.fact_workflow_sessions FINAL
      WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    )
    WHERE rn = 1 AND known_stream = 1 AND startup_success = 1 AND startup_unexcused = 0 AND swap_count = 0
  ),
  status_fps AS
  (
    SELECT workflow_session_id, avg(output_fps) AS avg_output_fps
    FROM livepeer_analytics.fact_stream_status_samples
    GROUP BY workflow_session_id
  ),
  segment_orchs AS
  (
    SELECT workflow_session_id, uniqExactIf(orchestrator_address, orchestrator_address != '') AS segment_orchestrators
    FROM livepeer_analytics.fact_workflow_session_segments
    GROUP BY workflow_session_id
  )
SELECT
  'scenario_1_clean_success_no_swap_fps_gt_12' AS scenario_name,
  s.workflow_session_id AS workflow_session_id,
  s.stream_id AS stream_id,
  s.request_id AS request_id,
  s.session_start_ts AS session_start_ts,
  s.session_end_ts AS session_end_ts,
  f.avg_output_fps AS avg_output_fps,
  ifNull(g.segment_orchestrators, 0) AS segment_orchestrators
FROM latest_sessions AS s
INNER JOIN status_fps AS f ON f.workflow_session_id = s.workflow_session_id
LEFT JOIN segment_orchs AS g ON g.workflow_session_id = s.workflow_session_id
WHERE f.avg_output_fps > 12
ORDER BY session_start_ts DESC, workflow_session_id
LIMIT {limit_per_scenario:UInt32};

-- QUERY: scenario_6_same_hour_failed_no_output_retained
-- Same-hour failed sessions with a no-work status hour, flagged for presence in the GPU and SLA views.
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
  'scenario_6_same_hour_failed_no_output_retained' AS scenario_name,
  s.workflow_session_id AS workflow_session_id,
  s.stream_id AS stream_id,
  s.request_id AS request_id,
  s.session_start_ts AS session_start_ts,
  s.session_end_ts AS session_end_ts,
  s.hour AS window_start,
  h.status_samples AS status_samples,
  h.fps_positive_samples AS fps_positive_samples,
  h.running_state_samples AS running_state_samples,
  v.present_in_gpu_view AS present_in_gpu_view,
  v.present_in_sla_view AS present_in_sla_view
FROM failed_same_hour_sessions AS s
INNER JOIN status_hours AS h ON h.workflow_session_id = s.workflow_session_id AND h.hour = s.hour
LEFT JOIN view_keys AS v
  ON v.hour = s.hour AND v.orchestrator_address = s.orchestrator_address AND v.pipeline = s.pipeline
 AND v.model_key = s.model_key AND v.gpu_key = s.gpu_key AND v.region_key = s.region_key
ORDER BY session_start_ts DESC, workflow_session_id
LIMIT {limit_per_scenario:UInt32};

-- QUERY: scenario_7_rollover_terminal_tail_filtered_prev_hour_no_work
-- Rollover terminal-tail hours whose previous hour had the same no-work profile, flagged for view presence.
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
  'scenario_7_rollover_terminal_tail_filtered_prev_hour_no_work' AS scenario_name,
  t.tail.1 AS workflow_session_id,
  t.tail.2 AS stream_id,
  t.tail.3 AS request_id,
  t.tail.4 AS session_start_ts,
  t.tail.5 AS session_end_ts,
  t.hour AS window_start,
  t.tail.6 AS status_samples,
  t.tail.7 AS prev_status_samples,
  t.other_sessions_at_key AS other_sessions_at_key,
  toUInt8(v.in_gpu_view = 1 AND t.other_sessions_at_key = 0) AS present_in_gpu_view,
  toUInt8(v.in_sla_view = 1 AND t.other_sessions_at_key = 0) AS present_in_sla_view
FROM tails AS t
LEFT JOIN view_keys AS v
  ON v.hour = t.hour AND v.orchestrator_address = t.orchestrator_address AND v.pipeline = t.pipeline
 AND v.model_key = t.model_key AND v.gpu_key = t.gpu_key AND v.region_key = t.region_key
ORDER BY session_start_ts DESC, workflow_session_id
LIMIT {limit_per_scenario:UInt32};

-- QUERY: scenario_2_no_orchestrator_then_closed
-- Failed-startup sessions whose trace edges show both no-orchestrator-available and stream-closed.
WITH
  latest_sessions AS
  (
    SELECT workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
           startup_success, startup_excused, startup_unexcused
    FROM
    (
      SELECT
        workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
        startup_success, startup_excused, startup_unexcused,
        row_number() OVER (PARTITION BY workflow_session_id
                           ORDER BY version DESC, session_start_ts DESC, session_end_ts DESC) AS rn
      FROM livepeer_analytics.fact_workflow_sessions FINAL
      WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    )
    WHERE rn = 1 AND startup_success = 0
  ),
  trace_flags AS
  (
    SELECT
      workflow_session_id,
      toUInt8(countIf(trace_type = 'gateway_no_orchestrators_available') > 0) AS has_no_orch,
      toUInt8(countIf(trace_type = 'gateway_ingest_stream_closed') > 0) AS has_close
    FROM livepeer_analytics.fact_stream_trace_edges
    WHERE trace_type IN ('gateway_no_orchestrators_available', 'gateway_ingest_stream_closed')
    GROUP BY workflow_session_id
  )
SELECT
  'scenario_2_no_orchestrator_then_closed' AS scenario_name,
  s.workflow_session_id AS workflow_session_id,
  s.stream_id AS stream_id,
  s.request_id AS request_id,
  s.session_start_ts AS session_start_ts,
  s.session_end_ts AS session_end_ts,
  s.startup_success AS startup_success,
  s.startup_excused AS startup_excused,
  s.startup_unexcused AS startup_unexcused,
  t.has_no_orch AS has_no_orch,
  t.has_close AS has_close
FROM latest_sessions AS s
INNER JOIN trace_flags AS t ON t.workflow_session_id = s.workflow_session_id
WHERE t.has_no_orch = 1 AND t.has_close = 1
ORDER BY session_start_ts DESC, workflow_session_id
LIMIT {limit_per_scenario:UInt32};

-- QUERY: scenario_3_success_with_swap
-- Successful sessions with an explicit (confirmed) or derived (inferred / multi-orchestrator) swap.
WITH
  latest_sessions AS
  (
    SELECT workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
           confirmed_swap_count, inferred_orchestrator_change_count
    FROM
    (
      SELECT
        workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
        startup_success, confirmed_swap_count, inferred_orchestrator_change_count,
        row_number() OVER (PARTITION BY workflow_session_id
                           ORDER BY version DESC, session_start_ts DESC, session_end_ts DESC) AS rn
      FROM livepeer_analytics.fact_workflow_sessions FINAL
      WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    )
    WHERE rn = 1 AND startup_success = 1
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
      s.workflow_session_id AS workflow_session_id,
      s.stream_id AS stream_id,
      s.request_id AS request_id,
      s.session_start_ts AS session_start_ts,
      s.session_end_ts AS session_end_ts,
      s.confirmed_swap_count AS confirmed_swap_count,
      s.inferred_orchestrator_change_count AS inferred_orchestrator_change_count,
      ifNull(g.segment_orchestrators, 0) AS segment_orchestrators,
      toUInt8(s.confirmed_swap_count > 0) AS has_explicit_swap_signal,
      toUInt8(s.inferred_orchestrator_change_count > 0 OR segment_orchestrators > 1) AS has_derived_swap_signal
    FROM latest_sessions AS s
    LEFT JOIN segment_orchs AS g ON g.workflow_session_id = s.workflow_session_id
  )
SELECT
  'scenario_3_success_with_swap' AS scenario_name,
  workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
  confirmed_swap_count, inferred_orchestrator_change_count, segment_orchestrators,
  has_explicit_swap_signal, has_derived_swap_signal,
  multiIf(has_explicit_swap_signal = 1, 'explicit', has_derived_swap_signal = 1, 'derived', 'none') AS swap_signal_source
FROM classified
WHERE has_explicit_swap_signal = 1 OR has_derived_swap_signal = 1
ORDER BY session_start_ts DESC, workflow_session_id
LIMIT {limit_per_scenario:UInt32};

-- QUERY: scenario_4_success_with_param_updates
-- Successful sessions with at least one parameter update in the window.
WITH
  latest_sessions AS
  (
    SELECT workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts
    FROM
    (
      SELECT
        workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts, startup_success,
        row_number() OVER (PARTITION BY workflow_session_id
                           ORDER BY version DESC, session_start_ts DESC, session_end_ts DESC) AS rn
      FROM livepeer_analytics.fact_workflow_sessions FINAL
      WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    )
    WHERE rn = 1 AND startup_success = 1
  ),
  param_updates AS
  (
    SELECT workflow_session_id, uniqExact(source_event_uid) AS updates
    FROM livepeer_analytics.fact_workflow_param_updates FINAL
    WHERE update_ts >= {from_ts:DateTime64(3)} AND update_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
  )
SELECT
  'scenario_4_success_with_param_updates' AS scenario_name,
  s.workflow_session_id AS workflow_session_id,
  s.stream_id AS stream_id,
  s.request_id AS request_id,
  s.session_start_ts AS session_start_ts,
  s.session_end_ts AS session_end_ts,
  p.updates AS updates
FROM latest_sessions AS s
INNER JOIN param_updates AS p ON p.workflow_session_id = s.workflow_session_id
ORDER BY session_start_ts DESC, workflow_session_id
LIMIT {limit_per_scenario:UInt32};

-- QUERY: scenario_5_out_of_category_baseline
-- Sampled fallout: latest sessions that match none of scenarios 1–4 by their criteria.
WITH
  latest_sessions AS
  (
    SELECT workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
           known_stream, startup_success, startup_unexcused, swap_count,
           confirmed_swap_count, inferred_orchestrator_change_count
    FROM
    (
      SELECT
        workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
        known_stream, startup_success, startup_unexcused, swap_count,
        confirmed_swap_count, inferred_orchestrator_change_count,
        row_number() OVER (PARTITION BY workflow_session_id
                           ORDER BY version DESC, session_start_ts DESC, session_end_ts DESC) AS rn
      FROM livepeer_analytics.fact_workflow_sessions FINAL
      WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    )
    WHERE rn = 1
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
      toUInt8(countIf(trace_type = 'gateway_no_orchestrators_available') > 0) AS has_no_orch,
      toUInt8(countIf(trace_type = 'gateway_ingest_stream_closed') > 0) AS has_close
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
  param_updates AS
  (
    SELECT workflow_session_id, uniqExact(source_event_uid) AS updates
    FROM livepeer_analytics.fact_workflow_param_updates FINAL
    WHERE update_ts >= {from_ts:DateTime64(3)} AND update_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
  ),
  features AS
  (
    SELECT
      s.workflow_session_id AS workflow_session_id,
      s.stream_id AS stream_id,
      s.request_id AS request_id,
      s.session_start_ts AS session_start_ts,
      s.session_end_ts AS session_end_ts,
      f.avg_output_fps AS avg_output_fps,
      t.has_no_orch AS has_no_orch,
      t.has_close AS has_close,
      g.segment_orchestrators AS segment_orchestrators,
      p.updates AS updates,
      s.known_stream = 1 AND s.startup_success = 1 AND s.startup_unexcused = 0 AND s.swap_count = 0
        AND f.avg_output_fps > 12 AS is_scenario_1,
      s.startup_success = 0 AND has_no_orch = 1 AND has_close = 1 AS is_scenario_2,
      s.startup_success = 1 AND (s.confirmed_swap_count > 0 OR s.inferred_orchestrator_change_count > 0
                                 OR segment_orchestrators > 1) AS is_scenario_3,
      s.startup_success = 1 AND updates > 0 AS is_scenario_4
    FROM latest_sessions AS s
    LEFT JOIN status_fps AS f ON f.workflow_session_id = s.workflow_session_id
    LEFT JOIN trace_flags AS t ON t.workflow_session_id = s.workflow_session_id
    LEFT JOIN segment_orchs AS g ON g.workflow_session_id = s.workflow_session_id
    LEFT JOIN param_updates AS p ON p.workflow_session_id = s.workflow_session_id
  )
SELECT
  'scenario_5_out_of_category_baseline' AS scenario_name,
  workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
  avg_output_fps, has_no_orch, has_close, segment_orchestrators, updates
FROM features
WHERE NOT (is_scenario_1 OR is_scenario_2 OR is_scenario_3 OR is_scenario_4)
ORDER BY session_start_ts DESC, workflow_session_id
LIMIT {limit_per_scenario:UInt32};
