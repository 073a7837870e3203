-- Reference pipeline step 2: network_capabilities fan-out. Each capabilities event is a JSON
-- array of orchestrator entries; typed rows are one per orchestrator x model/pipeline x GPU
-- (network_capabilities), per advertised capability (_advertised), per capability x model
-- constraint (_model_constraints) and per capability price (_prices, one per orchestrator and
-- capability). raw_json keeps the orchestrator entry. The capability dimension MVs fire on these inserts.
DROP TABLE IF EXISTS reportgen_stage.capability_catalog;

CREATE TABLE reportgen_stage.capability_catalog
ENGINE = MergeTree ORDER BY capability_id
AS
SELECT
    toInt32(pair.1) AS capability_id,
    pair.2 AS capability_name,
    if(pair.1 BETWEEN 27 AND 36, 'ai', 'transcoding') AS capability_group,
    'go-livepeer-capabilities-v1' AS capability_catalog_version
FROM
(
    SELECT arrayJoin(arrayZip(range(37), [
        'h264', 'mpegts', 'mp4', 'fractional_framerates', 'storage_direct', 'storage_s3', 'storage_gcs',
        'profile_h264_baseline', 'profile_h264_main', 'profile_h264_high', 'profile_h264_constrained_high',
        'gop', 'auth_token', 'scene_classification', 'mpeg7_video_signature', 'hevc_decode', 'hevc_encode',
        'vp8_decode', 'vp9_decode', 'vp8_encode', 'vp9_encode', 'h264_decode_444_8bit',
        'h264_decode_422_8bit', 'h264_decode_444_10bit', 'h264_decode_422_10bit', 'h264_decode_420_10bit',
        'segment_slicing', 'text-to-image', 'image-to-image', 'image-to-video', 'upscale', 'audio-to-text',
        'segment-anything-2', 'llm', 'image-to-text', 'live-video-to-video', 'text-to-speech'])) AS pair
);

DROP TABLE IF EXISTS reportgen_stage.cap_entries;

CREATE TABLE reportgen_stage.cap_entries
ENGINE = MergeTree ORDER BY (source_event_id, entry_index)
AS
SELECT
    id AS source_event_id,
    event_timestamp,
    entry_index,
    entry AS raw_entry,
    JSONExtractString(entry, 'address') AS orchestrator_address,
    JSONExtractString(entry, 'local_address') AS local_address,
    JSONExtractString(entry, 'orch_uri') AS orch_uri,
    JSONExtractString(entry, 'capabilities', 'version') AS orchestrator_version,
    JSONExtractKeysAndValuesRaw(entry, 'capabilities', 'constraints', 'PerCapability') AS per_capability,
    JSONExtractArrayRaw(entry, 'capabilities_prices') AS prices,
    JSONExtractArrayRaw(entry, 'hardware') AS hardware,
    JSONExtractKeysAndValues(entry, 'capabilities', 'capacities', 'Int64') AS capacities
FROM
(
    SELECT id, event_timestamp, JSONExtractArrayRaw(data) AS entries
    FROM reportgen_stage.accepted_events
    WHERE type = 'network_capabilities'
)
ARRAY JOIN entries AS entry, arrayEnumerate(entries) AS entry_index;

INSERT INTO livepeer_analytics.network_capabilities
(
    event_timestamp, source_event_id, orchestrator_address, local_address, orch_uri, gpu_id, gpu_name,
    gpu_memory_total, gpu_memory_free, gpu_major, gpu_minor, pipeline, model_id, capability_id,
    capability_name, capability_group, capability_catalog_version, runner_version, capacity,
    capacity_in_use, warm, price_per_unit, pixels_per_unit, orchestrator_version, raw_json
)
SELECT
    event_timestamp,
    source_event_id,
    orchestrator_address,
    local_address,
    orch_uri,
    if(gpu.2 = '', NULL, JSONExtractString(gpu.2, 'id')) AS gpu_id,
    if(gpu.2 = '', NULL, JSONExtractString(gpu.2, 'name')),
    if(gpu.2 = '', NULL, JSONExtractUInt(gpu.2, 'memory_total')),
    if(gpu.2 = '', NULL, JSONExtractUInt(gpu.2, 'memory_free')),
    if(gpu.2 = '', NULL, toUInt8(JSONExtractUInt(gpu.2, 'major'))),
    if(gpu.2 = '', NULL, toUInt8(JSONExtractUInt(gpu.2, 'minor'))),
    hw_pipeline,
    hw_model,
    cap_id,
    if(cap_id IS NULL, NULL, if(cat.capability_name = '', concat('capability_', toString(cap_id)), cat.capability_name)),
    if(cap_id IS NULL, NULL, if(cat.capability_group = '', 'unknown', cat.capability_group)),
    if(cap_id IS NULL, NULL, 'go-livepeer-capabilities-v1'),
    if(model_json = '' OR NOT JSONHas(model_json, 'runnerVersion'), NULL, JSONExtractString(model_json, 'runnerVersion')),
    if(model_json = '' OR NOT JSONHas(model_json, 'capacity'), NULL, toUInt8(least(JSONExtractUInt(model_json, 'capacity'), 255))),
    if(model_json = '' OR NOT JSONHas(model_json, 'capacityInUse'), NULL, toUInt8(least(JSONExtractUInt(model_json, 'capacityInUse'), 255))),
    if(model_json = '' OR NOT JSONHas(model_json, 'warm'), NULL, toUInt8(JSONExtractBool(model_json, 'warm'))),
    if(price = '', NULL, toUInt32(JSONExtractUInt(price, 'pricePerUnit'))),
    if(price = '', NULL, toUInt32(JSONExtractUInt(price, 'pixelsPerUnit'))),
    orchestrator_version,
    raw_entry
FROM
(
    SELECT
        *,
        hw.1 AS hw_pipeline,
        hw.2 AS hw_model,
        if(hw.3 = '' OR empty(JSONExtractKeysAndValuesRaw(hw.3)), [('', '')], JSONExtractKeysAndValuesRaw(hw.3)) AS gpus,
        arrayFirst(kv -> JSONHas(kv.2, 'models', hw.2), per_capability) AS cap_kv,
        if(cap_kv.1 = '', CAST(NULL, 'Nullable(Int32)'), toInt32OrNull(cap_kv.1)) AS cap_id,
        if(cap_kv.1 = '', '', JSONExtractRaw(cap_kv.2, 'models', hw.2)) AS model_json,
        arrayFirst(p -> toString(JSONExtractInt(p, 'capability')) = cap_kv.1 AND JSONExtractString(p, 'constraint') = hw.2, prices) AS price
    FROM
    (
        SELECT
            *,
            arrayDistinct(arrayFlatten(arrayMap(kv -> JSONExtractKeys(kv.2, 'models'), per_capability))) AS constraint_models,
            if(notEmpty(hardware),
               arrayMap(h -> (JSONExtractString(h, 'pipeline'), JSONExtractString(h, 'model_id'), JSONExtractRaw(h, 'gpu_info')), hardware),
               if(notEmpty(constraint_models), arrayMap(m -> ('', m, ''), constraint_models), [('', '', '')])) AS hw_list
        FROM reportgen_stage.cap_entries
    )
    ARRAY JOIN hw_list AS hw
)
ARRAY JOIN gpus AS gpu
LEFT JOIN reportgen_stage.capability_catalog AS cat ON cat.capability_id = ifNull(cap_id, -1)
ORDER BY source_event_id, entry_index, hw_model, gpu_id;

INSERT INTO livepeer_analytics.network_capabilities_advertised
(
    event_timestamp, source_event_id, orchestrator_address, local_address, orch_uri, capability_id,
    capability_name, capability_group, capability_catalog_version, capacity, raw_json
)
SELECT
    e.event_timestamp,
    e.source_event_id,
    e.orchestrator_address,
    e.local_address,
    e.orch_uri,
    toInt32OrZero(cap.1) AS capability_id,
    if(cat.capability_name = '', concat('capability_', cap.1), cat.capability_name),
    if(cat.capability_group = '', 'unknown', cat.capability_group),
    'go-livepeer-capabilities-v1',
    toInt32(cap.2),
    e.raw_entry
FROM reportgen_stage.cap_entries AS e
ARRAY JOIN e.capacities AS cap
LEFT JOIN reportgen_stage.capability_catalog AS cat ON cat.capability_id = toInt32OrZero(cap.1)
ORDER BY e.source_event_id, e.entry_index, capability_id;

INSERT INTO livepeer_analytics.network_capabilities_model_constraints
(
    event_timestamp, source_event_id, orchestrator_address, local_address, orch_uri, capability_id,
    capability_name, capability_group, capability_catalog_version, model_id, runner_version, capacity,
    capacity_in_use, warm, raw_json
)
SELECT
    event_timestamp,
    source_event_id,
    orchestrator_address,
    local_address,
    orch_uri,
    capability_id,
    if(cat.capability_name = '', concat('capability_', toString(capability_id)), cat.capability_name),
    if(cat.capability_group = '', 'unknown', cat.capability_group),
    'go-livepeer-capabilities-v1',
    model.1 AS model_id,
    if(JSONHas(model.2, 'runnerVersion'), JSONExtractString(model.2, 'runnerVersion'), NULL),
    if(JSONHas(model.2, 'capacity'), toInt32(JSONExtractInt(model.2, 'capacity')), NULL),
    if(JSONHas(model.2, 'capacityInUse'), toInt32(JSONExtractInt(model.2, 'capacityInUse')), NULL),
    if(JSONHas(model.2, 'warm'), toInt32(JSONExtractBool(model.2, 'warm')), NULL),
    raw_entry
FROM
(
    SELECT e.*, toInt32OrZero(pc.1) AS capability_id, JSONExtractKeysAndValuesRaw(pc.2, 'models') AS models
    FROM reportgen_stage.cap_entries AS e
    ARRAY JOIN e.per_capability AS pc
) AS x
ARRAY JOIN x.models AS model
LEFT JOIN reportgen_stage.capability_catalog AS cat ON cat.capability_id = x.capability_id
ORDER BY source_event_id, entry_index, capability_id, model_id;

-- One price row per (event, orchestrator, capability): an orchestrator advertising the same
-- capability from several nodes or for several constraints keeps its lowest constraint name.
INSERT INTO livepeer_analytics.network_capabilities_prices
(
    event_timestamp, source_event_id, orchestrator_address, local_address, orch_uri, capability_id,
    capability_name, capability_group, capability_catalog_version, constraint_name, price_per_unit,
    pixels_per_unit, raw_json
)
SELECT
    event_timestamp,
    source_event_id,
    orchestrator_address,
    local_address,
    orch_uri,
    capability_id,
    if(cat.capability_name = '', concat('capability_', toString(capability_id)), cat.capability_name),
    if(cat.capability_group = '', 'unknown', cat.capability_group),
    'go-livepeer-capabilities-v1',
    constraint_name,
    price_per_unit,
    pixels_per_unit,
    raw_entry
FROM
(
    SELECT
        e.event_timestamp AS event_timestamp,
        e.source_event_id AS source_event_id,
        e.orchestrator_address AS orchestrator_address,
        e.local_address AS local_address,
        e.orch_uri AS orch_uri,
        e.raw_entry AS raw_entry,
        e.entry_index AS entry_index,
        toInt32(JSONExtractInt(p, 'capability')) AS capability_id,
        if(JSONHas(p, 'constraint'), JSONExtractString(p, 'constraint'), NULL) AS constraint_name,
        if(JSONHas(p, 'pricePerUnit'), toInt32(JSONExtractInt(p, 'pricePerUnit')), NULL) AS price_per_unit,
        if(JSONHas(p, 'pixelsPerUnit'), toInt32(JSONExtractInt(p, 'pixelsPerUnit')), NULL) AS pixels_per_unit
    FROM reportgen_stage.cap_entries AS e
    ARRAY JOIN e.prices AS p
    ORDER BY source_event_id, lower(orchestrator_address), capability_id, ifNull(constraint_name, ''), entry_index
    LIMIT 1 BY source_event_id, lower(orchestrator_address), capability_id
) AS x
LEFT JOIN reportgen_stage.capability_catalog AS cat ON cat.capability_id = x.capability_id
ORDER BY source_event_id, entry_index, capability_id;
