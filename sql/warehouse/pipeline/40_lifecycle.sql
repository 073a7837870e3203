-- Reference pipeline step 4: stateful lifecycle facts (stands in for the Flink lifecycle job).
-- Every session-scoped event carries the session state accumulated up to it ("running" state);
-- a session version is emitted at each milestone event (first event, first stream request,
-- orchestrator change, first processed / playable edge, no-orchestrator, swap, close, first
-- status sample, last event), so state is re-emitted as it resolves (known_stream 0 -> 1, ...).
-- version = arrival epoch-ms * 10000 + event ordinal: strictly increasing within a session.
DROP TABLE IF EXISTS reportgen_stage.running;
CREATE TABLE reportgen_stage.running ENGINE = MergeTree ORDER BY (workflow_session_id, rn)
AS
SELECT
    e.workflow_session_id AS workflow_session_id,
    e.event_id AS event_id,
    e.ts AS ts,
    e.ts_ms AS ts_ms,
    e.arrival_ms AS arrival_ms,
    e.kind AS kind,
    e.trace_type AS trace_type,
    e.ai_event_type AS ai_event_type,
    e.message AS message,
    e.orch AS orch,
    e.gateway AS gateway,
    e.source_event_uid AS source_event_uid,
    e.is_change AS is_change,
    row_number() OVER w AS rn,
    count() OVER (PARTITION BY e.workflow_session_id) AS total_events,
    max(e.trace_type = 'gateway_receive_stream_request') OVER w AS known,
    sum(e.trace_type = 'gateway_receive_stream_request') OVER w AS request_edges,
    minIf(e.ts_ms, e.trace_type = 'gateway_receive_stream_request') OVER w AS first_request_ms,
    minIf(e.ts_ms, e.trace_type = 'gateway_receive_first_processed_segment') OVER w AS first_processed_ms,
    minIf(e.ts_ms, e.trace_type = 'gateway_receive_few_processed_segments') OVER w AS first_playable_ms,
    minIf(e.ts_ms, e.trace_type = 'gateway_send_first_ingest_segment') OVER w AS first_ingest_ms,
    minIf(e.ts_ms, e.trace_type = 'runner_send_first_processed_segment') OVER w AS first_runner_processed_ms,
    minIf(e.ts_ms, e.trace_type = 'gateway_ingest_stream_closed') OVER w AS close_ms,
    max(e.trace_type = 'gateway_no_orchestrators_available') OVER w AS has_no_orch,
    sum(e.trace_type = 'orchestrator_swap') OVER w AS confirmed_swaps,
    sum(e.kind = 'event' AND e.ai_event_type = 'error') OVER w AS errors,
    sum(e.kind = 'event' AND e.ai_event_type = 'error'
        AND multiSearchAnyCaseInsensitive(e.message, ['no orchestrators available', 'mediamtx ingest disconnected',
            'whip disconnected', 'missing video', 'ice connection state failed', 'user disconnected'])) OVER w AS excusable_errors,
    sum(e.kind = 'status') OVER w AS status_samples,
    sum(e.kind = 'status' AND e.has_last_error = 1) OVER w AS status_error_samples,
    sum(e.kind = 'status' AND e.output_fps > 0) OVER w AS status_fps_positive,
    sum(e.kind = 'status' AND e.state != 'LOADING') OVER w AS status_not_loading,
    minIf(e.start_time_ms, e.kind = 'status' AND e.start_time_ms > 0) OVER w AS first_start_time_ms,
    sum(e.orch != '') OVER w AS orch_events,
    sum(e.is_change) OVER w AS orch_identities
FROM
(
    SELECT se.*, ifNull(oc.is_change, 0) AS is_change
    FROM reportgen_stage.session_events AS se
    LEFT JOIN reportgen_stage.orch_changes AS oc
        ON oc.workflow_session_id = se.workflow_session_id AND oc.event_id = se.event_id
) AS e
WINDOW w AS (PARTITION BY e.workflow_session_id ORDER BY e.arrival_ms, e.kind_order, e.event_id
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

-- Session state at every event, with the attribution of the segment current at that event.
DROP TABLE IF EXISTS reportgen_stage.session_state;
CREATE TABLE reportgen_stage.session_state ENGINE = MergeTree ORDER BY (workflow_session_id, rn)
AS
SELECT
    r.workflow_session_id AS workflow_session_id,
    r.event_id AS event_id,
    r.ts AS ts,
    r.ts_ms AS ts_ms,
    r.arrival_ms AS arrival_ms,
    r.kind AS kind,
    r.trace_type AS trace_type,
    r.ai_event_type AS ai_event_type,
    r.message AS message,
    r.orch AS orch,
    r.gateway AS gateway,
    r.source_event_uid AS source_event_uid,
    r.is_change AS is_change,
    r.rn AS rn,
    r.total_events AS total_events,
    r.known AS known,
    r.request_edges AS request_edges,
    r.first_request_ms AS first_request_ms,
    r.first_processed_ms AS first_processed_ms,
    r.first_playable_ms AS first_playable_ms,
    r.first_ingest_ms AS first_ingest_ms,
    r.first_runner_processed_ms AS first_runner_processed_ms,
    r.close_ms AS close_ms,
    r.has_no_orch AS has_no_orch,
    r.confirmed_swaps AS confirmed_swaps,
    r.errors AS errors,
    r.excusable_errors AS excusable_errors,
    r.status_samples AS status_samples,
    r.status_error_samples AS status_error_samples,
    r.status_fps_positive AS status_fps_positive,
    r.status_not_loading AS status_not_loading,
    r.first_start_time_ms AS first_start_time_ms,
    r.orch_events AS orch_events,
    r.orch_identities AS orch_identities,
    toUInt16(greatest(r.orch_identities, 1) - 1) AS segment_index,
    toUInt64(r.arrival_ms) * 10000 + least(r.rn, 9999) AS version,
    (r.rn = 1
     OR (r.trace_type = 'gateway_receive_stream_request' AND r.request_edges = 1)
     OR r.is_change = 1
     OR r.trace_type IN ('gateway_receive_first_processed_segment', 'gateway_receive_few_processed_segments',
                         'gateway_no_orchestrators_available', 'orchestrator_swap', 'gateway_ingest_stream_closed')
     OR (r.kind = 'status' AND r.status_samples = 1)
     OR r.rn = r.total_events) AS is_checkpoint,
    r.known = 1 AND r.first_playable_ms > 0 AS startup_success,
    r.known = 1 AND NOT startup_success
        AND (r.has_no_orch = 1 OR (r.errors > 0 AND r.excusable_errors = r.errors)) AS startup_excused,
    r.known = 1 AND NOT startup_success AND NOT startup_excused AS startup_unexcused,
    if(r.known = 1 AND r.orch_events > 0, 6, 0) AS health_expected,
    if(health_expected = 0, 0,
       (r.first_request_ms > 0) + (r.first_ingest_ms > 0) + (r.first_runner_processed_ms > 0)
       + (r.first_processed_ms > 0) + (r.first_playable_ms > 0) + (r.status_samples > 0)) AS health_signals,
    if(r.orch_events > 0, a.orchestrator_address, '') AS cur_orchestrator_address,
    if(r.orch_events > 0, a.orchestrator_url, '') AS cur_orchestrator_url,
    if(r.orch_events > 0, a.gpu_attribution_method, 'none') AS cur_method,
    if(r.orch_events > 0, a.gpu_attribution_confidence, toFloat32(0)) AS cur_confidence,
    if(r.orch_events > 0, a.pipeline, u.pipeline) AS cur_pipeline,
    if(r.orch_events > 0, a.model_id, u.model_id) AS cur_model_id,
    if(r.orch_events > 0, a.gpu_id, CAST(NULL, 'Nullable(String)')) AS cur_gpu_id,
    a.segment_start_ts AS segment_start_ts
FROM reportgen_stage.running AS r
INNER JOIN reportgen_stage.segment_attribution AS a
    ON a.workflow_session_id = r.workflow_session_id
   AND a.segment_index = toUInt16(greatest(r.orch_identities, 1) - 1)
INNER JOIN
(
    -- unattributed identity (no orchestrator yet): model from the hint, pipeline from the catalogue
    SELECT g.workflow_session_id AS workflow_session_id,
           CAST(nullIf(g.model_hint, ''), 'Nullable(String)') AS model_id,
           if(lower(ifNull(mp.pipeline, '')) = lower(g.model_hint), '', ifNull(mp.pipeline, '')) AS pipeline
    FROM reportgen_stage.segments AS g
    LEFT JOIN reportgen_stage.model_pipeline AS mp ON mp.model_key = lower(g.model_hint)
    WHERE g.segment_index = 0
) AS u ON u.workflow_session_id = r.workflow_session_id;

-- Segment history per session up to each segment (model / pipeline change flags).
DROP TABLE IF EXISTS reportgen_stage.segment_history;
CREATE TABLE reportgen_stage.segment_history ENGINE = MergeTree ORDER BY (workflow_session_id, segment_index)
AS
SELECT
    workflow_session_id,
    segment_index,
    length(groupUniqArrayIf(ifNull(model_id, ''), ifNull(model_id, '') != '') OVER w) > 1 AS has_model_change,
    length(groupUniqArrayIf(pipeline, pipeline != '') OVER w) > 1 AS has_pipeline_change
FROM reportgen_stage.segment_attribution
WINDOW w AS (PARTITION BY workflow_session_id ORDER BY segment_index ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

INSERT INTO livepeer_analytics.fact_workflow_sessions
(
    workflow_session_id, workflow_type, workflow_id, stream_id, request_id, session_id, pipeline, gateway,
    orchestrator_address, orchestrator_url, model_id, gpu_id, region, has_model_change, has_pipeline_change,
    gpu_attribution_method, gpu_attribution_confidence, session_start_ts, session_end_ts, known_stream,
    startup_success, startup_excused, startup_unexcused, confirmed_swap_count,
    inferred_orchestrator_change_count, swap_count, error_count, excusable_error_count, last_error_occurred,
    loading_only_session, zero_output_fps_session, status_sample_count, status_error_sample_count,
    health_signal_count, health_expected_signal_count, health_completeness_ratio, first_stream_request_ts,
    first_processed_ts, first_playable_ts, event_count, version, source_first_event_uid,
    source_last_event_uid, ingestion_timestamp
)
SELECT
    s.workflow_session_id,
    'ai_live_video_stream',
    i.stream_id,
    i.stream_id,
    i.request_id,
    i.request_id,
    s.cur_pipeline,
    i.gateway,
    s.cur_orchestrator_address,
    s.cur_orchestrator_url,
    s.cur_model_id,
    s.cur_gpu_id,
    CAST(NULL, 'Nullable(String)'),
    toUInt8(if(s.orch_events > 0, h.has_model_change, 0)),
    toUInt8(if(s.orch_events > 0, h.has_pipeline_change, 0)),
    s.cur_method,
    s.cur_confidence,
    i.session_start_ts,
    if(s.close_ms > 0, fromUnixTimestamp64Milli(s.close_ms, 'UTC'), NULL),
    toUInt8(s.known),
    toUInt8(s.startup_success),
    toUInt8(s.startup_excused),
    toUInt8(s.startup_unexcused),
    toUInt16(s.confirmed_swaps),
    toUInt16(greatest(s.orch_identities, 1) - 1),
    toUInt16(s.confirmed_swaps),
    toUInt32(s.errors),
    toUInt32(s.excusable_errors),
    toUInt8(s.status_error_samples > 0),
    toUInt8(s.status_samples > 0 AND s.status_not_loading = 0),
    toUInt8(s.status_samples > 0 AND s.status_fps_positive = 0),
    toUInt32(s.status_samples),
    toUInt32(s.status_error_samples),
    toUInt32(s.health_signals),
    toUInt32(s.health_expected),
    toFloat32(if(s.health_expected = 0, 1, s.health_signals / s.health_expected)),
    if(s.first_request_ms > 0, fromUnixTimestamp64Milli(s.first_request_ms, 'UTC'), NULL),
    if(s.first_processed_ms > 0, fromUnixTimestamp64Milli(s.first_processed_ms, 'UTC'), NULL),
    if(s.first_playable_ms > 0, fromUnixTimestamp64Milli(s.first_playable_ms, 'UTC'), NULL),
    toUInt32(s.rn),
    s.version,
    i.source_first_event_uid,
    s.source_event_uid,
    s.ts
FROM reportgen_stage.session_state AS s
INNER JOIN reportgen_stage.session_info AS i ON i.workflow_session_id = s.workflow_session_id
INNER JOIN reportgen_stage.segment_history AS h
    ON h.workflow_session_id = s.workflow_session_id AND h.segment_index = s.segment_index
WHERE s.is_checkpoint
ORDER BY i.session_start_ts, s.workflow_session_id, s.version;

-- Segments: emitted when they open (end unknown) and re-emitted when they close (next segment
-- start, else the session's close edge).
INSERT INTO livepeer_analytics.fact_workflow_session_segments
(
    workflow_session_id, segment_index, segment_start_ts, segment_end_ts, gateway, pipeline,
    orchestrator_address, orchestrator_url, worker_id, gpu_id, model_id, region, gpu_attribution_method,
    gpu_attribution_confidence, reason, source_trace_type, source_event_uid, version, ingestion_timestamp
)
SELECT
    workflow_session_id, segment_index, segment_start_ts, end_ts, gateway, pipeline, orchestrator_address,
    orchestrator_url, CAST(NULL, 'Nullable(String)'), gpu_id, model_id, CAST(NULL, 'Nullable(String)'),
    gpu_attribution_method, gpu_attribution_confidence, reason, source_trace_type, source_event_uid,
    version, ingestion_ts
FROM
(
    SELECT
        a.*,
        leadInFrame(toUnixTimestamp64Milli(a.segment_start_ts), 1, 0) OVER (
            PARTITION BY a.workflow_session_id ORDER BY a.segment_index
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS next_start_ms,
        multiIf(next_start_ms > 0, next_start_ms,
                a.close_ms >= toUnixTimestamp64Milli(a.segment_start_ts) AND a.close_ms > 0, a.close_ms, 0) AS end_ms,
        multiIf(a.segment_index = 0 AND a.orchestrator_address = '', 'no_orchestrator',
                a.segment_index = 0, 'session_start',
                a.source_trace_type = 'orchestrator_swap', 'orchestrator_swap',
                'orchestrator_change') AS reason
    FROM reportgen_stage.segment_attribution AS a
) AS x
ARRAY JOIN
    [CAST(NULL, 'Nullable(DateTime64(3, \'UTC\'))'),
     if(x.end_ms > 0, fromUnixTimestamp64Milli(x.end_ms, 'UTC'), NULL)] AS end_ts,
    [toUInt64(toUnixTimestamp64Milli(x.segment_start_ts)) * 10000 + x.segment_index,
     toUInt64(greatest(x.end_ms, toUnixTimestamp64Milli(x.segment_start_ts))) * 10000 + 5000 + x.segment_index] AS version,
    [x.segment_start_ts, if(x.end_ms > 0, fromUnixTimestamp64Milli(x.end_ms, 'UTC'), x.segment_start_ts)] AS ingestion_ts,
    [1, 2] AS emission
WHERE emission = 1 OR x.end_ms > 0
ORDER BY segment_start_ts, workflow_session_id, segment_index, version;

-- Latency proxies from the final session state: startup = stream request -> first processed
-- segment; end-to-end = first ingest segment -> runner's first processed segment;
-- prompt-to-playable = status start_time -> few processed segments. Negative spans are invalid.
-- sample_ts = the latest edge used.
INSERT INTO livepeer_analytics.fact_workflow_latency_samples
(
    sample_ts, workflow_session_id, stream_id, request_id, gateway, orchestrator_address, pipeline, model_id,
    gpu_id, region, prompt_to_first_frame_ms, startup_time_ms, e2e_latency_ms, has_prompt_to_first_frame,
    has_startup_time, has_e2e_latency, edge_semantics_version, version, ingestion_timestamp
)
SELECT
    s.sample_ts,
    s.workflow_session_id,
    i.stream_id,
    i.request_id,
    i.gateway,
    a.orchestrator_address,
    a.pipeline,
    a.model_id,
    a.gpu_id,
    CAST(NULL, 'Nullable(String)'),
    if(s.has_ptff, toFloat64(s.first_playable_ms - s.first_start_time_ms), NULL),
    if(s.has_startup, toFloat64(s.first_processed_ms - s.first_request_ms), NULL),
    if(s.has_e2e, toFloat64(s.first_runner_processed_ms - s.first_ingest_ms), NULL),
    toUInt8(s.has_ptff),
    toUInt8(s.has_startup),
    toUInt8(s.has_e2e),
    'v1',
    s.version,
    s.sample_ts
FROM
(
    SELECT
        *,
        first_playable_ms > 0 AND first_start_time_ms > 0 AND first_playable_ms >= first_start_time_ms AS has_ptff,
        first_processed_ms > 0 AND first_request_ms > 0 AND first_processed_ms >= first_request_ms AS has_startup,
        first_runner_processed_ms > 0 AND first_ingest_ms > 0 AND first_runner_processed_ms >= first_ingest_ms AS has_e2e,
        fromUnixTimestamp64Milli(greatest(if(has_ptff, first_playable_ms, 0), if(has_startup, first_processed_ms, 0),
                                          if(has_e2e, first_runner_processed_ms, 0)), 'UTC') AS sample_ts
    FROM reportgen_stage.session_state
    WHERE rn = total_events AND (has_ptff OR has_startup OR has_e2e)
) AS s
INNER JOIN reportgen_stage.session_info AS i ON i.workflow_session_id = s.workflow_session_id
-- attributed like the segment current at the sample time
ASOF INNER JOIN reportgen_stage.segment_attribution AS a
    ON a.workflow_session_id = s.workflow_session_id AND s.sample_ts >= a.segment_start_ts
ORDER BY s.sample_ts, s.workflow_session_id;

-- Param updates (AI events of type params_update), attributed like the session at that time.
INSERT INTO livepeer_analytics.fact_workflow_param_updates
(
    update_ts, workflow_session_id, stream_id, request_id, pipeline, gateway, orchestrator_address,
    orchestrator_url, model_id, gpu_id, gpu_attribution_method, gpu_attribution_confidence, update_type,
    message, source_event_uid, version, ingestion_timestamp
)
SELECT
    s.ts, s.workflow_session_id, i.stream_id, i.request_id, s.cur_pipeline, s.gateway, s.cur_orchestrator_address,
    s.cur_orchestrator_url, s.cur_model_id, s.cur_gpu_id, s.cur_method, s.cur_confidence, 'params_update',
    s.message, s.source_event_uid, s.version, s.ts
FROM reportgen_stage.session_state AS s
INNER JOIN reportgen_stage.session_info AS i ON i.workflow_session_id = s.workflow_session_id
WHERE s.kind = 'event' AND s.ai_event_type IN ('params_update', 'param_update')
ORDER BY s.ts, s.workflow_session_id, s.source_event_uid;

-- Lifecycle edge coverage: one row per trace edge with the session's final startup evidence.
INSERT INTO livepeer_analytics.fact_lifecycle_edge_coverage
(
    signal_ts, workflow_session_id, stream_id, request_id, pipeline, model_id, gateway, orchestrator_address,
    trace_type, source_event_uid, known_stream, has_first_processed_edge, has_first_playable_edge,
    startup_edge_matched, playable_edge_matched, is_terminal_signal, unmatched_reason, version, ingestion_timestamp
)
SELECT
    s.ts, s.workflow_session_id, i.stream_id, i.request_id, f.cur_pipeline, f.cur_model_id, s.gateway,
    s.cur_orchestrator_address, s.trace_type, s.source_event_uid, toUInt8(f.known),
    toUInt8(f.first_processed_ms > 0), toUInt8(f.first_playable_ms > 0),
    toUInt8(f.first_request_ms > 0 AND f.first_processed_ms > 0),
    toUInt8(f.first_request_ms > 0 AND f.first_playable_ms > 0),
    toUInt8(s.trace_type IN ('gateway_ingest_stream_closed', 'gateway_no_orchestrators_available')),
    multiIf(f.known = 0, 'unknown_stream', f.first_playable_ms > 0, '', f.has_no_orch = 1, 'no_orchestrator',
            f.first_processed_ms > 0, 'no_playable_edge', 'no_processed_edge'),
    f.version, s.ts
FROM reportgen_stage.session_state AS s
INNER JOIN reportgen_stage.session_info AS i ON i.workflow_session_id = s.workflow_session_id
INNER JOIN (SELECT * FROM reportgen_stage.session_state WHERE rn = total_events) AS f
    ON f.workflow_session_id = s.workflow_session_id
WHERE s.kind = 'trace'
ORDER BY s.ts, s.workflow_session_id, s.source_event_uid;
