-- notebook_coverage_profile.sql — telemetry completeness profile (suite `notebook_coverage_profile`).
--
-- How the report finds it: suite `notebook_coverage_profile`; rendered under "Drill-downs → Contract
-- coverage profile".
--   coverage_profile        one row per serving view (v_api_gpu_metrics, v_api_network_demand,
--                           v_api_sla_compliance), ordered by object_name: rows_window,
--                           empty_pipeline_rows, empty_gpu_rows, zero_status_sample_rows,
--                           empty_gateway_rows (NULL where the view has no such column).
--   hourly_status_sparsity  status samples per hour (newest first): window_start, status_rows,
--                           fps_positive_rows, fps_zero_rows, empty_gateway_rows (chart + table).
-- Params: {from_ts:DateTime64(3)}, {to_ts:DateTime64(3)} (views on window_start, samples on sample_ts).

-- QUERY: coverage_profile
-- Empty pipeline / GPU / gateway and zero-sample rows in the serving views.
SELECT object_name, rows_window, empty_pipeline_rows, empty_gpu_rows, zero_status_sample_rows, empty_gateway_rows
FROM
(
  SELECT
    'v_api_gpu_metrics' AS object_name,
    count() AS rows_window,
    countIf(pipeline = '') AS empty_pipeline_rows,
    CAST(countIf(ifNull(gpu_id, '') = ''), 'Nullable(UInt64)') AS empty_gpu_rows,
    CAST(countIf(status_samples = 0), 'Nullable(UInt64)') AS zero_status_sample_rows,
    CAST(NULL, 'Nullable(UInt64)') AS empty_gateway_rows
  FROM livepeer_analytics.v_api_gpu_metrics
  WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT
    'v_api_network_demand',
    count(),
    countIf(pipeline = ''),
    CAST(NULL, 'Nullable(UInt64)'),
    CAST(NULL, 'Nullable(UInt64)'),
    CAST(countIf(gateway = ''), 'Nullable(UInt64)')
  FROM livepeer_analytics.v_api_network_demand
  WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
  UNION ALL
  SELECT
    'v_api_sla_compliance',
    count(),
    countIf(pipeline = ''),
    CAST(countIf(ifNull(gpu_id, '') = ''), 'Nullable(UInt64)'),
    CAST(NULL, 'Nullable(UInt64)'),
    CAST(NULL, 'Nullable(UInt64)')
  FROM livepeer_analytics.v_api_sla_compliance
  WHERE window_start >= {from_ts:DateTime64(3)} AND window_start < {to_ts:DateTime64(3)}
)
ORDER BY object_name;

-- QUERY: hourly_status_sparsity
-- Status samples per hour: total, fps-positive, fps-zero and empty-gateway rows.
SELECT
  toDateTime64(toStartOfHour(sample_ts), 3, 'UTC') AS window_start,
  count() AS status_rows,
  countIf(output_fps > 0) AS fps_positive_rows,
  countIf(output_fps = 0) AS fps_zero_rows,
  countIf(gateway = '') AS empty_gateway_rows
FROM livepeer_analytics.fact_stream_status_samples
WHERE sample_ts >= {from_ts:DateTime64(3)} AND sample_ts < {to_ts:DateTime64(3)}
GROUP BY window_start
ORDER BY window_start DESC;
