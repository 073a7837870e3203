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


# ---- fixture loading: routing of bad input --------------------------------------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from reportgen.demo.loader import FixtureError, read_fixture  # noqa: E402
from tests.conftest import REPO_ROOT  # noqa: E402


def _envelope(event_id: str, type_: str, ts: int, data) -> str:
    return json.dumps({"__table": "streaming_events", "__scenario": "s", "__workflow_session_id": "st|rq",
                       "id": event_id, "type": type_, "timestamp": ts, "gateway": "gw-test",
                       "data": data if isinstance(data, str) else json.dumps(data)})


def _write_fixture(root: Path, lines: list[str], window=("2026-02-25T20:00:00Z", "2026-02-25T21:00:00Z")) -> Path:
    (root / "s").mkdir(parents=True)
    (root / "s" / "st_rq.jsonl").write_text("\n".join(lines) + "\n")
    manifest = {"window": {"from_ts": window[0], "to_ts": window[1]},
                "scenarios": {"s": {"candidate_count": 1, "sessions": [
                    {"workflow_session_id": "st|rq", "stream_id": "st", "request_id": "rq", "file": "s/st_rq.jsonl"},
                    {"workflow_session_id": "st|rq", "stream_id": "st", "request_id": "rq", "file": "s/st_rq.jsonl"}]}}}
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


def test_fixture_errors_are_clear(tmp_path):
    with pytest.raises(FixtureError, match="fixture folder not found"):
        read_fixture(tmp_path / "nope")
    with pytest.raises(FixtureError, match="manifest not found"):
        read_fixture(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(FixtureError, match="unreadable"):
        read_fixture(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"scenarios": {"s": {"sessions": [{"file": "s/missing.jsonl"}]}}}))
    with pytest.raises(FixtureError, match="session file missing"):
        read_fixture(tmp_path)


def test_bad_lines_go_to_dlq_and_duplicates_to_quarantine(tmp_path):
    t0 = 1772049600000  # 2026-02-25T20:00:00Z
    trace = {"type": "gateway_receive_stream_request", "stream_id": "st", "request_id": "rq", "pipeline_id": "",
             "timestamp": t0, "orchestrator_info": {"address": "", "url": ""}}
    status = {"type": "status", "stream_id": "st", "request_id": "rq", "pipeline": "m", "state": "ONLINE",
              "start_time": t0, "timestamp": t0 + 5000, "orchestrator_info": {"address": "0xabc", "url": "u"},
              "inference_status": {"fps": 20.0}, "input_status": {"fps": 30.0}}
    lines = [
        _envelope("e1", "stream_trace", t0, trace),
        _envelope("e2", "ai_stream_status", t0 + 5000, status),
        _envelope("e2", "ai_stream_status", t0 + 5000, status),          # duplicate id -> quarantine
        '{"id": "e3", "type": "stream_trace", "timestamp": 17720',        # truncated -> DLQ (loader)
        json.dumps({"id": "e4", "type": "stream_trace", "gateway": "g", "data": "{}"}),  # no timestamp -> DLQ
        _envelope("e5", "ai_stream_events", t0 + 6000, '{"type": "error", "mess'),      # data not JSON -> DLQ (gate)
        _envelope("e6", "gateway_debug_event", t0 + 7000, {"x": 1}),                     # unsupported -> DLQ (gate)
        "",
    ]
    fixture = _write_fixture(tmp_path / "fx", lines)
    out = tmp_path / "wh"
    result = run_in_subprocess(f"""
        import clickhouse_connect
        from reportgen.demo.builder import build_warehouse
        report = build_warehouse({str(fixture)!r}, {str(out)!r})
        c = clickhouse_connect.get_client(dsn="chdb://{out}")
        q = lambda s: [list(r) for r in c.query(s).result_rows]
        result = dict(load=report.load, counts=report.flat_counts,
            dlq=q("SELECT event_id, toString(failure_class), failure_reason FROM livepeer_analytics.streaming_events_dlq ORDER BY event_id"),
            quarantine=q("SELECT event_id, toString(failure_class), dedup_key FROM livepeer_analytics.streaming_events_quarantine"),
            sessions=q("SELECT workflow_session_id, known_stream FROM livepeer_analytics.fact_workflow_sessions FINAL ORDER BY version DESC LIMIT 1"))
        c.close()
    """)
    # the duplicated file reference in the manifest is replayed once (harness dedupe)
    assert result["load"]["files"] == 1
    assert result["load"]["lines"] == 7 and result["load"]["blank_lines"] == 1
    counts = result["counts"]
    assert counts["streaming_events"] == 5  # e1, e2 twice, e5, e6 reach the raw archive
    assert counts["streaming_events_quarantine"] == 1
    assert result["quarantine"] == [["e2", "DUPLICATE_EVENT_ID", "e2"]]
    dlq = {row[0]: row[1] for row in result["dlq"]}
    assert dlq == {"e3": "MALFORMED_JSON", "e4": "SCHEMA_INVALID", "e5": "PAYLOAD_INVALID",
                   "e6": "UNSUPPORTED_EVENT_TYPE"}
    assert all(row[2] for row in result["dlq"])  # every reject has a reason
    # typed tables hold exactly the accepted events, once
    assert counts["stream_trace_events"] == 1 and counts["ai_stream_status"] == 1
    assert counts["ai_stream_events"] == 0
    assert result["sessions"] == [["st|rq", 1]]


# ---- the session demo warehouse ------------------------------------------------------------------

def _require_demo_fixture(demo_fixture: Path) -> None:
    assert demo_fixture == REPO_ROOT / "fixtures" / "demo", "fixtures/demo is missing"


def test_demo_build_fills_every_object_the_packs_read(demo_build, demo_fixture, ro_client):
    _require_demo_fixture(demo_fixture)
    counts = demo_build.flat_counts
    empty = [name for name in PACK_OBJECTS if counts.get(name, int(
        ro_client.command(f"SELECT count() FROM livepeer_analytics.{name}"))) == 0]
    assert empty == []
    # scenario classes the packs look for are all present
    latest = "(SELECT * FROM livepeer_analytics.fact_workflow_sessions ORDER BY version DESC LIMIT 1 BY workflow_session_id)"
    def n(where: str) -> int:
        return int(ro_client.command(f"SELECT count() FROM {latest} WHERE {where}"))
    assert n("startup_success = 1 AND confirmed_swap_count = 0 AND inferred_orchestrator_change_count = 0") > 0
    assert n("startup_success = 1 AND confirmed_swap_count > 0") > 0
    assert n("startup_success = 1 AND confirmed_swap_count = 0 AND inferred_orchestrator_change_count > 0") > 0
    assert n("startup_excused = 1") > 0 and n("startup_unexcused = 1") > 0
    assert n("loading_only_session = 1") > 0 and n("zero_output_fps_session = 1") > 0
    upgraded = int(ro_client.command(
        "SELECT count() FROM (SELECT workflow_session_id FROM livepeer_analytics.fact_workflow_sessions "
        "GROUP BY workflow_session_id HAVING argMin(known_stream, version) = 0 AND argMax(known_stream, version) = 1)"))
    assert upgraded > 0
    multi_segment = int(ro_client.command(
        "SELECT count() FROM (SELECT workflow_session_id FROM livepeer_analytics.fact_workflow_session_segments "
        "GROUP BY workflow_session_id HAVING uniqExact(orchestrator_address) > 1)"))
    assert multi_segment > 0


def test_demo_build_is_deterministic(demo_build, demo_fixture, ro_client, tmp_path):
    from reportgen.demo.builder import content_fingerprint

    out = tmp_path / "second"
    second = run_in_subprocess(f"""
        import clickhouse_connect
        from reportgen.demo.builder import build_warehouse, content_fingerprint
        report = build_warehouse({str(demo_fixture)!r}, {str(out)!r})
        c = clickhouse_connect.get_client(dsn="chdb://{out}")
        result = dict(fingerprint=content_fingerprint(c), fixture_hash=report.fixture_hash,
                      schema_hash=report.schema_hash)
        c.close()
    """)
    assert second["fixture_hash"] == demo_build.fixture_hash
    assert second["schema_hash"] == demo_build.schema_hash
    first = content_fingerprint(ro_client)
    assert first == second["fingerprint"]
    assert first["fact_workflow_sessions"][0] > 0


def test_layer_counts_match_build_report_and_format(demo_build, ro_client):
    from reportgen.demo.builder import LAYERS, format_counts, layer_counts

    counts = layer_counts(ro_client)
    assert list(counts) == list(LAYERS)
    assert counts == demo_build.counts
    text = format_counts(counts)
    assert "fact_workflow_sessions" in text and text.splitlines()[0] == "raw:"


def test_build_refuses_non_empty_output_and_bad_fixture(tmp_path):
    from reportgen.demo.builder import BuildError, build_warehouse

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("x")
    with pytest.raises(BuildError, match="not empty"):
        build_warehouse(REPO_ROOT / "fixtures" / "reference", tmp_path / "out")
    with pytest.raises(BuildError, match="manifest not found"):
        build_warehouse(tmp_path, tmp_path / "out2")
