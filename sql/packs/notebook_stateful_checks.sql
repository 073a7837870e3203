-- notebook_stateful_checks.sql — the notebook's 04 stateful checks panel (suite `notebook_stateful_checks`, 1 QUERY).
--
-- How the report finds it: suite `notebook_stateful_checks`, block `stateful_checks`; rendered under
-- "Ordered pipeline trace → 04 Stateful Fact Counts" beside trace_pipeline_flow.04_stateful_fact_counts.
-- Params: {from_ts:DateTime64(3)}, {to_ts:DateTime64(3)} (half-open window on session/segment start).
-- Output: 3 rows ordered by check_name — check_name, lhs, rhs, delta (lhs − rhs, Int64), status
-- (PASS/INFO/WARN/FAIL, advisory), expectation. The same three figures are hard TESTs in
-- assertions_pipeline.sql (latest_sessions_vs_segment_session_ids, raw_session_rows_vs_latest_sessions,
-- segment_rows_vs_segment_session_ids).

-- QUERY: stateful_checks
-- Latest sessions vs segment session ids, raw session rows vs latest sessions, segment rows vs segment ids.
WITH
  session_counts AS
  (
    SELECT count() AS sessions_raw, uniqExact(workflow_session_id) AS sessions_latest
    FROM livepeer_analytics.fact_workflow_sessions
    WHERE session_start_ts >= {from_ts:DateTime64(3)} AND session_start_ts < {to_ts:DateTime64(3)}
  ),
  segment_counts AS
  (
    SELECT count() AS segment_rows, uniqExact(workflow_session_id) AS segment_session_ids
    FROM livepeer_analytics.fact_workflow_session_segments
    WHERE segment_start_ts >= {from_ts:DateTime64(3)} AND segment_start_ts < {to_ts:DateTime64(3)}
  ),
  figures AS
  (
    SELECT
      toInt64(c.sessions_raw) AS sessions_raw,
      toInt64(c.sessions_latest) AS sessions_latest,
      toInt64(g.segment_rows) AS segment_rows,
      toInt64(g.segment_session_ids) AS segment_session_ids
    FROM session_counts AS c
    CROSS JOIN segment_counts AS g
  ),
  checks AS
  (
    SELECT arrayJoin([
      ('latest_sessions_vs_segment_session_ids', sessions_latest, segment_session_ids,
       multiIf(segment_session_ids > sessions_latest, 'FAIL', sessions_latest - segment_session_ids <= 1, 'PASS', 'WARN'),
       'segment session ids should be <= latest sessions (gap <= 1 usually expected)'),
      ('raw_session_rows_vs_latest_sessions', sessions_raw, sessions_latest,
       multiIf(sessions_raw < sessions_latest, 'FAIL', sessions_raw = sessions_latest, 'PASS', 'INFO'),
       'raw rows >= latest sessions; positive delta indicates multiple versions in backend'),
      ('segment_rows_vs_segment_session_ids', segment_rows, segment_session_ids,
       if(segment_rows < segment_session_ids, 'FAIL', 'INFO'),
       'segment rows are event-level and can exceed distinct session ids')
    ]) AS check_row
    FROM figures
  )
SELECT
  check_row.1 AS check_name,
  check_row.2 AS lhs,
  check_row.3 AS rhs,
  check_row.2 - check_row.3 AS delta,
  check_row.4 AS status,
  check_row.5 AS expectation
FROM checks
ORDER BY check_name;
