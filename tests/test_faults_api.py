"""Fault injection on the session demo warehouse: each fault breaks what it says and restores exactly."""

from __future__ import annotations

import pytest

from reportgen.demo.builder import content_fingerprint
from reportgen.demo.faults import FAULTS, FaultError, inject, inject_sql

D = "livepeer_analytics"


def _n(client, sql: str) -> int:
    return int(client.command(sql))


def _exists(client, name: str) -> bool:
    return _n(client, f"SELECT count() FROM system.tables WHERE database = '{D}' AND name = '{name}'") == 1


def _effect(client, name: str, before: dict[str, int]) -> None:
    """Assert the visible effect of fault `name` (while it is active)."""
    if name == "drop_status_projection_mv":
        assert not _exists(client, "mv_fact_status_to_perf_1m")
        assert _n(client, f"SELECT count() FROM {D}.agg_stream_performance_1m") == 0
    elif name == "drop_ingest_projection_mv":
        assert not _exists(client, "mv_stream_ingest_metrics_to_fact_stream_ingest_samples")
        assert _n(client, f"SELECT count() FROM {D}.fact_stream_ingest_samples") == 0
    elif name in ("delete_silver_status_rows", "delete_silver_trace_rows", "drop_typed_status_rows"):
        table = {"delete_silver_status_rows": "fact_stream_status_samples",
                 "delete_silver_trace_rows": "fact_stream_trace_edges",
                 "drop_typed_status_rows": "ai_stream_status"}[name]
        assert _n(client, f"SELECT count() FROM {D}.{table}") < before[table]
    elif name == "corrupt_gpu_view_failure_rate":
        assert _n(client, f"""SELECT count() FROM {D}.v_api_gpu_metrics
                              WHERE known_sessions > 0 AND abs(failure_rate - unexcused_sessions / known_sessions) > 1e-6""") > 0
    elif name == "corrupt_sla_view_startup_ratio":
        assert _n(client, f"""SELECT count() FROM {D}.v_api_sla_compliance WHERE known_sessions > 0
                              AND abs(startup_success_ratio - (1 - unexcused_sessions / known_sessions)) > 1e-6""") > 0
    elif name == "corrupt_demand_view_minutes":
        assert _n(client, f"""SELECT count() FROM {D}.v_api_network_demand
                              WHERE total_minutes > 0 AND abs(total_minutes - total_inference_minutes) > 1e-9""") > 0
    elif name == "duplicate_session_version":
        assert _n(client, f"""SELECT count() FROM (
                   SELECT workflow_session_id, countIf(version = v) AS n
                   FROM (SELECT workflow_session_id, version, max(version) OVER (PARTITION BY workflow_session_id) AS v
                         FROM {D}.fact_workflow_sessions FINAL)
                   GROUP BY workflow_session_id HAVING n > 1)""") > 0
    elif name == "regress_known_stream":
        assert _n(client, f"""SELECT count() FROM (
                   SELECT workflow_session_id FROM {D}.fact_workflow_sessions GROUP BY workflow_session_id
                   HAVING argMin(known_stream, version) = 1 AND argMax(known_stream, version) = 0)""") > 0
    elif name == "add_dlq_core_row":
        assert _n(client, f"SELECT count() FROM {D}.streaming_events_dlq WHERE event_type = 'ai_stream_status'") == 1
    elif name == "drop_capability_mv":
        assert not _exists(client, "mv_network_capabilities_to_dim_orchestrator_capability_snapshots")
    elif name == "empty_capability_dimension":
        assert _n(client, f"SELECT count() FROM {D}.dim_orchestrator_capability_snapshots") == 0
    elif name == "orphan_segments":
        assert _n(client, f"""SELECT uniqExact(workflow_session_id) FROM {D}.fact_workflow_session_segments
                              WHERE workflow_session_id NOT IN (SELECT workflow_session_id FROM {D}.fact_workflow_sessions)""") > 0
    elif name == "orphan_param_updates":
        if before["fact_workflow_param_updates"]:
            assert _n(client, f"""SELECT count() FROM {D}.fact_workflow_param_updates
                                  WHERE workflow_session_id NOT IN (SELECT workflow_session_id FROM {D}.fact_workflow_sessions)""") == 1
    else:  # a new registry entry must come with an effect check
        pytest.fail(f"no effect check for fault {name}")


@pytest.fixture(scope="module")
def baseline(rw_client):
    return content_fingerprint(rw_client)


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_breaks_its_target_and_restores_exactly(rw_client, baseline, name):
    before = {n: v[0] for n, v in baseline.items()}
    views_before = dict(rw_client.query(
        f"SELECT name, create_table_query FROM system.tables WHERE database = '{D}'").result_rows)
    with inject(rw_client, name) as fault:
        assert fault.name == name and fault.detected_by
        _effect(rw_client, name, before)
    touched = [t for t in (*fault.restore_tables, *fault.restore_views) if t in baseline]
    assert content_fingerprint(rw_client, touched) == {t: baseline[t] for t in touched}
    views_after = dict(rw_client.query(
        f"SELECT name, create_table_query FROM system.tables WHERE database = '{D}'").result_rows)
    assert views_after == views_before
    assert _n(rw_client, "SELECT count() FROM system.databases WHERE name = 'reportgen_fault_backup'") == 0


def test_inject_sql_restores_even_when_the_block_raises(rw_client, baseline):
    with pytest.raises(RuntimeError, match="boom"):
        with inject_sql(rw_client, [f"TRUNCATE TABLE {D}.fact_workflow_session_segments"],
                        restore_tables=["fact_workflow_session_segments"]):
            assert _n(rw_client, f"SELECT count() FROM {D}.fact_workflow_session_segments") == 0
            raise RuntimeError("boom")
    assert content_fingerprint(rw_client, ["fact_workflow_session_segments"]) == {
        "fact_workflow_session_segments": baseline["fact_workflow_session_segments"]}


def test_unknown_fault_and_unknown_view_are_clear_errors(rw_client):
    with pytest.raises(FaultError, match="unknown fault 'nope'"):
        with inject(rw_client, "nope"):
            pass
    with pytest.raises(Exception, match="no DDL for object 'v_missing'"):
        with inject_sql(rw_client, [], restore_views=["v_missing"]):
            pass


def test_warehouse_is_unchanged_after_all_faults(rw_client, baseline):
    for name in sorted(FAULTS):
        with inject(rw_client, name):
            pass
    assert content_fingerprint(rw_client) == baseline


def _window_params(demo_build) -> dict[str, str]:
    from datetime import datetime

    def fmt(iso: str) -> str:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]

    assert demo_build.window, "the demo fixture manifest has a window"
    return {"from_ts": fmt(demo_build.window["from_ts"]), "to_ts": fmt(demo_build.window["to_ts"])}


def test_each_fault_fails_the_pack_checks_it_names(rw_client, demo_build):
    """The bundled packs catch every registered fault (and pass again once it is restored)."""
    from reportgen.collect import run_block
    from reportgen.packs import load_pack
    from reportgen.resources import packs_dir

    params = _window_params(demo_build)
    blocks = {f"{p.stem}::{b.name}": b for p in packs_dir().glob("assertions_*.sql") for b in load_pack(p).blocks}

    def failed_rows(check: str) -> int:
        result = run_block(rw_client, blocks[check], params)
        assert result.error is None, (check, result.error)
        return int(result.table.column("failed_rows")[0].as_py())

    for name, fault in sorted(FAULTS.items()):
        if name == "orphan_param_updates" and not _n(rw_client, f"SELECT count() FROM {D}.fact_workflow_param_updates"):
            continue  # nothing to orphan in a fixture without param updates
        assert all(failed_rows(check) == 0 for check in fault.detected_by), name
        with inject(rw_client, name):
            caught = {check: failed_rows(check) for check in fault.detected_by}
        assert all(n > 0 for n in caught.values()), (name, caught)
        assert all(failed_rows(check) == 0 for check in fault.detected_by), name
