-- a.3 Typed tables (written by the reference pipeline, standing in for the Flink job).
CREATE TABLE IF NOT EXISTS livepeer_analytics.ai_stream_status
(
    event_timestamp DateTime64(3, 'UTC'),
    event_date Date MATERIALIZED toDate(event_timestamp),
    event_hour UInt8 MATERIALIZED toHour(event_timestamp),
    stream_id String,
    request_id String,
    gateway String,
    orchestrator_address String,
    orchestrator_url String,
    pipeline LowCardinality(String),
    output_fps Float32,
    input_fps Float32,
    state LowCardinality(String),
    restart_count UInt32,
    last_error Nullable(String),
    last_error_time Nullable(DateTime64(3, 'UTC')),
    prompt_text Nullable(String),
    prompt_width UInt16,
    prompt_height UInt16,
    params_hash String,
    start_time DateTime64(3, 'UTC'),
    raw_json String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_orchestrator_address orchestrator_address TYPE bloom_filter GRANULARITY 4,
    INDEX idx_pipeline pipeline TYPE bloom_filter GRANULARITY 4
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_date, orchestrator_address, pipeline, stream_id, event_timestamp)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.stream_trace_events
(
    event_timestamp DateTime64(3, 'UTC'),
    event_date Date MATERIALIZED toDate(event_timestamp),
    stream_id String,
    request_id String,
    orchestrator_address String,
    orchestrator_url String,
    trace_type LowCardinality(String),
    data_timestamp DateTime64(3, 'UTC'),
    raw_json String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_request_id request_id TYPE bloom_filter GRANULARITY 4
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_date, request_id, trace_type, data_timestamp)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.ai_stream_events
(
    event_timestamp DateTime64(3, 'UTC'),
    event_date Date MATERIALIZED toDate(event_timestamp),
    stream_id String,
    request_id String,
    pipeline String,
    event_type LowCardinality(String),
    message String,
    capability String,
    raw_json String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_date, stream_id, event_timestamp)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.stream_ingest_metrics
(
    event_timestamp DateTime64(3, 'UTC'),
    event_date Date MATERIALIZED toDate(event_timestamp),
    stream_id String,
    request_id String,
    connection_quality LowCardinality(String),
    video_jitter Float32,
    video_packets_received UInt32,
    video_packets_lost UInt32,
    video_packet_loss_pct Float32,
    video_rtt Float32,
    video_last_input_ts Float32,
    video_latency Float32,
    audio_jitter Float32,
    audio_packets_received UInt32,
    audio_packets_lost UInt32,
    audio_packet_loss_pct Float32,
    audio_rtt Float32,
    audio_last_input_ts Float32,
    audio_latency Float32,
    bytes_received UInt64,
    bytes_sent UInt64,
    raw_json String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_date, stream_id, event_timestamp)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.network_capabilities
(
    event_timestamp DateTime64(3, 'UTC'),
    event_date Date MATERIALIZED toDate(event_timestamp),
    source_event_id String,
    orchestrator_address String,
    local_address String,
    orch_uri String,
    gpu_id Nullable(String),
    gpu_name Nullable(String),
    gpu_memory_total Nullable(UInt64),
    gpu_memory_free Nullable(UInt64),
    gpu_major Nullable(UInt8),
    gpu_minor Nullable(UInt8),
    pipeline String,
    model_id String,
    capability_id Nullable(Int32),
    capability_name Nullable(String),
    capability_group Nullable(String),
    capability_catalog_version Nullable(String),
    runner_version Nullable(String),
    capacity Nullable(UInt8),
    capacity_in_use Nullable(UInt8),
    warm Nullable(UInt8),
    price_per_unit Nullable(UInt32),
    pixels_per_unit Nullable(UInt32),
    orchestrator_version String,
    raw_json String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_orchestrator_address orchestrator_address TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree(event_timestamp)
PARTITION BY toYYYYMM(event_date)
ORDER BY (orchestrator_address, orch_uri, pipeline, model_id, ifNull(gpu_id, ''), ifNull(capability_id, 0), event_timestamp, source_event_id)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.network_capabilities_advertised
(
    event_timestamp DateTime64(3, 'UTC'),
    event_date Date MATERIALIZED toDate(event_timestamp),
    source_event_id String,
    orchestrator_address String,
    local_address String,
    orch_uri String,
    capability_id Int32,
    capability_name LowCardinality(String),
    capability_group LowCardinality(String),
    capability_catalog_version LowCardinality(String),
    capacity Nullable(Int32),
    raw_json String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(event_timestamp)
PARTITION BY toYYYYMM(event_date)
ORDER BY (orchestrator_address, capability_id, event_timestamp, source_event_id)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.network_capabilities_model_constraints
(
    event_timestamp DateTime64(3, 'UTC'),
    event_date Date MATERIALIZED toDate(event_timestamp),
    source_event_id String,
    orchestrator_address String,
    local_address String,
    orch_uri String,
    capability_id Int32,
    capability_name LowCardinality(String),
    capability_group LowCardinality(String),
    capability_catalog_version LowCardinality(String),
    model_id String,
    runner_version Nullable(String),
    capacity Nullable(Int32),
    capacity_in_use Nullable(Int32),
    warm Nullable(Int32),
    raw_json String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(event_timestamp)
PARTITION BY toYYYYMM(event_date)
ORDER BY (orchestrator_address, capability_id, model_id, event_timestamp, source_event_id)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.network_capabilities_prices
(
    event_timestamp DateTime64(3, 'UTC'),
    event_date Date MATERIALIZED toDate(event_timestamp),
    source_event_id String,
    orchestrator_address String,
    local_address String,
    orch_uri String,
    capability_id Int32,
    capability_name LowCardinality(String),
    capability_group LowCardinality(String),
    capability_catalog_version LowCardinality(String),
    constraint_name Nullable(String),
    price_per_unit Nullable(Int32),
    pixels_per_unit Nullable(Int32),
    raw_json String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(event_timestamp)
PARTITION BY toYYYYMM(event_date)
ORDER BY (orchestrator_address, capability_id, event_timestamp, source_event_id)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.discovery_results
(
    event_timestamp DateTime64(3, 'UTC'),
    event_date Date MATERIALIZED toDate(event_timestamp),
    orchestrator_address String,
    orchestrator_url String,
    latency_ms UInt32,
    raw_json String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_date, orchestrator_address, event_timestamp)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.payment_events
(
    event_timestamp DateTime64(3, 'UTC'),
    event_date Date MATERIALIZED toDate(event_timestamp),
    request_id String,
    session_id String,
    manifest_id String,
    sender String,
    recipient String,
    orchestrator String,
    face_value String,
    price String,
    num_tickets String,
    win_prob String,
    client_ip String,
    capability String,
    raw_json String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_date, recipient, orchestrator, event_timestamp)
SETTINGS index_granularity = 8192;
