"""Run folders for the report tests, made by real `reportgen run` on real chDB warehouses.

chDB holds one data path per process, so every warehouse is built and run in a subprocess; the
tests only read the resulting run folders (DuckDB + Parquet), as `reportgen render` does.

`hostile_run` — the bundled packs and drill-downs on a schema-only warehouse seeded with hostile
values (`<script>`, `"><img onerror>`, `{{ }}`, a 300-character id, NaN, NULL,
UInt64 max) in sessions that scenario 5 discovers, so they reach the session explorer; the
empty raw layers make several TESTs fail, which gives failing checks to link to.
Invalid UTF-8 gets its own seeded run in test_report_render.py.
(No tests here: this module only holds helpers.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
WINDOW = ("2026-02-25T10:00:00Z", "2026-02-25T14:00:00Z")
UINT64_MAX = 18446744073709551615
LONG_ID = "L" * 300 + "|long"
HOSTILE_SIDS = (
    "<script>alert('sid')</script>|s1",
    '"><img src=x onerror=alert(2)>|s2',
    "{{ 7*7 }}{% raw %}|s3",
    LONG_ID,
)

SEED_SQL = r"""
INSERT INTO livepeer_analytics.fact_workflow_sessions
  (workflow_session_id, workflow_type, stream_id, request_id, pipeline, gateway, orchestrator_address,
   model_id, gpu_id, gpu_attribution_method, gpu_attribution_confidence, session_start_ts, session_end_ts,
   known_stream, startup_success, startup_excused, startup_unexcused, confirmed_swap_count,
   inferred_orchestrator_change_count, swap_count, error_count, excusable_error_count, event_count, version)
VALUES
  ('<script>alert(''sid'')</script>|s1', 'ai_live', '<script>alert(''stream'')</script>', 'r1',
   'live-video-to-video', 'gw<b>1</b>', '0xorch<script>alert(''orch'')</script>', NULL, NULL, 'none', nan,
   '2026-02-25 11:00:00.000', '2026-02-25 11:05:00.000', 1, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1),
  ('<script>alert(''sid'')</script>|s1', 'ai_live', '<script>alert(''stream'')</script>', 'r1',
   'live-video-to-video', 'gw<b>1</b>', '0xorch<script>alert(''orch'')</script>', NULL, NULL, 'none', nan,
   '2026-02-25 11:00:00.500', NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 18446744073709551615),
  ('"><img src=x onerror=alert(2)>|s2', 'ai_live', 'st2', '"><img src=x onerror=alert(22)>',
   '{{ 7*7 }}', 'gw2', '{{ config }}', '{% raw %}', 'gpu-"><svg onload=alert(3)>', 'none', 0.5,
   '2026-02-25 11:10:00.000', '2026-02-25 11:20:00.000', 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1),
  ('{{ 7*7 }}{% raw %}|s3', 'ai_live', 'st3', 'r3', 'p3', 'gw3', '0xabc', 'model', 'gpu', 'none', 1,
   '2026-02-25 12:00:00.000', '2026-02-25 12:01:00.000', 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1),
  ('""" + LONG_ID + r"""', 'ai_live', 'st4', 'r4', 'p4', 'gw4', '0xdef', NULL, NULL, 'none', 1,
   '2026-02-25 12:30:00.000', NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1);

INSERT INTO livepeer_analytics.fact_stream_trace_edges
  (edge_ts, workflow_session_id, stream_id, request_id, gateway, orchestrator_address, pipeline,
   trace_type, trace_category, is_swap_event, source_event_uid)
VALUES
  ('2026-02-25 11:00:01.000', '<script>alert(''sid'')</script>|s1', '<script>alert(''stream'')</script>', 'r1',
   'gw', '0xorch', 'live-video-to-video', '<script>alert(''trace'')</script>', 'gateway', 0, 'u1'),
  ('2026-02-25 11:02:00.000', '<script>alert(''sid'')</script>|s1', '<script>alert(''stream'')</script>', 'r1',
   'gw', '"><img src=x onerror=alert(4)>', 'live-video-to-video', 'gateway_ingest_stream_closed', 'gateway', 0, 'u2');

INSERT INTO livepeer_analytics.fact_stream_status_samples
  (sample_ts, workflow_session_id, stream_id, request_id, gateway, orchestrator_address, pipeline,
   state, output_fps, input_fps, gpu_attribution_method, gpu_attribution_confidence, source_event_uid)
VALUES
  ('2026-02-25 11:01:00.000', '<script>alert(''sid'')</script>|s1', 's', 'r1', '', '0xorch', 'p',
   'ONLINE', nan, 0, 'none', 0, 'x1'),
  ('2026-02-25 12:01:00.000', '{{ 7*7 }}{% raw %}|s3', 's', 'r3', 'gw', '0xabc', 'p', 'ONLINE', 3.5, 0, 'none', 0, 'x2');
"""


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    for key in ("CH_HOST", "CH_PORT", "HARNESS_RUN_ID", "NB_SHOW_DEBUG", "FIXTURE_FROM_TS", "FIXTURE_TO_TS"):
        env.pop(key, None)
    return env


def build_seeded_warehouse(data_dir: Path, seed_sql: str = SEED_SQL) -> None:
    """Schema-only demo warehouse plus the given INSERT statements, in a subprocess."""
    code = textwrap.dedent(f"""
        import clickhouse_connect
        from reportgen.demo.schema import apply_schema, split_statements
        client = clickhouse_connect.get_client(dsn={('chdb://' + str(data_dir))!r})
        apply_schema(client)
        for stmt in split_statements({seed_sql!r}):
            client.command(stmt)
        client.close()
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                          cwd=str(REPO_ROOT), env=_env())
    if proc.returncode != 0:
        raise RuntimeError(f"warehouse build failed:\n{proc.stderr[-3000:]}")


def run_reportgen(data_dir: Path, artifacts: Path, run_id: str, *extra: str) -> Path:
    """`reportgen run` on a chDB directory in a subprocess; returns the run folder."""
    cmd = [sys.executable, "-m", "reportgen", "run", "--target", f"chdb://{data_dir}",
           "--from", WINDOW[0], "--to", WINDOW[1], "--run-id", run_id, "--artifacts", str(artifacts),
           "--quiet", *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=str(REPO_ROOT), env=_env())
    folder = artifacts / "runs" / run_id
    if proc.returncode not in (0, 1) or not folder.is_dir():
        raise RuntimeError(f"reportgen run failed (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n"
                           f"{proc.stderr[-3000:]}")
    return folder


def make_hostile_run(base: Path) -> Path:
    data = base / "hostile-warehouse"
    build_seeded_warehouse(data)
    return run_reportgen(data, base / "artifacts", "hostile")


_CACHE: dict[str, Path] = {}


def cached_run(name: str, tmp_factory, maker) -> Path:  # noqa: ANN001 - pytest's tmp_path_factory
    """One run folder per test process for `name` (shared by every report test module)."""
    if name not in _CACHE:
        _CACHE[name] = maker(tmp_factory.mktemp(name))
    return _CACHE[name]


def make_subset_run(base: Path) -> Path:
    """The hostile warehouse run with only the trace pack and no drill-downs (user's own packs)."""
    data = base / "subset-warehouse"
    build_seeded_warehouse(data)
    pack = REPO_ROOT / "sql" / "packs" / "trace_pipeline_flow.sql"
    own = base / "own_drilldowns.sql"
    own.write_text("-- QUERY: never_failed_test\nSELECT 1 AS x\n", encoding="utf-8")
    return run_reportgen(data, base / "artifacts", "subset", "--packs", str(pack), "--drilldowns", str(own))


def demo_run_or_skip(base: Path) -> Path:
    """A run of the bundled packs on the full demo warehouse (built from fixtures/demo)."""
    fixture = REPO_ROOT / "fixtures" / "demo"
    assert (fixture / "manifest.json").is_file(), "fixtures/demo is missing"
    data = base / "demo-warehouse"
    code = (f"from reportgen.demo import build_warehouse\n"
            f"build_warehouse({str(fixture)!r}, {str(data)!r})\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900,
                          cwd=str(REPO_ROOT), env=_env())
    if proc.returncode != 0:
        raise RuntimeError(f"demo build failed:\n{proc.stderr[-3000:]}")
    cmd = [sys.executable, "-m", "reportgen", "run", "--target", f"chdb://{data}", "--manifest",
           str(fixture / "manifest.json"), "--run-id", "demo", "--artifacts", str(base / "artifacts"), "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=str(REPO_ROOT), env=_env())
    folder = base / "artifacts" / "runs" / "demo"
    if proc.returncode not in (0, 1) or not folder.is_dir():
        raise RuntimeError(f"demo run failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return folder


FAULTS = ("corrupt_demand_view_minutes", "corrupt_gpu_view_failure_rate", "regress_known_stream")


def make_faulty_demo_run(base: Path) -> Path:
    """The demo warehouse with faults injected (left in place), then a bundled run on it."""
    from reportgen.demo.faults import FAULTS as KNOWN

    missing = [f for f in FAULTS if f not in KNOWN]
    assert not missing, f"faults not registered: {missing}"
    fixture = REPO_ROOT / "fixtures" / "demo"
    data = base / "faulty-warehouse"
    code = textwrap.dedent(f"""
        import clickhouse_connect
        from reportgen.demo import build_warehouse
        from reportgen.demo.faults import FAULTS
        build_warehouse({str(fixture)!r}, {str(data)!r})
        client = clickhouse_connect.get_client(dsn={('chdb://' + str(data))!r})
        for name in {list(FAULTS)!r}:
            for sql in FAULTS[name].statements:  # applied and deliberately never restored
                client.command(sql, settings={{"mutations_sync": 2, "optimize_on_insert": 0}})
        client.close()
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900,
                          cwd=str(REPO_ROOT), env=_env())
    if proc.returncode != 0:
        raise RuntimeError(f"faulty build failed:\n{proc.stderr[-3000:]}")
    cmd = [sys.executable, "-m", "reportgen", "run", "--target", f"chdb://{data}", "--manifest",
           str(fixture / "manifest.json"), "--run-id", "faulty", "--artifacts", str(base / "artifacts"), "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=str(REPO_ROOT), env=_env())
    folder = base / "artifacts" / "runs" / "faulty"
    if proc.returncode not in (0, 1) or not folder.is_dir():
        raise RuntimeError(f"faulty run failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return folder
