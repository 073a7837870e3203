-- Reference pipeline step 1: typed stream tables, one row per accepted event (row order is left to
-- the tables' sorting keys; no MV on these tables aggregates order-dependently)
-- (stands in for the Flink parsers + ClickHouse sink). raw_json keeps the payload verbatim.
INSERT INTO livepeer_analytics.ai_stream_status
(
    event_timestamp, stream_id, request_id, gateway, orchestrator_address, orchestrator_url, pipeline,
    output_fps, input_fps, state, restart_count, last_error, last_error_time, prompt_text,
    prompt_width, prompt_height, params_hash, start_time, raw_json
)
SELECT
    event_timestamp,
    p.stream_id,
    p.request_id,
    gateway,
    p.orchestrator_info.address,
    p.orchestrator_info.url,
    p.pipeline,
    toFloat32(p.inference_status.fps),
    toFloat32(p.input_status.fps),
    p.state,
    toUInt32(p.inference_status.restart_count),
    p.inference_status.last_error,
    if(ifNull(p.inference_status.last_error_time, 0) > 0,
       fromUnixTimestamp64Milli(assumeNotNull(p.inference_status.last_error_time), 'UTC'), NULL),
    p.inference_status.last_params.prompt,
    toUInt16(least(p.inference_status.last_params.width, 65535)),
    toUInt16(least(p.inference_status.last_params.height, 65535)),
    p.inference_status.last_params_hash,
    fromUnixTimestamp64Milli(p.start_time, 'UTC'),
    data
FROM
(
    -- one JSON parse per payload
    SELECT id, event_timestamp, gateway, data,
        JSONExtract(data, 'Tuple(stream_id String, request_id String, pipeline String, state String, start_time Int64,
            orchestrator_info Tuple(address String, url String),
            inference_status Tuple(fps Float64, restart_count UInt64, last_error Nullable(String),
                last_error_time Nullable(Int64), last_params_hash String,
                last_params Tuple(prompt Nullable(String), width UInt64, height UInt64)),
            input_status Tuple(fps Float64))') AS p
    FROM reportgen_stage.accepted_events
    WHERE type = 'ai_stream_status'
);

INSERT INTO livepeer_analytics.stream_trace_events
(
    event_timestamp, stream_id, request_id, orchestrator_address, orchestrator_url, trace_type,
    data_timestamp, raw_json
)
SELECT
    event_timestamp,
    p.stream_id,
    p.request_id,
    p.orchestrator_info.address,
    p.orchestrator_info.url,
    p.type,
    if(p.timestamp > 0, fromUnixTimestamp64Milli(p.timestamp, 'UTC'), event_timestamp),
    data
FROM
(
    SELECT id, event_timestamp, data,
        JSONExtract(data, 'Tuple(stream_id String, request_id String, type String, timestamp Int64,
            orchestrator_info Tuple(address String, url String))') AS p
    FROM reportgen_stage.accepted_events
    WHERE type = 'stream_trace'
);

INSERT INTO livepeer_analytics.ai_stream_events
(
    event_timestamp, stream_id, request_id, pipeline, event_type, message, capability, raw_json
)
SELECT
    event_timestamp,
    JSONExtractString(data, 'stream_id'),
    JSONExtractString(data, 'request_id'),
    JSONExtractString(data, 'pipeline'),
    JSONExtractString(data, 'type'),
    JSONExtractString(data, 'message'),
    JSONExtractString(data, 'capability'),
    data
FROM reportgen_stage.accepted_events
WHERE type = 'ai_stream_events';

-- go-livepeer WHIP media stats: {stream_id, request_id, timestamp, stats: {conn_quality,
-- peer_conn_stats {BytesReceived, BytesSent}, track_stats [{type: video|audio, jitter, ...}]}}
INSERT INTO livepeer_analytics.stream_ingest_metrics
(
    event_timestamp, stream_id, request_id, connection_quality,
    video_jitter, video_packets_received, video_packets_lost, video_packet_loss_pct, video_rtt,
    video_last_input_ts, video_latency,
    audio_jitter, audio_packets_received, audio_packets_lost, audio_packet_loss_pct, audio_rtt,
    audio_last_input_ts, audio_latency,
    bytes_received, bytes_sent, raw_json
)
SELECT
    event_timestamp,
    JSONExtractString(data, 'stream_id'),
    JSONExtractString(data, 'request_id'),
    JSONExtractString(data, 'stats', 'conn_quality'),
    toFloat32(JSONExtractFloat(video, 'jitter')),
    toUInt32(JSONExtractUInt(video, 'packets_received')),
    toUInt32(JSONExtractUInt(video, 'packets_lost')),
    toFloat32(JSONExtractFloat(video, 'packet_loss_pct')),
    toFloat32(JSONExtractFloat(video, 'rtt')),
    toFloat32(JSONExtractFloat(video, 'last_input_ts')),
    toFloat32(JSONExtractFloat(video, 'latency')),
    toFloat32(JSONExtractFloat(audio, 'jitter')),
    toUInt32(JSONExtractUInt(audio, 'packets_received')),
    toUInt32(JSONExtractUInt(audio, 'packets_lost')),
    toFloat32(JSONExtractFloat(audio, 'packet_loss_pct')),
    toFloat32(JSONExtractFloat(audio, 'rtt')),
    toFloat32(JSONExtractFloat(audio, 'last_input_ts')),
    toFloat32(JSONExtractFloat(audio, 'latency')),
    JSONExtractUInt(data, 'stats', 'peer_conn_stats', 'BytesReceived'),
    JSONExtractUInt(data, 'stats', 'peer_conn_stats', 'BytesSent'),
    data
FROM
(
    SELECT
        id, event_timestamp, data,
        arrayFirst(t -> JSONExtractString(t, 'type') = 'video', JSONExtractArrayRaw(data, 'stats', 'track_stats')) AS video,
        arrayFirst(t -> JSONExtractString(t, 'type') = 'audio', JSONExtractArrayRaw(data, 'stats', 'track_stats')) AS audio
    FROM reportgen_stage.accepted_events
    WHERE type = 'stream_ingest_metrics'
);

INSERT INTO livepeer_analytics.discovery_results (event_timestamp, orchestrator_address, orchestrator_url, latency_ms, raw_json)
SELECT
    event_timestamp,
    lower(JSONExtractString(data, 'address')),
    JSONExtractString(data, 'url'),
    toUInt32(JSONExtractUInt(data, 'latency_ms')),
    data
FROM reportgen_stage.accepted_events
WHERE type = 'discovery_results';

-- go-livepeer payment events (camelCase keys; snake_case accepted too).
INSERT INTO livepeer_analytics.payment_events
(
    event_timestamp, request_id, session_id, manifest_id, sender, recipient, orchestrator, face_value,
    price, num_tickets, win_prob, client_ip, capability, raw_json
)
SELECT
    event_timestamp,
    coalesce(nullIf(JSONExtractString(data, 'requestID'), ''), JSONExtractString(data, 'request_id')),
    coalesce(nullIf(JSONExtractString(data, 'sessionID'), ''), JSONExtractString(data, 'session_id')),
    coalesce(nullIf(JSONExtractString(data, 'manifestID'), ''), JSONExtractString(data, 'manifest_id')),
    JSONExtractString(data, 'sender'),
    JSONExtractString(data, 'recipient'),
    JSONExtractString(data, 'orchestrator'),
    coalesce(nullIf(trim(BOTH '\"' FROM JSONExtractRaw(data, 'faceValue')), ''), trim(BOTH '\"' FROM JSONExtractRaw(data, 'face_value'))),
    trim(BOTH '\"' FROM JSONExtractRaw(data, 'price')),
    coalesce(nullIf(trim(BOTH '\"' FROM JSONExtractRaw(data, 'numTickets')), ''), trim(BOTH '\"' FROM JSONExtractRaw(data, 'num_tickets'))),
    coalesce(nullIf(trim(BOTH '\"' FROM JSONExtractRaw(data, 'winProb')), ''), trim(BOTH '\"' FROM JSONExtractRaw(data, 'win_prob'))),
    coalesce(nullIf(JSONExtractString(data, 'clientIP'), ''), JSONExtractString(data, 'client_ip')),
    JSONExtractString(data, 'capability'),
    data
FROM reportgen_stage.accepted_events
WHERE type = 'payment_events';
