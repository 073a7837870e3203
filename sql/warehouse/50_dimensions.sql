-- a.6 Capability dimensions (ReplacingMergeTree(snapshot_ts)), fed by ClickHouse MVs from the
-- typed capability tables, plus the plain view dim_orchestrator_capability_current.
CREATE TABLE IF NOT EXISTS livepeer_analytics.dim_orchestrator_capability_snapshots
(
    snapshot_ts DateTime64(3, 'UTC'),
    snapshot_date Date MATERIALIZED toDate(snapshot_ts),
    orchestrator_address String,
    orchestrator_proxy_address String,
    orchestrator_url String,
    pipeline String,
    model_id String,
    capability_id Int32,
    capability_name LowCardinality(String),
    capability_group LowCardinality(String),
    gpu_id Nullable(String),
    gpu_name Nullable(String),
    gpu_memory_total Nullable(UInt64),
    gpu_major Nullable(UInt8),
    gpu_minor Nullable(UInt8),
    runner_version Nullable(String),
    region Nullable(String),
    source_event_uid String,
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(snapshot_ts)
PARTITION BY toYYYYMM(snapshot_date)
ORDER BY (orchestrator_address, pipeline, model_id, capability_id, ifNull(gpu_id, ''), snapshot_ts, source_event_uid)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.dim_orchestrator_capability_advertised_snapshots
(
    snapshot_ts DateTime64(3, 'UTC'),
    snapshot_date Date MATERIALIZED toDate(snapshot_ts),
    source_event_uid String,
    orchestrator_address String,
    orchestrator_proxy_address String,
    orchestrator_url String,
    capability_id Int32,
    capability_name LowCardinality(String),
    capability_group LowCardinality(String),
    capacity Nullable(Int32),
    capability_catalog_version LowCardinality(String),
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(snapshot_ts)
PARTITION BY toYYYYMM(snapshot_date)
ORDER BY (orchestrator_address, capability_id, snapshot_ts, source_event_uid)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.dim_orchestrator_capability_model_constraints
(
    snapshot_ts DateTime64(3, 'UTC'),
    snapshot_date Date MATERIALIZED toDate(snapshot_ts),
    source_event_uid String,
    orchestrator_address String,
    orchestrator_proxy_address String,
    orchestrator_url String,
    capability_id Int32,
    capability_name LowCardinality(String),
    capability_group LowCardinality(String),
    capability_catalog_version LowCardinality(String),
    model_id String,
    runner_version Nullable(String),
    capacity Nullable(Int32),
    capacity_in_use Nullable(Int32),
    warm Nullable(UInt8),
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(snapshot_ts)
PARTITION BY toYYYYMM(snapshot_date)
ORDER BY (orchestrator_address, capability_id, model_id, snapshot_ts, source_event_uid)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS livepeer_analytics.dim_orchestrator_capability_prices
(
    snapshot_ts DateTime64(3, 'UTC'),
    snapshot_date Date MATERIALIZED toDate(snapshot_ts),
    source_event_uid String,
    orchestrator_address String,
    orchestrator_proxy_address String,
    orchestrator_url String,
    capability_id Int32,
    capability_name LowCardinality(String),
    capability_group LowCardinality(String),
    capability_catalog_version LowCardinality(String),
    constraint_name Nullable(String),
    price_per_unit Nullable(Int32),
    pixels_per_unit Nullable(Int32),
    ingestion_timestamp DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(snapshot_ts)
PARTITION BY toYYYYMM(snapshot_date)
ORDER BY (orchestrator_address, capability_id, snapshot_ts, source_event_uid)
SETTINGS index_granularity = 8192;

CREATE MATERIALIZED VIEW IF NOT EXISTS livepeer_analytics.mv_network_capabilities_to_dim_orchestrator_capability_snapshots
TO livepeer_analytics.dim_orchestrator_capability_snapshots
AS
SELECT
    event_timestamp AS snapshot_ts,
    lower(orchestrator_address) AS orchestrator_address,
    lower(local_address) AS orchestrator_proxy_address,
    orch_uri AS orchestrator_url,
    pipeline,
    model_id,
    ifNull(capability_id, 0) AS capability_id,
    ifNull(capability_name, 'unknown') AS capability_name,
    ifNull(capability_group, 'unknown') AS capability_group,
    gpu_id,
    gpu_name,
    gpu_memory_total,
    gpu_major,
    gpu_minor,
    runner_version,
    CAST(NULL, 'Nullable(String)') AS region,
    source_event_id AS source_event_uid,
    ingestion_timestamp
FROM livepeer_analytics.network_capabilities;

CREATE MATERIALIZED VIEW IF NOT EXISTS livepeer_analytics.mv_network_capabilities_advertised_to_dim_orchestrator_capability_advertised_snapshots
TO livepeer_analytics.dim_orchestrator_capability_advertised_snapshots
AS
SELECT
    event_timestamp AS snapshot_ts,
    source_event_id AS source_event_uid,
    lower(orchestrator_address) AS orchestrator_address,
    lower(local_address) AS orchestrator_proxy_address,
    orch_uri AS orchestrator_url,
    capability_id,
    capability_name,
    capability_group,
    capacity,
    capability_catalog_version,
    ingestion_timestamp
FROM livepeer_analytics.network_capabilities_advertised;

CREATE MATERIALIZED VIEW IF NOT EXISTS livepeer_analytics.mv_network_capabilities_model_constraints_to_dim_orchestrator_capability_model_constraints
TO livepeer_analytics.dim_orchestrator_capability_model_constraints
AS
SELECT
    event_timestamp AS snapshot_ts,
    source_event_id AS source_event_uid,
    lower(orchestrator_address) AS orchestrator_address,
    lower(local_address) AS orchestrator_proxy_address,
    orch_uri AS orchestrator_url,
    capability_id,
    capability_name,
    capability_group,
    capability_catalog_version,
    model_id,
    runner_version,
    capacity,
    capacity_in_use,
    CAST(warm, 'Nullable(UInt8)') AS warm,
    ingestion_timestamp
FROM livepeer_analytics.network_capabilities_model_constraints;

CREATE MATERIALIZED VIEW IF NOT EXISTS livepeer_analytics.mv_network_capabilities_prices_to_dim_orchestrator_capability_prices
TO livepeer_analytics.dim_orchestrator_capability_prices
AS
SELECT
    event_timestamp AS snapshot_ts,
    source_event_id AS source_event_uid,
    lower(orchestrator_address) AS orchestrator_address,
    lower(local_address) AS orchestrator_proxy_address,
    orch_uri AS orchestrator_url,
    capability_id,
    capability_name,
    capability_group,
    capability_catalog_version,
    constraint_name,
    price_per_unit,
    pixels_per_unit,
    ingestion_timestamp
FROM livepeer_analytics.network_capabilities_prices;

CREATE OR REPLACE VIEW livepeer_analytics.dim_orchestrator_capability_current
AS
SELECT
    orchestrator_address,
    pipeline,
    model_id,
    capability_id,
    gpu_id,
    argMax(orchestrator_proxy_address, snapshot_ts) AS orchestrator_proxy_address,
    argMax(orchestrator_url, snapshot_ts) AS orchestrator_url,
    toString(argMax(capability_name, snapshot_ts)) AS capability_name,
    toString(argMax(capability_group, snapshot_ts)) AS capability_group,
    argMax(gpu_name, snapshot_ts) AS gpu_name,
    argMax(gpu_memory_total, snapshot_ts) AS gpu_memory_total,
    argMax(gpu_major, snapshot_ts) AS gpu_major,
    argMax(gpu_minor, snapshot_ts) AS gpu_minor,
    argMax(runner_version, snapshot_ts) AS runner_version,
    argMax(region, snapshot_ts) AS region,
    max(snapshot_ts) AS latest_snapshot_ts
FROM livepeer_analytics.dim_orchestrator_capability_snapshots
GROUP BY orchestrator_address, pipeline, model_id, capability_id, gpu_id;
