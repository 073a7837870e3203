-- a.8 Serving / API views and the health view. v_api_* read only fact_*/agg_*/dim_* (and
-- payment_events for fees), never the raw/typed ingestion tables.

CREATE OR REPLACE VIEW livepeer_analytics.v_api_gpu_metrics
AS
WITH
    latest_sessions AS
    (
        SELECT *
        FROM livepeer_analytics.fact_workflow_sessions
        ORDER BY workflow_session_id ASC, version DESC
        LIMIT 1 BY workflow_session_id
    ),
    -- Segment-hour expansion (kept for parity with production; not used in the final join).
    segment_hours AS
    (
        SELECT workflow_session_id, toStartOfHour(segment_start_ts) AS hour, orchestrator_address, gpu_id
        FROM livepeer_analytics.fact_workflow_session_segments
    ),
    session_status_hours AS
    (
        SELECT
            h.*,
            s.session_start_ts,
            s.session_end_ts,
            lagInFrame(h.hour) OVER w AS prev_hour,
            lagInFrame(h.samples) OVER w AS prev_samples,
            lagInFrame(h.fps_positive_samples) OVER w AS prev_fps_positive_samples,
            lagInFrame(h.running_state_samples) OVER w AS prev_running_state_samples
        FROM
        (
            SELECT
                workflow_session_id,
                toDateTime(toStartOfHour(sample_ts), 'UTC') AS hour,
                orchestrator_address,
                pipeline,
                ifNull(model_id, '') AS model_key,
                ifNull(gpu_id, '') AS gpu_key,
                ifNull(region, '') AS region_key,
                count() AS samples,
                countIf(output_fps > 0) AS fps_positive_samples,
                countIf(state IN ('ONLINE', 'DEGRADED_INFERENCE', 'DEGRADED_INPUT')) AS running_state_samples
            FROM livepeer_analytics.fact_stream_status_samples
            WHERE is_attributed = 1
            GROUP BY workflow_session_id, hour, orchestrator_address, pipeline, model_key, gpu_key, region_key
        ) AS h
        INNER JOIN latest_sessions AS s ON s.workflow_session_id = h.workflow_session_id
        WINDOW w AS (PARTITION BY h.workflow_session_id, h.orchestrator_address, h.pipeline, h.model_key, h.gpu_key, h.region_key
                     ORDER BY h.hour ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    ),
    -- Terminal-tail artifact: a session-hour after the session's start hour that holds the session
    -- end, < 3 samples, no fps-positive and no running-state sample, and whose previous hour had the
    -- same no-work profile. A key-hour is dropped when all its status evidence is such artifacts
    -- (and it has no reliability / latency evidence).
    -- Hour keys whose status evidence comes only from terminal-tail artifact session-hours.
    artifact_keys AS
    (
        SELECT hour, orchestrator_address, pipeline, model_key, gpu_key, region_key
        FROM session_status_hours
        GROUP BY hour, orchestrator_address, pipeline, model_key, gpu_key, region_key
        HAVING min(
                session_start_ts < hour
            AND session_end_ts IS NOT NULL
            AND session_end_ts >= hour
            AND session_end_ts < hour + INTERVAL 1 HOUR
            AND samples < 3
            AND fps_positive_samples = 0
            AND running_state_samples = 0
            AND prev_hour = hour - INTERVAL 1 HOUR
            AND prev_samples > 0
            AND prev_fps_positive_samples = 0
            AND prev_running_state_samples = 0) = 1
    ),
    perf AS
    (
        SELECT
            toDateTime(toStartOfHour(sample_ts), 'UTC') AS hour,
            orchestrator_address,
            pipeline,
            ifNull(model_id, '') AS model_key,
            ifNull(gpu_id, '') AS gpu_key,
            ifNull(region, '') AS region_key,
            avg(output_fps) AS avg_output_fps,
            quantileTDigest(0.95)(output_fps) AS p95_output_fps,
            if(avg(output_fps) = 0, CAST(NULL, 'Nullable(Float64)'), stddevPop(output_fps) / avg(output_fps)) AS jitter_coeff_fps,
            count() AS status_samples
        FROM livepeer_analytics.fact_stream_status_samples
        WHERE is_attributed = 1
        GROUP BY hour, orchestrator_address, pipeline, model_key, gpu_key, region_key
    ),
    reliability AS
    (
        SELECT
            toDateTime(toStartOfHour(session_start_ts), 'UTC') AS hour,
            orchestrator_address,
            pipeline,
            ifNull(model_id, '') AS model_key,
            ifNull(gpu_id, '') AS gpu_key,
            ifNull(region, '') AS region_key,
            toUInt64(sum(known_stream)) AS known_sessions,
            toUInt64(sum(startup_success)) AS startup_success_sessions,
            toUInt64(sum(startup_excused)) AS excused_sessions,
            toUInt64(sum(startup_unexcused)) AS unexcused_sessions,
            toUInt64(countIf(confirmed_swap_count > 0)) AS confirmed_swapped_sessions,
            toUInt64(countIf(inferred_orchestrator_change_count > 0)) AS inferred_orchestrator_change_sessions,
            toUInt64(countIf(confirmed_swap_count > 0 OR inferred_orchestrator_change_count > 0)) AS swapped_sessions,
            toUInt64(countIf(error_count > 0)) AS sessions_with_errors,
            toUInt64(sum(last_error_occurred)) AS sessions_with_last_error,
            toUInt64(sum(loading_only_session)) AS loading_only_sessions,
            toUInt64(sum(zero_output_fps_session)) AS zero_output_fps_sessions,
            toUInt64(sum(status_error_sample_count)) AS status_error_samples,
            toUInt64(sum(health_signal_count)) AS health_signal_count,
            toUInt64(sum(health_expected_signal_count)) AS health_expected_signal_count
        FROM latest_sessions
        GROUP BY hour, orchestrator_address, pipeline, model_key, gpu_key, region_key
    ),
    latency AS
    (
        SELECT
            toDateTime(toStartOfHour(sample_ts), 'UTC') AS hour,
            orchestrator_address,
            pipeline,
            ifNull(model_id, '') AS model_key,
            ifNull(gpu_id, '') AS gpu_key,
            ifNull(region, '') AS region_key,
            if(countIf(has_prompt_to_first_frame = 1) = 0, CAST(NULL, 'Nullable(Float64)'), avgIf(assumeNotNull(prompt_to_first_frame_ms), has_prompt_to_first_frame = 1)) AS lat_prompt_to_first_frame_ms,
            if(countIf(has_startup_time = 1) = 0, CAST(NULL, 'Nullable(Float64)'), avgIf(assumeNotNull(startup_time_ms), has_startup_time = 1)) AS lat_startup_time_ms,
            if(countIf(has_e2e_latency = 1) = 0, CAST(NULL, 'Nullable(Float64)'), avgIf(assumeNotNull(e2e_latency_ms), has_e2e_latency = 1)) AS lat_e2e_latency_ms,
            if(countIf(has_prompt_to_first_frame = 1) = 0, CAST(NULL, 'Nullable(Float32)'), toFloat32(quantileTDigestIf(0.95)(assumeNotNull(prompt_to_first_frame_ms), has_prompt_to_first_frame = 1))) AS p95_prompt_to_first_frame_ms,
            if(countIf(has_startup_time = 1) = 0, CAST(NULL, 'Nullable(Float32)'), toFloat32(quantileTDigestIf(0.95)(assumeNotNull(startup_time_ms), has_startup_time = 1))) AS p95_startup_time_ms,
            if(countIf(has_e2e_latency = 1) = 0, CAST(NULL, 'Nullable(Float32)'), toFloat32(quantileTDigestIf(0.95)(assumeNotNull(e2e_latency_ms), has_e2e_latency = 1))) AS p95_e2e_latency_ms,
            toUInt64(countIf(has_prompt_to_first_frame = 1)) AS valid_prompt_to_first_frame_count,
            toUInt64(countIf(has_startup_time = 1)) AS valid_startup_time_count,
            toUInt64(countIf(has_e2e_latency = 1)) AS valid_e2e_latency_count
        FROM
        (
            SELECT *
            FROM livepeer_analytics.fact_workflow_latency_samples
            ORDER BY workflow_session_id ASC, version DESC, sample_ts DESC
            LIMIT 1 BY workflow_session_id
        )
        GROUP BY hour, orchestrator_address, pipeline, model_key, gpu_key, region_key
    ),
    keyspace AS
    (
        SELECT hour, orchestrator_address, pipeline, model_key, gpu_key, region_key
        FROM
        (
            SELECT hour, orchestrator_address, pipeline, model_key, gpu_key, region_key FROM perf
            WHERE (hour, orchestrator_address, pipeline, model_key, gpu_key, region_key) NOT IN (SELECT * FROM artifact_keys)
            UNION DISTINCT
            SELECT hour, orchestrator_address, pipeline, model_key, gpu_key, region_key FROM reliability
            UNION DISTINCT
            SELECT hour, orchestrator_address, pipeline, model_key, gpu_key, region_key FROM latency
        )
        WHERE orchestrator_address != '' AND gpu_key != ''
    ),
    gpu_dim AS
    (
        SELECT
            orchestrator_address,
            ifNull(gpu_id, '') AS gpu_key,
            argMax(gpu_name, latest_snapshot_ts) AS gpu_name,
            argMax(gpu_memory_total, latest_snapshot_ts) AS gpu_memory_total,
            argMax(runner_version, latest_snapshot_ts) AS runner_version,
            argMax(if(gpu_major IS NULL, CAST(NULL, 'Nullable(String)'), concat(toString(gpu_major), '.', toString(ifNull(gpu_minor, 0)))), latest_snapshot_ts) AS cuda_version
        FROM livepeer_analytics.dim_orchestrator_capability_current
        WHERE ifNull(gpu_id, '') != ''
        GROUP BY orchestrator_address, gpu_key
    )
SELECT
    k.hour AS window_start,
    k.orchestrator_address AS orchestrator_address,
    k.pipeline AS pipeline,
    CAST(nullIf(k.model_key, ''), 'Nullable(String)') AS model_id,
    CAST(nullIf(k.gpu_key, ''), 'Nullable(String)') AS gpu_id,
    CAST(nullIf(k.region_key, ''), 'Nullable(String)') AS region,
    g.gpu_name AS gpu_name,
    g.gpu_memory_total AS gpu_memory_total,
    g.runner_version AS runner_version,
    g.cuda_version AS cuda_version,
    toFloat64(p.avg_output_fps) AS avg_output_fps,
    toFloat32(p.p95_output_fps) AS p95_output_fps,
    p.jitter_coeff_fps AS jitter_coeff_fps,
    toUInt64(p.status_samples) AS status_samples,
    l.lat_prompt_to_first_frame_ms AS prompt_to_first_frame_ms,
    l.lat_startup_time_ms AS startup_time_ms,
    l.lat_startup_time_ms / 1000 AS startup_time_s,
    l.lat_e2e_latency_ms AS e2e_latency_ms,
    l.p95_prompt_to_first_frame_ms AS p95_prompt_to_first_frame_ms,
    l.p95_startup_time_ms AS p95_startup_time_ms,
    l.p95_e2e_latency_ms AS p95_e2e_latency_ms,
    toUInt64(l.valid_prompt_to_first_frame_count) AS valid_prompt_to_first_frame_count,
    toUInt64(l.valid_startup_time_count) AS valid_startup_time_count,
    toUInt64(l.valid_e2e_latency_count) AS valid_e2e_latency_count,
    toUInt64(r.known_sessions) AS known_sessions,
    toUInt64(r.startup_success_sessions) AS startup_success_sessions,
    toUInt64(r.excused_sessions) AS excused_sessions,
    toUInt64(r.unexcused_sessions) AS unexcused_sessions,
    toUInt64(r.confirmed_swapped_sessions) AS confirmed_swapped_sessions,
    toUInt64(r.inferred_orchestrator_change_sessions) AS inferred_orchestrator_change_sessions,
    toUInt64(r.swapped_sessions) AS swapped_sessions,
    toUInt64(r.sessions_with_errors) AS sessions_with_errors,
    toUInt64(r.sessions_with_last_error) AS sessions_with_last_error,
    toUInt64(r.loading_only_sessions) AS loading_only_sessions,
    toUInt64(r.zero_output_fps_sessions) AS zero_output_fps_sessions,
    toUInt64(r.status_error_samples) AS status_error_samples,
    toUInt64(r.health_signal_count) AS health_signal_count,
    toUInt64(r.health_expected_signal_count) AS health_expected_signal_count,
    if(r.health_expected_signal_count = 0, 1., r.health_signal_count / r.health_expected_signal_count) AS health_completeness_ratio,
    if(r.known_sessions = 0, 0., r.unexcused_sessions / r.known_sessions) AS failure_rate,
    if(r.known_sessions = 0, 0., r.swapped_sessions / r.known_sessions) AS swap_rate,
    toUInt64(r.startup_success_sessions) AS success_sessions
FROM keyspace AS k
LEFT JOIN perf AS p
    ON p.hour = k.hour AND p.orchestrator_address = k.orchestrator_address AND p.pipeline = k.pipeline
   AND p.model_key = k.model_key AND p.gpu_key = k.gpu_key AND p.region_key = k.region_key
LEFT JOIN reliability AS r
    ON r.hour = k.hour AND r.orchestrator_address = k.orchestrator_address AND r.pipeline = k.pipeline
   AND r.model_key = k.model_key AND r.gpu_key = k.gpu_key AND r.region_key = k.region_key
LEFT JOIN latency AS l
    ON l.hour = k.hour AND l.orchestrator_address = k.orchestrator_address AND l.pipeline = k.pipeline
   AND l.model_key = k.model_key AND l.gpu_key = k.gpu_key AND l.region_key = k.region_key
LEFT JOIN gpu_dim AS g
    ON g.orchestrator_address = k.orchestrator_address AND g.gpu_key = k.gpu_key;


CREATE OR REPLACE VIEW livepeer_analytics.v_api_sla_compliance
AS
WITH
    latest_sessions AS
    (
        SELECT *
        FROM livepeer_analytics.fact_workflow_sessions
        ORDER BY workflow_session_id ASC, version DESC
        LIMIT 1 BY workflow_session_id
    ),
    status_profile AS
    (
        SELECT
            workflow_session_id,
            hour,
            samples,
            fps_positive_samples,
            running_state_samples,
            lagInFrame(hour) OVER w AS prev_hour,
            lagInFrame(samples) OVER w AS prev_samples,
            lagInFrame(fps_positive_samples) OVER w AS prev_fps_positive_samples,
            lagInFrame(running_state_samples) OVER w AS prev_running_state_samples
        FROM
        (
            SELECT
                workflow_session_id,
                toDateTime(toStartOfHour(sample_ts), 'UTC') AS hour,
                count() AS samples,
                countIf(output_fps > 0) AS fps_positive_samples,
                countIf(state IN ('ONLINE', 'DEGRADED_INFERENCE', 'DEGRADED_INPUT')) AS running_state_samples
            FROM livepeer_analytics.fact_stream_status_samples
            WHERE is_attributed = 1
            GROUP BY workflow_session_id, hour
        )
        WINDOW w AS (PARTITION BY workflow_session_id ORDER BY hour ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    ),
    session_hours AS
    (
        SELECT
            p.hour AS hour,
            s.*
        FROM status_profile AS p
        INNER JOIN latest_sessions AS s ON s.workflow_session_id = p.workflow_session_id
        WHERE s.orchestrator_address != ''
          AND NOT (
                s.session_start_ts < p.hour
            AND s.session_end_ts IS NOT NULL
            AND s.session_end_ts >= p.hour
            AND s.session_end_ts < p.hour + INTERVAL 1 HOUR
            AND p.samples < 3
            AND p.fps_positive_samples = 0
            AND p.running_state_samples = 0
            AND p.prev_hour = p.hour - INTERVAL 1 HOUR
            AND p.prev_samples > 0
            AND p.prev_fps_positive_samples = 0
            AND p.prev_running_state_samples = 0
          )
    ),
    counters AS
    (
        SELECT
            hour,
            orchestrator_address,
            pipeline,
            ifNull(model_id, '') AS model_key,
            ifNull(gpu_id, '') AS gpu_key,
            ifNull(region, '') AS region_key,
            toUInt64(sum(known_stream)) AS known_sessions,
            toUInt64(sum(startup_success)) AS startup_success_sessions,
            toUInt64(sum(startup_excused)) AS excused_sessions,
            toUInt64(sum(startup_unexcused)) AS unexcused_sessions,
            toUInt64(countIf(confirmed_swap_count > 0)) AS confirmed_swapped_sessions,
            toUInt64(countIf(inferred_orchestrator_change_count > 0)) AS inferred_orchestrator_change_sessions,
            toUInt64(countIf(confirmed_swap_count > 0 OR inferred_orchestrator_change_count > 0)) AS swapped_sessions,
            toUInt64(countIf(error_count > 0)) AS sessions_with_errors,
            toUInt64(sum(last_error_occurred)) AS sessions_with_last_error,
            toUInt64(sum(loading_only_session)) AS loading_only_sessions,
            toUInt64(sum(zero_output_fps_session)) AS zero_output_fps_sessions,
            toUInt64(sum(status_error_sample_count)) AS status_error_samples,
            toUInt64(sum(health_signal_count)) AS health_signal_count,
            toUInt64(sum(health_expected_signal_count)) AS health_expected_signal_count,
            toUInt64(countIf(known_stream = 1 AND (loading_only_session = 1 OR zero_output_fps_session = 1))) AS no_output_sessions,
            toUInt64(countIf(known_stream = 1 AND (startup_unexcused = 1 OR loading_only_session = 1 OR zero_output_fps_session = 1))) AS effective_failed_sessions
        FROM session_hours
        GROUP BY hour, orchestrator_address, pipeline, model_key, gpu_key, region_key
    )
SELECT
    hour AS window_start,
    orchestrator_address,
    pipeline,
    CAST(nullIf(model_key, ''), 'Nullable(String)') AS model_id,
    CAST(nullIf(gpu_key, ''), 'Nullable(String)') AS gpu_id,
    CAST(nullIf(region_key, ''), 'Nullable(String)') AS region,
    known_sessions,
    startup_success_sessions,
    excused_sessions,
    unexcused_sessions,
    confirmed_swapped_sessions,
    inferred_orchestrator_change_sessions,
    swapped_sessions,
    sessions_with_errors,
    sessions_with_last_error,
    loading_only_sessions,
    zero_output_fps_sessions,
    status_error_samples,
    health_signal_count,
    health_expected_signal_count,
    if(health_expected_signal_count = 0, 1., health_signal_count / health_expected_signal_count) AS health_completeness_ratio,
    if(known_sessions = 0, CAST(NULL, 'Nullable(Float64)'), 1 - unexcused_sessions / known_sessions) AS startup_success_ratio,
    if(known_sessions = 0, CAST(NULL, 'Nullable(Float64)'), 1 - effective_failed_sessions / known_sessions) AS success_ratio,
    if(known_sessions = 0, CAST(NULL, 'Nullable(Float64)'), 1 - swapped_sessions / known_sessions) AS no_swap_ratio,
    if(known_sessions = 0, CAST(NULL, 'Nullable(Float64)'),
       (0.4 * (1 - unexcused_sessions / known_sessions)
        + 0.2 * (1 - swapped_sessions / known_sessions)
        + 0.4 * (1 - no_output_sessions / known_sessions))
       * if(health_expected_signal_count = 0, 1., health_signal_count / health_expected_signal_count) * 100) AS sla_score,
    startup_success_sessions AS success_sessions
FROM counters;


CREATE OR REPLACE VIEW livepeer_analytics.v_api_network_demand
AS
WITH
    latest_sessions AS
    (
        SELECT
            workflow_session_id,
            request_id,
            toDateTime(toStartOfHour(session_start_ts), 'UTC') AS hour,
            gateway,
            ifNull(region, '') AS region_key,
            ifNull(model_id, '') AS model_key,
            if(lower(pipeline) = lower(ifNull(model_id, '')), '', pipeline) AS pipeline_key,
            known_stream,
            orchestrator_address,
            startup_unexcused,
            confirmed_swap_count,
            inferred_orchestrator_change_count,
            error_count,
            last_error_occurred,
            loading_only_session,
            zero_output_fps_session,
            status_error_sample_count,
            health_signal_count,
            health_expected_signal_count
        FROM livepeer_analytics.fact_workflow_sessions
        WHERE session_start_ts > toDateTime64('2000-01-01 00:00:00', 3, 'UTC')
        ORDER BY workflow_session_id ASC, version DESC
        LIMIT 1 BY workflow_session_id
    ),
    fees AS
    (
        SELECT request_id, sum(toFloat64OrZero(face_value)) / 1e18 AS fee_eth
        FROM livepeer_analytics.payment_events
        GROUP BY request_id
    ),
    demand AS
    (
        SELECT
            s.hour AS hour,
            s.gateway AS gateway,
            s.region_key AS region_key,
            s.pipeline_key AS pipeline_key,
            s.model_key AS model_key,
            toUInt64(sum(s.known_stream)) AS known_sessions,
            toUInt64(countIf(s.known_stream = 1 AND s.orchestrator_address != '')) AS served_sessions,
            toUInt64(countIf(s.known_stream = 1 AND s.orchestrator_address = '')) AS unserved_sessions,
            toUInt64(sum(s.startup_unexcused)) AS unexcused_sessions,
            toUInt64(countIf(s.confirmed_swap_count > 0)) AS confirmed_swapped_sessions,
            toUInt64(countIf(s.inferred_orchestrator_change_count > 0)) AS inferred_orchestrator_change_sessions,
            toUInt64(countIf(s.confirmed_swap_count > 0 OR s.inferred_orchestrator_change_count > 0)) AS swapped_sessions,
            toUInt64(countIf(s.error_count > 0)) AS sessions_with_errors,
            toUInt64(sum(s.last_error_occurred)) AS sessions_with_last_error,
            toUInt64(sum(s.loading_only_session)) AS loading_only_sessions,
            toUInt64(sum(s.zero_output_fps_session)) AS zero_output_fps_sessions,
            toUInt64(sum(s.status_error_sample_count)) AS status_error_samples,
            toUInt64(sum(s.health_signal_count)) AS health_signal_count,
            toUInt64(sum(s.health_expected_signal_count)) AS health_expected_signal_count,
            toUInt64(countIf(s.known_stream = 1 AND (s.startup_unexcused = 1 OR s.loading_only_session = 1 OR s.zero_output_fps_session = 1))) AS effective_failed_sessions,
            sum(ifNull(f.fee_eth, 0)) AS fee_payment_eth,
            groupUniqArrayIf(s.pipeline_key, s.pipeline_key != '') AS session_pipelines
        FROM latest_sessions AS s
        LEFT JOIN fees AS f ON f.request_id = s.request_id
        GROUP BY hour, gateway, region_key, pipeline_key, model_key
    ),
    fallback AS
    (
        SELECT hour, gateway, region_key, model_key, arrayDistinct(arrayFlatten(groupArray(session_pipelines))) AS pipelines
        FROM demand
        GROUP BY hour, gateway, region_key, model_key
    ),
    perf_raw AS
    (
        SELECT
            toDateTime(toStartOfHour(window_start), 'UTC') AS hour,
            gateway,
            ifNull(region, '') AS region_key,
            ifNull(model_id, '') AS model_key,
            if(lower(pipeline) = lower(ifNull(model_id, '')), '', pipeline) AS pipeline_raw,
            uniqExactMergeState(streams_uniq_state) AS streams_state,
            uniqExactMergeState(sessions_uniq_state) AS sessions_state,
            avgMergeState(output_fps_avg_state) AS fps_state,
            countMergeState(sample_count_state) AS samples_state
        FROM livepeer_analytics.agg_stream_performance_1m
        GROUP BY hour, gateway, region_key, model_key, pipeline_raw
    ),
    perf AS
    (
        SELECT
            p.hour AS hour,
            p.gateway AS gateway,
            p.region_key AS region_key,
            if(p.pipeline_raw = '' AND length(fb.pipelines) = 1, fb.pipelines[1], p.pipeline_raw) AS pipeline_key,
            p.model_key AS model_key,
            uniqExactMerge(p.streams_state) AS total_streams,
            uniqExactMerge(p.sessions_state) AS total_sessions,
            avgMerge(p.fps_state) AS avg_output_fps,
            countMerge(p.samples_state) AS status_samples
        FROM perf_raw AS p
        LEFT JOIN fallback AS fb
            ON fb.hour = p.hour AND fb.gateway = p.gateway AND fb.region_key = p.region_key AND fb.model_key = p.model_key
        GROUP BY hour, gateway, region_key, pipeline_key, model_key
    ),
    keyspace AS
    (
        SELECT hour, gateway, region_key, pipeline_key, model_key FROM perf
        UNION DISTINCT
        SELECT hour, gateway, region_key, pipeline_key, model_key FROM demand
    )
SELECT
    k.hour AS window_start,
    k.gateway AS gateway,
    k.region_key AS region,
    k.pipeline_key AS pipeline,
    k.model_key AS model_id,
    toUInt64(p.total_streams) AS total_streams,
    toUInt64(p.total_sessions) AS total_sessions,
    toFloat64(p.status_samples) / 60 AS total_minutes,
    toFloat64(p.avg_output_fps) AS avg_output_fps,
    toUInt64(d.known_sessions) AS known_sessions,
    toUInt64(d.served_sessions) AS served_sessions,
    toUInt64(d.unserved_sessions) AS unserved_sessions,
    toUInt64(d.served_sessions + d.unserved_sessions) AS total_demand_sessions,
    toUInt64(d.unexcused_sessions) AS unexcused_sessions,
    toUInt64(d.confirmed_swapped_sessions) AS confirmed_swapped_sessions,
    toUInt64(d.inferred_orchestrator_change_sessions) AS inferred_orchestrator_change_sessions,
    toUInt64(d.swapped_sessions) AS swapped_sessions,
    toUInt64(d.sessions_with_errors) AS sessions_with_errors,
    toUInt64(d.sessions_with_last_error) AS sessions_with_last_error,
    toUInt64(d.loading_only_sessions) AS loading_only_sessions,
    toUInt64(d.zero_output_fps_sessions) AS zero_output_fps_sessions,
    toUInt64(d.status_error_samples) AS status_error_samples,
    toUInt64(d.health_signal_count) AS health_signal_count,
    toUInt64(d.health_expected_signal_count) AS health_expected_signal_count,
    if(d.health_expected_signal_count = 0, 1., d.health_signal_count / d.health_expected_signal_count) AS health_completeness_ratio,
    toUInt64(d.unserved_sessions) AS missing_capacity_count,
    if(d.known_sessions = 0, 0., 1 - d.unexcused_sessions / d.known_sessions) AS startup_success_ratio,
    if(d.known_sessions = 0, 0., 1 - d.effective_failed_sessions / d.known_sessions) AS success_ratio,
    toFloat64(d.fee_payment_eth) AS fee_payment_eth,
    toFloat64(p.status_samples) / 60 AS total_inference_minutes
FROM keyspace AS k
LEFT JOIN perf AS p
    ON p.hour = k.hour AND p.gateway = k.gateway AND p.region_key = k.region_key
   AND p.pipeline_key = k.pipeline_key AND p.model_key = k.model_key
LEFT JOIN demand AS d
    ON d.hour = k.hour AND d.gateway = k.gateway AND d.region_key = k.region_key
   AND d.pipeline_key = k.pipeline_key AND d.model_key = k.model_key;


CREATE OR REPLACE VIEW livepeer_analytics.v_api_network_demand_by_gpu
AS
WITH
    latest_sessions AS
    (
        SELECT
            request_id,
            toDateTime(toStartOfHour(session_start_ts), 'UTC') AS hour,
            gateway,
            orchestrator_address,
            ifNull(region, '') AS region_key,
            pipeline,
            ifNull(model_id, '') AS model_key,
            ifNull(gpu_id, '') AS gpu_key
        FROM livepeer_analytics.fact_workflow_sessions
        ORDER BY workflow_session_id ASC, version DESC
        LIMIT 1 BY workflow_session_id
    ),
    session_gpu AS
    (
        SELECT hour, gateway, orchestrator_address, region_key, pipeline, model_key, max(gpu_key) AS session_gpu_key
        FROM latest_sessions
        WHERE gpu_key != ''
        GROUP BY hour, gateway, orchestrator_address, region_key, pipeline, model_key
    ),
    fees AS
    (
        SELECT s.hour, s.gateway, s.orchestrator_address, s.region_key, s.pipeline, s.model_key, s.gpu_key,
               sum(toFloat64OrZero(pe.face_value)) / 1e18 AS fee_eth
        FROM livepeer_analytics.payment_events AS pe
        INNER JOIN latest_sessions AS s ON s.request_id = pe.request_id
        GROUP BY s.hour, s.gateway, s.orchestrator_address, s.region_key, s.pipeline, s.model_key, s.gpu_key
    ),
    perf AS
    (
        SELECT
            toDateTime(toStartOfHour(a.window_start), 'UTC') AS hour,
            a.gateway AS gateway,
            a.orchestrator_address AS orchestrator_address,
            ifNull(a.region, '') AS region_key,
            a.pipeline AS pipeline,
            ifNull(a.model_id, '') AS model_key,
            if(ifNull(a.gpu_id, '') = '', ifNull(sg.session_gpu_key, ''), ifNull(a.gpu_id, '')) AS gpu_key,
            uniqExactMerge(a.streams_uniq_state) AS total_streams,
            uniqExactMerge(a.sessions_uniq_state) AS total_sessions,
            countMerge(a.sample_count_state) AS status_samples
        FROM livepeer_analytics.agg_stream_performance_1m AS a
        LEFT JOIN session_gpu AS sg
            ON sg.hour = toDateTime(toStartOfHour(a.window_start), 'UTC') AND sg.gateway = a.gateway
           AND sg.orchestrator_address = a.orchestrator_address AND sg.region_key = ifNull(a.region, '')
           AND sg.pipeline = a.pipeline AND sg.model_key = ifNull(a.model_id, '')
        GROUP BY hour, gateway, orchestrator_address, region_key, pipeline, model_key, gpu_key
    ),
    reliability AS
    (
        SELECT
            toDateTime(toStartOfHour(window_start), 'UTC') AS hour,
            gateway,
            orchestrator_address,
            ifNull(region, '') AS region_key,
            pipeline,
            ifNull(model_id, '') AS model_key,
            ifNull(gpu_id, '') AS gpu_key,
            sumMerge(known_sessions_state) AS known_sessions,
            sumMerge(unexcused_sessions_state) AS unexcused_sessions,
            sumMerge(confirmed_swapped_sessions_state) AS confirmed_swapped_sessions,
            sumMerge(inferred_orchestrator_change_sessions_state) AS inferred_orchestrator_change_sessions,
            sumMerge(swapped_sessions_state) AS swapped_sessions,
            sumMerge(sessions_with_errors_state) AS sessions_with_errors,
            sumMerge(sessions_with_last_error_state) AS sessions_with_last_error,
            sumMerge(loading_only_sessions_state) AS loading_only_sessions,
            sumMerge(zero_output_fps_sessions_state) AS zero_output_fps_sessions,
            sumMerge(status_error_samples_state) AS status_error_samples,
            sumMerge(health_signal_count_state) AS health_signal_count,
            sumMerge(health_expected_signal_count_state) AS health_expected_signal_count
        FROM livepeer_analytics.agg_reliability_1h
        GROUP BY hour, gateway, orchestrator_address, region_key, pipeline, model_key, gpu_key
    ),
    keyspace AS
    (
        SELECT hour, gateway, orchestrator_address, region_key, pipeline, model_key, gpu_key FROM perf
        UNION DISTINCT
        SELECT hour, gateway, orchestrator_address, region_key, pipeline, model_key, gpu_key FROM reliability
    ),
    gpu_types AS
    (
        SELECT orchestrator_address, ifNull(gpu_id, '') AS gpu_key, argMax(gpu_name, latest_snapshot_ts) AS gpu_name
        FROM livepeer_analytics.dim_orchestrator_capability_current
        WHERE ifNull(gpu_id, '') != ''
        GROUP BY orchestrator_address, gpu_key
    ),
    capacity AS
    (
        SELECT orchestrator_address, model_id AS model_key, argMax(ifNull(capacity, 0), snapshot_ts) AS capacity
        FROM livepeer_analytics.dim_orchestrator_capability_model_constraints
        GROUP BY orchestrator_address, model_key
    )
SELECT
    k.hour AS window_start,
    k.gateway AS gateway,
    k.orchestrator_address AS orchestrator_address,
    CAST(nullIf(k.region_key, ''), 'Nullable(String)') AS region,
    k.pipeline AS pipeline,
    CAST(nullIf(k.model_key, ''), 'Nullable(String)') AS model_id,
    CAST(nullIf(k.gpu_key, ''), 'Nullable(String)') AS gpu_id,
    if(ifNull(g.gpu_name, '') = '', 'unknown', assumeNotNull(g.gpu_name)) AS gpu_type,
    toUInt64(p.total_streams) AS total_streams,
    toUInt64(p.total_sessions) AS total_sessions,
    toFloat64(p.status_samples) / 60 AS inference_minutes_by_gpu_type,
    toFloat64(p.status_samples) / 60 AS used_inference_minutes,
    toFloat64(ifNull(c.capacity, 0)) * 60 AS available_capacity_minutes,
    if(ifNull(c.capacity, 0) = 0, 0., (toFloat64(p.status_samples) / 60) / (toFloat64(c.capacity) * 60)) AS capacity_rate,
    toUInt64(r.known_sessions) AS known_sessions,
    toUInt64(r.unexcused_sessions) AS unexcused_sessions,
    toUInt64(r.confirmed_swapped_sessions) AS confirmed_swapped_sessions,
    toUInt64(r.inferred_orchestrator_change_sessions) AS inferred_orchestrator_change_sessions,
    toUInt64(r.swapped_sessions) AS swapped_sessions,
    toUInt64(r.sessions_with_errors) AS sessions_with_errors,
    toUInt64(r.sessions_with_last_error) AS sessions_with_last_error,
    toUInt64(r.loading_only_sessions) AS loading_only_sessions,
    toUInt64(r.zero_output_fps_sessions) AS zero_output_fps_sessions,
    toUInt64(r.status_error_samples) AS status_error_samples,
    toUInt64(r.health_signal_count) AS health_signal_count,
    toUInt64(r.health_expected_signal_count) AS health_expected_signal_count,
    if(r.health_expected_signal_count = 0, 1., r.health_signal_count / r.health_expected_signal_count) AS health_completeness_ratio,
    toUInt64(r.unexcused_sessions) AS missing_capacity_count,
    toFloat64(ifNull(f.fee_eth, 0)) AS fee_payment_eth
FROM keyspace AS k
LEFT JOIN perf AS p
    ON p.hour = k.hour AND p.gateway = k.gateway AND p.orchestrator_address = k.orchestrator_address
   AND p.region_key = k.region_key AND p.pipeline = k.pipeline AND p.model_key = k.model_key AND p.gpu_key = k.gpu_key
LEFT JOIN reliability AS r
    ON r.hour = k.hour AND r.gateway = k.gateway AND r.orchestrator_address = k.orchestrator_address
   AND r.region_key = k.region_key AND r.pipeline = k.pipeline AND r.model_key = k.model_key AND r.gpu_key = k.gpu_key
LEFT JOIN fees AS f
    ON f.hour = k.hour AND f.gateway = k.gateway AND f.orchestrator_address = k.orchestrator_address
   AND f.region_key = k.region_key AND f.pipeline = k.pipeline AND f.model_key = k.model_key AND f.gpu_key = k.gpu_key
LEFT JOIN gpu_types AS g ON g.orchestrator_address = k.orchestrator_address AND g.gpu_key = k.gpu_key
LEFT JOIN capacity AS c ON c.orchestrator_address = k.orchestrator_address AND c.model_key = k.model_key;


CREATE OR REPLACE VIEW livepeer_analytics.v_api_jitter_5m
AS
SELECT
    toDateTime(toStartOfFiveMinutes(window_start), 'UTC') AS window_start_5m,
    orchestrator_address,
    pipeline,
    model_id,
    gpu_id,
    region,
    toFloat64(avgMerge(output_fps_avg_state)) AS avg_output_fps,
    if(avgMerge(fps_jitter_den_state) = 0, CAST(NULL, 'Nullable(Float64)'), stddevPopMerge(fps_jitter_num_state) / avgMerge(fps_jitter_den_state)) AS jitter_coeff_fps,
    toUInt64(countMerge(sample_count_state)) AS status_samples
FROM livepeer_analytics.agg_stream_performance_1m
GROUP BY window_start_5m, orchestrator_address, pipeline, model_id, gpu_id, region
HAVING status_samples >= 10;


CREATE OR REPLACE VIEW livepeer_analytics.v_api_session_identity
AS
SELECT
    workflow_session_id,
    argMax(orchestrator_address, version) AS orchestrator_address,
    argMax(stream_id, version) AS stream_id,
    argMax(request_id, version) AS request_id,
    argMax(session_start_ts, version) AS session_start_ts,
    argMax(session_end_ts, version) AS session_end_ts,
    max(version) AS latest_version
FROM livepeer_analytics.fact_workflow_sessions
GROUP BY workflow_session_id;


CREATE OR REPLACE VIEW livepeer_analytics.v_health_rollup_freshness
AS
SELECT
    'fact_stream_status_samples' AS table_name,
    max(sample_ts) AS max_event_ts,
    now64(3) AS checked_at,
    toInt64(dateDiff('minute', max(sample_ts), now64(3, 'UTC'))) AS lag_minutes
FROM livepeer_analytics.fact_stream_status_samples
UNION ALL
SELECT
    'fact_workflow_sessions' AS table_name,
    max(session_start_ts) AS max_event_ts,
    now64(3) AS checked_at,
    toInt64(dateDiff('minute', max(session_start_ts), now64(3, 'UTC'))) AS lag_minutes
FROM livepeer_analytics.fact_workflow_sessions;
