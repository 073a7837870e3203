"""The synthetic fixture generator: determinism, shape parity with real events, scenario coverage,
scaling, manifest contract, and that the checked-in demo fixture is the generator's output."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reportgen.demo import generator
from reportgen.demo.generator import MIN_SESSIONS, generate_fixture
from reportgen.errors import FixtureError

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "fixtures" / "demo"
REFERENCE = REPO / "fixtures" / "reference"  # real production events (checked in)

ENVELOPE_KEYS = ["__table", "__scenario", "__workflow_session_id", "id", "type", "timestamp", "gateway", "data"]
GATEWAYS = {"cloud-spe-ai-live-video-tester-fra", "cloud-spe-ai-live-video-tester-mdw"}
CORE_TYPES = {"ai_stream_status", "stream_trace", "ai_stream_events", "stream_ingest_metrics"}
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
STREAM_RE = re.compile(r"^aiJobTesterStream-\d{19}$")
REQUEST_RE = re.compile(r"^[0-9a-f]{8}$")
ADDRESS_RE = re.compile(r"^0x[0-9a-fA-F]{40}$")

# Payload shapes of the real events (shared/reference), by type. Optional keys are those the
# real producers omit when unset. test_shapes_match_reference_files re-derives them from the files.
TRACE_KEYS = {"orchestrator_info", "pipeline_id", "request_id", "stream_id", "timestamp", "type"}
SWAP_KEYS = {"message", "orchestrator_info", "pipeline", "pipeline_id", "request_id", "stream_id", "type"}
TRACE_TYPES = {
    "gateway_receive_stream_request", "gateway_send_first_ingest_segment", "runner_receive_first_ingest_segment",
    "runner_send_first_processed_segment", "gateway_receive_first_processed_segment",
    "gateway_receive_few_processed_segments", "orchestrator_swap", "gateway_no_orchestrators_available",
    "gateway_ingest_stream_closed",
}
STATUS_KEYS = {"inference_status", "input_status", "last_state_update_time", "last_status_timestamp",
               "orchestrator_info", "pipeline", "pipeline_id", "request_id", "start_time", "state", "stream_id",
               "timestamp", "type"}
INFERENCE_REQUIRED = {"fps", "last_params", "last_params_hash", "last_params_update_time", "restart_count"}
INFERENCE_OPTIONAL = {"last_output_time", "last_error", "last_error_time"}
INPUT_REQUIRED, INPUT_OPTIONAL = {"fps"}, {"last_input_time"}
AI_EVENT_KEYS = {"capability", "message", "pipeline", "pipeline_id", "request_id", "stream_id", "type"}
CAP_ENTRY_KEYS = {"address", "capabilities", "capabilities_prices", "local_address", "orch_uri"}
CAP_ENTRY_OPTIONAL = {"hardware"}
CAPABILITIES_KEYS = {"bitstring", "capacities", "constraints", "version"}
MODEL_CONSTRAINT_REQUIRED, MODEL_CONSTRAINT_OPTIONAL = {"runnerVersion", "warm"}, {"capacity", "capacityInUse"}
HARDWARE_KEYS = {"gpu_info", "model_id", "pipeline"}
GPU_REQUIRED, GPU_OPTIONAL = {"id", "major", "memory_free", "memory_total", "name"}, {"minor"}
PRICE_KEYS = {"capability", "constraint", "pixelsPerUnit", "pricePerUnit"}
EXCUSABLE = ("no orchestrators available", "mediamtx ingest disconnected", "whip disconnected", "missing video",
             "ice connection state failed", "user disconnected")
HOUR_MS = 3_600_000


# ---- helpers -----------------------------------------------------------------------------------


def _ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp() * 1000)


def _read_fixture(root: Path) -> tuple[dict, dict[str, list[dict]], list[str]]:
    """(manifest, envelopes by workflow session id, unparseable lines)."""
    manifest = json.loads((root / "manifest.json").read_text())
    sessions: dict[str, list[dict]] = {}
    bad: list[str] = []
    for scenario in manifest["scenarios"].values():
        for entry in scenario["sessions"]:
            rows = []
            for line in (root / entry["file"]).read_text().splitlines():
                try:
                    rows.append(json.loads(line))
                except ValueError:
                    bad.append(line)
            sessions[entry["workflow_session_id"]] = rows
    return manifest, sessions, bad


def _payload(row: dict):
    return json.loads(row["data"])


def _classify(rows: list[dict]) -> dict:
    """Lifecycle facts of one session computed straight from its raw events (spec/warehouse.md)."""
    rows = [r for r in rows if r["type"] in CORE_TYPES | {"payment_events"}]
    traces = [(r, _payload(r)) for r in rows if r["type"] == "stream_trace"]
    status = [(r, _payload(r)) for r in rows if r["type"] == "ai_stream_status"]
    ai = [_payload(r) for r in rows if r["type"] == "ai_stream_events"]
    kinds = Counter(p["type"] for _, p in traces)
    orchestrators = {(p["orchestrator_info"]["address"], p["orchestrator_info"]["url"])
                     for _, p in traces + status if p["orchestrator_info"]["address"]}
    errors = [e["message"] for e in ai if e["type"] == "error"]
    fps = [p["inference_status"]["fps"] for _, p in status]
    request_env = [r["timestamp"] for r, p in traces if p["type"] == "gateway_receive_stream_request"]
    hours = Counter(p["timestamp"] // HOUR_MS for _, p in status)
    start = min(p.get("timestamp", r["timestamp"]) for r, p in ((r, _payload(r)) for r in rows))
    end = max(r["timestamp"] for r in rows)
    return {
        "known": kinds["gateway_receive_stream_request"] > 0,
        "playable": kinds["gateway_receive_few_processed_segments"] > 0,
        "no_orch": kinds["gateway_no_orchestrators_available"] > 0,
        "closed": kinds["gateway_ingest_stream_closed"] > 0,
        "confirmed_swaps": kinds["orchestrator_swap"],
        "orchestrators": len(orchestrators),
        "avg_fps": sum(fps) / len(fps) if fps else 0.0,
        "status_samples": len(status),
        "loading_only": bool(status) and all(p["state"] == "LOADING" for _, p in status),
        "zero_output": bool(status) and not any(f > 0 for f in fps),
        "running_samples": sum(p["state"] in ("ONLINE", "DEGRADED_INFERENCE", "DEGRADED_INPUT") for _, p in status),
        "param_updates": sum(e["type"] == "params_update" for e in ai),
        "errors": errors,
        "unexcused_errors": [m for m in errors if not any(x in m.lower() for x in EXCUSABLE)],
        "late_request": bool(request_env) and min(r["timestamp"] for r in rows) < request_env[0],
        "status_hours": hours,
        "start": start,
        "end": end,
        "last_error": any("last_error" in p["inference_status"] for _, p in status),
    }


def _scenario_1(c: dict) -> bool:
    return c["known"] and c["playable"] and c["confirmed_swaps"] == 0 and c["avg_fps"] > 12


def _scenario_3(c: dict) -> bool:
    return c["playable"] and (c["confirmed_swaps"] > 0 or c["orchestrators"] > 1)


def _scenario_2(c: dict) -> bool:
    return not c["playable"] and c["no_orch"] and c["closed"]


def _no_work(c: dict, hour: int) -> bool:
    return 0 < c["status_hours"][hour] < 3 and c["running_samples"] == 0 and c["avg_fps"] == 0


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "fixture"
    generate_fixture(out, sessions=48, seed=11)
    return out


@pytest.fixture(scope="module")
def loaded(fixture_dir):
    return _read_fixture(fixture_dir)


# ---- determinism ---------------------------------------------------------------------------------


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_fixture(tmp_path):
    a = generate_fixture(tmp_path / "a", sessions=30, seed=5)
    b = generate_fixture(tmp_path / "b", sessions=30, seed=5)
    assert a.events == b.events and a.window == b.window
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    c = generate_fixture(tmp_path / "c", sessions=30, seed=6)
    assert _files(tmp_path / "c") != _files(tmp_path / "a")
    assert c.sessions == 30


def test_checked_in_demo_fixture_is_current_generator_output(tmp_path):
    gen = json.loads((DEMO / "manifest.json").read_text())["metadata"]["generator"]
    generate_fixture(tmp_path / "demo", sessions=gen["sessions"], seed=gen["seed"],
                     start=datetime.fromisoformat(gen["start"]), hours=gen["hours"])
    assert _files(tmp_path / "demo") == _files(DEMO), "regenerate fixtures/demo (see its README)"


# ---- manifest contract ---------------------------------------------------------------------------


def test_manifest_fields_and_layout(fixture_dir, loaded):
    manifest, sessions, _ = loaded
    text = (fixture_dir / "manifest.json").read_text()
    assert text == json.dumps(manifest, indent=2) + "\n"  # same layout as the harness export
    assert list(manifest) == ["generated_at", "window", "source", "metadata", "scenarios"]
    assert set(manifest["source"]) == {"host", "port", "database", "scenario_sql"}
    md = manifest["metadata"]
    assert {"query_window", "manifest_window_padding_minutes", "fixture_event_source"} <= set(md)
    assert md["fixture_event_source"] == "streaming_events" and md["manifest_window_padding_minutes"] == 60
    for key in ("generated_at",):
        assert datetime.fromisoformat(manifest[key]).tzinfo == UTC
    total = 0
    for name, scenario in manifest["scenarios"].items():
        assert scenario["candidate_count"] == len(scenario["sessions"]) > 0, name
        starts = [_ms(s["session_start_ts"]) for s in scenario["sessions"]]
        assert starts == sorted(starts, reverse=True), f"{name}: newest first"
        for s in scenario["sessions"]:
            total += 1
            assert list(s) == ["workflow_session_id", "stream_id", "request_id", "session_start_ts",
                               "session_end_ts", "file", "table_counts"]
            assert s["workflow_session_id"] == f"{s['stream_id']}|{s['request_id']}"
            assert s["file"] == f"{name}/{s['stream_id']}_{s['request_id']}.jsonl"
            lines = (fixture_dir / s["file"]).read_text().splitlines()
            assert s["table_counts"]["streaming_events"] == len(lines)
            rows = sessions[s["workflow_session_id"]]
            per_type = Counter(r["type"] for r in rows)
            assert {k.split(":", 1)[1]: v for k, v in s["table_counts"].items() if ":" in k} == per_type
            own = [r for r in rows if r["__workflow_session_id"] == s["workflow_session_id"]]
            assert len(own) == len(rows) and all(r["__scenario"] == name for r in rows)
            c = _classify(rows)
            assert _ms(s["session_start_ts"]) == c["start"] and _ms(s["session_end_ts"]) == c["end"]
    assert total == manifest["metadata"]["generator"]["sessions"] == 48
    assert sum(1 for _ in fixture_dir.rglob("*.jsonl")) == 48


def test_window_covers_every_event_and_lines_are_ordered(loaded):
    manifest, sessions, _ = loaded
    lo, hi = _ms(manifest["window"]["from_ts"]), _ms(manifest["window"]["to_ts"])
    first_start = min(_classify(rows)["start"] for rows in sessions.values())
    for rows in sessions.values():
        keys = [(r["timestamp"], r["id"]) for r in rows]
        assert keys == sorted(keys)
        assert all(lo <= r["timestamp"] < hi for r in rows)
    caps = [r["timestamp"] for rows in sessions.values() for r in rows if r["type"] == "network_capabilities"]
    assert min(caps) < first_start, "capability events precede the first session"
    assert lo <= first_start - 60 * 60_000 + 1 or lo <= min(caps)


# ---- shapes --------------------------------------------------------------------------------------


def _check_payload(event_type: str, p, catalog_pairs: set | None = None) -> None:
    if event_type == "stream_trace":
        assert p["type"] in TRACE_TYPES
        assert set(p) == (SWAP_KEYS if p["type"] == "orchestrator_swap" else TRACE_KEYS)
        assert set(p["orchestrator_info"]) == {"address", "url"}
    elif event_type == "ai_stream_status":
        assert set(p) == STATUS_KEYS and p["type"] == "status"
        inf, inp = set(p["inference_status"]), set(p["input_status"])
        assert INFERENCE_REQUIRED <= inf <= INFERENCE_REQUIRED | INFERENCE_OPTIONAL
        assert INPUT_REQUIRED <= inp <= INPUT_REQUIRED | INPUT_OPTIONAL
        assert p["state"] in {"LOADING", "ONLINE", "DEGRADED_INPUT", "DEGRADED_INFERENCE", "OFFLINE", "ERROR"}
    elif event_type == "ai_stream_events":
        assert set(p) == AI_EVENT_KEYS and p["type"] in {"error", "params_update"}
    elif event_type == "network_capabilities":
        assert isinstance(p, list) and p
        for o in p:
            assert CAP_ENTRY_KEYS <= set(o) <= CAP_ENTRY_KEYS | CAP_ENTRY_OPTIONAL
            assert ADDRESS_RE.match(o["address"]) and ADDRESS_RE.match(o["local_address"])
            assert set(o["capabilities"]) == CAPABILITIES_KEYS
            for cap in o["capabilities"]["constraints"]["PerCapability"].values():
                for mc in cap["models"].values():
                    assert MODEL_CONSTRAINT_REQUIRED <= set(mc) <= MODEL_CONSTRAINT_REQUIRED | MODEL_CONSTRAINT_OPTIONAL
            for h in o.get("hardware", []):
                assert set(h) == HARDWARE_KEYS and list(h["gpu_info"]) == ["0"]
                assert GPU_REQUIRED <= set(h["gpu_info"]["0"]) <= GPU_REQUIRED | GPU_OPTIONAL
            for price in o["capabilities_prices"]:
                assert set(price) == PRICE_KEYS
    elif event_type == "stream_ingest_metrics":
        assert set(p) == {"pipeline_id", "request_id", "stats", "stream_id", "timestamp"}
        assert set(p["stats"]) == {"conn_quality", "peer_conn_stats", "track_stats"}
        assert {t["type"] for t in p["stats"]["track_stats"]} == {"video", "audio"}
    elif event_type == "discovery_results":
        assert set(p) == {"address", "latency_ms", "url"} and ADDRESS_RE.match(p["address"])
    elif event_type == "payment_events":
        assert p["faceValue"].isdigit() and REQUEST_RE.match(p["requestID"])
    else:
        raise AssertionError(f"unexpected event type {event_type}")


def test_shapes_match_reference_files():
    """The shape constants above are exactly what the real events show."""
    _, sessions, bad = _read_fixture(REFERENCE)
    assert not bad
    seen_status_keys, seen_inf = set(), set()
    for rows in sessions.values():
        for r in rows:
            assert list(r) == ENVELOPE_KEYS
            p = _payload(r)
            _check_payload(r["type"], p)
            if r["type"] == "ai_stream_status":
                seen_status_keys |= set(p)
                seen_inf |= set(p["inference_status"])
    assert seen_status_keys == STATUS_KEYS and INFERENCE_REQUIRED <= seen_inf


def test_generated_events_have_reference_shapes(loaded):
    manifest, sessions, bad = loaded
    rejects = {c["id"] for c in manifest["metadata"]["generator"]["quality_gate_cases"] if c["expected"] == "dlq"}
    caps = [_payload(r) for rows in sessions.values() for r in rows if r["type"] == "network_capabilities"
            and r["id"] not in rejects]
    pairs = {(o["local_address"].lower(), o["orch_uri"]) for p in caps for o in p}
    canonical_by_pair = defaultdict(set)
    for p in caps:
        for o in p:
            canonical_by_pair[(o["local_address"].lower(), o["orch_uri"])].add(o["address"].lower())
    assert all(len(v) == 1 for v in canonical_by_pair.values()), "(hot wallet, uri) resolves to one orchestrator"
    by_wallet = defaultdict(set)
    for (wallet, _), canon in canonical_by_pair.items():
        by_wallet[wallet] |= canon
    assert any(len(v) > 1 for v in by_wallet.values()), "a hot wallet shared by two canonical orchestrators"
    assert any(o["address"] != o["local_address"] for p in caps for o in p), "proxy wallets present"
    types = Counter()
    for wsid, rows in sessions.items():
        stream_id, request_id = wsid.split("|")
        assert STREAM_RE.match(stream_id) and REQUEST_RE.match(request_id)
        for r in rows:
            assert list(r) == ENVELOPE_KEYS and r["__table"] == "streaming_events"
            assert UUID_RE.match(r["id"]) and r["gateway"] in GATEWAYS
            assert isinstance(r["timestamp"], int) and len(str(r["timestamp"])) == 13
            if r["id"] in rejects:
                continue
            p = _payload(r)
            types[r["type"]] += 1
            _check_payload(r["type"], p)
            if r["type"] not in ("network_capabilities", "discovery_results", "gateway_debug_event"):
                assert p.get("stream_id", p.get("manifestID")) == stream_id
                assert p.get("request_id", p.get("requestID")) == request_id
            if isinstance(p, dict) and p.get("orchestrator_info", {}).get("address"):
                oi = p["orchestrator_info"]
                assert oi["address"] == oi["address"].lower() and (oi["address"], oi["url"]) in pairs
    assert set(types) == {"network_capabilities", "stream_trace", "ai_stream_status", "ai_stream_events",
                          "stream_ingest_metrics", "payment_events", "discovery_results"}


# ---- scenario coverage ---------------------------------------------------------------------------


def test_every_scenario_class_is_present(loaded):
    manifest, sessions, _ = loaded
    by_folder = {name: [_classify(sessions[s["workflow_session_id"]]) for s in sc["sessions"]]
                 for name, sc in manifest["scenarios"].items()}
    s1 = by_folder["scenario_1_clean_success_no_swap_fps_gt_12"]
    assert s1 and all(_scenario_1(c) and c["orchestrators"] == 1 and not c["unexcused_errors"] for c in s1)
    assert any(c["late_request"] for c in s1), "known_stream 0 -> 1 upgrade session"
    assert any(len(c["status_hours"]) > 1 and c["avg_fps"] > 12 for c in s1), "status samples across hours"
    assert all(_scenario_2(c) for c in by_folder["scenario_2_no_orchestrator_then_closed"])
    s3 = by_folder["scenario_3_success_with_swap"]
    assert all(_scenario_3(c) for c in s3)
    assert any(c["confirmed_swaps"] and c["orchestrators"] > 1 for c in s3), "confirmed swap"
    assert any(not c["confirmed_swaps"] and c["orchestrators"] > 1 for c in s3), "inferred change only"
    assert any(c["confirmed_swaps"] and c["no_orch"] for c in s3), "swap then no orchestrator"
    assert all(c["playable"] and c["param_updates"] > 0 for c in by_folder["scenario_4_success_with_param_updates"])
    s5 = by_folder["scenario_5_out_of_category_baseline"]
    assert not any(_scenario_1(c) or _scenario_2(c) or _scenario_3(c) or c["param_updates"] for c in s5)
    assert any(c["playable"] and 0 < c["avg_fps"] < 12 for c in s5), "low fps"
    assert any(c["loading_only"] and c["status_samples"] >= 3 for c in s5), "loading only"
    assert any(c["zero_output"] and c["running_samples"] >= 3 and c["last_error"] for c in s5), "zero output"
    excused = [c for c in s5 if c["errors"] and not c["unexcused_errors"] and not c["no_orch"]]
    assert any(any("no orchestrators available" in m for m in c["errors"]) for c in excused), "excusable timeout"
    assert any(not any("no orchestrators" in m for m in c["errors"]) for c in excused), "excusable user abort"
    assert any(c["unexcused_errors"] and not c["status_samples"] for c in s5), "unexcused errors"
    for c in by_folder["scenario_6_same_hour_failed_no_output_retained"]:
        assert c["start"] // HOUR_MS == c["end"] // HOUR_MS and c["unexcused_errors"]
        assert c["orchestrators"] == 1 and _no_work(c, c["start"] // HOUR_MS)
    for c in by_folder["scenario_7_rollover_terminal_tail_filtered_prev_hour_no_work"]:
        tail = c["end"] // HOUR_MS
        assert c["start"] // HOUR_MS == tail - 1 and _no_work(c, tail) and _no_work(c, tail - 1)
    assert all(_scenario_1(c) for c in by_folder["quality_gate_rejects"])


def test_quality_gate_cases(loaded, fixture_dir):
    manifest, sessions, bad = loaded
    cases = manifest["metadata"]["generator"]["quality_gate_cases"]
    assert Counter(c["expected"] for c in cases) == {"dlq": 3, "quarantine": 1}
    assert not {c["type"] for c in cases} & CORE_TYPES, "rejects stay off the core-type DLQ assertion"
    assert len(bad) == 1
    for c in cases:
        lines = (fixture_dir / c["file"]).read_text().splitlines()
        picked = [lines[n - 1] for n in c["lines"]]
        assert all(c["id"] in line for line in picked)
        if c["expected"] == "quarantine":
            assert len(picked) == 2 and picked[0] == picked[1]
        elif c["reason"].startswith("truncated"):
            with pytest.raises(ValueError):
                json.loads(picked[0])
        elif c["reason"].startswith("data"):
            with pytest.raises(ValueError):
                json.loads(json.loads(picked[0])["data"])
    ids = Counter(r["id"] for rows in sessions.values() for r in rows)
    assert [i for i, n in ids.items() if n > 1] == [c["id"] for c in cases if c["expected"] == "quarantine"]


# ---- scaling and errors --------------------------------------------------------------------------


def _shape_signature(root: Path) -> tuple[set, set, set]:
    manifest, sessions, _ = _read_fixture(root)
    folders = {name for name, sc in manifest["scenarios"].items() if sc["sessions"]}
    types, keys = set(), set()
    for rows in sessions.values():
        for r in rows:
            types.add(r["type"])
            try:
                p = _payload(r)
            except ValueError:
                continue
            if isinstance(p, dict):
                keys.add((r["type"], p.get("type") if isinstance(p.get("type"), str) else None, tuple(sorted(p))))
    return folders, types, keys


def test_sessions_knob_scales_counts_not_shape(tmp_path, fixture_dir):
    small = generate_fixture(tmp_path / "small", sessions=MIN_SESSIONS, seed=11)
    big = generate_fixture(tmp_path / "big", sessions=160, seed=11)
    assert small.sessions == MIN_SESSIONS and big.sessions == 160 and big.events > 3 * small.events
    assert set(small.by_profile) == set(big.by_profile)
    sig_small, sig_big = _shape_signature(tmp_path / "small"), _shape_signature(tmp_path / "big")
    assert sig_small[0] == sig_big[0] and sig_small[1] == sig_big[1]
    assert sig_small[2] <= sig_big[2] | _shape_signature(fixture_dir)[2]
    assert 6 <= big.events / big.sessions <= 16, "≈ 10 events per session (100k sessions ≈ 1M events)"


def test_bad_arguments_are_clear_errors(tmp_path):
    with pytest.raises(FixtureError, match="sessions must be"):
        generate_fixture(tmp_path / "x", sessions=MIN_SESSIONS - 1)
    with pytest.raises(FixtureError, match="hours must be positive"):
        generate_fixture(tmp_path / "x", hours=0)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(FixtureError, match="not empty"):
        generate_fixture(tmp_path / "busy", sessions=MIN_SESSIONS)
    with pytest.raises(FixtureError, match="not fixture output"):
        generate_fixture(tmp_path / "busy", sessions=MIN_SESSIONS, overwrite=True)
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"


def test_overwrite_replaces_previous_fixture(tmp_path):
    generate_fixture(tmp_path / "f", sessions=40, seed=1)
    generate_fixture(tmp_path / "f", sessions=MIN_SESSIONS, seed=2, overwrite=True)
    assert sum(1 for _ in (tmp_path / "f").rglob("*.jsonl")) == MIN_SESSIONS


def test_module_entry_point(tmp_path, capsys):
    assert generator.main(["--out", str(tmp_path / "cli"), "--sessions", "25", "--seed", "3",
                           "--start", "2026-03-01T10:00:00Z", "--hours", "2"]) == 0
    assert "wrote 25 sessions" in capsys.readouterr().out
    manifest = json.loads((tmp_path / "cli" / "manifest.json").read_text())
    assert manifest["metadata"]["generator"]["start"].startswith("2026-03-01T10:00:00")
    assert generator.main(["--out", str(tmp_path / "cli2"), "--start", "yesterday"]) == 2
    assert "--start must be an ISO-8601 time" in capsys.readouterr().err
