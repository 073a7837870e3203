-- Fixture replay routing (the raw archive + the envelope part of the quality gate).
-- Input: reportgen_stage.fixture_lines (seq = global replay order, file, line_no, line), see
-- 05_split_lines.sql. {fallback_ms} is the manifest window start (epoch ms) used as the record
-- time of rejects seen before any valid timestamp in their file.
--   * not a JSON object                         -> streaming_events_dlq (MALFORMED_JSON)
--   * id/type/timestamp/data missing or invalid -> streaming_events_dlq (SCHEMA_INVALID)
--   * otherwise                                 -> streaming_events (the raw archive, as delivered)
--   * a repeated event id (2nd+ delivery)       -> also streaming_events_quarantine (DUPLICATE_EVENT_ID)
DROP TABLE IF EXISTS reportgen_stage.fixture_envelopes;

CREATE TABLE reportgen_stage.fixture_envelopes
ENGINE = MergeTree ORDER BY tuple()
AS
SELECT
    seq, file, line_no,
    if(failure_class = '', '', line) AS reject_line,  -- the line is kept for rejects only
    failure_class, failure_reason, event_id, event_type, ts_ms, gateway, data
FROM
(
    SELECT
    seq,
    file,
    line_no,
    line,
    -- one parse of the envelope: top-level key -> raw JSON value (empty for invalid JSON)
    JSONExtractKeysAndValuesRaw(line) AS pairs,
    notEmpty(pairs) OR match(line, '^\\s*[{]\\s*[}]\\s*$') AS is_object,
    CAST(pairs, 'Map(String, String)') AS env,
    startsWith(env['id'], '"') AND JSONExtractString(env['id']) != '' AS id_ok,
    startsWith(env['type'], '"') AND JSONExtractString(env['type']) != '' AS type_ok,
    match(env['timestamp'], '^[0-9]+$') AND toUInt64OrZero(env['timestamp']) > 0 AS ts_ok,
    env['data'] NOT IN ('', 'null', '""') AS data_ok,
    multiIf(NOT is_object, 'MALFORMED_JSON', id_ok AND type_ok AND ts_ok AND data_ok, '', 'SCHEMA_INVALID') AS failure_class,
    multiIf(
        NOT is_object, 'line is not a valid JSON object',
        NOT id_ok, 'envelope field ''id'' is missing or not a non-empty string',
        NOT type_ok, 'envelope field ''type'' is missing or not a non-empty string',
        NOT ts_ok, 'envelope field ''timestamp'' must be positive integer epoch milliseconds',
        NOT data_ok, 'envelope field ''data'' is missing or empty',
        ''
    ) AS failure_reason,
    if(is_object, if(startsWith(env['id'], '"'), JSONExtractString(env['id']), ''), extract(line, '"id"\\s*:\\s*"([^"]*)"')) AS event_id,
    if(is_object, if(startsWith(env['type'], '"'), JSONExtractString(env['type']), ''), extract(line, '"type"\\s*:\\s*"([^"]*)"')) AS event_type,
    if(failure_class = '', toUInt64OrZero(env['timestamp']), toUInt64(0)) AS ts_ms,
    if(failure_class = '' AND startsWith(env['gateway'], '"'), JSONExtractString(env['gateway']), '') AS gateway,
    if(failure_class = '',
       if(startsWith(env['data'], '"'), JSONExtractString(env['data']), env['data']),
       '') AS data
    FROM reportgen_stage.fixture_lines
)
SETTINGS max_block_size = 8192, min_insert_block_size_bytes = 67108864;


INSERT INTO livepeer_analytics.streaming_events (id, type, timestamp, gateway, data)
SELECT event_id, event_type, ts_ms, gateway, data
FROM reportgen_stage.fixture_envelopes
WHERE failure_class = '';

INSERT INTO livepeer_analytics.streaming_events_dlq
(
    schema_version, source_topic, source_partition, source_offset, source_record_timestamp, event_id,
    event_type, event_version, event_timestamp, dedup_key, dedup_strategy, replay, failure_stage,
    failure_class, failure_reason, failure_details, orchestrator, broadcaster, region,
    payload_encoding, payload_body, payload_canonical_json
)
SELECT
    '1', 'streaming_events', 0, seq,
    fromUnixTimestamp64Milli(toInt64(if(record_ms > 0, record_ms, {fallback_ms})), 'UTC'),
    event_id, event_type, NULL, NULL, NULL, NULL, 1,
    if(failure_class = 'MALFORMED_JSON', 'deserialize', 'validate_envelope'),
    failure_class, failure_reason, concat(file, ':', toString(line_no)), NULL, NULL, NULL,
    'json', substring(line, 1, 1000000), NULL
FROM
(
    -- record time of a reject: the last valid envelope time before it in its file
    SELECT r.seq AS seq, r.file AS file, r.line_no AS line_no, r.reject_line AS line, r.failure_class AS failure_class,
           r.failure_reason AS failure_reason, r.event_id AS event_id, r.event_type AS event_type,
           v.ts_ms AS record_ms
    FROM (SELECT * FROM reportgen_stage.fixture_envelopes WHERE failure_class != '') AS r
    ASOF LEFT JOIN
    (
        SELECT file, line_no, ts_ms FROM reportgen_stage.fixture_envelopes
        WHERE failure_class = '' AND file IN (SELECT file FROM reportgen_stage.fixture_envelopes WHERE failure_class != '')
    ) AS v ON v.file = r.file AND r.line_no > v.line_no
)
ORDER BY seq;

INSERT INTO livepeer_analytics.streaming_events_quarantine
(
    schema_version, source_topic, source_partition, source_offset, source_record_timestamp, event_id,
    event_type, event_version, event_timestamp, dedup_key, dedup_strategy, replay, failure_stage,
    failure_class, failure_reason, failure_details, orchestrator, broadcaster, region,
    payload_encoding, payload_body, payload_canonical_json
)
SELECT
    '1', 'streaming_events', 0, d.seq, fromUnixTimestamp64Milli(toInt64(d.ts_ms), 'UTC'), d.event_id,
    d.event_type, NULL, fromUnixTimestamp64Milli(toInt64(d.ts_ms), 'UTC'), d.event_id, 'event_id', 1, 'dedup',
    'DUPLICATE_EVENT_ID', concat('duplicate event id ', d.event_id, ' (first seen at ', d.first_at, ')'),
    concat(d.file, ':', toString(d.line_no)), NULL, NULL, NULL, 'json', substring(d.data, 1, 1000000), NULL
FROM
(
    SELECT e.*, f.first_at AS first_at
    FROM reportgen_stage.fixture_envelopes AS e
    INNER JOIN
    (
        SELECT event_id, min(seq) AS first_seq, argMin(concat(file, ':', toString(line_no)), seq) AS first_at
        FROM reportgen_stage.fixture_envelopes
        WHERE failure_class = '' AND event_id IN (
            SELECT event_id FROM reportgen_stage.fixture_envelopes WHERE failure_class = ''
            GROUP BY event_id HAVING count() > 1)
        GROUP BY event_id
    ) AS f ON f.event_id = e.event_id
    WHERE e.failure_class = '' AND e.seq != f.first_seq
) AS d
ORDER BY d.seq;

DROP TABLE IF EXISTS reportgen_stage.fixture_envelopes;
