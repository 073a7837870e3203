-- assertions_api_readiness.sql — serving-view contract checks (suite `assertions_api_readiness`, 21 TEST blocks).
--
-- How the report finds it: suite = file stem `assertions_api_readiness`, block = the name after `-- TEST:`.
-- Report sections: "Assertion suites → API Readiness", the executive-summary layer "API Readiness
-- Assertions", "Serving schema sanity" (api_views_present, *_required_columns_present) and the
-- "API readiness failure drill-down", whose offending-row queries live in
-- sql/drilldown/readiness_drilldown.sql (suite readiness_drilldown, block name = the TEST name here).
-- Params: {from_ts:DateTime64(3)}, {to_ts:DateTime64(3)}; view rows are filtered on window_start
-- (half-open window >= from_ts AND < to_ts).
-- Contract: every block returns exactly one row; `failed_rows` first (0 = pass), then diagnostics.
-- Ratio rules only apply to rows with known_sessions > 0 (the views report 0 / NULL ratios otherwise).
-- Advisory / informational blocks: network_demand_low_sample_windows (always failed_rows = 0).
-- Advisory exceptions on the clean demo warehouse: none (all 21 pass; low_sample_windows reports a few
-- short windows there, informational). On a schema-only warehouse all 21 pass (nothing to violate).
-- sla_recompute_parity_vs_latest_sessions keys the recompute like v_api_sla_compliance (hours with
-- attributed status samples, rollover terminal-tail hours excluded), so a correct view matches exactly.

-- TEST: api_views_present
-- The four serving views must exist as views in livepeer_analytics; failed_rows = missing count.
WITH
  expected AS
  (
    SELECT arrayJoin(['v_api_gpu_metrics', 'v_api_network_demand',
                      'v_api_network_demand_by_gpu', 'v_api_sla_compliance']) AS name
  ),
  present AS
  (
    SELECT name
    FROM system.tables
    WHERE database = 'livepeer_analytics' AND engine = 'View'
  )
SELECT
  toUInt64(countIf(p.name = '')) AS failed_rows,
  arraySort(groupArrayIf(e.name, p.name = '')) AS missing_views
FROM expected AS e
LEFT JOIN present AS p ON p.name = e.name;

-- TEST: gpu_metrics_keys_not_null
-- Fails (1) when a GPU-view row lacks orchestrator, gpu, window_start, or both pipeline and model.
SELECT
  toUInt64(countIf(
    orchestrator_address = ''
    OR ifNull(gpu_id, '') = ''
    OR window_start IS NULL
    OR (pipeline = '' AND ifNull(model_id, '') = '')
  ) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_gpu_metrics
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: gold_pipeline_coverage_attributable_min_threshold
-- Over GPU + SLA view rows with a model, fails (1) when < 99% also carry a pipeline.
WITH
  attributable AS
  (
    SELECT pipeline
    FROM livepeer_analytics.v_api_gpu_metrics
    WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
      AND ifNull(model_id, '') != ''
    UNION ALL
    SELECT pipeline
    FROM livepeer_analytics.v_api_sla_compliance
    WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
      AND ifNull(model_id, '') != ''
  )
SELECT
  toUInt64(total_attributable_model_rows > 0 AND pipeline_coverage_ratio < 0.99) AS failed_rows,
  if(count() = 0, 1.0, countIf(pipeline != '') / toFloat64(count())) AS pipeline_coverage_ratio,
  count() AS total_attributable_model_rows,
  countIf(pipeline != '') AS attributed_with_pipeline
FROM attributable;

-- TEST: gpu_metrics_rollup_fields_consistent
-- Fails (1) when failure_rate != unexcused/known or swap_rate != swapped/known (tolerance 1e-6).
SELECT
  toUInt64(countIf(
    known_sessions > 0
    AND (abs(failure_rate - unexcused_sessions / toFloat64(known_sessions)) > 1e-6
         OR abs(swap_rate - swapped_sessions / toFloat64(known_sessions)) > 1e-6)
  ) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_gpu_metrics
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: gpu_metrics_latency_fields_nonnegative
-- Fails (1) on any negative non-NULL latency field of the GPU view.
SELECT
  toUInt64(countIf(
    ifNull(prompt_to_first_frame_ms, 0) < 0
    OR ifNull(startup_time_ms, 0) < 0
    OR ifNull(startup_time_s, 0) < 0
    OR ifNull(e2e_latency_ms, 0) < 0
    OR ifNull(p95_prompt_to_first_frame_ms, 0) < 0
    OR ifNull(p95_startup_time_ms, 0) < 0
    OR ifNull(p95_e2e_latency_ms, 0) < 0
  ) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_gpu_metrics
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: gpu_metrics_startup_seconds_matches_ms
-- Fails (1) when startup_time_s != startup_time_ms / 1000 (tolerance 1e-6; NULL on one side only counts).
SELECT
  toUInt64(countIf(
    (startup_time_ms IS NULL) != (startup_time_s IS NULL)
    OR abs(ifNull(startup_time_s, 0) - ifNull(startup_time_ms, 0) / 1000.0) > 1e-6
  ) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_gpu_metrics
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: network_demand_hourly_grain
-- Fails (1) when a demand-view window_start is not on the hour.
SELECT
  toUInt64(countIf(window_start != toStartOfHour(window_start)) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: network_demand_required_columns_present
-- v_api_network_demand must expose model_id, pipeline, total_minutes, startup_success_ratio, success_ratio.
WITH
  expected AS
  (
    SELECT arrayJoin(['model_id', 'pipeline', 'total_minutes', 'startup_success_ratio', 'success_ratio']) AS name
  ),
  present AS
  (
    SELECT name
    FROM system.columns
    WHERE database = 'livepeer_analytics' AND table = 'v_api_network_demand'
  )
SELECT
  toUInt64(countIf(p.name = '') > 0) AS failed_rows,
  arraySort(groupArrayIf(e.name, p.name = '')) AS missing_columns
FROM expected AS e
LEFT JOIN present AS p ON p.name = e.name;

-- TEST: network_demand_by_gpu_hourly_grain
-- Fails (1) when a demand-by-GPU window_start is not on the hour.
SELECT
  toUInt64(countIf(window_start != toStartOfHour(window_start)) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_network_demand_by_gpu
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: network_demand_by_gpu_required_columns_present
-- v_api_network_demand_by_gpu must expose gpu_id and gpu_type.
WITH
  expected AS
  (
    SELECT arrayJoin(['gpu_id', 'gpu_type']) AS name
  ),
  present AS
  (
    SELECT name
    FROM system.columns
    WHERE database = 'livepeer_analytics' AND table = 'v_api_network_demand_by_gpu'
  )
SELECT
  toUInt64(countIf(p.name = '') > 0) AS failed_rows,
  arraySort(groupArrayIf(e.name, p.name = '')) AS missing_columns
FROM expected AS e
LEFT JOIN present AS p ON p.name = e.name;

-- TEST: network_demand_by_gpu_capacity_fields_nonnegative
-- Fails (1) on negative capacity/minute fields or capacity_rate > 1.5 in the demand-by-GPU view.
SELECT
  toUInt64(countIf(
    inference_minutes_by_gpu_type < 0
    OR used_inference_minutes < 0
    OR available_capacity_minutes < 0
    OR capacity_rate < 0
    OR capacity_rate > 1.5
  ) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_network_demand_by_gpu
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: network_demand_additive_fields_nonnegative
-- Fails (1) when any additive demand field (streams, sessions, minutes, counters, fees) is negative.
SELECT
  toUInt64(countIf(
    toFloat64(total_streams) < 0
    OR toFloat64(total_sessions) < 0
    OR total_minutes < 0
    OR toFloat64(known_sessions) < 0
    OR toFloat64(served_sessions) < 0
    OR toFloat64(unserved_sessions) < 0
    OR toFloat64(total_demand_sessions) < 0
    OR toFloat64(unexcused_sessions) < 0
    OR toFloat64(swapped_sessions) < 0
    OR toFloat64(missing_capacity_count) < 0
    OR fee_payment_eth < 0
  ) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: network_demand_served_unserved_consistency
-- Fails (1) when total_demand_sessions != served + unserved or missing_capacity_count != unserved.
SELECT
  toUInt64(countIf(
    total_demand_sessions != served_sessions + unserved_sessions
    OR missing_capacity_count != unserved_sessions
  ) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: network_demand_pipeline_not_model_id
-- Fails (1) when a demand row carries a non-empty pipeline equal (case-insensitively) to its model_id.
SELECT
  toUInt64(countIf(pipeline != '' AND lower(pipeline) = lower(model_id)) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: network_demand_pipeline_fallback_applied
-- Fails (1) when a model-only demand row has an unambiguous session pipeline that the view did not back-fill.
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
    SELECT hour, gateway, region, model_id, any(canonical_pipeline) AS fallback_pipeline
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
    SELECT toDateTime64(window_start, 3, 'UTC') AS hour, gateway, region, model_id
    FROM livepeer_analytics.v_api_network_demand
    WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
      AND pipeline = '' AND model_id != ''
  )
SELECT
  toUInt64(count() > 0) AS failed_rows,
  count() AS rows_checked
FROM model_only_rows AS d
INNER JOIN unambiguous_pipelines AS u
  ON u.hour = d.hour AND u.gateway = d.gateway AND u.region = d.region AND u.model_id = d.model_id;

-- TEST: sla_compliance_rollup_safe
-- Fails (1) when SLA ratios disagree with their counters or leave their bounds.
SELECT
  toUInt64(countIf(
    (known_sessions > 0 AND abs(ifNull(startup_success_ratio, -1) - (1 - unexcused_sessions / toFloat64(known_sessions))) > 1e-6)
    OR (success_ratio IS NOT NULL AND (success_ratio < 0 OR success_ratio > 1))
    OR (success_ratio IS NOT NULL AND startup_success_ratio IS NOT NULL AND success_ratio > startup_success_ratio + 1e-6)
    OR (known_sessions > 0 AND abs(ifNull(no_swap_ratio, -1) - (1 - swapped_sessions / toFloat64(known_sessions))) > 1e-6)
    OR abs(health_completeness_ratio - if(health_expected_signal_count = 0, 1.0,
                                          health_signal_count / toFloat64(health_expected_signal_count))) > 1e-6
    OR (sla_score IS NOT NULL AND (sla_score < 0 OR sla_score > 100))
  ) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_sla_compliance
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: sla_compliance_required_columns_present
-- v_api_sla_compliance must expose startup_success_ratio and success_ratio.
WITH
  expected AS
  (
    SELECT arrayJoin(['startup_success_ratio', 'success_ratio']) AS name
  ),
  present AS
  (
    SELECT name
    FROM system.columns
    WHERE database = 'livepeer_analytics' AND table = 'v_api_sla_compliance'
  )
SELECT
  toUInt64(countIf(p.name = '') > 0) AS failed_rows,
  arraySort(groupArrayIf(e.name, p.name = '')) AS missing_columns
FROM expected AS e
LEFT JOIN present AS p ON p.name = e.name;

-- TEST: network_demand_success_ratios_valid
-- Fails (1) when a demand ratio leaves [0, 1] or success_ratio exceeds startup_success_ratio.
SELECT
  toUInt64(countIf(
    startup_success_ratio < 0 OR startup_success_ratio > 1
    OR success_ratio < 0 OR success_ratio > 1
    OR success_ratio > startup_success_ratio + 1e-6
  ) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: network_demand_success_ratio_penalizes_failure_indicators
-- Fails (1) when a row with unexcused / zero-output / loading-only sessions still reports success_ratio ~ 1.
SELECT
  toUInt64(countIf(
    known_sessions > 0
    AND (unexcused_sessions > 0 OR zero_output_fps_sessions > 0 OR loading_only_sessions > 0)
    AND success_ratio >= 0.999999
  ) > 0) AS failed_rows,
  count() AS rows_checked
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: network_demand_low_sample_windows
-- Informational: counts demand rows with less than one status sample-second of minutes (< 1/60 minute).
SELECT
  toUInt64(0) AS failed_rows,
  count() AS rows_checked,
  countIf(total_minutes < 1 / 60.0) AS low_sample_windows
FROM livepeer_analytics.v_api_network_demand
WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)};

-- TEST: sla_recompute_parity_vs_latest_sessions
-- Recomputes hourly SLA counters from latest sessions (non-empty orchestrator, started in window); fails (1) on any drift.
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
      r.present = 1 AS in_raw,
      v.present = 1 AS in_view,
      abs(r.known - v.known) AS known_diff,
      abs(r.unexcused - v.unexcused) AS unexcused_diff,
      abs(r.swapped - v.swapped) AS swapped_diff,
      abs(r.last_error - v.last_error) AS last_error_diff,
      abs(r.loading_only - v.loading_only) AS loading_only_diff,
      abs(r.zero_output - v.zero_output) AS zero_output_diff,
      abs(r.status_error_samples - v.status_error_samples) AS status_error_samples_diff,
      abs(r.health_signals - v.health_signals) AS health_signal_count_diff,
      abs(r.health_expected_signals - v.health_expected_signals) AS health_expected_signal_count_diff
    FROM raw_counters AS r
    FULL OUTER JOIN view_counters AS v
      ON r.hour = v.hour AND r.orch = v.orch AND r.pipeline = v.pipeline
     AND r.model = v.model AND r.gpu = v.gpu AND r.reg = v.reg
  ),
  summary AS
  (
    SELECT
      countIf(in_raw) AS raw_rows,
      countIf(in_view) AS view_rows,
      countIf(in_raw AND in_view) AS joined_rows,
      countIf(in_raw AND NOT in_view) AS raw_only_keys,
      countIf(in_view AND NOT in_raw) AS view_only_keys,
      sumIf(known_diff, in_raw AND in_view) AS total_known_diff,
      sumIf(unexcused_diff, in_raw AND in_view) AS total_unexcused_diff,
      sumIf(swapped_diff, in_raw AND in_view) AS total_swapped_diff,
      sumIf(last_error_diff, in_raw AND in_view) AS total_last_error_diff,
      sumIf(loading_only_diff, in_raw AND in_view) AS total_loading_only_diff,
      sumIf(zero_output_diff, in_raw AND in_view) AS total_zero_output_diff,
      sumIf(status_error_samples_diff, in_raw AND in_view) AS total_status_error_samples_diff,
      sumIf(health_signal_count_diff, in_raw AND in_view) AS total_health_signal_count_diff,
      sumIf(health_expected_signal_count_diff, in_raw AND in_view) AS total_health_expected_signal_count_diff
    FROM joined
  )
SELECT
  toUInt64((raw_rows > 0 AND view_rows > 0 AND joined_rows = 0)
           OR raw_only_keys > 0 OR view_only_keys > 0
           OR total_known_diff + total_unexcused_diff + total_swapped_diff + total_last_error_diff
              + total_loading_only_diff + total_zero_output_diff + total_status_error_samples_diff
              + total_health_signal_count_diff + total_health_expected_signal_count_diff > 0) AS failed_rows,
  *
FROM summary;
