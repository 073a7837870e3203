-- notebook_scenario_fallout.sql — fallout population and scenario-5 coverage (suite `notebook_scenario_fallout`).
--
-- How the report finds it: suite `notebook_scenario_fallout`; rendered under "Scenario discovery →
-- Fallout + Scenario 5 coverage".
--   fallout_population   one row per latest session started in the window (the notebook's fallout
--                        source), with the notebook's columns plus matches_scenario_1..4 (criteria of
--                        scenario_candidates.sql) and is_fallout (= matches none of 1–4), newest first.
--                        Residual fallout = is_fallout rows whose workflow_session_id is not among the
--                        scenario_candidates.scenario_5_out_of_category_baseline rows.
--   scenario5_coverage   1 row: fallout_total_sessions, scenario5_sampled_sessions (min(total, limit)),
--                        fallout_covered_by_scenario5, residual_fallout_sessions, note.
-- Params: {from_ts:DateTime64(3)}, {to_ts:DateTime64(3)}; scenario5_coverage also {limit_per_scenario:UInt32}.
-- Difference from the notebook: membership in scenarios 1–4 is decided by their criteria, not by the
-- LIMIT-ed candidate lists, so a busy window does not push classified sessions into the fallout.

-- QUERY: fallout_population
-- Every latest session in the window with its scenario features and scenario 1–4 membership flags.
WITH
  latest_sessions AS
  (
    SELECT *
    FROM
    (
      SELECT
        workflow_session_id, stream_id, request_id, session_start_ts, session_end_ts,
        known_stream, startup_success, startup_excused, startup_unexcused,
        confirmed_swap_count, inferred_orchestrator_change_count, swap_count,
        orchestrator_address, gpu_id, model_id, pipeline,
        row_number() OVER (PARTITION BY workflow_session_id
                           ORDER BY version DESC, session_start_ts DESC, session_end_ts DESC) AS rn
      FROM livepeer_analytics.fact_workflow_sessions FINAL
      WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    )
    WHERE rn = 1
  ),
  status_fps AS
  (
    SELECT workflow_session_id, avg(output_fps) AS avg_output_fps, toUInt8(1) AS has_status
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
  classified AS
  (
    SELECT
      s.workflow_session_id AS workflow_session_id,
      s.stream_id AS stream_id,
      s.request_id AS request_id,
      s.session_start_ts AS session_start_ts,
      s.session_end_ts AS session_end_ts,
      f.avg_output_fps AS avg_output_fps,
      s.known_stream AS known_stream,
      s.startup_success AS startup_success,
      s.startup_excused AS startup_excused,
      s.startup_unexcused AS startup_unexcused,
      s.confirmed_swap_count AS confirmed_swap_count,
      s.inferred_orchestrator_change_count AS inferred_orchestrator_change_count,
      s.swap_count AS swap_count,
      s.orchestrator_address AS orchestrator_address,
      s.gpu_id AS gpu_id,
      s.model_id AS model_id,
      s.pipeline AS pipeline,
      t.has_no_orch AS has_no_orch,
      t.has_close AS has_close,
      g.segment_orchestrators AS segment_orchestrators,
      p.updates AS updates,
      toUInt8(s.known_stream = 1 AND s.startup_success = 1 AND s.startup_unexcused = 0 AND s.swap_count = 0
              AND f.has_status = 1 AND f.avg_output_fps > 12) AS matches_scenario_1,
      toUInt8(s.startup_success = 0 AND t.has_no_orch = 1 AND t.has_close = 1) AS matches_scenario_2,
      toUInt8(s.startup_success = 1 AND (s.confirmed_swap_count > 0 OR s.inferred_orchestrator_change_count > 0
                                         OR g.segment_orchestrators > 1)) AS matches_scenario_3,
      toUInt8(s.startup_success = 1 AND p.updates > 0) AS matches_scenario_4
    FROM latest_sessions AS s
    LEFT JOIN status_fps AS f ON f.workflow_session_id = s.workflow_session_id
    LEFT JOIN trace_flags AS t ON t.workflow_session_id = s.workflow_session_id
    LEFT JOIN segment_orchs AS g ON g.workflow_session_id = s.workflow_session_id
    LEFT JOIN param_updates AS p ON p.workflow_session_id = s.workflow_session_id
  )
SELECT
  *,
  toUInt8(NOT (matches_scenario_1 OR matches_scenario_2 OR matches_scenario_3 OR matches_scenario_4)) AS is_fallout
FROM classified
ORDER BY session_start_ts DESC, workflow_session_id;

-- QUERY: scenario5_coverage
-- Fallout total vs the scenario-5 sample (scenario 5 returns the newest limit_per_scenario fallout sessions).
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
    SELECT workflow_session_id, avg(output_fps) AS avg_output_fps, toUInt8(1) AS has_status
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
    SELECT workflow_session_id, toUInt8(1) AS has_updates
    FROM livepeer_analytics.fact_workflow_param_updates
    WHERE update_ts >= {from_ts:DateTime64(3)} AND update_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
  ),
  fallout AS
  (
    SELECT count() AS fallout_total_sessions
    FROM latest_sessions AS s
    LEFT JOIN status_fps AS f ON f.workflow_session_id = s.workflow_session_id
    LEFT JOIN trace_flags AS t ON t.workflow_session_id = s.workflow_session_id
    LEFT JOIN segment_orchs AS g ON g.workflow_session_id = s.workflow_session_id
    LEFT JOIN param_updates AS p ON p.workflow_session_id = s.workflow_session_id
    WHERE NOT (s.known_stream = 1 AND s.startup_success = 1 AND s.startup_unexcused = 0 AND s.swap_count = 0
               AND f.has_status = 1 AND f.avg_output_fps > 12)
      AND NOT (s.startup_success = 0 AND t.has_no_orch = 1 AND t.has_close = 1)
      AND NOT (s.startup_success = 1 AND (s.confirmed_swap_count > 0 OR s.inferred_orchestrator_change_count > 0
                                          OR g.segment_orchestrators > 1))
      AND NOT (s.startup_success = 1 AND p.has_updates = 1)
  )
SELECT
  fallout_total_sessions,
  least(fallout_total_sessions, toUInt64({limit_per_scenario:UInt32})) AS scenario5_sampled_sessions,
  scenario5_sampled_sessions AS fallout_covered_by_scenario5,
  fallout_total_sessions - scenario5_sampled_sessions AS residual_fallout_sessions,
  'scenario_5 is a sampled subset of fallout (non-blocking)' AS note
FROM fallout;
