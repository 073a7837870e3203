"""Break one thing in a built demo warehouse, reversibly, so tests can prove a check fails.

    with inject(rw_client, "drop_status_projection_mv"):
        ...  # run the pack; the check must fail
    # on exit the warehouse is back to its exact previous content

``inject_sql(client, statements, restore_tables=[...], restore_views=[...])`` is the generic
form: before running ``statements`` it snapshots every table in ``restore_tables`` (its parts
are cloned into the ``reportgen_fault_backup`` database with ``ATTACH PARTITION ... FROM``, so no
materialized view fires), and on exit it puts those parts back and recreates every view /
materialized view in ``restore_views`` from the schema DDL (``sql/warehouse/NN_*.sql``).
List in ``restore_tables`` every table the statements change, including MV targets fed by
inserts the statements make. Faults are process-local: run one at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from reportgen.demo.schema import DATABASE, ddl_for

BACKUP_DATABASE = "reportgen_fault_backup"

_SYNC = {"mutations_sync": 2, "optimize_on_insert": 0}


class FaultError(RuntimeError):
    """Unknown fault, or a fault that could not be applied / restored."""


@dataclass(frozen=True)
class Fault:
    name: str
    description: str
    statements: tuple[str, ...]
    restore_tables: tuple[str, ...] = ()
    restore_views: tuple[str, ...] = ()
    detected_by: tuple[str, ...] = ()  # pack checks expected to fail (suite::block)


def _partitions(client, database: str, table: str) -> list[str]:
    rows = client.query(
        "SELECT DISTINCT partition_id FROM system.parts WHERE database = {db:String} AND table = {t:String} AND active "
        "ORDER BY partition_id",
        parameters={"db": database, "t": table},
    ).result_rows
    return [r[0] for r in rows]


def _backup_table(client, table: str) -> None:
    backup = f"{BACKUP_DATABASE}.{table}"
    client.command(f"DROP TABLE IF EXISTS {backup}")
    client.command(f"CREATE TABLE {backup} AS {DATABASE}.{table}")
    for pid in _partitions(client, DATABASE, table):
        client.command(f"ALTER TABLE {backup} ATTACH PARTITION ID '{pid}' FROM {DATABASE}.{table}")


def _restore_table(client, table: str) -> None:
    backup = f"{BACKUP_DATABASE}.{table}"
    client.command(f"TRUNCATE TABLE {DATABASE}.{table}")
    for pid in _partitions(client, BACKUP_DATABASE, table):
        client.command(f"ALTER TABLE {DATABASE}.{table} ATTACH PARTITION ID '{pid}' FROM {backup}")
    client.command(f"DROP TABLE IF EXISTS {backup}")


def _restore_view(client, name: str) -> None:
    stmt = ddl_for(name)
    if stmt.kind == "MATERIALIZED VIEW":
        client.command(f"DROP VIEW IF EXISTS {DATABASE}.{name}")
        client.command(stmt.sql)
    elif stmt.kind == "VIEW":
        client.command(stmt.sql)  # CREATE OR REPLACE VIEW
    else:
        raise FaultError(f"{name} is a {stmt.kind}, not a view; list it in restore_tables")


@contextmanager
def inject_sql(client, statements: Sequence[str], restore_tables: Sequence[str] = (),
               restore_views: Sequence[str] = ()) -> Iterator[None]:
    """Run ``statements`` (the fault); on exit restore the listed tables and views exactly."""
    for name in restore_views:
        ddl_for(name)  # fail early on unknown names, before anything is changed
    client.command(f"CREATE DATABASE IF NOT EXISTS {BACKUP_DATABASE}")
    backed_up: list[str] = []
    try:
        for table in restore_tables:
            _backup_table(client, table)
            backed_up.append(table)
        for sql in statements:
            client.command(sql, settings=_SYNC)
        yield
    finally:
        errors: list[str] = []
        for name in restore_views:
            try:
                _restore_view(client, name)
            except Exception as exc:  # noqa: BLE001 - keep restoring the rest
                errors.append(f"view {name}: {exc}")
        for table in backed_up:
            try:
                _restore_table(client, table)
            except Exception as exc:  # noqa: BLE001
                errors.append(f"table {table}: {exc}")
        client.command(f"DROP DATABASE IF EXISTS {BACKUP_DATABASE}")
        if errors:
            raise FaultError("fault restore failed: " + "; ".join(errors))


def view_with_replacement(view: str, old: str, new: str) -> str:
    """The schema DDL of ``view`` with one exact text fragment replaced (to corrupt its arithmetic)."""
    sql = ddl_for(view).sql
    if sql.count(old) != 1:
        raise FaultError(f"fragment {old!r} occurs {sql.count(old)} times in {view}, expected once")
    return sql.replace(old, new)


D = DATABASE

FAULTS: dict[str, Fault] = {f.name: f for f in [
    Fault(
        "drop_status_projection_mv",
        "The MV projecting status samples into agg_stream_performance_1m is dropped and its rollup rows are lost.",
        (f"DROP VIEW {D}.mv_fact_status_to_perf_1m", f"TRUNCATE TABLE {D}.agg_stream_performance_1m"),
        restore_tables=("agg_stream_performance_1m",), restore_views=("mv_fact_status_to_perf_1m",),
        detected_by=("assertions_pipeline::agg_stream_performance_1m_matches_status_samples",),
    ),
    Fault(
        "drop_ingest_projection_mv",
        "The ingest-metrics projection MV is dropped and fact_stream_ingest_samples lost its rows.",
        (f"DROP VIEW {D}.mv_stream_ingest_metrics_to_fact_stream_ingest_samples",
         f"TRUNCATE TABLE {D}.fact_stream_ingest_samples"),
        restore_tables=("fact_stream_ingest_samples",),
        restore_views=("mv_stream_ingest_metrics_to_fact_stream_ingest_samples",),
        detected_by=("assertions_pipeline::ingest_raw_to_silver_projection",),
    ),
    Fault(
        "delete_silver_status_rows",
        "About a fifth of fact_stream_status_samples rows are deleted (typed rows keep them).",
        (f"ALTER TABLE {D}.fact_stream_status_samples DELETE WHERE cityHash64(source_event_uid) % 5 = 0",),
        restore_tables=("fact_stream_status_samples",),
        detected_by=("assertions_pipeline::status_raw_to_silver_projection",),
    ),
    Fault(
        "delete_silver_trace_rows",
        "About a fifth of fact_stream_trace_edges rows are deleted.",
        (f"ALTER TABLE {D}.fact_stream_trace_edges DELETE WHERE cityHash64(source_event_uid) % 5 = 0",),
        restore_tables=("fact_stream_trace_edges",),
        detected_by=("assertions_pipeline::trace_raw_to_silver_projection",),
    ),
    Fault(
        "drop_typed_status_rows",
        "About a fifth of typed ai_stream_status rows are deleted (raw events keep them).",
        (f"ALTER TABLE {D}.ai_stream_status DELETE WHERE cityHash64(raw_json) % 5 = 0",),
        restore_tables=("ai_stream_status",),
        detected_by=("assertions_raw_typed::raw_typed_core_1to1_parity",
                     "assertions_pipeline::status_raw_to_silver_projection"),
    ),
    Fault(
        "corrupt_gpu_view_failure_rate",
        "v_api_gpu_metrics computes failure_rate as (unexcused + 1) / known.",
        (view_with_replacement("v_api_gpu_metrics",
                               "r.unexcused_sessions / r.known_sessions) AS failure_rate",
                               "(r.unexcused_sessions + 1) / r.known_sessions) AS failure_rate"),),
        restore_views=("v_api_gpu_metrics",),
        detected_by=("assertions_api_readiness::gpu_metrics_rollup_fields_consistent",),
    ),
    Fault(
        "corrupt_sla_view_startup_ratio",
        "v_api_sla_compliance computes startup_success_ratio as 1 - (unexcused + 1) / known.",
        (view_with_replacement("v_api_sla_compliance",
                               "1 - unexcused_sessions / known_sessions) AS startup_success_ratio",
                               "1 - (unexcused_sessions + 1) / known_sessions) AS startup_success_ratio"),),
        restore_views=("v_api_sla_compliance",),
        detected_by=("assertions_api_readiness::sla_compliance_rollup_safe",),
    ),
    Fault(
        "corrupt_demand_view_minutes",
        "v_api_network_demand computes total_minutes as samples / 30 (instead of / 60).",
        (view_with_replacement("v_api_network_demand",
                               "toFloat64(p.status_samples) / 60 AS total_minutes",
                               "toFloat64(p.status_samples) / 30 AS total_minutes"),),
        restore_views=("v_api_network_demand",),
        detected_by=("assertions_pipeline::network_demand_view_matches_rollup",),
    ),
    Fault(
        "duplicate_session_version",
        "The latest version row of every 10th session is duplicated with a shifted session_start_ts, "
        "so FINAL keeps two rows at the max version (the reliability MV also sees the copies).",
        (f"""INSERT INTO {D}.fact_workflow_sessions
             SELECT * REPLACE (session_start_ts + INTERVAL 1 SECOND AS session_start_ts)
             FROM {D}.fact_workflow_sessions
             WHERE cityHash64(workflow_session_id) % 10 = 0
             ORDER BY workflow_session_id, version DESC LIMIT 1 BY workflow_session_id""",),
        restore_tables=("fact_workflow_sessions", "agg_reliability_1h"),
        detected_by=("assertions_pipeline::session_final_uniqueness",),
    ),
    Fault(
        "regress_known_stream",
        "Every 5th known session gets a newer version with known_stream = 0 (a 1 -> 0 regression).",
        (f"""INSERT INTO {D}.fact_workflow_sessions
             SELECT * REPLACE (toUInt8(0) AS known_stream, toUInt8(0) AS startup_success,
                               toUInt8(0) AS startup_excused, toUInt8(0) AS startup_unexcused,
                               version + 1 AS version)
             FROM {D}.fact_workflow_sessions
             WHERE cityHash64(workflow_session_id) % 5 = 0
             ORDER BY workflow_session_id, version DESC LIMIT 1 BY workflow_session_id""",),
        restore_tables=("fact_workflow_sessions", "agg_reliability_1h"),
        detected_by=("assertions_pipeline::mixed_known_stream_versions",),
    ),
    Fault(
        "add_dlq_core_row",
        "A DLQ row for an ai_stream_status event (a core type) appears inside the data window.",
        (f"""INSERT INTO {D}.streaming_events_dlq
             (schema_version, source_topic, source_partition, source_offset, source_record_timestamp, event_id,
              event_type, event_version, event_timestamp, dedup_key, dedup_strategy, replay, failure_stage,
              failure_class, failure_reason, failure_details, orchestrator, broadcaster, region,
              payload_encoding, payload_body, payload_canonical_json)
             SELECT '1', 'streaming_events', 0, 999999999, event_timestamp, concat(id, '-fault'), type, NULL,
                    event_timestamp, NULL, NULL, 0, 'validate_payload', 'SCHEMA_INVALID',
                    'injected fault: status payload rejected', '', NULL, NULL, NULL, 'json', data, NULL
             FROM {D}.streaming_events WHERE type = 'ai_stream_status'
             ORDER BY event_timestamp, id LIMIT 1""",),
        restore_tables=("streaming_events_dlq",),
        detected_by=("assertions_raw_typed::raw_typed_no_dlq_or_quarantine_for_core_types",),
    ),
    Fault(
        "drop_capability_mv",
        "The capability snapshot MV (network_capabilities -> dim snapshots) is dropped.",
        (f"DROP VIEW {D}.mv_network_capabilities_to_dim_orchestrator_capability_snapshots",),
        restore_views=("mv_network_capabilities_to_dim_orchestrator_capability_snapshots",),
        detected_by=("assertions_pipeline::capability_dimension_mvs_present",),
    ),
    Fault(
        "empty_capability_dimension",
        "dim_orchestrator_capability_snapshots lost all rows (the typed capability rows remain).",
        (f"TRUNCATE TABLE {D}.dim_orchestrator_capability_snapshots",),
        restore_tables=("dim_orchestrator_capability_snapshots",),
        detected_by=("assertions_pipeline::capability_dimensions_projecting",
                     "assertions_pipeline::capability_snapshot_gpu_coverage"),
    ),
    Fault(
        "orphan_segments",
        "Segments are added for session ids that have no fact_workflow_sessions row.",
        (f"""INSERT INTO {D}.fact_workflow_session_segments
             SELECT * REPLACE (concat(workflow_session_id, '|orphan') AS workflow_session_id)
             FROM {D}.fact_workflow_session_segments
             WHERE cityHash64(workflow_session_id) % 4 = 0""",),
        restore_tables=("fact_workflow_session_segments",),
        detected_by=("assertions_pipeline::latest_sessions_vs_segment_session_ids",),
    ),
    Fault(
        "orphan_param_updates",
        "A param update references a session id that does not exist.",
        (f"""INSERT INTO {D}.fact_workflow_param_updates
             SELECT * REPLACE (concat(workflow_session_id, '|orphan') AS workflow_session_id)
             FROM {D}.fact_workflow_param_updates ORDER BY update_ts LIMIT 1""",),
        restore_tables=("fact_workflow_param_updates",),
        detected_by=("assertions_pipeline::param_updates_reference_existing_session",),
    ),
]}


@contextmanager
def inject(client, name: str) -> Iterator[Fault]:
    """Apply the registered fault ``name`` for the duration of the block; restores on exit."""
    try:
        fault = FAULTS[name]
    except KeyError:
        raise FaultError(f"unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}") from None
    with inject_sql(client, fault.statements, fault.restore_tables, fault.restore_views):
        yield fault
