-- a.5 Stateful lifecycle facts: ReplacingMergeTree(version); every update is re-emitted with a
-- higher version. Readers de-duplicate (FINAL + row_number, or argMax(col, version)).
CREATE TABLE IF NOT EXISTS livepeer_analytics.fact_workflow_sessions
(
    workflow_session_id String,
    workflow_type LowCardinality(String),
    workflow_id String,
    stream_id String,
    request_id String,
    session_id String,
    pipeline String,
    gateway String,
    orchestrator_address String,
    orchestrator_url String,
    model_id Nullable(String),
    gpu_id Nullable(String),
    region Nullable(String),
    has_model_change UInt8 DEFAULT 0,
    has_pipeline_change UInt8 DEFAULT 0,
    gpu_attribution_method LowCardinality(String),
    gpu_attribution_confidence Float32,
    session_start_ts DateTime64(3, 'UTC'),
    session_end_ts Nullable(DateTime64(3, 'UTC')),
    known_stream UInt8,
    startup_success UInt8,
    startup_excused UInt8,
    startup_unexcused UInt8,
    confirmed_swap_count UInt16,
    inferred_orchestrator_change_count UInt16,
    swap_count UInt16,
    error_count UInt32,
    excusable_error_count UInt32,
    last_error_occurred UInt8 DEFAULT 0,
    loading_only_session UInt8 DEFAULT 0,
    zero_output_fps_session UInt8 DEFAULT 0,
    status_sample_count UInt32 DEFAULT 0,
    status_error_sample_count UInt32 DEFAULT 0,
    health_signal_count UInt32 DEFAULT 0,
    health_expected_signal_count UInt32 DEFAULT 0,
    health_completeness_ratio Float32 DEFAULT 1,
    first_stream_request_ts Nullable(DateTime64(3, 'UTC')),
    first_processed_ts Nullable(DateTime64(3, 'UTC')),
    first_playable_ts Nullable(DateTime64(3, 'UTC')),
    event_count UInt32,
    version UInt64,
    source_first_event_uid String,
    source_last_event_uid String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(toDate(session_start_ts))
ORDER BY (session_start_ts, workflow_session_id)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.fact_workflow_session_segments
(
    workflow_session_id String,
    segment_index UInt16,
    segment_start_ts DateTime64(3, 'UTC'),
    segment_end_ts Nullable(DateTime64(3, 'UTC')),
    gateway String,
    pipeline String,
    orchestrator_address String,
    orchestrator_url String,
    worker_id Nullable(String),
    gpu_id Nullable(String),
    model_id Nullable(String),
    region Nullable(String),
    gpu_attribution_method LowCardinality(String),
    gpu_attribution_confidence Float32,
    reason LowCardinality(String),
    source_trace_type LowCardinality(String),
    source_event_uid String,
    version UInt64,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(toDate(segment_start_ts))
ORDER BY (segment_start_ts, workflow_session_id, segment_index)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.fact_workflow_param_updates
(
    update_ts DateTime64(3, 'UTC'),
    update_date Date MATERIALIZED toDate(update_ts),
    workflow_session_id String,
    stream_id String,
    request_id String,
    pipeline String,
    gateway String,
    orchestrator_address String,
    orchestrator_url String,
    model_id Nullable(String),
    gpu_id Nullable(String),
    gpu_attribution_method LowCardinality(String),
    gpu_attribution_confidence Float32,
    update_type LowCardinality(String),
    message String,
    source_event_uid String,
    version UInt64,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(update_date)
ORDER BY (update_date, workflow_session_id, update_ts, source_event_uid)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.fact_lifecycle_edge_coverage
(
    signal_ts DateTime64(3, 'UTC'),
    signal_date Date MATERIALIZED toDate(signal_ts),
    workflow_session_id String,
    stream_id String,
    request_id String,
    pipeline String,
    model_id Nullable(String),
    gateway String,
    orchestrator_address String,
    trace_type LowCardinality(String),
    source_event_uid String,
    known_stream UInt8,
    has_first_processed_edge UInt8,
    has_first_playable_edge UInt8,
    startup_edge_matched UInt8,
    playable_edge_matched UInt8,
    is_terminal_signal UInt8,
    unmatched_reason LowCardinality(String),
    version UInt64,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(signal_date)
ORDER BY (signal_date, workflow_session_id, signal_ts, source_event_uid)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.fact_workflow_latency_samples
(
    sample_ts DateTime64(3, 'UTC'),
    sample_date Date MATERIALIZED toDate(sample_ts),
    workflow_session_id String,
    stream_id String,
    request_id String,
    gateway String,
    orchestrator_address String,
    pipeline String,
    model_id Nullable(String),
    gpu_id Nullable(String),
    region Nullable(String),
    prompt_to_first_frame_ms Nullable(Float64),
    startup_time_ms Nullable(Float64),
    e2e_latency_ms Nullable(Float64),
    has_prompt_to_first_frame UInt8,
    has_startup_time UInt8,
    has_e2e_latency UInt8,
    edge_semantics_version LowCardinality(String),
    version UInt64,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(sample_date)
ORDER BY (sample_date, workflow_session_id, sample_ts)
SETTINGS index_granularity = 8192;

-- Placeholder (no writer), as in production.
CREATE TABLE IF NOT EXISTS livepeer_analytics.fact_orchestrator_transport_bandwidth
(
    sample_ts DateTime64(3, 'UTC'),
    sample_date Date MATERIALIZED toDate(sample_ts),
    orchestrator_address String,
    gateway String,
    workflow_session_id Nullable(String),
    stream_id Nullable(String),
    request_id Nullable(String),
    link_type LowCardinality(String),
    rx_bps UInt64,
    tx_bps UInt64,
    source_system LowCardinality(String),
    source_sample_id String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(sample_date)
ORDER BY (sample_date, orchestrator_address, gateway, sample_ts)
SETTINGS index_granularity = 8192;
