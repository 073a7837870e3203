-- session_drilldown.sql — per-session drill-downs of the session explorer (suite `session_drilldown`, 7 QUERY).
--
-- How the report finds it: suite `session_drilldown`, block names below. Every block is BATCHED: collect
-- runs it once (phase 2) with {sids:Array(String)} = every workflow_session_id scenario_candidates
-- discovered, and splits the rows per session on the first column `workflow_session_id`
-- (reportgen.collect.split_by_session). Report section: "Session explorer" (one panel per block, keyed by
-- the real workflow_session_id). Per session, the rows are exactly those of the former one-query-per-sid
-- form (tests/fixtures_sql/session_drilldown_per_sid.sql; equivalence: tests/test_session_drilldown_batched.py),
-- each prefixed by workflow_session_id; rows are ordered by workflow_session_id, then the order given below.
--   diagnostics             1 row per requested sid: latest version, start/end, ids, orchestrator,
--                           known/startup flags, fact swap count vs confirmed swap edges (silver + typed)
--                           and orchestrators seen, segment rows/orchestrators, raw error + params_update
--                           events vs fact counters, number of versions.
--   gpu_observed            1 row per requested sid: session / segment / param-update GPU and model ids.
--   capability_correlation  capability snapshots of the session's orchestrator within ±24 h of the
--                           session with pipeline_match / model_match / gpu_match flags (≤ 200 per session,
--                           newest first).
--   timeline                every trace edge (source 'fact_stream_trace_edges'), raw trace event
--                           ('raw_stream_trace_events') and raw AI stream event ('raw_ai_stream_events')
--                           of the session (±1 h around it), ordered by ts: workflow_session_id, ts, source,
--                           detail, stream_id, request_id, orchestrator_address, data_timestamp,
--                           raw_event_timestamp.
--   audit                   1 row per requested sid: canonical gold keys the session produced (notebook audit).
--   audit_layers            bronze → typed → silver → lifecycle: one row per (session, layer object) with
--                           the session's rows and time bounds (workflow_session_id, layer, object_name,
--                           rows, min_ts, max_ts), in layer order; the gold rows are hourly_gpu_rows (kept
--                           apart: the GPU view is the most expensive object to read).
--   hourly_gpu_rows         the session's hourly keys (status + latency samples) joined to v_api_gpu_metrics
--                           (the view is read once for all sessions).
-- Params: {sids:Array(String)}; diagnostics also {from_ts:DateTime64(3)}/{to_ts:DateTime64(3)} for
-- typed-table counts.
-- Raw/typed rows are matched to the session by (stream_id, request_id) like the notebook: both when both
-- are known, else whichever side is known. Batched, this is one equi-join: each raw row offers the keys
-- (stream_id, request_id), ('', request_id) and (stream_id, '') and meets the session whose latest
-- (stream_id, request_id) — '' where unknown — equals one of them (sessions with neither key match nothing).
-- An unknown sid yields one all-empty row (diagnostics, gpu_observed, audit) or no rows (the others).
-- Table columns are always qualified: an output alias `workflow_session_id` would otherwise shadow the
-- column of the same name in WHERE/JOIN.

-- QUERY: diagnostics
-- Lifecycle summary of each session: identity, startup flags, swap/error evidence across layers, versions.
WITH
  requested AS
  (
    SELECT arrayJoin(arrayDistinct({sids:Array(String)})) AS sid
  ),
  latest_session AS
  (
    SELECT
      fs.workflow_session_id AS sid,
      max(fs.version) AS latest_version,
      argMax(fs.session_start_ts, fs.version) AS session_start_ts,
      argMax(fs.session_end_ts, fs.version) AS session_end_ts,
      argMax(fs.stream_id, fs.version) AS stream_id,
      argMax(fs.request_id, fs.version) AS request_id,
      argMax(fs.orchestrator_address, fs.version) AS latest_orchestrator_address,
      argMax(fs.known_stream, fs.version) AS known_stream,
      argMax(fs.startup_success, fs.version) AS startup_success,
      argMax(fs.startup_excused, fs.version) AS startup_excused,
      argMax(fs.startup_unexcused, fs.version) AS startup_unexcused,
      argMax(fs.swap_count, fs.version) AS fact_swap_count,
      argMax(fs.confirmed_swap_count, fs.version) AS fact_confirmed_swap_count,
      argMax(fs.inferred_orchestrator_change_count, fs.version) AS fact_inferred_orchestrator_change_count,
      argMax(fs.error_count, fs.version) AS fact_error_count,
      argMax(fs.excusable_error_count, fs.version) AS fact_excusable_error_count,
      count() AS session_rows_all_versions,
      uniqExactIf(fs.orchestrator_address, fs.orchestrator_address != '') AS session_orchestrators_seen_across_versions
    FROM livepeer_analytics.fact_workflow_sessions AS fs
    WHERE has({sids:Array(String)}, fs.workflow_session_id)
    GROUP BY fs.workflow_session_id
  ),
  trace_counts AS
  (
    SELECT
      e.workflow_session_id AS sid,
      countIf(e.trace_type = 'orchestrator_swap') AS explicit_swap_edges,
      uniqExactIf(e.orchestrator_address, e.orchestrator_address != '') AS trace_orchestrators_seen
    FROM livepeer_analytics.fact_stream_trace_edges AS e
    WHERE has({sids:Array(String)}, e.workflow_session_id)
    GROUP BY e.workflow_session_id
  ),
  session_keys AS
  (
    SELECT
      fs.workflow_session_id AS sid,
      argMax(fs.stream_id, fs.version) AS key_stream,
      argMax(fs.request_id, fs.version) AS key_request
    FROM livepeer_analytics.fact_workflow_sessions AS fs
    WHERE has({sids:Array(String)}, fs.workflow_session_id)
    GROUP BY fs.workflow_session_id
    HAVING key_stream != '' OR key_request != ''
  ),
  typed_counts AS
  (
    -- typed stream_trace_events + ai_stream_events in the window, matched to the sessions in one join
    SELECT
      k.sid AS sid,
      countIf(r.kind = 'trace' AND r.detail = 'orchestrator_swap') AS typed_explicit_swap_edges,
      uniqExactIf(r.orchestrator_address, r.kind = 'trace' AND r.orchestrator_address != '') AS typed_trace_orchestrators_seen,
      countIf(r.kind = 'ai' AND r.detail = 'error') AS raw_error_events,
      countIf(r.kind = 'ai' AND r.detail = 'params_update') AS raw_params_update_events
    FROM
    (
      SELECT u.kind AS kind, u.detail AS detail, u.orchestrator_address AS orchestrator_address,
             arrayJoin(arrayDistinct([(u.stream_id, u.request_id), ('', u.request_id), (u.stream_id, '')])) AS match_key,
             match_key.1 AS match_stream, match_key.2 AS match_request
      FROM
      (
        SELECT 'trace' AS kind, toString(t.trace_type) AS detail, t.orchestrator_address AS orchestrator_address,
               t.stream_id AS stream_id, t.request_id AS request_id
        FROM livepeer_analytics.stream_trace_events AS t
        WHERE t.event_timestamp >= {from_ts:DateTime64(3)} AND t.event_timestamp < {to_ts:DateTime64(3)}
        UNION ALL
        SELECT 'ai', toString(a.event_type), '', a.stream_id, a.request_id
        FROM livepeer_analytics.ai_stream_events AS a
        WHERE a.event_timestamp >= {from_ts:DateTime64(3)} AND a.event_timestamp < {to_ts:DateTime64(3)}
      ) AS u
    ) AS r
    INNER JOIN session_keys AS k ON k.key_stream = r.match_stream AND k.key_request = r.match_request
    GROUP BY k.sid
  ),
  segment_counts AS
  (
    SELECT
      g.workflow_session_id AS sid,
      count() AS segment_rows,
      uniqExactIf(g.orchestrator_address, g.orchestrator_address != '') AS segment_orchestrators_seen
    FROM livepeer_analytics.fact_workflow_session_segments AS g
    WHERE has({sids:Array(String)}, g.workflow_session_id)
    GROUP BY g.workflow_session_id
  ),
  param_fact AS
  (
    SELECT p.workflow_session_id AS sid, count() AS fact_param_update_rows
    FROM livepeer_analytics.fact_workflow_param_updates AS p
    WHERE has({sids:Array(String)}, p.workflow_session_id)
    GROUP BY p.workflow_session_id
  )
SELECT
  q.sid AS workflow_session_id,
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
  tc.typed_explicit_swap_edges AS typed_explicit_swap_edges,
  tc.typed_trace_orchestrators_seen AS typed_trace_orchestrators_seen,
  g.segment_rows AS segment_rows,
  g.segment_orchestrators_seen AS segment_orchestrators_seen,
  tc.raw_error_events AS raw_error_events,
  l.fact_error_count AS fact_error_count,
  l.fact_excusable_error_count AS fact_excusable_error_count,
  tc.raw_params_update_events AS raw_params_update_events,
  p.fact_param_update_rows AS fact_param_update_rows,
  l.session_rows_all_versions AS session_rows_all_versions,
  l.session_orchestrators_seen_across_versions AS session_orchestrators_seen_across_versions
FROM requested AS q
LEFT JOIN latest_session AS l ON l.sid = q.sid
LEFT JOIN trace_counts AS t ON t.sid = q.sid
LEFT JOIN typed_counts AS tc ON tc.sid = q.sid
LEFT JOIN segment_counts AS g ON g.sid = q.sid
LEFT JOIN param_fact AS p ON p.sid = q.sid
ORDER BY workflow_session_id;

-- QUERY: gpu_observed
-- GPU and model ids each session carries in its latest row, its segments and its param updates.
WITH
  requested AS
  (
    SELECT arrayJoin(arrayDistinct({sids:Array(String)})) AS sid
  ),
  latest_session AS
  (
    SELECT
      fs.workflow_session_id AS sid,
      argMax(fs.stream_id, fs.version) AS stream_id,
      argMax(fs.request_id, fs.version) AS request_id,
      argMax(fs.orchestrator_address, fs.version) AS orchestrator_address,
      argMax(fs.pipeline, fs.version) AS pipeline,
      argMax(fs.model_id, fs.version) AS model_id,
      argMax(fs.gpu_id, fs.version) AS session_gpu_id,
      argMax(fs.gpu_attribution_method, fs.version) AS gpu_attribution_method,
      argMax(fs.session_start_ts, fs.version) AS session_start_ts,
      argMax(fs.session_end_ts, fs.version) AS session_end_ts
    FROM livepeer_analytics.fact_workflow_sessions AS fs
    WHERE has({sids:Array(String)}, fs.workflow_session_id)
    GROUP BY fs.workflow_session_id
  ),
  segment_ids AS
  (
    SELECT
      g.workflow_session_id AS sid,
      arraySort(groupUniqArrayIf(ifNull(g.gpu_id, ''), ifNull(g.gpu_id, '') != '')) AS segment_gpu_ids,
      arraySort(groupUniqArrayIf(ifNull(g.model_id, ''), ifNull(g.model_id, '') != '')) AS segment_model_ids
    FROM livepeer_analytics.fact_workflow_session_segments AS g
    WHERE has({sids:Array(String)}, g.workflow_session_id)
    GROUP BY g.workflow_session_id
  ),
  param_ids AS
  (
    SELECT
      p.workflow_session_id AS sid,
      arraySort(groupUniqArrayIf(ifNull(p.gpu_id, ''), ifNull(p.gpu_id, '') != '')) AS param_update_gpu_ids,
      arraySort(groupUniqArrayIf(ifNull(p.model_id, ''), ifNull(p.model_id, '') != '')) AS param_update_model_ids
    FROM livepeer_analytics.fact_workflow_param_updates AS p
    WHERE has({sids:Array(String)}, p.workflow_session_id)
    GROUP BY p.workflow_session_id
  )
SELECT
  q.sid AS workflow_session_id,
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
FROM requested AS q
LEFT JOIN latest_session AS l ON l.sid = q.sid
LEFT JOIN segment_ids AS g ON g.sid = q.sid
LEFT JOIN param_ids AS p ON p.sid = q.sid
ORDER BY workflow_session_id;

-- QUERY: capability_correlation
-- Capability snapshots of each session's orchestrator within ±24 h, flagged for pipeline/model/GPU match.
WITH
  session_context AS
  (
    SELECT
      s.sid AS sid,
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
        fs.workflow_session_id AS sid,
        lower(argMax(fs.orchestrator_address, fs.version)) AS orchestrator_address,
        argMax(fs.pipeline, fs.version) AS pipeline,
        ifNull(argMax(fs.model_id, fs.version), '') AS model_id,
        argMax(fs.session_start_ts, fs.version) AS session_start_ts,
        argMax(fs.session_end_ts, fs.version) AS session_end_ts
      FROM livepeer_analytics.fact_workflow_sessions AS fs
      WHERE has({sids:Array(String)}, fs.workflow_session_id)
      GROUP BY fs.workflow_session_id
    ) AS s
    LEFT JOIN
    (
      SELECT
        g.workflow_session_id AS sid,
        groupUniqArrayIf(ifNull(g.gpu_id, ''), ifNull(g.gpu_id, '') != '') AS observed_gpu_ids,
        groupUniqArrayIf(ifNull(g.model_id, ''), ifNull(g.model_id, '') != '') AS observed_model_ids
      FROM livepeer_analytics.fact_workflow_session_segments AS g
      WHERE has({sids:Array(String)}, g.workflow_session_id)
      GROUP BY g.workflow_session_id
    ) AS o ON o.sid = s.sid
    WHERE s.orchestrator_address != ''
  ),
  matched AS
  (
    SELECT
      c.sid AS sid,
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
SELECT
  m.sid AS workflow_session_id,
  m.snapshot_ts AS snapshot_ts,
  m.orchestrator_address AS orchestrator_address,
  m.orchestrator_proxy_address AS orchestrator_proxy_address,
  m.pipeline AS pipeline,
  m.model_id AS model_id,
  m.gpu_id AS gpu_id,
  m.gpu_name AS gpu_name,
  m.runner_version AS runner_version,
  m.region AS region,
  m.pipeline_match AS pipeline_match,
  m.model_match AS model_match,
  m.gpu_match AS gpu_match
FROM matched AS m
WHERE m.pipeline_match = 1 OR m.model_match = 1 OR m.gpu_match = 1
ORDER BY workflow_session_id, snapshot_ts DESC, pipeline, model_id, gpu_id, gpu_name, runner_version, region,
         orchestrator_proxy_address
LIMIT 200 BY workflow_session_id;

-- QUERY: timeline
-- Trace edges, raw trace events and raw AI stream events of each session (±1 h), in time order.
WITH
  session_keys AS
  (
    SELECT
      fs.workflow_session_id AS sid,
      argMax(fs.stream_id, fs.version) AS key_stream,
      argMax(fs.request_id, fs.version) AS key_request,
      argMax(fs.session_start_ts, fs.version) - INTERVAL 1 HOUR AS from_ts,
      ifNull(argMax(fs.session_end_ts, fs.version), argMax(fs.session_start_ts, fs.version)) + INTERVAL 1 HOUR AS to_ts
    FROM livepeer_analytics.fact_workflow_sessions AS fs
    WHERE has({sids:Array(String)}, fs.workflow_session_id)
    GROUP BY fs.workflow_session_id
    HAVING key_stream != '' OR key_request != ''
  ),
  silver_edges AS
  (
    SELECT
      e.workflow_session_id AS sid,
      e.edge_ts AS ts,
      'fact_stream_trace_edges' AS source,
      toString(e.trace_type) AS detail,
      e.stream_id AS stream_id,
      e.request_id AS request_id,
      e.orchestrator_address AS orchestrator_address,
      CAST(e.edge_ts AS Nullable(DateTime64(3, 'UTC'))) AS data_timestamp,
      CAST(NULL AS Nullable(DateTime64(3, 'UTC'))) AS raw_event_timestamp
    FROM livepeer_analytics.fact_stream_trace_edges AS e
    WHERE has({sids:Array(String)}, e.workflow_session_id)
  ),
  raw_events AS
  (
    SELECT
      k.sid AS sid, r.ts AS ts, r.source AS source, r.detail AS detail, r.stream_id AS stream_id,
      r.request_id AS request_id, r.orchestrator_address AS orchestrator_address,
      r.data_timestamp AS data_timestamp, r.raw_event_timestamp AS raw_event_timestamp
    FROM
    (
      SELECT u.*,
             arrayJoin(arrayDistinct([(u.stream_id, u.request_id), ('', u.request_id), (u.stream_id, '')])) AS match_key,
             match_key.1 AS match_stream, match_key.2 AS match_request
      FROM
      (
        SELECT
          -- Nullable like the per-sid form, whose `data_timestamp AS ts` bound to the Nullable alias below
          CAST(t.data_timestamp AS Nullable(DateTime64(3, 'UTC'))) AS ts,
          'raw_stream_trace_events' AS source,
          toString(t.trace_type) AS detail,
          t.stream_id AS stream_id,
          t.request_id AS request_id,
          t.orchestrator_address AS orchestrator_address,
          CAST(t.data_timestamp AS Nullable(DateTime64(3, 'UTC'))) AS data_timestamp,
          CAST(t.event_timestamp AS Nullable(DateTime64(3, 'UTC'))) AS raw_event_timestamp,
          t.event_timestamp AS event_timestamp
        FROM livepeer_analytics.stream_trace_events AS t
        UNION ALL
        SELECT
          a.event_timestamp AS ts,
          'raw_ai_stream_events' AS source,
          toString(a.event_type) AS detail,
          a.stream_id AS stream_id,
          a.request_id AS request_id,
          '' AS orchestrator_address,
          CAST(NULL AS Nullable(DateTime64(3, 'UTC'))) AS data_timestamp,
          CAST(a.event_timestamp AS Nullable(DateTime64(3, 'UTC'))) AS raw_event_timestamp,
          a.event_timestamp AS event_timestamp
        FROM livepeer_analytics.ai_stream_events AS a
      ) AS u
    ) AS r
    INNER JOIN session_keys AS k ON k.key_stream = r.match_stream AND k.key_request = r.match_request
    WHERE r.event_timestamp >= k.from_ts AND r.event_timestamp < k.to_ts
  )
SELECT
  x.sid AS workflow_session_id, x.ts AS ts, x.source AS source, x.detail AS detail, x.stream_id AS stream_id,
  x.request_id AS request_id, x.orchestrator_address AS orchestrator_address, x.data_timestamp AS data_timestamp,
  x.raw_event_timestamp AS raw_event_timestamp
FROM
(
  SELECT * FROM silver_edges
  UNION ALL
  SELECT * FROM raw_events
) AS x
ORDER BY workflow_session_id, ts, source, detail, stream_id, request_id, orchestrator_address, data_timestamp,
         raw_event_timestamp;

-- QUERY: audit
-- Canonical gold keys each session produced (latest version): ids, orchestrator, pipeline, model, GPU, bounds.
WITH
  requested AS
  (
    SELECT arrayJoin(arrayDistinct({sids:Array(String)})) AS sid
  ),
  latest_session AS
  (
    SELECT
      fs.workflow_session_id AS sid,
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
    WHERE has({sids:Array(String)}, fs.workflow_session_id)
    GROUP BY fs.workflow_session_id
  )
SELECT
  q.sid AS workflow_session_id,
  l.stream_id AS stream_id,
  l.request_id AS request_id,
  l.orchestrator_address AS orchestrator_address,
  l.pipeline AS pipeline,
  l.model_id AS model_id,
  l.gpu_id AS gpu_id,
  l.region AS region,
  l.session_start_ts AS session_start_ts,
  l.session_end_ts AS session_end_ts
FROM requested AS q
LEFT JOIN latest_session AS l ON l.sid = q.sid
ORDER BY workflow_session_id;

-- QUERY: audit_layers
-- Bronze → typed → silver → lifecycle row counts and time bounds per session, one row per layer object.
WITH
  session_keys AS
  (
    SELECT
      fs.workflow_session_id AS sid,
      argMax(fs.stream_id, fs.version) AS key_stream,
      argMax(fs.request_id, fs.version) AS key_request,
      argMax(fs.session_start_ts, fs.version) - INTERVAL 1 HOUR AS from_ts,
      ifNull(argMax(fs.session_end_ts, fs.version), argMax(fs.session_start_ts, fs.version)) + INTERVAL 1 HOUR AS to_ts
    FROM livepeer_analytics.fact_workflow_sessions AS fs
    WHERE has({sids:Array(String)}, fs.workflow_session_id)
    GROUP BY fs.workflow_session_id
    HAVING key_stream != '' OR key_request != ''
  ),
  bronze_typed AS
  (
    SELECT k.sid AS sid, r.layer_rank AS layer_rank, r.layer AS layer, r.object_name AS object_name, r.ts AS ts
    FROM
    (
      SELECT u.*,
             arrayJoin(arrayDistinct([(u.stream_id, u.request_id), ('', u.request_id), (u.stream_id, '')])) AS match_key,
             match_key.1 AS match_stream, match_key.2 AS match_request
      FROM
      (
        SELECT 1 AS layer_rank, 'bronze' AS layer, 'streaming_events' AS object_name, se.event_timestamp AS ts,
               JSONExtractString(se.data, 'stream_id') AS stream_id, JSONExtractString(se.data, 'request_id') AS request_id
        FROM livepeer_analytics.streaming_events AS se
        WHERE se.type IN ('ai_stream_status', 'stream_trace', 'ai_stream_events', 'stream_ingest_metrics')
        UNION ALL
        SELECT 2, 'typed', 'ai_stream_status', st.event_timestamp, st.stream_id, st.request_id
        FROM livepeer_analytics.ai_stream_status AS st
        UNION ALL
        SELECT 2, 'typed', 'stream_trace_events', tr.event_timestamp, tr.stream_id, tr.request_id
        FROM livepeer_analytics.stream_trace_events AS tr
        UNION ALL
        SELECT 2, 'typed', 'ai_stream_events', ae.event_timestamp, ae.stream_id, ae.request_id
        FROM livepeer_analytics.ai_stream_events AS ae
        UNION ALL
        SELECT 2, 'typed', 'stream_ingest_metrics', im.event_timestamp, im.stream_id, im.request_id
        FROM livepeer_analytics.stream_ingest_metrics AS im
      ) AS u
    ) AS r
    INNER JOIN session_keys AS k ON k.key_stream = r.match_stream AND k.key_request = r.match_request
    WHERE r.ts >= k.from_ts AND r.ts < k.to_ts
  ),
  silver AS
  (
    SELECT s1.workflow_session_id AS sid, 3 AS layer_rank, 'silver' AS layer, 'fact_stream_status_samples' AS object_name,
           s1.sample_ts AS ts
    FROM livepeer_analytics.fact_stream_status_samples AS s1 WHERE has({sids:Array(String)}, s1.workflow_session_id)
    UNION ALL
    SELECT s2.workflow_session_id, 3, 'silver', 'fact_stream_trace_edges', s2.edge_ts
    FROM livepeer_analytics.fact_stream_trace_edges AS s2 WHERE has({sids:Array(String)}, s2.workflow_session_id)
    UNION ALL
    SELECT s3.workflow_session_id, 3, 'silver', 'fact_stream_ingest_samples', s3.sample_ts
    FROM livepeer_analytics.fact_stream_ingest_samples AS s3 WHERE has({sids:Array(String)}, s3.workflow_session_id)
    UNION ALL
    SELECT l1.workflow_session_id, 4, 'lifecycle', 'fact_workflow_sessions', l1.session_start_ts
    FROM livepeer_analytics.fact_workflow_sessions AS l1 WHERE has({sids:Array(String)}, l1.workflow_session_id)
    UNION ALL
    SELECT l2.workflow_session_id, 4, 'lifecycle', 'fact_workflow_session_segments', l2.segment_start_ts
    FROM livepeer_analytics.fact_workflow_session_segments AS l2 WHERE has({sids:Array(String)}, l2.workflow_session_id)
    UNION ALL
    SELECT l3.workflow_session_id, 4, 'lifecycle', 'fact_workflow_latency_samples', l3.sample_ts
    FROM livepeer_analytics.fact_workflow_latency_samples AS l3 WHERE has({sids:Array(String)}, l3.workflow_session_id)
    UNION ALL
    SELECT l4.workflow_session_id, 4, 'lifecycle', 'fact_workflow_param_updates', l4.update_ts
    FROM livepeer_analytics.fact_workflow_param_updates AS l4 WHERE has({sids:Array(String)}, l4.workflow_session_id)
  ),
  all_layers AS
  (
    SELECT * FROM bronze_typed
    UNION ALL
    SELECT * FROM silver
  )
SELECT a.sid AS workflow_session_id, a.layer AS layer, a.object_name AS object_name, count() AS rows,
       min(a.ts) AS min_ts, max(a.ts) AS max_ts
FROM all_layers AS a
GROUP BY a.sid, a.layer_rank, a.layer, a.object_name
ORDER BY workflow_session_id, a.layer_rank, object_name;

-- QUERY: hourly_gpu_rows
-- Each session's hourly (orchestrator, pipeline, model, GPU) keys from status/latency samples joined to v_api_gpu_metrics.
WITH
  session_hour_keys AS
  (
    SELECT DISTINCT
      s.sid AS sid,
      toDateTime64(toStartOfHour(s.sample_ts), 3, 'UTC') AS window_start,
      s.orchestrator_address AS orchestrator_address,
      s.pipeline AS pipeline,
      ifNull(s.model_id, '') AS model_id,
      ifNull(s.gpu_id, '') AS gpu_id
    FROM
    (
      SELECT ss.workflow_session_id AS sid, ss.sample_ts AS sample_ts, ss.orchestrator_address AS orchestrator_address,
             ss.pipeline AS pipeline, ss.model_id AS model_id, ss.gpu_id AS gpu_id
      FROM livepeer_analytics.fact_stream_status_samples AS ss
      WHERE has({sids:Array(String)}, ss.workflow_session_id)
      UNION ALL
      SELECT ls.workflow_session_id, ls.sample_ts, ls.orchestrator_address, ls.pipeline, ls.model_id, ls.gpu_id
      FROM livepeer_analytics.fact_workflow_latency_samples AS ls
      WHERE has({sids:Array(String)}, ls.workflow_session_id)
    ) AS s
  ),
  gpu_rows AS
  (
    SELECT
      toDateTime64(v.window_start, 3, 'UTC') AS window_start,
      v.orchestrator_address AS orchestrator_address,
      v.pipeline AS pipeline,
      ifNull(v.model_id, '') AS model_id,
      ifNull(v.gpu_id, '') AS gpu_id,
      v.status_samples AS status_samples,
      v.avg_output_fps AS avg_output_fps,
      v.prompt_to_first_frame_ms AS prompt_to_first_frame_ms,
      v.startup_time_ms AS startup_time_ms,
      v.e2e_latency_ms AS e2e_latency_ms,
      v.known_sessions AS known_sessions,
      toUInt8(1) AS in_view
    FROM livepeer_analytics.v_api_gpu_metrics AS v
  )
SELECT
  k.sid AS workflow_session_id,
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
ORDER BY workflow_session_id, window_start, orchestrator_address, pipeline, model_id, gpu_id, status_samples,
         avg_output_fps, prompt_to_first_frame_ms, startup_time_ms, e2e_latency_ms, known_sessions;
