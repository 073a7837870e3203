-- session_drilldown.sql — per-session drill-downs of the session explorer (suite `session_drilldown`, 7 QUERY).
--
-- How the report finds it: suite `session_drilldown`, block names below; collect runs every block once
-- per workflow_session_id that scenario_candidates discovered (phase 2, params + sid). Report section:
-- "Session explorer" (one panel per block, keyed by the real workflow_session_id).
--   diagnostics             1 row: latest version, start/end, ids, orchestrator, known/startup flags,
--                           fact swap count vs confirmed swap edges (silver + typed) and orchestrators
--                           seen, segment rows/orchestrators, raw error + params_update events vs fact
--                           counters, number of versions.
--   gpu_observed            1 row: session / segment / param-update GPU and model ids.
--   capability_correlation  capability snapshots of the session's orchestrator within ±24 h of the
--                           session with pipeline_match / model_match / gpu_match flags (≤ 200, newest first).
--   timeline                every trace edge (source 'fact_stream_trace_edges'), raw trace event
--                           ('raw_stream_trace_events') and raw AI stream event ('raw_ai_stream_events')
--                           of the session (±1 h around it), ordered by ts: ts, source, detail, stream_id,
--                           request_id, orchestrator_address, data_timestamp, raw_event_timestamp.
--   audit                   1 row: canonical gold keys the session produced (notebook audit).
--   audit_layers            bronze → typed → silver → lifecycle: one row per layer object with the
--                           session's rows and time bounds (layer, object_name, rows, min_ts, max_ts), in
--                           layer order; the gold rows are hourly_gpu_rows (kept apart: the GPU view is
--                           the most expensive object to read).
--   hourly_gpu_rows         the session's hourly keys (status + latency samples) joined to v_api_gpu_metrics.
-- Params: {sid:String}; diagnostics also {from_ts:DateTime64(3)}/{to_ts:DateTime64(3)} for typed-table counts.
-- Raw/typed rows are matched to the session by (stream_id, request_id) like the notebook: both when both
-- are known, else whichever side is known.
-- An unknown sid returns one all-empty row (diagnostics, gpu_observed, audit) or no rows (the others).

-- QUERY: diagnostics
-- Lifecycle summary of one session: identity, startup flags, swap/error evidence across layers, versions.
WITH
  latest_session AS
  (
    SELECT
      max(version) AS latest_version,
      argMax(session_start_ts, version) AS session_start_ts,
      argMax(session_end_ts, version) AS session_end_ts,
      argMax(stream_id, version) AS stream_id,
      argMax(request_id, version) AS request_id,
      argMax(orchestrator_address, version) AS latest_orchestrator_address,
      argMax(known_stream, version) AS known_stream,
      argMax(startup_success, version) AS startup_success,
      argMax(startup_excused, version) AS startup_excused,
      argMax(startup_unexcused, version) AS startup_unexcused,
      argMax(swap_count, version) AS fact_swap_count,
      argMax(confirmed_swap_count, version) AS fact_confirmed_swap_count,
      argMax(inferred_orchestrator_change_count, version) AS fact_inferred_orchestrator_change_count,
      argMax(error_count, version) AS fact_error_count,
      argMax(excusable_error_count, version) AS fact_excusable_error_count,
      count() AS session_rows_all_versions,
      uniqExactIf(orchestrator_address, orchestrator_address != '') AS session_orchestrators_seen_across_versions
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE workflow_session_id = {sid:String}
  ),
  trace_counts AS
  (
    SELECT
      countIf(trace_type = 'orchestrator_swap') AS explicit_swap_edges,
      uniqExactIf(orchestrator_address, orchestrator_address != '') AS trace_orchestrators_seen
    FROM livepeer_analytics.fact_stream_trace_edges
    WHERE workflow_session_id = {sid:String}
  ),
  typed_trace_counts AS
  (
    SELECT
      countIf(t.trace_type = 'orchestrator_swap') AS typed_explicit_swap_edges,
      uniqExactIf(t.orchestrator_address, t.orchestrator_address != '') AS typed_trace_orchestrators_seen
    FROM livepeer_analytics.stream_trace_events AS t
    INNER JOIN
    (
      SELECT argMax(stream_id, version) AS stream_id, argMax(request_id, version) AS request_id
      FROM livepeer_analytics.fact_workflow_sessions
      WHERE workflow_session_id = {sid:String}
    ) AS k ON 1 = 1
    WHERE t.event_timestamp >= {from_ts:DateTime64(3)} AND t.event_timestamp < {to_ts:DateTime64(3)}
      AND (k.request_id != '' OR k.stream_id != '')
      AND (k.request_id = '' OR t.request_id = k.request_id)
      AND (k.stream_id = '' OR t.stream_id = k.stream_id)
  ),
  ai_counts AS
  (
    SELECT
      countIf(a.event_type = 'error') AS raw_error_events,
      countIf(a.event_type = 'params_update') AS raw_params_update_events
    FROM livepeer_analytics.ai_stream_events AS a
    INNER JOIN
    (
      SELECT argMax(stream_id, version) AS stream_id, argMax(request_id, version) AS request_id
      FROM livepeer_analytics.fact_workflow_sessions
      WHERE workflow_session_id = {sid:String}
    ) AS k ON 1 = 1
    WHERE a.event_timestamp >= {from_ts:DateTime64(3)} AND a.event_timestamp < {to_ts:DateTime64(3)}
      AND (k.request_id != '' OR k.stream_id != '')
      AND (k.request_id = '' OR a.request_id = k.request_id)
      AND (k.stream_id = '' OR a.stream_id = k.stream_id)
  ),
  segment_counts AS
  (
    SELECT count() AS segment_rows, uniqExactIf(orchestrator_address, orchestrator_address != '') AS segment_orchestrators_seen
    FROM livepeer_analytics.fact_workflow_session_segments
    WHERE workflow_session_id = {sid:String}
  ),
  param_fact AS
  (
    SELECT count() AS fact_param_update_rows
    FROM livepeer_analytics.fact_workflow_param_updates
    WHERE workflow_session_id = {sid:String}
  )
SELECT
  {sid:String} AS workflow_session_id,
  l.latest_version AS latest_version,
  l.session_start_ts AS session_start_ts,
  l.session_end_ts AS session_end_ts,
  l.stream_id AS stream_id,
  l.request_id AS request_id,
  l.latest_orchestrator_address AS latest_orchestrator_address,
  l.known_stream AS known_stream,
  l.startup_success AS startup_success,
  l.startup_excused AS startup_excused,
  l.startup_unexcused AS startup_unexcused,
  l.fact_swap_count AS fact_swap_count,
  l.fact_confirmed_swap_count AS fact_confirmed_swap_count,
  l.fact_inferred_orchestrator_change_count AS fact_inferred_orchestrator_change_count,
  t.explicit_swap_edges AS explicit_swap_edges,
  t.trace_orchestrators_seen AS trace_orchestrators_seen,
  tt.typed_explicit_swap_edges AS typed_explicit_swap_edges,
  tt.typed_trace_orchestrators_seen AS typed_trace_orchestrators_seen,
  g.segment_rows AS segment_rows,
  g.segment_orchestrators_seen AS segment_orchestrators_seen,
  a.raw_error_events AS raw_error_events,
  l.fact_error_count AS fact_error_count,
  l.fact_excusable_error_count AS fact_excusable_error_count,
  a.raw_params_update_events AS raw_params_update_events,
  p.fact_param_update_rows AS fact_param_update_rows,
  l.session_rows_all_versions AS session_rows_all_versions,
  l.session_orchestrators_seen_across_versions AS session_orchestrators_seen_across_versions
FROM latest_session AS l
CROSS JOIN trace_counts AS t
CROSS JOIN typed_trace_counts AS tt
CROSS JOIN segment_counts AS g
CROSS JOIN ai_counts AS a
CROSS JOIN param_fact AS p;

-- QUERY: gpu_observed
-- GPU and model ids the session carries in its latest row, its segments and its param updates.
WITH
  latest_session AS
  (
    SELECT
      argMax(stream_id, version) AS stream_id,
      argMax(request_id, version) AS request_id,
      argMax(orchestrator_address, version) AS orchestrator_address,
      argMax(pipeline, version) AS pipeline,
      argMax(model_id, version) AS model_id,
      argMax(gpu_id, version) AS session_gpu_id,
      argMax(gpu_attribution_method, version) AS gpu_attribution_method,
      argMax(session_start_ts, version) AS session_start_ts,
      argMax(session_end_ts, version) AS session_end_ts
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE workflow_session_id = {sid:String}
  ),
  segment_ids AS
  (
    SELECT
      arraySort(groupUniqArrayIf(ifNull(gpu_id, ''), ifNull(gpu_id, '') != '')) AS segment_gpu_ids,
      arraySort(groupUniqArrayIf(ifNull(model_id, ''), ifNull(model_id, '') != '')) AS segment_model_ids
    FROM livepeer_analytics.fact_workflow_session_segments
    WHERE workflow_session_id = {sid:String}
  ),
  param_ids AS
  (
    SELECT
      arraySort(groupUniqArrayIf(ifNull(gpu_id, ''), ifNull(gpu_id, '') != '')) AS param_update_gpu_ids,
      arraySort(groupUniqArrayIf(ifNull(model_id, ''), ifNull(model_id, '') != '')) AS param_update_model_ids
    FROM livepeer_analytics.fact_workflow_param_updates
    WHERE workflow_session_id = {sid:String}
  )
SELECT
  {sid:String} AS workflow_session_id,
  l.stream_id AS stream_id,
  l.request_id AS request_id,
  l.orchestrator_address AS orchestrator_address,
  l.pipeline AS pipeline,
  l.model_id AS model_id,
  l.session_gpu_id AS session_gpu_id,
  l.gpu_attribution_method AS gpu_attribution_method,
  g.segment_gpu_ids AS segment_gpu_ids,
  p.param_update_gpu_ids AS param_update_gpu_ids,
  g.segment_model_ids AS segment_model_ids,
  p.param_update_model_ids AS param_update_model_ids,
  l.session_start_ts AS session_start_ts,
  l.session_end_ts AS session_end_ts
FROM latest_session AS l
CROSS JOIN segment_ids AS g
CROSS JOIN param_ids AS p;

-- QUERY: capability_correlation
-- Capability snapshots of the session's orchestrator within ±24 h, flagged for pipeline/model/GPU match.
WITH
  session_context AS
  (
    SELECT
      s.orchestrator_address AS orchestrator_address,
      s.pipeline AS pipeline,
      s.model_id AS model_id,
      s.session_start_ts AS session_start_ts,
      s.session_end_ts AS session_end_ts,
      o.observed_gpu_ids AS observed_gpu_ids,
      o.observed_model_ids AS observed_model_ids
    FROM
    (
      SELECT
        lower(argMax(orchestrator_address, version)) AS orchestrator_address,
        argMax(pipeline, version) AS pipeline,
        ifNull(argMax(model_id, version), '') AS model_id,
        argMax(session_start_ts, version) AS session_start_ts,
        argMax(session_end_ts, version) AS session_end_ts,
        count() AS version_rows
      FROM livepeer_analytics.fact_workflow_sessions
      WHERE workflow_session_id = {sid:String}
    ) AS s
    CROSS JOIN
    (
      SELECT
        groupUniqArrayIf(ifNull(gpu_id, ''), ifNull(gpu_id, '') != '') AS observed_gpu_ids,
        groupUniqArrayIf(ifNull(model_id, ''), ifNull(model_id, '') != '') AS observed_model_ids
      FROM livepeer_analytics.fact_workflow_session_segments
      WHERE workflow_session_id = {sid:String}
    ) AS o
    WHERE s.version_rows > 0 AND s.orchestrator_address != ''
  ),
  matched AS
  (
    SELECT
      d.snapshot_ts AS snapshot_ts,
      d.orchestrator_address AS orchestrator_address,
      d.orchestrator_proxy_address AS orchestrator_proxy_address,
      d.pipeline AS pipeline,
      d.model_id AS model_id,
      d.gpu_id AS gpu_id,
      d.gpu_name AS gpu_name,
      d.runner_version AS runner_version,
      d.region AS region,
      toUInt8(d.pipeline = c.pipeline) AS pipeline_match,
      toUInt8(d.model_id = c.model_id OR has(c.observed_model_ids, d.model_id)) AS model_match,
      toUInt8(has(c.observed_gpu_ids, ifNull(d.gpu_id, ''))) AS gpu_match
    FROM livepeer_analytics.dim_orchestrator_capability_snapshots AS d
    INNER JOIN session_context AS c ON d.orchestrator_address = c.orchestrator_address
    WHERE d.snapshot_ts >= c.session_start_ts - INTERVAL 24 HOUR
      AND d.snapshot_ts <= ifNull(c.session_end_ts, c.session_start_ts) + INTERVAL 24 HOUR
  )
SELECT *
FROM matched
WHERE pipeline_match = 1 OR model_match = 1 OR gpu_match = 1
ORDER BY snapshot_ts DESC, pipeline, model_id, gpu_id
LIMIT 200;

-- QUERY: timeline
-- Trace edges, raw trace events and raw AI stream events of the session (±1 h), in time order.
WITH
  session_keys AS
  (
    SELECT
      argMax(stream_id, version) AS stream_id,
      argMax(request_id, version) AS request_id,
      argMax(session_start_ts, version) - INTERVAL 1 HOUR AS from_ts,
      ifNull(argMax(session_end_ts, version), argMax(session_start_ts, version)) + INTERVAL 1 HOUR AS to_ts,
      count() AS version_rows
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE workflow_session_id = {sid:String}
  ),
  silver_edges AS
  (
    SELECT
      edge_ts AS ts,
      'fact_stream_trace_edges' AS source,
      toString(trace_type) AS detail,
      stream_id,
      request_id,
      orchestrator_address,
      CAST(edge_ts AS Nullable(DateTime64(3, 'UTC'))) AS data_timestamp,
      CAST(NULL AS Nullable(DateTime64(3, 'UTC'))) AS raw_event_timestamp
    FROM livepeer_analytics.fact_stream_trace_edges
    WHERE workflow_session_id = {sid:String}
  ),
  raw_events AS
  (
    SELECT
      r.ts AS ts, r.source AS source, r.detail AS detail, r.stream_id AS stream_id, r.request_id AS request_id,
      r.orchestrator_address AS orchestrator_address, r.data_timestamp AS data_timestamp,
      r.raw_event_timestamp AS raw_event_timestamp
    FROM
    (
      SELECT
        data_timestamp AS ts,
        'raw_stream_trace_events' AS source,
        toString(trace_type) AS detail,
        stream_id,
        request_id,
        orchestrator_address,
        CAST(data_timestamp AS Nullable(DateTime64(3, 'UTC'))) AS data_timestamp,
        CAST(event_timestamp AS Nullable(DateTime64(3, 'UTC'))) AS raw_event_timestamp,
        event_timestamp
      FROM livepeer_analytics.stream_trace_events
      UNION ALL
      SELECT
        event_timestamp AS ts,
        'raw_ai_stream_events' AS source,
        toString(event_type) AS detail,
        stream_id,
        request_id,
        '' AS orchestrator_address,
        CAST(NULL AS Nullable(DateTime64(3, 'UTC'))) AS data_timestamp,
        CAST(event_timestamp AS Nullable(DateTime64(3, 'UTC'))) AS raw_event_timestamp,
        event_timestamp
      FROM livepeer_analytics.ai_stream_events
    ) AS r
    INNER JOIN session_keys AS k ON 1 = 1
    WHERE k.version_rows > 0
      AND (k.request_id != '' OR k.stream_id != '')
      AND (k.request_id = '' OR r.request_id = k.request_id)
      AND (k.stream_id = '' OR r.stream_id = k.stream_id)
      AND r.event_timestamp >= k.from_ts AND r.event_timestamp < k.to_ts
  )
SELECT ts, source, detail, stream_id, request_id, orchestrator_address, data_timestamp, raw_event_timestamp
FROM
(
  SELECT * FROM silver_edges
  UNION ALL
  SELECT * FROM raw_events
)
ORDER BY ts, source, detail;

-- QUERY: audit
-- Canonical gold keys the session produced (latest version): ids, orchestrator, pipeline, model, GPU, bounds.
SELECT
  {sid:String} AS workflow_session_id,
  argMax(fs.stream_id, fs.version) AS stream_id,
  argMax(fs.request_id, fs.version) AS request_id,
  argMax(fs.orchestrator_address, fs.version) AS orchestrator_address,
  argMax(fs.pipeline, fs.version) AS pipeline,
  argMax(fs.model_id, fs.version) AS model_id,
  argMax(fs.gpu_id, fs.version) AS gpu_id,
  argMax(fs.region, fs.version) AS region,
  argMax(fs.session_start_ts, fs.version) AS session_start_ts,
  argMax(fs.session_end_ts, fs.version) AS session_end_ts
FROM livepeer_analytics.fact_workflow_sessions AS fs
WHERE fs.workflow_session_id = {sid:String};

-- QUERY: audit_layers
-- Bronze → typed → silver → lifecycle row counts and time bounds of the session, one row per layer object.
WITH
  session_keys AS
  (
    SELECT
      argMax(stream_id, version) AS stream_id,
      argMax(request_id, version) AS request_id,
      argMax(session_start_ts, version) - INTERVAL 1 HOUR AS from_ts,
      ifNull(argMax(session_end_ts, version), argMax(session_start_ts, version)) + INTERVAL 1 HOUR AS to_ts,
      count() AS version_rows
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE workflow_session_id = {sid:String}
  ),
  bronze_typed AS
  (
    SELECT layer_rank, layer, object_name, ts
    FROM
    (
      SELECT 1 AS layer_rank, 'bronze' AS layer, 'streaming_events' AS object_name, event_timestamp AS ts,
             JSONExtractString(data, 'stream_id') AS stream_id, JSONExtractString(data, 'request_id') AS request_id
      FROM livepeer_analytics.streaming_events
      WHERE type IN ('ai_stream_status', 'stream_trace', 'ai_stream_events', 'stream_ingest_metrics')
      UNION ALL
      SELECT 2, 'typed', 'ai_stream_status', event_timestamp, stream_id, request_id
      FROM livepeer_analytics.ai_stream_status
      UNION ALL
      SELECT 2, 'typed', 'stream_trace_events', event_timestamp, stream_id, request_id
      FROM livepeer_analytics.stream_trace_events
      UNION ALL
      SELECT 2, 'typed', 'ai_stream_events', event_timestamp, stream_id, request_id
      FROM livepeer_analytics.ai_stream_events
      UNION ALL
      SELECT 2, 'typed', 'stream_ingest_metrics', event_timestamp, stream_id, request_id
      FROM livepeer_analytics.stream_ingest_metrics
    ) AS r
    INNER JOIN session_keys AS k ON 1 = 1
    WHERE k.version_rows > 0
      AND (k.request_id != '' OR k.stream_id != '')
      AND (k.request_id = '' OR r.request_id = k.request_id)
      AND (k.stream_id = '' OR r.stream_id = k.stream_id)
      AND r.ts >= k.from_ts AND r.ts < k.to_ts
  ),
  silver AS
  (
    SELECT 3 AS layer_rank, 'silver' AS layer, 'fact_stream_status_samples' AS object_name, sample_ts AS ts
    FROM livepeer_analytics.fact_stream_status_samples WHERE workflow_session_id = {sid:String}
    UNION ALL
    SELECT 3, 'silver', 'fact_stream_trace_edges', edge_ts
    FROM livepeer_analytics.fact_stream_trace_edges WHERE workflow_session_id = {sid:String}
    UNION ALL
    SELECT 3, 'silver', 'fact_stream_ingest_samples', sample_ts
    FROM livepeer_analytics.fact_stream_ingest_samples WHERE workflow_session_id = {sid:String}
    UNION ALL
    SELECT 4, 'lifecycle', 'fact_workflow_sessions', session_start_ts
    FROM livepeer_analytics.fact_workflow_sessions WHERE workflow_session_id = {sid:String}
    UNION ALL
    SELECT 4, 'lifecycle', 'fact_workflow_session_segments', segment_start_ts
    FROM livepeer_analytics.fact_workflow_session_segments WHERE workflow_session_id = {sid:String}
    UNION ALL
    SELECT 4, 'lifecycle', 'fact_workflow_latency_samples', sample_ts
    FROM livepeer_analytics.fact_workflow_latency_samples WHERE workflow_session_id = {sid:String}
    UNION ALL
    SELECT 4, 'lifecycle', 'fact_workflow_param_updates', update_ts
    FROM livepeer_analytics.fact_workflow_param_updates WHERE workflow_session_id = {sid:String}
  ),
  all_layers AS
  (
    SELECT * FROM bronze_typed
    UNION ALL
    SELECT * FROM silver
  )
SELECT layer, object_name, count() AS rows, min(ts) AS min_ts, max(ts) AS max_ts
FROM all_layers
GROUP BY layer_rank, layer, object_name
ORDER BY layer_rank, object_name;

-- QUERY: hourly_gpu_rows
-- The session's hourly (orchestrator, pipeline, model, GPU) keys from status/latency samples joined to v_api_gpu_metrics.
WITH
  session_hour_keys AS
  (
    SELECT DISTINCT
      toDateTime64(toStartOfHour(sample_ts), 3, 'UTC') AS window_start,
      orchestrator_address,
      pipeline,
      ifNull(model_id, '') AS model_id,
      ifNull(gpu_id, '') AS gpu_id
    FROM
    (
      SELECT sample_ts, orchestrator_address, pipeline, model_id, gpu_id
      FROM livepeer_analytics.fact_stream_status_samples
      WHERE workflow_session_id = {sid:String}
      UNION ALL
      SELECT sample_ts, orchestrator_address, pipeline, model_id, gpu_id
      FROM livepeer_analytics.fact_workflow_latency_samples
      WHERE workflow_session_id = {sid:String}
    )
  ),
  gpu_rows AS
  (
    SELECT
      toDateTime64(window_start, 3, 'UTC') AS window_start,
      orchestrator_address,
      pipeline,
      ifNull(model_id, '') AS model_id,
      ifNull(gpu_id, '') AS gpu_id,
      status_samples,
      avg_output_fps,
      prompt_to_first_frame_ms,
      startup_time_ms,
      e2e_latency_ms,
      known_sessions,
      toUInt8(1) AS in_view
    FROM livepeer_analytics.v_api_gpu_metrics
  )
SELECT
  k.window_start AS window_start,
  nullIf(k.orchestrator_address, '') AS orchestrator_address,
  nullIf(k.pipeline, '') AS pipeline,
  nullIf(k.model_id, '') AS model_id,
  nullIf(k.gpu_id, '') AS gpu_id,
  g.in_view AS in_gpu_view,
  if(g.in_view = 1, g.status_samples, NULL) AS status_samples,
  if(g.in_view = 1, g.avg_output_fps, NULL) AS avg_output_fps,
  g.prompt_to_first_frame_ms AS prompt_to_first_frame_ms,
  g.startup_time_ms AS startup_time_ms,
  g.e2e_latency_ms AS e2e_latency_ms,
  if(g.in_view = 1, g.known_sessions, NULL) AS known_sessions
FROM session_hour_keys AS k
LEFT JOIN gpu_rows AS g
  ON g.window_start = k.window_start AND g.orchestrator_address = k.orchestrator_address
 AND g.pipeline = k.pipeline AND g.model_id = k.model_id AND g.gpu_id = k.gpu_id
ORDER BY window_start, orchestrator_address, pipeline, model_id, gpu_id;
