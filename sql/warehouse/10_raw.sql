-- a.2 Raw ingress, DLQ, quarantine.
CREATE TABLE IF NOT EXISTS livepeer_analytics.streaming_events
(
    id String,
    type LowCardinality(String),
    timestamp UInt64,
    gateway String,
    data String,
    event_timestamp DateTime64(3, 'UTC') MATERIALIZED fromUnixTimestamp64Milli(toInt64(timestamp), 'UTC'),
    event_date Date MATERIALIZED toDate(event_timestamp),
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_event_type type TYPE bloom_filter GRANULARITY 4
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_date, type, event_timestamp)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.streaming_events_dlq
(
    schema_version LowCardinality(String),
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    source_record_timestamp DateTime64(3, 'UTC'),
    event_id String,
    event_type LowCardinality(String),
    event_version Nullable(String),
    event_timestamp Nullable(DateTime64(3, 'UTC')),
    event_date Date MATERIALIZED toDate(ifNull(event_timestamp, source_record_timestamp)),
    dedup_key Nullable(String),
    dedup_strategy Nullable(String),
    replay UInt8,
    failure_stage LowCardinality(String),
    failure_class LowCardinality(String),
    failure_reason String,
    failure_details String,
    orchestrator Nullable(String),
    broadcaster Nullable(String),
    region Nullable(String),
    payload_encoding LowCardinality(String),
    payload_body String,
    payload_canonical_json Nullable(String),
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_date, failure_class, event_type, source_topic, source_offset)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.streaming_events_quarantine
(
    schema_version LowCardinality(String),
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    source_record_timestamp DateTime64(3, 'UTC'),
    event_id String,
    event_type LowCardinality(String),
    event_version Nullable(String),
    event_timestamp Nullable(DateTime64(3, 'UTC')),
    event_date Date MATERIALIZED toDate(ifNull(event_timestamp, source_record_timestamp)),
    dedup_key Nullable(String),
    dedup_strategy Nullable(String),
    replay UInt8,
    failure_stage LowCardinality(String),
    failure_class LowCardinality(String),
    failure_reason String,
    failure_details String,
    orchestrator Nullable(String),
    broadcaster Nullable(String),
    region Nullable(String),
    payload_encoding LowCardinality(String),
    payload_body String,
    payload_canonical_json Nullable(String),
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_date, failure_class, event_type, source_topic, source_offset)
SETTINGS index_granularity = 8192;
