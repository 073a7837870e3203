-- Reference pipeline step 3: session identity, canonical orchestrators, segments, attribution.
-- Stage tables only (reportgen_stage); facts are written by 40_lifecycle.sql and 50_silver.sql.

-- Canonical orchestrator identity from capability snapshots: stream events carry the
-- orchestrator's proxy/hot wallet (= capability local_address); the canonical wallet is the
-- capability `address`. Lookup order: (proxy, url) -> canonical; address already canonical;
-- proxy alone -> canonical (lowest if several); otherwise the lower-cased address as reported.
DROP TABLE IF EXISTS reportgen_stage.orch_proxy_uri;
CREATE TABLE reportgen_stage.orch_proxy_uri ENGINE = MergeTree ORDER BY (proxy, uri)
AS SELECT lower(local_address) AS proxy, orch_uri AS uri, min(lower(orchestrator_address)) AS canonical
FROM livepeer_analytics.network_capabilities WHERE local_address != '' GROUP BY proxy, uri;

DROP TABLE IF EXISTS reportgen_stage.orch_proxy;
CREATE TABLE reportgen_stage.orch_proxy ENGINE = MergeTree ORDER BY proxy
AS SELECT lower(local_address) AS proxy, min(lower(orchestrator_address)) AS canonical
FROM livepeer_analytics.network_capabilities WHERE local_address != '' GROUP BY proxy;

DROP TABLE IF EXISTS reportgen_stage.orch_canonical;
CREATE TABLE reportgen_stage.orch_canonical ENGINE = MergeTree ORDER BY canonical
AS SELECT DISTINCT lower(orchestrator_address) AS canonical
FROM livepeer_analytics.network_capabilities WHERE orchestrator_address != '';

-- Model label -> canonical workflow class (pipeline), from capability hardware entries.
DROP TABLE IF EXISTS reportgen_stage.model_pipeline;
CREATE TABLE reportgen_stage.model_pipeline ENGINE = MergeTree ORDER BY model_key
AS SELECT lower(model_id) AS model_key, argMax(pipeline, n) AS pipeline
FROM (SELECT model_id, pipeline, count() AS n FROM livepeer_analytics.network_capabilities
      WHERE model_id != '' AND pipeline != '' GROUP BY model_id, pipeline)
GROUP BY model_key;

-- Every session-scoped event (status samples, trace edges, AI events), canonicalised.
-- ts = event time (trace edges: the payload timestamp); arrival_ms = envelope time, the order in
-- which the lifecycle operator sees events (a late request edge upgrades known_stream 0 -> 1).
DROP TABLE IF EXISTS reportgen_stage.session_events;
CREATE TABLE reportgen_stage.session_events
ENGINE = MergeTree ORDER BY (workflow_session_id, arrival_ms, kind_order, event_id)
AS
SELECT
    e.event_id AS event_id,
    e.arrival_ms AS arrival_ms,
    e.workflow_session_id AS workflow_session_id,
    e.stream_id AS stream_id,
    e.request_id AS request_id,
    e.gateway AS gateway,
    e.ts AS ts,
    toUnixTimestamp64Milli(e.ts) AS ts_ms,
    e.kind AS kind,
    e.kind_order AS kind_order,
    e.trace_type AS trace_type,
    e.ai_event_type AS ai_event_type,
    e.message AS message,
    e.orch_raw AS orch_raw,
    e.orch_url AS orch_url,
    multiIf(e.orch_raw = '', '',
            pu.canonical != '', pu.canonical,
            oc.canonical != '', oc.canonical,
            op.canonical != '', op.canonical,
            e.orch_raw) AS orch,
    e.model_hint AS model_hint,
    e.state AS state,
    e.output_fps AS output_fps,
    e.input_fps AS input_fps,
    e.has_last_error AS has_last_error,
    e.start_time_ms AS start_time_ms,
    e.source_event_uid AS source_event_uid
FROM
(
    SELECT
        id AS event_id,
        p.stream_id AS stream_id,
        p.request_id AS request_id,
        multiIf(
            stream_id != '' AND request_id != '', concat(stream_id, '|', request_id),
            stream_id != '', concat(stream_id, '|_missing_request'),
            request_id != '', concat('_missing_stream|', request_id),
            concat('_missing_stream|_missing_request|', toString(cityHash64(data)))
        ) AS workflow_session_id,
        gateway,
        toInt64(timestamp) AS arrival_ms,
        if(type = 'stream_trace' AND p.timestamp > 0, fromUnixTimestamp64Milli(p.timestamp, 'UTC'), event_timestamp) AS ts,
        multiIf(type = 'stream_trace', 'trace', type = 'ai_stream_status', 'status', 'event') AS kind,
        multiIf(type = 'stream_trace', 0, type = 'ai_stream_status', 1, 2) AS kind_order,
        if(type = 'stream_trace', p.type, '') AS trace_type,
        if(type = 'ai_stream_events', p.type, '') AS ai_event_type,
        p.message AS message,
        lower(p.orchestrator_info.address) AS orch_raw,
        p.orchestrator_info.url AS orch_url,
        p.pipeline AS model_hint,
        p.state AS state,
        toFloat32(p.inference_status.fps) AS output_fps,
        toFloat32(p.input_status.fps) AS input_fps,
        toUInt8(p.inference_status.last_error != '') AS has_last_error,
        p.start_time AS start_time_ms,
        source_event_uid
    FROM
    (
        SELECT *,
            JSONExtract(data, 'Tuple(stream_id String, request_id String, type String, timestamp Int64, message String,
                pipeline String, state String, start_time Int64, orchestrator_info Tuple(address String, url String),
                inference_status Tuple(fps Float64, last_error String), input_status Tuple(fps Float64))') AS p
        FROM reportgen_stage.accepted_events
        WHERE type IN ('ai_stream_status', 'stream_trace', 'ai_stream_events')
    )
) AS e
LEFT JOIN reportgen_stage.orch_proxy_uri AS pu ON pu.proxy = e.orch_raw AND pu.uri = e.orch_url
LEFT JOIN reportgen_stage.orch_canonical AS oc ON oc.canonical = e.orch_raw
LEFT JOIN reportgen_stage.orch_proxy AS op ON op.proxy = e.orch_raw;

-- Orchestrator identity changes: a change is an event whose canonical orchestrator differs
-- from the previous non-empty one of the session (the first one opens segment 0).
DROP TABLE IF EXISTS reportgen_stage.orch_changes;
CREATE TABLE reportgen_stage.orch_changes ENGINE = MergeTree ORDER BY (workflow_session_id, event_id)
AS
SELECT
    workflow_session_id,
    event_id,
    ts,
    orch,
    orch_url,
    orch_raw,
    trace_type,
    source_event_uid,
    arrival_ms,
    kind_order,
    toUInt8(orch != lagInFrame(orch, 1, '') OVER w) AS is_change
FROM reportgen_stage.session_events
WHERE orch != ''
WINDOW w AS (PARTITION BY workflow_session_id ORDER BY arrival_ms, kind_order, event_id
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

-- Per-session facts independent of versions.
DROP TABLE IF EXISTS reportgen_stage.session_info;
CREATE TABLE reportgen_stage.session_info ENGINE = MergeTree ORDER BY workflow_session_id
AS
SELECT
    workflow_session_id,
    any(stream_id) AS stream_id,
    any(request_id) AS request_id,
    argMinIf(gateway, (arrival_ms, kind_order, event_id), gateway != '') AS gateway,
    argMinIf(model_hint, (arrival_ms, kind_order, event_id), model_hint != '') AS model_hint,
    min(ts) AS session_start_ts,
    argMin(source_event_uid, (arrival_ms, kind_order, event_id)) AS source_first_event_uid,
    minIf(ts_ms, trace_type = 'gateway_ingest_stream_closed') AS close_ms
FROM reportgen_stage.session_events
GROUP BY workflow_session_id;

-- Segments: a new segment opens when the orchestrator identity changes; segment 0 starts with
-- the session (sessions that never see an orchestrator get one segment with an empty one).
DROP TABLE IF EXISTS reportgen_stage.segments;
CREATE TABLE reportgen_stage.segments ENGINE = MergeTree ORDER BY (workflow_session_id, segment_index)
AS
SELECT
    s.workflow_session_id AS workflow_session_id,
    s.segment_index AS segment_index,
    s.orch AS orch,
    s.orch_url AS orch_url,
    s.orch_raw AS orch_raw,
    if(s.segment_index = 0, i.session_start_ts, s.first_ts) AS segment_start_ts,
    s.source_trace_type AS source_trace_type,
    if(s.segment_index = 0, i.source_first_event_uid, s.source_event_uid) AS source_event_uid,
    i.model_hint AS model_hint,
    i.gateway AS gateway,
    i.close_ms AS close_ms
FROM
(
    SELECT
        workflow_session_id,
        toUInt16(seg - 1) AS segment_index,
        argMin(ts, (arrival_ms, event_id)) AS first_ts,
        argMin(orch, (arrival_ms, event_id)) AS orch,
        argMin(orch_url, (arrival_ms, event_id)) AS orch_url,
        argMin(orch_raw, (arrival_ms, event_id)) AS orch_raw,
        argMin(trace_type, (arrival_ms, event_id)) AS source_trace_type,
        argMin(source_event_uid, (arrival_ms, event_id)) AS source_event_uid
    FROM
    (
        SELECT *, sum(is_change) OVER (PARTITION BY workflow_session_id ORDER BY arrival_ms, kind_order, event_id
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS seg
        FROM reportgen_stage.orch_changes
    )
    GROUP BY workflow_session_id, seg
    UNION ALL
    SELECT workflow_session_id, toUInt16(0), min(ts), '', '', '', argMin(trace_type, (arrival_ms, event_id)),
           argMin(source_event_uid, (arrival_ms, event_id))
    FROM reportgen_stage.session_events
    WHERE workflow_session_id NOT IN (SELECT workflow_session_id FROM reportgen_stage.orch_changes)
    GROUP BY workflow_session_id
) AS s
INNER JOIN reportgen_stage.session_info AS i ON i.workflow_session_id = s.workflow_session_id;

-- Capability snapshot keys for attribution (canonical wallet and proxy wallet routes).
DROP TABLE IF EXISTS reportgen_stage.snap_canonical;
CREATE TABLE reportgen_stage.snap_canonical ENGINE = MergeTree ORDER BY (addr, model_key, snapshot_ts)
AS SELECT DISTINCT lower(orchestrator_address) AS addr, lower(model_id) AS model_key, event_timestamp AS snapshot_ts
FROM livepeer_analytics.network_capabilities WHERE model_id != '';

DROP TABLE IF EXISTS reportgen_stage.snap_proxy;
CREATE TABLE reportgen_stage.snap_proxy ENGINE = MergeTree ORDER BY (addr, model_key, snapshot_ts)
AS SELECT DISTINCT lower(local_address) AS addr, lower(model_id) AS model_key, event_timestamp AS snapshot_ts
FROM livepeer_analytics.network_capabilities WHERE model_id != '' AND local_address != '';

-- Attribution of each segment (model, GPU) by the nearest capability snapshot of its canonical
-- orchestrator compatible with the session's model hint: exact time match, else nearest prior
-- within 24 h, else nearest within 24 h, else via the proxy wallet (nearest within 24 h), else none.
DROP TABLE IF EXISTS reportgen_stage.segment_snapshot;
CREATE TABLE reportgen_stage.segment_snapshot ENGINE = MergeTree ORDER BY (workflow_session_id, segment_index)
AS
SELECT
    workflow_session_id,
    segment_index,
    start_ms,
    model_key,
    orch_url,
    if(method = 'proxy_address', 'p', 'c') AS key_kind,
    if(method = 'proxy_address', orch_raw, orch) AS key_addr,
    multiIf(cp > 0 AND cp = start_ms, 'exact_snapshot',
            cp > 0 AND start_ms - cp <= 86400000, 'nearest_prior_snapshot',
            cn > 0 AND cn - start_ms <= 86400000, 'nearest_snapshot',
            pp > 0 AND start_ms - pp <= 86400000 AND (pn = 0 OR start_ms - pp <= pn - start_ms), 'proxy_address',
            pn > 0 AND pn - start_ms <= 86400000, 'proxy_address',
            'none') AS method,
    multiIf(method IN ('exact_snapshot', 'nearest_prior_snapshot'), cp,
            method = 'nearest_snapshot', cn,
            method = 'proxy_address' AND pp > 0 AND start_ms - pp <= 86400000 AND (pn = 0 OR start_ms - pp <= pn - start_ms), pp,
            method = 'proxy_address', pn,
            0) AS chosen_ms
FROM
(
    SELECT
        g.workflow_session_id AS workflow_session_id,
        g.segment_index AS segment_index,
        toUnixTimestamp64Milli(g.segment_start_ts) AS start_ms,
        g.model_key AS model_key,
        g.orch_url AS orch_url,
        g.orch AS orch,
        g.orch_raw AS orch_raw,
        if(c1.snapshot_ts > toDateTime64(0, 3, 'UTC'), toUnixTimestamp64Milli(c1.snapshot_ts), 0) AS cp,
        if(c2.snapshot_ts > toDateTime64(0, 3, 'UTC'), toUnixTimestamp64Milli(c2.snapshot_ts), 0) AS cn,
        if(p1.snapshot_ts > toDateTime64(0, 3, 'UTC'), toUnixTimestamp64Milli(p1.snapshot_ts), 0) AS pp,
        if(p2.snapshot_ts > toDateTime64(0, 3, 'UTC'), toUnixTimestamp64Milli(p2.snapshot_ts), 0) AS pn
    FROM (SELECT *, lower(model_hint) AS model_key FROM reportgen_stage.segments WHERE orch != '') AS g
    ASOF LEFT JOIN reportgen_stage.snap_canonical AS c1
        ON c1.addr = g.orch AND c1.model_key = g.model_key AND g.segment_start_ts >= c1.snapshot_ts
    ASOF LEFT JOIN reportgen_stage.snap_canonical AS c2
        ON c2.addr = g.orch AND c2.model_key = g.model_key AND g.segment_start_ts <= c2.snapshot_ts
    ASOF LEFT JOIN reportgen_stage.snap_proxy AS p1
        ON p1.addr = g.orch_raw AND p1.model_key = g.model_key AND g.segment_start_ts >= p1.snapshot_ts
    ASOF LEFT JOIN reportgen_stage.snap_proxy AS p2
        ON p2.addr = g.orch_raw AND p2.model_key = g.model_key AND g.segment_start_ts <= p2.snapshot_ts
);

DROP TABLE IF EXISTS reportgen_stage.cap_keyed;
CREATE TABLE reportgen_stage.cap_keyed ENGINE = MergeTree ORDER BY (key_kind, addr, model_key, ts_ms)
AS
SELECT 'c' AS key_kind, lower(orchestrator_address) AS addr, lower(model_id) AS model_key,
       toUnixTimestamp64Milli(event_timestamp) AS ts_ms, model_id, pipeline, gpu_id, orch_uri
FROM livepeer_analytics.network_capabilities WHERE model_id != ''
UNION ALL
SELECT 'p', lower(local_address), lower(model_id), toUnixTimestamp64Milli(event_timestamp), model_id, pipeline, gpu_id, orch_uri
FROM livepeer_analytics.network_capabilities WHERE model_id != '' AND local_address != '';

-- The attributed capability row (GPU) of the chosen snapshot: prefer the node whose URI the
-- session used, then the lowest GPU id; confidence = method weight / candidate GPUs.
DROP TABLE IF EXISTS reportgen_stage.segment_attribution;
CREATE TABLE reportgen_stage.segment_attribution ENGINE = MergeTree ORDER BY (workflow_session_id, segment_index)
AS
SELECT
    g.workflow_session_id AS workflow_session_id,
    g.segment_index AS segment_index,
    g.segment_start_ts AS segment_start_ts,
    g.orch AS orchestrator_address,
    g.orch_url AS orchestrator_url,
    g.gateway AS gateway,
    g.source_trace_type AS source_trace_type,
    g.source_event_uid AS source_event_uid,
    g.close_ms AS close_ms,
    if(ifNull(a.method, '') = '', 'none', a.method) AS gpu_attribution_method,
    if(gpu_attribution_method = 'none', toFloat32(0), toFloat32(a.weight / greatest(a.gpu_candidates, 1))) AS gpu_attribution_confidence,
    if(gpu_attribution_method = 'none', CAST(nullIf(g.model_hint, ''), 'Nullable(String)'), CAST(a.model_id, 'Nullable(String)')) AS model_id,
    if(gpu_attribution_method = 'none', CAST(NULL, 'Nullable(String)'), a.gpu_id) AS gpu_id,
    if(gpu_attribution_method = 'none', ifNull(mp.pipeline, ''), a.pipeline) AS raw_pipeline,
    if(lower(raw_pipeline) = lower(ifNull(model_id, '')), '', raw_pipeline) AS pipeline
FROM reportgen_stage.segments AS g
LEFT JOIN
(
    SELECT
        s.workflow_session_id AS workflow_session_id,
        s.segment_index AS segment_index,
        s.method AS method,
        multiIf(s.method = 'exact_snapshot', 1.0, s.method = 'nearest_prior_snapshot', 0.9,
                s.method = 'nearest_snapshot', 0.75, 0.5) AS weight,
        nc.model_id AS model_id,
        nc.pipeline AS pipeline,
        nc.gpu_id AS gpu_id,
        count() OVER (PARTITION BY s.workflow_session_id, s.segment_index) AS gpu_candidates
    FROM reportgen_stage.segment_snapshot AS s
    INNER JOIN reportgen_stage.cap_keyed AS nc
        ON nc.key_kind = s.key_kind AND nc.addr = s.key_addr AND nc.model_key = s.model_key AND nc.ts_ms = s.chosen_ms
    WHERE s.method != 'none'
    ORDER BY s.workflow_session_id, s.segment_index, (nc.orch_uri = s.orch_url) DESC, ifNull(nc.gpu_id, '') ASC
    LIMIT 1 BY s.workflow_session_id, s.segment_index
) AS a ON a.workflow_session_id = g.workflow_session_id AND a.segment_index = g.segment_index
LEFT JOIN reportgen_stage.model_pipeline AS mp ON mp.model_key = lower(g.model_hint);
