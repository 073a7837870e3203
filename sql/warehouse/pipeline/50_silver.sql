-- Reference pipeline step 5: silver facts (stands in for the Flink attribution operators).
-- One row per typed status row / trace row, attributed to the session segment current at the
-- event; source_event_uid = lower(hex(SHA256(raw_json))) of the typed row. The rollup MV
-- mv_fact_status_to_perf_1m fires on the status insert.
INSERT INTO livepeer_analytics.fact_stream_status_samples
(
    sample_ts, workflow_session_id, stream_id, request_id, gateway, orchestrator_address, orchestrator_url,
    pipeline, model_id, gpu_id, region, state, output_fps, input_fps, is_attributed, gpu_attribution_method,
    gpu_attribution_confidence, source_event_uid, ingestion_timestamp
)
SELECT
    e.ts,
    e.workflow_session_id,
    e.stream_id,
    e.request_id,
    e.gateway,
    if(e.orch != '', e.orch, a.orchestrator_address),
    if(e.orch_url != '', e.orch_url, a.orchestrator_url),
    a.pipeline,
    a.model_id,
    a.gpu_id,
    CAST(NULL, 'Nullable(String)'),
    e.state,
    e.output_fps,
    e.input_fps,
    toUInt8(a.orchestrator_address != ''),
    a.gpu_attribution_method,
    a.gpu_attribution_confidence,
    e.source_event_uid,
    e.ts
FROM reportgen_stage.session_events AS e
INNER JOIN reportgen_stage.session_state AS s
    ON s.workflow_session_id = e.workflow_session_id AND s.event_id = e.event_id
INNER JOIN reportgen_stage.segment_attribution AS a
    ON a.workflow_session_id = s.workflow_session_id AND a.segment_index = s.segment_index
WHERE e.kind = 'status'
ORDER BY e.ts, e.workflow_session_id, e.event_id;

INSERT INTO livepeer_analytics.fact_stream_trace_edges
(
    edge_ts, workflow_session_id, stream_id, request_id, gateway, orchestrator_address, orchestrator_url,
    pipeline, model_id, trace_type, trace_category, is_swap_event, is_attributed, source_event_uid,
    ingestion_timestamp
)
SELECT
    e.ts,
    e.workflow_session_id,
    e.stream_id,
    e.request_id,
    e.gateway,
    if(e.orch != '', e.orch, if(s.orch_events > 0, a.orchestrator_address, '')),
    if(e.orch_url != '', e.orch_url, if(s.orch_events > 0, a.orchestrator_url, '')),
    a.pipeline,
    a.model_id,
    e.trace_type,
    multiIf(startsWith(e.trace_type, 'gateway_'), 'gateway', startsWith(e.trace_type, 'orchestrator_'), 'orchestrator',
            startsWith(e.trace_type, 'runner_'), 'runner', startsWith(e.trace_type, 'app_'), 'app', 'other'),
    toUInt8(e.trace_type = 'orchestrator_swap'),
    toUInt8(a.orchestrator_address != ''),
    e.source_event_uid,
    e.ts
FROM reportgen_stage.session_events AS e
INNER JOIN reportgen_stage.session_state AS s
    ON s.workflow_session_id = e.workflow_session_id AND s.event_id = e.event_id
INNER JOIN reportgen_stage.segment_attribution AS a
    ON a.workflow_session_id = s.workflow_session_id AND a.segment_index = s.segment_index
WHERE e.kind = 'trace'
ORDER BY e.ts, e.workflow_session_id, e.event_id;
