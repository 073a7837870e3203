-- notebook_session_versions.sql — the notebook's 05 KPI + session-version panels (suite `notebook_session_versions`).
--
-- How the report finds it: suite `notebook_session_versions`; blocks, all rendered under
-- "Ordered pipeline trace → 05 Reliability and Swap Summary" (KPIs also on the executive summary):
--   kpi_summary                 1 row: latest-session KPIs (sessions … unexcused_rate).
--   version_diagnostics         1 row: raw_session_rows, distinct_workflow_sessions,
--                               sessions_with_multiple_versions, sessions_with_known_stream_transitions.
--   mixed_known_stream_versions 1 row: check_name, value, regressive_sessions, status (WARN when value > 0), expectation.
--   per_version_rows            every version row of sessions whose known_stream changed (debug table).
--   version_field_diffs         one row per consecutive version pair of those sessions whose tracked
--                               fields changed: workflow_session_id, from_version, to_version,
--                               changed_fields ("col: old -> new; …"), status (WARN on known_stream 1 -> 0, else INFO).
-- Params: {from_ts:DateTime64(3)}, {to_ts:DateTime64(3)} (sessions whose session_start_ts is in the window).
-- swapped_sessions counts confirmed OR inferred swaps (warehouse.md: rollups expose the same definition).

-- QUERY: kpi_summary
-- Startup and swap outcome totals over the latest version of each session started in the window.
WITH
  latest_sessions AS
  (
    SELECT known_stream, startup_success, startup_excused, startup_unexcused,
           confirmed_swap_count, inferred_orchestrator_change_count
    FROM
    (
      SELECT
        known_stream, startup_success, startup_excused, startup_unexcused,
        confirmed_swap_count, inferred_orchestrator_change_count,
        row_number() OVER (PARTITION BY workflow_session_id
                           ORDER BY version DESC, session_start_ts DESC, session_end_ts DESC) AS rn
      FROM livepeer_analytics.fact_workflow_sessions FINAL
      WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    )
    WHERE rn = 1
  )
SELECT
  count() AS sessions,
  countIf(known_stream = 1) AS known_stream_sessions,
  countIf(startup_success = 1) AS startup_success_sessions,
  countIf(startup_excused = 1) AS startup_excused_sessions,
  countIf(startup_unexcused = 1) AS startup_unexcused_sessions,
  countIf(confirmed_swap_count > 0) AS confirmed_swapped_sessions,
  countIf(inferred_orchestrator_change_count > 0) AS inferred_orchestrator_change_sessions,
  countIf(confirmed_swap_count > 0 OR inferred_orchestrator_change_count > 0) AS swapped_sessions,
  if(known_stream_sessions = 0, 0.0, startup_unexcused_sessions / toFloat64(known_stream_sessions)) AS unexcused_rate
FROM latest_sessions;

-- QUERY: version_diagnostics
-- Version drift of session rows in the window: raw rows, distinct sessions, multi-version and known_stream-changing sessions.
WITH
  per_session AS
  (
    SELECT workflow_session_id, count() AS version_rows, uniqExact(known_stream) AS known_stream_values
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
  )
SELECT
  sum(version_rows) AS raw_session_rows,
  count() AS distinct_workflow_sessions,
  countIf(version_rows > 1) AS sessions_with_multiple_versions,
  countIf(known_stream_values > 1) AS sessions_with_known_stream_transitions
FROM per_session;

-- QUERY: mixed_known_stream_versions
-- Sessions whose known_stream changed across versions (WARN) and how many regressed from 1 to 0.
WITH
  per_session AS
  (
    SELECT
      workflow_session_id,
      uniqExact(known_stream) AS known_stream_values,
      argMin(known_stream, version) AS first_known_stream,
      argMax(known_stream, version) AS last_known_stream
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
  )
SELECT
  'mixed_known_stream_versions' AS check_name,
  countIf(known_stream_values > 1) AS value,
  countIf(first_known_stream = 1 AND last_known_stream = 0) AS regressive_sessions,
  multiIf(value = 0, 'PASS', 'WARN') AS status,
  'ideally 0; >0 means the same session changed known_stream across versions' AS expectation
FROM per_session;

-- QUERY: per_version_rows
-- Every version row of sessions whose known_stream changed across versions, oldest version first.
WITH
  mixed_ids AS
  (
    SELECT workflow_session_id
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
    HAVING uniqExact(known_stream) > 1
  )
SELECT
  fs.workflow_session_id AS workflow_session_id,
  fs.version AS version,
  fs.session_start_ts AS session_start_ts,
  fs.session_end_ts AS session_end_ts,
  fs.known_stream AS known_stream,
  fs.stream_id AS stream_id,
  fs.request_id AS request_id,
  fs.startup_success AS startup_success,
  fs.startup_excused AS startup_excused,
  fs.startup_unexcused AS startup_unexcused,
  fs.swap_count AS swap_count,
  fs.confirmed_swap_count AS confirmed_swap_count,
  fs.inferred_orchestrator_change_count AS inferred_orchestrator_change_count
FROM livepeer_analytics.fact_workflow_sessions AS fs
INNER JOIN mixed_ids AS m ON m.workflow_session_id = fs.workflow_session_id
WHERE fs.session_start_ts >= {from_ts:DateTime64(3)} AND fs.session_start_ts < {to_ts:DateTime64(3)}
ORDER BY workflow_session_id, version, session_start_ts;

-- QUERY: version_field_diffs
-- Tracked fields that changed between consecutive versions of sessions with known_stream transitions.
WITH
  mixed_ids AS
  (
    SELECT workflow_session_id
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
    GROUP BY workflow_session_id
    HAVING uniqExact(known_stream) > 1
  ),
  tracked AS
  (
    SELECT
      fs.workflow_session_id AS workflow_session_id,
      fs.version AS version,
      fs.session_start_ts AS session_start_ts,
      [toString(fs.known_stream), fs.stream_id, fs.request_id, toString(fs.startup_success),
       toString(fs.startup_excused), toString(fs.startup_unexcused), toString(fs.swap_count),
       toString(fs.confirmed_swap_count), toString(fs.inferred_orchestrator_change_count),
       ifNull(toString(fs.session_end_ts), 'NULL')] AS field_values
    FROM livepeer_analytics.fact_workflow_sessions AS fs
    INNER JOIN mixed_ids AS m ON m.workflow_session_id = fs.workflow_session_id
    WHERE fs.session_start_ts >= {from_ts:DateTime64(3)} AND fs.session_start_ts < {to_ts:DateTime64(3)}
  ),
  paired AS
  (
    SELECT
      workflow_session_id,
      version AS to_version,
      lagInFrame(version) OVER w AS from_version,
      field_values AS current_values,
      lagInFrame(field_values) OVER w AS previous_values,
      row_number() OVER w AS version_rank
    FROM tracked
    WINDOW w AS (PARTITION BY workflow_session_id ORDER BY version ASC, session_start_ts ASC
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  ),
  diffs AS
  (
    SELECT
      workflow_session_id,
      from_version,
      to_version,
      arrayStringConcat(
        arrayFilter(x -> x != '',
          arrayMap((name, old, new) -> if(old = new, '', concat(name, ': ', old, ' -> ', new)),
                   ['known_stream', 'stream_id', 'request_id', 'startup_success', 'startup_excused',
                    'startup_unexcused', 'swap_count', 'confirmed_swap_count',
                    'inferred_orchestrator_change_count', 'session_end_ts'],
                   previous_values, current_values)),
        '; ') AS changed_fields
    FROM paired
    WHERE version_rank > 1
  )
SELECT
  workflow_session_id,
  from_version,
  to_version,
  changed_fields,
  if(position(changed_fields, 'known_stream: 1 -> 0') > 0, 'WARN', 'INFO') AS status
FROM diffs
WHERE changed_fields != ''
ORDER BY workflow_session_id, to_version;
