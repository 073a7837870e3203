-- Reference pipeline step 0: the quality gate (stands in for the Flink quality gate).
-- Input: streaming_events (raw archive, duplicates included). The loader already routed
-- unparseable lines to the DLQ and repeated event ids to the quarantine; here the first
-- delivery of every event id is validated at payload level: unsupported event types and
-- payloads that are not the JSON shape of their type go to streaming_events_dlq.
-- Output: reportgen_stage.accepted_events (one row per accepted event id).
CREATE DATABASE IF NOT EXISTS reportgen_stage;

DROP TABLE IF EXISTS reportgen_stage.repeated_ids;

CREATE TABLE reportgen_stage.repeated_ids ENGINE = MergeTree ORDER BY id
AS SELECT id FROM livepeer_analytics.streaming_events GROUP BY id HAVING count() > 1;

DROP TABLE IF EXISTS reportgen_stage.first_delivery;

CREATE TABLE reportgen_stage.first_delivery
ENGINE = MergeTree ORDER BY tuple()
AS
SELECT
    id,
    type,
    timestamp,
    gateway,
    data,
    fromUnixTimestamp64Milli(toInt64(timestamp), 'UTC') AS event_timestamp,
    multiIf(
        type NOT IN ('ai_stream_status', 'stream_trace', 'ai_stream_events', 'stream_ingest_metrics',
                     'network_capabilities', 'discovery_results', 'payment_events'),
            'UNSUPPORTED_EVENT_TYPE',
        NOT isValidJSON(data), 'PAYLOAD_INVALID',
        type = 'network_capabilities' AND JSONType(data) != 'Array', 'PAYLOAD_INVALID',
        type != 'network_capabilities' AND JSONType(data) != 'Object', 'PAYLOAD_INVALID',
        ''
    ) AS failure_class
FROM
(
    -- streams without repeated ids pass as they are; repeated ids keep their earliest delivery
    SELECT id, type, timestamp, gateway, data
    FROM livepeer_analytics.streaming_events
    WHERE id NOT IN (SELECT id FROM reportgen_stage.repeated_ids)
    UNION ALL
    SELECT id, type, timestamp, gateway, data
    FROM livepeer_analytics.streaming_events
    WHERE id IN (SELECT id FROM reportgen_stage.repeated_ids)
    ORDER BY id, timestamp, cityHash64(data)
    LIMIT 1 BY id
);

INSERT INTO livepeer_analytics.streaming_events_dlq
(
    schema_version, source_topic, source_partition, source_offset, source_record_timestamp, event_id,
    event_type, event_version, event_timestamp, dedup_key, dedup_strategy, replay, failure_stage,
    failure_class, failure_reason, failure_details, orchestrator, broadcaster, region,
    payload_encoding, payload_body, payload_canonical_json
)
SELECT
    '1', 'streaming_events', 0, cityHash64(id), event_timestamp, id,
    type, NULL, event_timestamp, id, 'event_id', 1, 'validate_payload',
    failure_class,
    if(failure_class = 'UNSUPPORTED_EVENT_TYPE',
       concat('unsupported event type ', type),
       concat('payload of a ', type, ' event is not ', if(type = 'network_capabilities', 'a JSON array', 'a JSON object'))),
    concat('event ', id), NULL, NULL, NULL,
    'json', substring(data, 1, 1000000), NULL
FROM reportgen_stage.first_delivery
WHERE failure_class != ''
ORDER BY id;

DROP TABLE IF EXISTS reportgen_stage.accepted_events;

CREATE TABLE reportgen_stage.accepted_events
ENGINE = MergeTree ORDER BY type
AS
SELECT id, type, timestamp, gateway, data, event_timestamp, lower(hex(SHA256(data))) AS source_event_uid
FROM reportgen_stage.first_delivery
WHERE failure_class = '';

DROP TABLE IF EXISTS reportgen_stage.first_delivery;

DROP TABLE IF EXISTS reportgen_stage.repeated_ids;
