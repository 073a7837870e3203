-- a.7 Rollups (AggregatingMergeTree) and the MVs that feed them.
CREATE TABLE IF NOT EXISTS livepeer_analytics.agg_stream_performance_1m
(
    window_start DateTime64(3, 'UTC'),
    gateway String,
    orchestrator_address String,
    pipeline String,
    model_id Nullable(String),
    gpu_id Nullable(String),
    region Nullable(String),
    sessions_uniq_state AggregateFunction(uniqExact, String),
    streams_uniq_state AggregateFunction(uniqExact, String),
    output_fps_avg_state AggregateFunction(avg, Float32),
    output_fps_p95_state AggregateFunction(quantileTDigest(0.95), Float32),
    fps_jitter_num_state AggregateFunction(stddevPop, Float32),
    fps_jitter_den_state AggregateFunction(avg, Float32),
    sample_count_state AggregateFunction(count)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(toDate(window_start))
ORDER BY (window_start, orchestrator_address, ifNull(gpu_id, ''))
SETTINGS index_granularity = 8192, allow_dimensions_outside_sorting_key = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS livepeer_analytics.mv_fact_status_to_perf_1m
TO livepeer_analytics.agg_stream_performance_1m
AS
SELECT
    toDateTime64(toStartOfMinute(sample_ts), 3, 'UTC') AS window_start,
    gateway,
    orchestrator_address,
    pipeline,
    model_id,
    gpu_id,
    region,
    uniqExactState(workflow_session_id) AS sessions_uniq_state,
    uniqExactState(stream_id) AS streams_uniq_state,
    avgState(output_fps) AS output_fps_avg_state,
    quantileTDigestState(0.95)(output_fps) AS output_fps_p95_state,
    stddevPopState(output_fps) AS fps_jitter_num_state,
    avgState(output_fps) AS fps_jitter_den_state,
    countState() AS sample_count_state
FROM livepeer_analytics.fact_stream_status_samples
WHERE is_attributed = 1
GROUP BY window_start, gateway, orchestrator_address, pipeline, model_id, gpu_id, region;

CREATE TABLE IF NOT EXISTS livepeer_analytics.agg_reliability_1h
(
    window_start DateTime64(3, 'UTC'),
    gateway String,
    orchestrator_address String,
    pipeline String,
    model_id Nullable(String),
    gpu_id Nullable(String),
    region Nullable(String),
    known_sessions_state AggregateFunction(sum, UInt64),
    startup_success_sessions_state AggregateFunction(sum, UInt64),
    excused_sessions_state AggregateFunction(sum, UInt64),
    unexcused_sessions_state AggregateFunction(sum, UInt64),
    confirmed_swapped_sessions_state AggregateFunction(sum, UInt64),
    inferred_orchestrator_change_sessions_state AggregateFunction(sum, UInt64),
    swapped_sessions_state AggregateFunction(sum, UInt64),
    sessions_with_errors_state AggregateFunction(sum, UInt64),
    sessions_with_last_error_state AggregateFunction(sum, UInt64),
    loading_only_sessions_state AggregateFunction(sum, UInt64),
    zero_output_fps_sessions_state AggregateFunction(sum, UInt64),
    status_error_samples_state AggregateFunction(sum, UInt64),
    health_signal_count_state AggregateFunction(sum, UInt64),
    health_expected_signal_count_state AggregateFunction(sum, UInt64),
    -- seed-run compatibility column (sessions with startup success)
    success_sessions_state AggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(toDate(window_start))
ORDER BY (window_start, gateway, orchestrator_address)
SETTINGS index_granularity = 8192, allow_dimensions_outside_sorting_key = 1;

-- Fires on every inserted session version row (as in production).
CREATE MATERIALIZED VIEW IF NOT EXISTS livepeer_analytics.mv_fact_sessions_to_reliability_1h
TO livepeer_analytics.agg_reliability_1h
AS
SELECT
    toDateTime64(toStartOfHour(session_start_ts), 3, 'UTC') AS window_start,
    gateway,
    orchestrator_address,
    pipeline,
    model_id,
    gpu_id,
    region,
    sumState(toUInt64(known_stream)) AS known_sessions_state,
    sumState(toUInt64(startup_success)) AS startup_success_sessions_state,
    sumState(toUInt64(startup_excused)) AS excused_sessions_state,
    sumState(toUInt64(startup_unexcused)) AS unexcused_sessions_state,
    sumState(toUInt64(confirmed_swap_count > 0)) AS confirmed_swapped_sessions_state,
    sumState(toUInt64(inferred_orchestrator_change_count > 0)) AS inferred_orchestrator_change_sessions_state,
    sumState(toUInt64(confirmed_swap_count > 0 OR inferred_orchestrator_change_count > 0)) AS swapped_sessions_state,
    sumState(toUInt64(error_count > 0)) AS sessions_with_errors_state,
    sumState(toUInt64(last_error_occurred)) AS sessions_with_last_error_state,
    sumState(toUInt64(loading_only_session)) AS loading_only_sessions_state,
    sumState(toUInt64(zero_output_fps_session)) AS zero_output_fps_sessions_state,
    sumState(toUInt64(status_error_sample_count)) AS status_error_samples_state,
    sumState(toUInt64(health_signal_count)) AS health_signal_count_state,
    sumState(toUInt64(health_expected_signal_count)) AS health_expected_signal_count_state,
    sumState(toUInt64(startup_success)) AS success_sessions_state
FROM livepeer_analytics.fact_workflow_sessions
GROUP BY window_start, gateway, orchestrator_address, pipeline, model_id, gpu_id, region;

CREATE TABLE IF NOT EXISTS livepeer_analytics.agg_latency_kpis_1m
(
    window_start DateTime64(3, 'UTC'),
    orchestrator_address String,
    pipeline String,
    model_id Nullable(String),
    gpu_id Nullable(String),
    region Nullable(String),
    prompt_to_first_frame_avg_state AggregateFunction(avg, Float64),
    startup_time_avg_state AggregateFunction(avg, Float64),
    e2e_latency_avg_state AggregateFunction(avg, Float64),
    prompt_to_first_frame_p95_state AggregateFunction(quantileTDigest(0.95), Float64),
    startup_time_p95_state AggregateFunction(quantileTDigest(0.95), Float64),
    e2e_latency_p95_state AggregateFunction(quantileTDigest(0.95), Float64),
    valid_prompt_to_first_frame_state AggregateFunction(sum, UInt64),
    valid_startup_time_state AggregateFunction(sum, UInt64),
    valid_e2e_latency_state AggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(toDate(window_start))
ORDER BY (window_start, orchestrator_address, ifNull(gpu_id, ''))
SETTINGS index_granularity = 8192, allow_dimensions_outside_sorting_key = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS livepeer_analytics.mv_fact_workflow_latency_to_latency_kpis_1m
TO livepeer_analytics.agg_latency_kpis_1m
AS
SELECT
    toDateTime64(toStartOfMinute(sample_ts), 3, 'UTC') AS window_start,
    orchestrator_address,
    pipeline,
    model_id,
    gpu_id,
    region,
    avgStateIf(ifNull(prompt_to_first_frame_ms, 0), has_prompt_to_first_frame = 1) AS prompt_to_first_frame_avg_state,
    avgStateIf(ifNull(startup_time_ms, 0), has_startup_time = 1) AS startup_time_avg_state,
    avgStateIf(ifNull(e2e_latency_ms, 0), has_e2e_latency = 1) AS e2e_latency_avg_state,
    quantileTDigestStateIf(0.95)(ifNull(prompt_to_first_frame_ms, 0), has_prompt_to_first_frame = 1) AS prompt_to_first_frame_p95_state,
    quantileTDigestStateIf(0.95)(ifNull(startup_time_ms, 0), has_startup_time = 1) AS startup_time_p95_state,
    quantileTDigestStateIf(0.95)(ifNull(e2e_latency_ms, 0), has_e2e_latency = 1) AS e2e_latency_p95_state,
    sumState(toUInt64(has_prompt_to_first_frame)) AS valid_prompt_to_first_frame_state,
    sumState(toUInt64(has_startup_time)) AS valid_startup_time_state,
    sumState(toUInt64(has_e2e_latency)) AS valid_e2e_latency_state
FROM livepeer_analytics.fact_workflow_latency_samples
GROUP BY window_start, orchestrator_address, pipeline, model_id, gpu_id, region;
