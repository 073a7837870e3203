-- Reference pipeline step 1: typed stream tables, one row per accepted event
-- (stands in for the Flink parsers + ClickHouse sink). raw_json keeps the payload verbatim.
INSERT INTO livepeer_analytics.ai_stream_status
(
    event_timestamp, stream_id, request_id, gateway, orchestrator_address, orchestrator_url, pipeline,
    output_fps, input_fps, state, restart_count, last_error, last_error_time, prompt_text,
    prompt_width, prompt_height, params_hash, start_time, raw_json
)
SELECT
    event_timestamp,
    JSONExtractString(data, 'stream_id'),
    JSONExtractString(data, 'request_id'),
    gateway,
    JSONExtractString(data, 'orchestrator_info', 'address'),
    JSONExtractString(data, 'orchestrator_info', 'url'),
    JSONExtractString(data, 'pipeline'),
    toFloat32(JSONExtractFloat(data, 'inference_status', 'fps')),
    toFloat32(JSONExtractFloat(data, 'input_status', 'fps')),
    JSONExtractString(data, 'state'),
    toUInt32(JSONExtractUInt(data, 'inference_status', 'restart_count')),
    if(JSONHas(data, 'inference_status', 'last_error'), JSONExtractString(data, 'inference_status', 'last_error'), NULL),
    if(JSONExtractInt(data, 'inference_status', 'last_error_time') > 0,
       fromUnixTimestamp64Milli(JSONExtractInt(data, 'inference_status', 'last_error_time'), 'UTC'), NULL),
    if(JSONHas(data, 'inference_status', 'last_params', 'prompt'),
       JSONExtractString(data, 'inference_status', 'last_params', 'prompt'), NULL),
    toUInt16(JSONExtractUInt(data, 'inference_status', 'last_params', 'width')),
    toUInt16(JSONExtractUInt(data, 'inference_status', 'last_params', 'height')),
    JSONExtractString(data, 'inference_status', 'last_params_hash'),
    fromUnixTimestamp64Milli(JSONExtractInt(data, 'start_time'), 'UTC'),
    data
FROM reportgen_stage.accepted_events
WHERE type = 'ai_stream_status'
ORDER BY event_timestamp, id;

INSERT INTO livepeer_analytics.stream_trace_events
(
    event_timestamp, stream_id, request_id, orchestrator_address, orchestrator_url, trace_type,
    data_timestamp, raw_json
)
SELECT
    event_timestamp,
    JSONExtractString(data, 'stream_id'),
    JSONExtractString(data, 'request_id'),
    JSONExtractString(data, 'orchestrator_info', 'address'),
    JSONExtractString(data, 'orchestrator_info', 'url'),
    JSONExtractString(data, 'type'),
    if(JSONExtractInt(data, 'timestamp') > 0,
       fromUnixTimestamp64Milli(JSONExtractInt(data, 'timestamp'), 'UTC'), event_timestamp),
    data
FROM reportgen_stage.accepted_events
WHERE type = 'stream_trace'
ORDER BY event_timestamp, id;

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
WHERE type = 'ai_stream_events'
ORDER BY event_timestamp, id;

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
)
ORDER BY event_timestamp, id;

INSERT INTO livepeer_analytics.discovery_results (event_timestamp, orchestrator_address, orchestrator_url, latency_ms, raw_json)
SELECT
    event_timestamp,
    lower(JSONExtractString(data, 'address')),
    JSONExtractString(data, 'url'),
    toUInt32(JSONExtractUInt(data, 'latency_ms')),
    data
FROM reportgen_stage.accepted_events
WHERE type = 'discovery_results'
ORDER BY event_timestamp, id;

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
WHERE type = 'payment_events'
ORDER BY event_timestamp, id;
