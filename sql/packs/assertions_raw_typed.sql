-- assertions_raw_typed.sql — raw ingress → typed tables accounting (suite `assertions_raw_typed`, 5 TEST blocks).
--
-- How the report finds it: suite = file stem `assertions_raw_typed`, block = the name after `-- TEST:`.
-- Report section: "Assertion suites → Raw → Typed" and the executive-summary layer "Raw -> Typed Assertions".
-- Params: {from_ts:DateTime64(3)}, {to_ts:DateTime64(3)} (half-open window >= from_ts AND < to_ts).
-- Contract: every block returns exactly one row; `failed_rows` first (0 = pass), then diagnostics.
-- Windowing: raw and typed rows on event_timestamp; DLQ/quarantine rows on
--   ifNull(event_timestamp, source_record_timestamp).
-- Core types: ai_stream_status, stream_trace, ai_stream_events, stream_ingest_metrics.
-- Advisory exceptions on the clean demo warehouse: none (all five pass).
-- On a schema-only warehouse only raw_typed_network_capabilities_expected_in_window fails.

-- TEST: raw_typed_accepted_estimate_nonnegative
-- Informational: per raw event type, raw rows minus DLQ minus quarantine rows must not go negative.
WITH
  raw_by_type AS
  (
    SELECT type AS event_type, count() AS raw_rows
    FROM livepeer_analytics.streaming_events
    WHERE event_timestamp >= {from_ts:DateTime64(3)}
      AND event_timestamp < {to_ts:DateTime64(3)}
    GROUP BY event_type
  ),
  rejects_by_type AS
  (
    SELECT event_type, sum(is_dlq) AS dlq_rows, sum(1 - is_dlq) AS quarantine_rows
    FROM
    (
      SELECT toString(event_type) AS event_type, toUInt64(1) AS is_dlq
      FROM livepeer_analytics.streaming_events_dlq
      WHERE ifNull(event_timestamp, source_record_timestamp) >= {from_ts:DateTime64(3)}
        AND ifNull(event_timestamp, source_record_timestamp) < {to_ts:DateTime64(3)}
      UNION ALL
      SELECT toString(event_type) AS event_type, toUInt64(0) AS is_dlq
      FROM livepeer_analytics.streaming_events_quarantine
      WHERE ifNull(event_timestamp, source_record_timestamp) >= {from_ts:DateTime64(3)}
        AND ifNull(event_timestamp, source_record_timestamp) < {to_ts:DateTime64(3)}
    )
    GROUP BY event_type
  ),
  per_type AS
  (
    SELECT
      if(r.event_type != '', r.event_type, j.event_type) AS event_type,
      ifNull(r.raw_rows, 0) AS raw_rows,
      ifNull(j.dlq_rows, 0) AS dlq_rows,
      ifNull(j.quarantine_rows, 0) AS quarantine_rows
    FROM raw_by_type AS r
    FULL OUTER JOIN rejects_by_type AS j ON r.event_type = j.event_type
  )
SELECT
  toUInt64(0) AS failed_rows,
  countIf(dlq_rows + quarantine_rows > raw_rows) AS overflow_type_count,
  sum(raw_rows) AS total_raw_rows,
  sum(dlq_rows) AS total_dlq_rows,
  sum(quarantine_rows) AS total_quarantine_rows,
  sum(if(raw_rows > dlq_rows + quarantine_rows, raw_rows - dlq_rows - quarantine_rows, 0)) AS total_accepted_rows_est_capped
FROM per_type;

-- TEST: raw_typed_no_dlq_or_quarantine_for_core_types
-- Fails (1) when any DLQ or quarantine row of a core event type lies in the window.
WITH
  rejects AS
  (
    SELECT toUInt64(1) AS is_dlq
    FROM livepeer_analytics.streaming_events_dlq
    WHERE event_type IN ('ai_stream_status', 'stream_trace', 'ai_stream_events', 'stream_ingest_metrics')
      AND ifNull(event_timestamp, source_record_timestamp) >= {from_ts:DateTime64(3)}
      AND ifNull(event_timestamp, source_record_timestamp) < {to_ts:DateTime64(3)}
    UNION ALL
    SELECT toUInt64(0) AS is_dlq
    FROM livepeer_analytics.streaming_events_quarantine
    WHERE event_type IN ('ai_stream_status', 'stream_trace', 'ai_stream_events', 'stream_ingest_metrics')
      AND ifNull(event_timestamp, source_record_timestamp) >= {from_ts:DateTime64(3)}
      AND ifNull(event_timestamp, source_record_timestamp) < {to_ts:DateTime64(3)}
  )
SELECT
  toUInt64(count() > 0) AS failed_rows,
  sum(is_dlq) AS dlq_rows,
  sum(1 - is_dlq) AS quarantine_rows
FROM rejects;

-- TEST: raw_typed_core_1to1_parity
-- Per core type, typed-table rows must equal distinct raw event ids (dedup-aware lineage); failed_rows = types that differ.
WITH
  raw_core AS
  (
    SELECT
      toString(type) AS event_type,
      count() AS raw_rows,
      uniqExact(id) AS raw_distinct_ids
    FROM livepeer_analytics.streaming_events
    WHERE type IN ('ai_stream_status', 'stream_trace', 'ai_stream_events', 'stream_ingest_metrics')
      AND event_timestamp >= {from_ts:DateTime64(3)}
      AND event_timestamp < {to_ts:DateTime64(3)}
    GROUP BY event_type
  ),
  rejected_core AS
  (
    SELECT
      event_type,
      sum(is_dlq) AS dlq_rows,
      sum(1 - is_dlq) AS quarantine_rows,
      uniqExactIf(event_id, is_dlq = 1) AS dlq_distinct_ids
    FROM
    (
      SELECT toString(event_type) AS event_type, event_id, toUInt64(1) AS is_dlq
      FROM livepeer_analytics.streaming_events_dlq
      WHERE ifNull(event_timestamp, source_record_timestamp) >= {from_ts:DateTime64(3)}
        AND ifNull(event_timestamp, source_record_timestamp) < {to_ts:DateTime64(3)}
      UNION ALL
      SELECT toString(event_type) AS event_type, event_id, toUInt64(0) AS is_dlq
      FROM livepeer_analytics.streaming_events_quarantine
      WHERE ifNull(event_timestamp, source_record_timestamp) >= {from_ts:DateTime64(3)}
        AND ifNull(event_timestamp, source_record_timestamp) < {to_ts:DateTime64(3)}
    )
    WHERE event_type IN ('ai_stream_status', 'stream_trace', 'ai_stream_events', 'stream_ingest_metrics')
    GROUP BY event_type
  ),
  typed_core AS
  (
    SELECT 'ai_stream_status' AS event_type, count() AS typed_rows
    FROM livepeer_analytics.ai_stream_status
    WHERE event_timestamp >= {from_ts:DateTime64(3)} AND event_timestamp < {to_ts:DateTime64(3)}
    UNION ALL
    SELECT 'stream_trace' AS event_type, count() AS typed_rows
    FROM livepeer_analytics.stream_trace_events
    WHERE event_timestamp >= {from_ts:DateTime64(3)} AND event_timestamp < {to_ts:DateTime64(3)}
    UNION ALL
    SELECT 'ai_stream_events' AS event_type, count() AS typed_rows
    FROM livepeer_analytics.ai_stream_events
    WHERE event_timestamp >= {from_ts:DateTime64(3)} AND event_timestamp < {to_ts:DateTime64(3)}
    UNION ALL
    SELECT 'stream_ingest_metrics' AS event_type, count() AS typed_rows
    FROM livepeer_analytics.stream_ingest_metrics
    WHERE event_timestamp >= {from_ts:DateTime64(3)} AND event_timestamp < {to_ts:DateTime64(3)}
  ),
  per_type AS
  (
    SELECT
      t.event_type AS event_type,
      ifNull(r.raw_rows, 0) AS raw_rows,
      ifNull(r.raw_distinct_ids, 0) AS raw_distinct_ids,
      ifNull(j.dlq_rows, 0) AS dlq_rows,
      ifNull(j.quarantine_rows, 0) AS quarantine_rows,
      ifNull(j.dlq_distinct_ids, 0) AS dlq_distinct_ids,
      t.typed_rows AS typed_rows
    FROM typed_core AS t
    LEFT JOIN raw_core AS r ON r.event_type = t.event_type
    LEFT JOIN rejected_core AS j ON j.event_type = t.event_type
  )
SELECT
  countIf(typed_rows != raw_distinct_ids) AS failed_rows,
  sum(raw_rows) AS total_raw_rows,
  sum(raw_distinct_ids) AS total_raw_distinct_ids,
  sum(raw_rows - raw_distinct_ids) AS total_raw_duplicate_rows,
  sum(if(raw_distinct_ids > dlq_distinct_ids, raw_distinct_ids - dlq_distinct_ids, 0)) AS total_accepted_rows_est_distinct,
  sum(typed_rows) AS total_typed_rows,
  sum(dlq_rows) AS total_dlq_rows,
  sum(quarantine_rows) AS total_quarantine_rows
FROM per_type;

-- TEST: raw_typed_network_capabilities_expected_in_window
-- Fails (1) when no raw network_capabilities event lies in the window (fixture/window drift).
SELECT
  toUInt64(count() = 0) AS failed_rows,
  count() AS raw_rows
FROM livepeer_analytics.streaming_events
WHERE type = 'network_capabilities'
  AND event_timestamp >= {from_ts:DateTime64(3)}
  AND event_timestamp < {to_ts:DateTime64(3)};

-- TEST: raw_typed_network_capabilities_fanout_guard
-- Fails (1) when distinct typed capability source_event_id exceed distinct raw capability event ids.
WITH
  raw_caps AS
  (
    SELECT count() AS raw_rows, uniqExact(id) AS raw_distinct_ids
    FROM livepeer_analytics.streaming_events
    WHERE type = 'network_capabilities'
      AND event_timestamp >= {from_ts:DateTime64(3)}
      AND event_timestamp < {to_ts:DateTime64(3)}
  ),
  rejected_caps AS
  (
    SELECT sum(is_dlq) AS dlq_rows, sum(1 - is_dlq) AS quarantine_rows
    FROM
    (
      SELECT toUInt64(1) AS is_dlq
      FROM livepeer_analytics.streaming_events_dlq
      WHERE event_type = 'network_capabilities'
        AND ifNull(event_timestamp, source_record_timestamp) >= {from_ts:DateTime64(3)}
        AND ifNull(event_timestamp, source_record_timestamp) < {to_ts:DateTime64(3)}
      UNION ALL
      SELECT toUInt64(0) AS is_dlq
      FROM livepeer_analytics.streaming_events_quarantine
      WHERE event_type = 'network_capabilities'
        AND ifNull(event_timestamp, source_record_timestamp) >= {from_ts:DateTime64(3)}
        AND ifNull(event_timestamp, source_record_timestamp) < {to_ts:DateTime64(3)}
    )
  ),
  typed_caps AS
  (
    SELECT count() AS typed_rows, uniqExact(source_event_id) AS typed_distinct_source_events
    FROM livepeer_analytics.network_capabilities
    WHERE event_timestamp >= {from_ts:DateTime64(3)}
      AND event_timestamp < {to_ts:DateTime64(3)}
  )
SELECT
  toUInt64(typed_caps.typed_distinct_source_events > raw_caps.raw_distinct_ids) AS failed_rows,
  raw_caps.raw_rows AS raw_rows,
  raw_caps.raw_distinct_ids AS raw_distinct_ids,
  rejected_caps.dlq_rows AS dlq_rows,
  rejected_caps.quarantine_rows AS quarantine_rows,
  toUInt64(greatest(toInt64(raw_caps.raw_rows) - toInt64(rejected_caps.dlq_rows) - toInt64(rejected_caps.quarantine_rows), 0)) AS accepted_rows_est,
  typed_caps.typed_rows AS typed_rows,
  typed_caps.typed_distinct_source_events AS typed_distinct_source_events,
  if(typed_caps.typed_distinct_source_events = 0, 0.0,
     typed_caps.typed_rows / toFloat64(typed_caps.typed_distinct_source_events)) AS avg_fanout_per_source_event
FROM raw_caps
CROSS JOIN rejected_caps
CROSS JOIN typed_caps;
