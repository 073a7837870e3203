-- readiness_drilldown.sql — offending rows of failed API readiness tests (suite `readiness_drilldown`).
--
-- How the report finds it: suite `readiness_drilldown`; each block is named exactly like the
-- assertions_api_readiness TEST it explains, and collect runs it (phase 2) only when that TEST failed.
-- Report section: "Drill-downs → API readiness failure drill-down" (offending rows under the failed test).
-- Schema tests (api_views_present, *_required_columns_present) are explained by
-- sql/packs/notebook_schema_probes.sql instead.
-- Params: {from_ts:DateTime64(3)}, {to_ts:DateTime64(3)} (view rows on window_start). Every block
-- applies the same predicate as its TEST, returns at most 50 rows, newest window first, and adds
-- recomputed values beside the stored ones where the TEST compares formulas.

-- QUERY: gpu_metrics_keys_not_null
-- GPU-view rows lacking orchestrator, gpu, window_start, or both pipeline and model.
SELECT * REPLACE (toDateTime64(window_start, 3, 'UTC') AS window_start)
FROM livepeer_analytics.v_api_gpu_metrics
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND (orchestrator_address = '' OR ifNull(gpu_id, '') = '' OR window_start IS NULL
       OR (pipeline = '' AND ifNull(model_id, '') = ''))
ORDER BY window_start DESC, orchestrator_address, pipeline
LIMIT 50;

-- QUERY: gold_pipeline_coverage_attributable_min_threshold
-- GPU and SLA view rows that carry a model but no pipeline.
SELECT view_name, toDateTime64(window_start, 3, 'UTC') AS window_start, orchestrator_address, pipeline, model_id, gpu_id, region
FROM
(
  SELECT 'v_api_gpu_metrics' AS view_name, window_start, orchestrator_address, pipeline, model_id, gpu_id, region
  FROM livepeer_analytics.v_api_gpu_metrics
  WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
    AND ifNull(model_id, '') != '' AND pipeline = ''
  UNION ALL
  SELECT 'v_api_sla_compliance', window_start, orchestrator_address, pipeline, model_id, gpu_id, region
  FROM livepeer_analytics.v_api_sla_compliance
  WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
    AND ifNull(model_id, '') != '' AND pipeline = ''
)
ORDER BY window_start DESC, view_name, orchestrator_address
LIMIT 50;

-- QUERY: gpu_metrics_rollup_fields_consistent
-- GPU-view rows whose failure_rate / swap_rate disagree with their counters (stored vs recomputed).
SELECT
  toDateTime64(window_start, 3, 'UTC') AS window_start, orchestrator_address, pipeline, model_id, gpu_id,
  known_sessions, unexcused_sessions, swapped_sessions,
  failure_rate, unexcused_sessions / toFloat64(known_sessions) AS recomputed_failure_rate,
  swap_rate, swapped_sessions / toFloat64(known_sessions) AS recomputed_swap_rate
FROM livepeer_analytics.v_api_gpu_metrics
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND known_sessions > 0
  AND (abs(failure_rate - unexcused_sessions / toFloat64(known_sessions)) > 1e-6
       OR abs(swap_rate - swapped_sessions / toFloat64(known_sessions)) > 1e-6)
ORDER BY window_start DESC, orchestrator_address, pipeline
LIMIT 50;

-- QUERY: gpu_metrics_latency_fields_nonnegative
-- GPU-view rows with a negative latency field.
SELECT
  toDateTime64(window_start, 3, 'UTC') AS window_start, orchestrator_address, pipeline, model_id, gpu_id,
  prompt_to_first_frame_ms, startup_time_ms, startup_time_s, e2e_latency_ms,
  p95_prompt_to_first_frame_ms, p95_startup_time_ms, p95_e2e_latency_ms
FROM livepeer_analytics.v_api_gpu_metrics
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND (ifNull(prompt_to_first_frame_ms, 0) < 0 OR ifNull(startup_time_ms, 0) < 0 OR ifNull(startup_time_s, 0) < 0
       OR ifNull(e2e_latency_ms, 0) < 0 OR ifNull(p95_prompt_to_first_frame_ms, 0) < 0
       OR ifNull(p95_startup_time_ms, 0) < 0 OR ifNull(p95_e2e_latency_ms, 0) < 0)
ORDER BY window_start DESC, orchestrator_address, pipeline
LIMIT 50;

-- QUERY: gpu_metrics_startup_seconds_matches_ms
-- GPU-view rows whose startup_time_s is not startup_time_ms / 1000.
SELECT
  toDateTime64(window_start, 3, 'UTC') AS window_start, orchestrator_address, pipeline, model_id, gpu_id,
  startup_time_ms, startup_time_s, startup_time_ms / 1000.0 AS recomputed_startup_time_s
FROM livepeer_analytics.v_api_gpu_metrics
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND ((startup_time_ms IS NULL) != (startup_time_s IS NULL)
       OR abs(ifNull(startup_time_s, 0) - ifNull(startup_time_ms, 0) / 1000.0) > 1e-6)
ORDER BY window_start DESC, orchestrator_address, pipeline
LIMIT 50;

-- QUERY: network_demand_hourly_grain
-- Demand-view rows whose window_start is not on the hour.
SELECT * REPLACE (toDateTime64(window_start, 3, 'UTC') AS window_start)
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND window_start != toStartOfHour(window_start)
ORDER BY window_start DESC, gateway, pipeline, model_id
LIMIT 50;

-- QUERY: network_demand_by_gpu_hourly_grain
-- Demand-by-GPU rows whose window_start is not on the hour.
SELECT * REPLACE (toDateTime64(window_start, 3, 'UTC') AS window_start)
FROM livepeer_analytics.v_api_network_demand_by_gpu
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND window_start != toStartOfHour(window_start)
ORDER BY window_start DESC, gateway, orchestrator_address
LIMIT 50;

-- QUERY: network_demand_by_gpu_capacity_fields_nonnegative
-- Demand-by-GPU rows with negative capacity/minute fields or capacity_rate above 1.5.
SELECT * REPLACE (toDateTime64(window_start, 3, 'UTC') AS window_start)
FROM livepeer_analytics.v_api_network_demand_by_gpu
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND (inference_minutes_by_gpu_type < 0 OR used_inference_minutes < 0 OR available_capacity_minutes < 0
       OR capacity_rate < 0 OR capacity_rate > 1.5)
ORDER BY window_start DESC, gateway, orchestrator_address
LIMIT 50;

-- QUERY: network_demand_additive_fields_nonnegative
-- Demand rows with a negative additive field.
SELECT * REPLACE (toDateTime64(window_start, 3, 'UTC') AS window_start)
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND (toFloat64(total_streams) < 0 OR toFloat64(total_sessions) < 0 OR total_minutes < 0
       OR toFloat64(known_sessions) < 0 OR toFloat64(served_sessions) < 0 OR toFloat64(unserved_sessions) < 0
       OR toFloat64(total_demand_sessions) < 0 OR toFloat64(unexcused_sessions) < 0
       OR toFloat64(swapped_sessions) < 0 OR toFloat64(missing_capacity_count) < 0 OR fee_payment_eth < 0)
ORDER BY window_start DESC, gateway, pipeline, model_id
LIMIT 50;

-- QUERY: network_demand_served_unserved_consistency
-- Demand rows where total demand != served + unserved or missing capacity != unserved.
SELECT
  toDateTime64(window_start, 3, 'UTC') AS window_start, gateway, region, pipeline, model_id,
  known_sessions, served_sessions, unserved_sessions, total_demand_sessions,
  served_sessions + unserved_sessions AS recomputed_total_demand_sessions, missing_capacity_count
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND (total_demand_sessions != served_sessions + unserved_sessions OR missing_capacity_count != unserved_sessions)
ORDER BY window_start DESC, gateway, pipeline, model_id
LIMIT 50;

-- QUERY: network_demand_pipeline_not_model_id
-- Demand rows whose pipeline equals their model_id.
SELECT toDateTime64(window_start, 3, 'UTC') AS window_start, gateway, region, pipeline, model_id, total_sessions, known_sessions
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND pipeline != '' AND lower(pipeline) = lower(model_id)
ORDER BY window_start DESC, gateway, pipeline, model_id
LIMIT 50;

-- QUERY: network_demand_pipeline_fallback_applied
-- Model-only demand rows for which the latest sessions imply one unambiguous pipeline (the missing back-fill).
WITH
  latest_sessions AS
  (
    SELECT
      toStartOfHour(argMax(session_start_ts, version)) AS hour,
      argMax(gateway, version) AS gateway,
      ifNull(argMax(region, version), '') AS region,
      ifNull(argMax(model_id, version), '') AS model_id,
      argMax(pipeline, version) AS pipeline
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE session_start_ts >= toStartOfHour({from_ts:DateTime64(3)})
      AND session_start_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
  ),
  unambiguous_pipelines AS
  (
    SELECT hour, gateway, region, model_id, any(canonical_pipeline) AS fallback_pipeline,
           count() AS sessions_with_pipeline
    FROM
    (
      SELECT hour, gateway, region, model_id,
             if(lower(pipeline) = lower(model_id), '', pipeline) AS canonical_pipeline
      FROM latest_sessions
      WHERE model_id != ''
    )
    WHERE canonical_pipeline != ''
    GROUP BY hour, gateway, region, model_id
    HAVING uniqExact(canonical_pipeline) = 1
  ),
  model_only_rows AS
  (
    SELECT toDateTime64(window_start, 3, 'UTC') AS hour, gateway, region, model_id,
           total_sessions, known_sessions, total_minutes
    FROM livepeer_analytics.v_api_network_demand
    WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
      AND pipeline = '' AND model_id != ''
  )
SELECT
  d.hour AS window_start, d.gateway AS gateway, d.region AS region, d.model_id AS model_id,
  u.fallback_pipeline AS expected_pipeline, u.sessions_with_pipeline AS sessions_with_pipeline,
  d.total_sessions AS total_sessions, d.known_sessions AS known_sessions, d.total_minutes AS total_minutes
FROM model_only_rows AS d
INNER JOIN unambiguous_pipelines AS u
  ON u.hour = d.hour AND u.gateway = d.gateway AND u.region = d.region AND u.model_id = d.model_id
ORDER BY window_start DESC, gateway, model_id
LIMIT 50;

-- QUERY: sla_compliance_rollup_safe
-- SLA rows whose ratios disagree with their counters or leave their bounds (stored vs recomputed).
SELECT
  toDateTime64(window_start, 3, 'UTC') AS window_start, orchestrator_address, pipeline, model_id, gpu_id,
  known_sessions, unexcused_sessions, swapped_sessions, health_signal_count, health_expected_signal_count,
  startup_success_ratio, 1 - unexcused_sessions / toFloat64(known_sessions) AS recomputed_startup_success_ratio,
  success_ratio,
  no_swap_ratio, 1 - swapped_sessions / toFloat64(known_sessions) AS recomputed_no_swap_ratio,
  health_completeness_ratio,
  if(health_expected_signal_count = 0, 1.0, health_signal_count / toFloat64(health_expected_signal_count)) AS recomputed_health_completeness_ratio,
  sla_score
FROM livepeer_analytics.v_api_sla_compliance
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND (
    (known_sessions > 0 AND abs(ifNull(startup_success_ratio, -1) - (1 - unexcused_sessions / toFloat64(known_sessions))) > 1e-6)
    OR (success_ratio IS NOT NULL AND (success_ratio < 0 OR success_ratio > 1))
    OR (success_ratio IS NOT NULL AND startup_success_ratio IS NOT NULL AND success_ratio > startup_success_ratio + 1e-6)
    OR (known_sessions > 0 AND abs(ifNull(no_swap_ratio, -1) - (1 - swapped_sessions / toFloat64(known_sessions))) > 1e-6)
    OR abs(health_completeness_ratio - if(health_expected_signal_count = 0, 1.0,
                                          health_signal_count / toFloat64(health_expected_signal_count))) > 1e-6
    OR (sla_score IS NOT NULL AND (sla_score < 0 OR sla_score > 100))
  )
ORDER BY window_start DESC, orchestrator_address, pipeline
LIMIT 50;

-- QUERY: network_demand_success_ratios_valid
-- Demand rows with a ratio outside [0, 1] or success_ratio above startup_success_ratio.
SELECT toDateTime64(window_start, 3, 'UTC') AS window_start, gateway, region, pipeline, model_id, known_sessions, unexcused_sessions,
       startup_success_ratio, success_ratio
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND (startup_success_ratio < 0 OR startup_success_ratio > 1 OR success_ratio < 0 OR success_ratio > 1
       OR success_ratio > startup_success_ratio + 1e-6)
ORDER BY window_start DESC, gateway, pipeline, model_id
LIMIT 50;

-- QUERY: network_demand_success_ratio_penalizes_failure_indicators
-- Demand rows with failure indicators whose success_ratio still reads ~1.
SELECT toDateTime64(window_start, 3, 'UTC') AS window_start, gateway, region, pipeline, model_id, known_sessions, unexcused_sessions,
       zero_output_fps_sessions, loading_only_sessions, startup_success_ratio, success_ratio
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  AND known_sessions > 0
  AND (unexcused_sessions > 0 OR zero_output_fps_sessions > 0 OR loading_only_sessions > 0)
  AND success_ratio >= 0.999999
ORDER BY window_start DESC, gateway, pipeline, model_id
LIMIT 50;

-- QUERY: sla_recompute_parity_vs_latest_sessions
-- SLA keys that are one-sided or whose counters differ between the latest-session recompute and the view.
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
    WHERE rn = 1 AND orchestrator_address != ''
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
  raw_counters AS
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
      toInt64(sum(s.last_error_occurred)) AS last_error,
      toInt64(sum(s.loading_only_session)) AS loading_only,
      toInt64(sum(s.zero_output_fps_session)) AS zero_output,
      toInt64(sum(s.status_error_sample_count)) AS status_error_samples,
      toInt64(sum(s.health_signal_count)) AS health_signals,
      toInt64(sum(s.health_expected_signal_count)) AS health_expected_signals,
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
  view_counters AS
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
      toInt64(sessions_with_last_error) AS last_error,
      toInt64(loading_only_sessions) AS loading_only,
      toInt64(zero_output_fps_sessions) AS zero_output,
      toInt64(status_error_samples) AS status_error_samples,
      toInt64(health_signal_count) AS health_signals,
      toInt64(health_expected_signal_count) AS health_expected_signals,
      toUInt8(1) AS present
    FROM livepeer_analytics.v_api_sla_compliance
    WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  ),
  joined AS
  (
    SELECT
      toDateTime64(if(r.present = 1, r.hour, v.hour), 3, 'UTC') AS window_start,
      if(r.present = 1, r.orch, v.orch) AS orchestrator_address,
      if(r.present = 1, r.pipeline, v.pipeline) AS pipeline,
      if(r.present = 1, r.model, v.model) AS model_id,
      if(r.present = 1, r.gpu, v.gpu) AS gpu_id,
      if(r.present = 1, r.reg, v.reg) AS region,
      multiIf(r.present = 1 AND v.present = 1, 'both', r.present = 1, 'raw_only', 'view_only') AS key_side,
      r.known AS raw_known, v.known AS view_known,
      r.unexcused AS raw_unexcused, v.unexcused AS view_unexcused,
      r.swapped AS raw_swapped, v.swapped AS view_swapped,
      r.last_error AS raw_last_error, v.last_error AS view_last_error,
      r.loading_only AS raw_loading_only, v.loading_only AS view_loading_only,
      r.zero_output AS raw_zero_output, v.zero_output AS view_zero_output,
      r.status_error_samples AS raw_status_error_samples, v.status_error_samples AS view_status_error_samples,
      r.health_signals AS raw_health_signal_count, v.health_signals AS view_health_signal_count,
      r.health_expected_signals AS raw_health_expected_signal_count,
      v.health_expected_signals AS view_health_expected_signal_count
    FROM raw_counters AS r
    FULL OUTER JOIN view_counters AS v
      ON r.hour = v.hour AND r.orch = v.orch AND r.pipeline = v.pipeline
     AND r.model = v.model AND r.gpu = v.gpu AND r.reg = v.reg
  )
SELECT *
FROM joined
WHERE key_side != 'both'
   OR raw_known != view_known OR raw_unexcused != view_unexcused OR raw_swapped != view_swapped
   OR raw_last_error != view_last_error OR raw_loading_only != view_loading_only
   OR raw_zero_output != view_zero_output OR raw_status_error_samples != view_status_error_samples
   OR raw_health_signal_count != view_health_signal_count
   OR raw_health_expected_signal_count != view_health_expected_signal_count
ORDER BY window_start DESC, orchestrator_address, pipeline, model_id, gpu_id
LIMIT 50;
