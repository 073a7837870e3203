-- a.4 Silver facts. Status samples and trace edges are written by the reference pipeline
-- (standing in for the Flink attribution operators); ingest samples by a ClickHouse MV.
CREATE TABLE IF NOT EXISTS livepeer_analytics.fact_stream_status_samples
(
    sample_ts DateTime64(3, 'UTC'),
    sample_date Date MATERIALIZED toDate(sample_ts),
    workflow_session_id String,
    stream_id String,
    request_id String,
    gateway String,
    orchestrator_address String,
    orchestrator_url String,
    pipeline String,
    model_id Nullable(String),
    gpu_id Nullable(String),
    region Nullable(String),
    state LowCardinality(String),
    output_fps Float32,
    input_fps Float32,
    is_attributed UInt8 DEFAULT 0,
    gpu_attribution_method LowCardinality(String),
    gpu_attribution_confidence Float32,
    source_event_uid String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(sample_date)
ORDER BY (sample_date, workflow_session_id, sample_ts)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.fact_stream_trace_edges
(
    edge_ts DateTime64(3, 'UTC'),
    edge_date Date MATERIALIZED toDate(edge_ts),
    workflow_session_id String,
    stream_id String,
    request_id String,
    gateway String,
    orchestrator_address String,
    orchestrator_url String,
    pipeline String,
    model_id Nullable(String),
    trace_type LowCardinality(String),
    trace_category LowCardinality(String),
    is_swap_event UInt8,
    is_attributed UInt8 DEFAULT 0,
    source_event_uid String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(edge_date)
ORDER BY (edge_date, workflow_session_id, edge_ts, trace_type)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.fact_stream_ingest_samples
(
    sample_ts DateTime64(3, 'UTC'),
    sample_date Date MATERIALIZED toDate(sample_ts),
    workflow_session_id String,
    stream_id String,
    request_id String,
    connection_quality LowCardinality(String),
    video_jitter Float32,
    audio_jitter Float32,
    video_latency Float32,
    audio_latency Float32,
    bytes_received UInt64,
    bytes_sent UInt64,
    source_event_uid String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(sample_date)
ORDER BY (sample_date, workflow_session_id, sample_ts)
SETTINGS index_granularity = 8192;

CREATE MATERIALIZED VIEW IF NOT EXISTS livepeer_analytics.mv_stream_ingest_metrics_to_fact_stream_ingest_samples
TO livepeer_analytics.fact_stream_ingest_samples
AS
SELECT
    event_timestamp AS sample_ts,
    multiIf(
        stream_id != '' AND request_id != '', concat(stream_id, '|', request_id),
        stream_id != '', concat(stream_id, '|_missing_request'),
        request_id != '', concat('_missing_stream|', request_id),
        concat('_missing_stream|_missing_request|', toString(cityHash64(raw_json)))
    ) AS workflow_session_id,
    stream_id,
    request_id,
    connection_quality,
    video_jitter,
    audio_jitter,
    video_latency,
    audio_latency,
    bytes_received,
    bytes_sent,
    toString(cityHash64(raw_json)) AS source_event_uid,
    ingestion_timestamp
FROM livepeer_analytics.stream_ingest_metrics;
