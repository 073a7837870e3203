"""Demo warehouse: schema, build, determinism (real chDB)."""

from __future__ import annotations

from reportgen.demo.schema import expected_objects, split_statements

from tests.conftest import run_in_subprocess

# Objects the packs and the notebook read (spec/warehouse.md, "Objects the packs and the notebook touch").
PACK_OBJECTS = [
    "streaming_events", "streaming_events_dlq", "streaming_events_quarantine",
    "ai_stream_status", "stream_trace_events", "ai_stream_events", "stream_ingest_metrics",
    "network_capabilities", "network_capabilities_advertised", "network_capabilities_model_constraints",
    "network_capabilities_prices", "dim_orchestrator_capability_snapshots",
    "dim_orchestrator_capability_advertised_snapshots", "dim_orchestrator_capability_model_constraints",
    "dim_orchestrator_capability_prices", "fact_stream_status_samples", "fact_stream_trace_edges",
    "fact_stream_ingest_samples", "fact_workflow_sessions", "fact_workflow_session_segments",
    "fact_workflow_param_updates", "fact_workflow_latency_samples", "agg_stream_performance_1m",
    "agg_reliability_1h", "v_api_gpu_metrics", "v_api_network_demand", "v_api_network_demand_by_gpu",
    "v_api_sla_compliance", "dim_orchestrator_capability_current", "payment_events",
]
CAPABILITY_MVS = [
    "mv_network_capabilities_to_dim_orchestrator_capability_snapshots",
    "mv_network_capabilities_advertised_to_dim_orchestrator_capability_advertised_snapshots",
    "mv_network_capabilities_model_constraints_to_dim_orchestrator_capability_model_constraints",
    "mv_network_capabilities_prices_to_dim_orchestrator_capability_prices",
]


def test_split_statements_ignores_comments_and_trailing_semicolons():
    text = "-- header;\nCREATE TABLE a (x UInt8) ENGINE = Memory;\n\n-- only a comment\nCREATE VIEW b AS SELECT 1;\n"
    assert split_statements(text) == ["CREATE TABLE a (x UInt8) ENGINE = Memory", "CREATE VIEW b AS SELECT 1"]


def test_schema_applies_to_empty_chdb_dir_and_creates_every_object(tmp_path):
    result = run_in_subprocess(f"""
        import clickhouse_connect
        from reportgen.demo.schema import apply_schema
        client = clickhouse_connect.get_client(dsn="chdb://{tmp_path / 'wh'}")
        apply_schema(client)
        apply_schema(client)  # idempotent
        rows = client.query(
            "SELECT name, engine FROM system.tables WHERE database = 'livepeer_analytics'").result_rows
        cols = client.query(
            "SELECT table, name, type FROM system.columns WHERE database = 'livepeer_analytics'").result_rows
        client.close()
        result = {{"tables": {{n: e for n, e in rows}}, "columns": [list(c) for c in cols]}}
    """)
    tables = result["tables"]
    expected = expected_objects()
    assert set(tables) == set(expected)
    for name, kind in expected.items():
        engine = tables[name]
        if kind == "VIEW":
            assert engine == "View", name
        elif kind == "MATERIALIZED VIEW":
            assert engine == "MaterializedView", name
        else:
            assert engine.endswith("MergeTree"), (name, engine)
    for name in PACK_OBJECTS:
        assert name in tables, name
    for mv in CAPABILITY_MVS:
        assert tables[mv] == "MaterializedView"
    assert tables["fact_workflow_sessions"] == "ReplacingMergeTree"
    assert tables["agg_reliability_1h"] == "AggregatingMergeTree"

    cols = {(t, n): ty for t, n, ty in result["columns"]}
    # seed-run compatibility columns
    assert cols[("agg_reliability_1h", "success_sessions_state")] == "AggregateFunction(sum, UInt64)"
    assert cols[("v_api_gpu_metrics", "success_sessions")] == "UInt64"
    assert cols[("v_api_sla_compliance", "success_sessions")] == "UInt64"
    assert cols[("v_api_network_demand", "total_inference_minutes")] == "Float64"
    # a sample of exact types from spec/warehouse.md
    assert cols[("streaming_events", "event_timestamp")] == "DateTime64(3, 'UTC')"
    assert cols[("v_api_gpu_metrics", "window_start")] == "DateTime('UTC')"
    assert cols[("v_api_gpu_metrics", "p95_output_fps")] == "Float32"
    assert cols[("v_api_gpu_metrics", "p95_e2e_latency_ms")] == "Nullable(Float32)"
    assert cols[("v_api_network_demand", "region")] == "String"
    assert cols[("v_api_sla_compliance", "sla_score")] == "Nullable(Float64)"
    assert cols[("fact_stream_status_samples", "is_attributed")] == "UInt8"
    assert cols[("dim_orchestrator_capability_current", "latest_snapshot_ts")] == "DateTime64(3, 'UTC')"
