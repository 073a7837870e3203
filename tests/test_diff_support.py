"""Shared builders for the diff and CI tests (no tests here): a tiny chDB warehouse and packs.

Everything that touches chDB runs in a subprocess (`python -m reportgen run`, a small build
script), so these tests never hold a chDB path in the pytest process (one path per process).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FROM_TS = "2026-01-01T00:00:00Z"
TO_TS = "2026-01-02T00:00:00Z"
WINDOW = "ts >= {from_ts:DateTime64(3)} AND ts < {to_ts:DateTime64(3)}"

SCHEMA = [
    "CREATE DATABASE IF NOT EXISTS livepeer_analytics",
    "CREATE TABLE livepeer_analytics.events (id UInt32, ts DateTime64(3, 'UTC'), layer String, value Int64, "
    "sid String) ENGINE = MergeTree ORDER BY id",
    "CREATE TABLE livepeer_analytics.sessions (sid String, scenario String) ENGINE = MergeTree ORDER BY sid",
    "INSERT INTO livepeer_analytics.events VALUES "
    "(1, '2026-01-01 01:00:00', 'raw', 10, 's1'), (2, '2026-01-01 02:00:00', 'raw', 20, 's1'), "
    "(3, '2026-01-01 03:00:00', 'raw', 70, 's2'), (4, '2026-01-01 01:30:00', 'typed', 10, 's1'), "
    "(5, '2026-01-01 02:30:00', 'typed', 20, 's2'), (6, '2026-01-01 03:30:00', 'typed', 30, 's3'), "
    "(7, '2026-01-03 00:00:00', 'raw', -1, 's3')",  # outside the window
    "INSERT INTO livepeer_analytics.sessions VALUES ('s1', 'clean'), ('s2', 'clean'), ('s3', 'broken')",
]

# The injected fault: a negative value in the window (new failure), one more value over 50
# (a check failing in both moves), session s4 appears, s2 disappears, s3 changes scenario.
FAULT = [
    "INSERT INTO livepeer_analytics.events VALUES (8, '2026-01-01 04:00:00', 'raw', -5, 's4'), "
    "(9, '2026-01-01 05:00:00', 'typed', 100, 's4')",
    "TRUNCATE TABLE livepeer_analytics.sessions",
    "INSERT INTO livepeer_analytics.sessions VALUES ('s1', 'clean'), ('s3', 'clean'), ('s4', 'broken')",
]

TRACE_PACK = f"""-- trace pack of the test warehouse
-- QUERY: 01_raw_ingest
SELECT layer AS object_name, count() AS rows_window, min(ts) AS min_ts, max(ts) AS max_ts
FROM livepeer_analytics.events WHERE {WINDOW} GROUP BY layer ORDER BY layer;

-- QUERY: 08_gpu_view_parity
SELECT if(countIf(value < 0) > 0, 'VALUE_MISMATCH_WITH_OVERLAP', 'PASS') AS failure_mode,
       count() AS rollup_rows, sum(value) AS total_value, avg(value) AS mean_value
FROM livepeer_analytics.events WHERE {WINDOW};
"""

SCENARIO_PACK = """-- QUERY: scenario_1_clean
SELECT sid AS workflow_session_id FROM livepeer_analytics.sessions WHERE scenario = 'clean' ORDER BY sid;

-- QUERY: scenario_2_broken
SELECT sid AS workflow_session_id FROM livepeer_analytics.sessions WHERE scenario = 'broken' ORDER BY sid;
"""

NO_NEGATIVE = f"""-- TEST: no_negative_values
SELECT countIf(value < 0) AS failed_rows, min(value) AS min_value, count() AS total_rows
FROM livepeer_analytics.events WHERE {WINDOW};
"""
EVENTS_PRESENT = f"""-- TEST: events_present
SELECT toUInt64(count() = 0) AS failed_rows, count() AS rows_in_window FROM livepeer_analytics.events WHERE {WINDOW};
"""
ADVISORY = f"""-- TEST: layer_balance_advisory
SELECT 0 AS failed_rows, if(countIf(layer = 'typed') >= countIf(layer = 'raw'), 'WARN', 'PASS') AS status,
       countIf(layer = 'raw') AS raw_rows, countIf(layer = 'typed') AS typed_rows
FROM livepeer_analytics.events WHERE {WINDOW};
"""


# Fails in every run with hostile text in a diagnostic (markup, a pipe, a newline, a control char);
# the text holds the row count, so it moves with the fault.
HOSTILE = f"""-- TEST: hostile_text
SELECT 1 AS failed_rows,
       concat('<script>alert(1)</script> | "><img src=x onerror=alert(2)>', char(10), 'rows ', toString(count()), char(1)) AS note
FROM livepeer_analytics.events WHERE {WINDOW};
"""
# Cannot run (the table does not exist): ERROR in every run.
BROKEN = """-- TEST: broken_sql
SELECT count() AS failed_rows FROM livepeer_analytics.no_such_table;
"""


def over_50(name: str) -> str:
    return f"""-- TEST: {name}
SELECT countIf(value > 50) AS failed_rows, max(value) AS max_value, count() AS total_rows
FROM livepeer_analytics.events WHERE {WINDOW};
"""


NEW_CHECK = f"""-- TEST: no_late_events
SELECT countIf(ts > '2026-01-01 03:15:00') AS failed_rows, max(ts) AS latest_ts
FROM livepeer_analytics.events WHERE {WINDOW};
"""

DRILLDOWN = """-- QUERY: session_events
SELECT count() AS events, min(ts) AS first_ts FROM livepeer_analytics.events WHERE sid = {sid:String};
"""


def write_packs(folder: Path, *, changed: bool = False) -> Path:
    """Pack set v1, or v2 (`changed`): events_present removed, values_over_50 renamed from
    known_over_50 (same SQL), no_late_events added (fails)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "trace_pipeline_flow.sql").write_text(TRACE_PACK)
    (folder / "scenario_candidates.sql").write_text(SCENARIO_PACK)
    if changed:
        tests = NO_NEGATIVE + ADVISORY + over_50("values_over_50") + NEW_CHECK + HOSTILE + BROKEN
    else:
        tests = NO_NEGATIVE + EVENTS_PRESENT + ADVISORY + over_50("known_over_50") + HOSTILE + BROKEN
    (folder / "assertions_basic.sql").write_text("-- assertions of the test warehouse\n" + tests)
    return folder


def write_drilldowns(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "session_detail.sql").write_text(DRILLDOWN)
    return folder


_EXEC = """
import sys, clickhouse_connect
client = clickhouse_connect.get_client(dsn="chdb://" + sys.argv[1])
try:
    for statement in sys.argv[2:]:
        client.command(statement)
finally:
    client.close()
"""


def execute(warehouse: Path, statements: list[str]) -> None:
    """Run SQL statements against a chDB directory in a separate process."""
    done = subprocess.run([sys.executable, "-c", _EXEC, str(warehouse.resolve()), *statements],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def reportgen(*args: str, env: dict[str, str] | None = None, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith("CH_") and k not in ("GITHUB_STEP_SUMMARY", "HARNESS_RUN_ID")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout)


def run_packs(warehouse: Path, packs: Path, drilldowns: Path, artifacts: Path, run_id: str,
              *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return reportgen(
        "run", "--target", f"chdb://{warehouse.resolve()}", "--packs", str(packs),
        "--drilldowns", str(drilldowns), "--from", FROM_TS, "--to", TO_TS,
        "--artifacts", str(artifacts), "--run-id", run_id, "--quiet", "--concurrency", "2",
        *extra, env=env,
    )


def build_runs(root: Path) -> dict[str, Path]:
    """Warehouse → run A (packs v1) → run P (packs v2, same data) → fault → run B (packs v1).

    Returns the paths: warehouse, packs_v1, packs_v2, drilldowns, artifacts and the three run
    folders `a`, `p`, `b` (run ids r1-base, r2-packs, r3-fault).
    """
    paths = {
        "warehouse": root / "warehouse", "packs_v1": write_packs(root / "packs_v1"),
        "packs_v2": write_packs(root / "packs_v2", changed=True),
        "drilldowns": write_drilldowns(root / "drilldowns"), "artifacts": root / "artifacts",
    }
    execute(paths["warehouse"], SCHEMA)
    for key, run_id, packs in (("a", "r1-base", "packs_v1"), ("p", "r2-packs", "packs_v2")):
        done = run_packs(paths["warehouse"], paths[packs], paths["drilldowns"], paths["artifacts"], run_id)
        assert done.returncode == 1, done.stderr  # known_over_50 / hostile_text fail in every run
        paths[key] = paths["artifacts"] / "runs" / run_id
    execute(paths["warehouse"], FAULT)
    done = run_packs(paths["warehouse"], paths["packs_v1"], paths["drilldowns"], paths["artifacts"], "r3-fault")
    assert done.returncode == 1, done.stderr
    paths["b"] = paths["artifacts"] / "runs" / "r3-fault"
    return paths


def synthetic_run(artifacts: Path, run_id: str, checks: list[tuple], *,
                  sessions: list[tuple[str, str]] = (), ci: bool = True) -> Path:
    """A real run folder (snapshot, manifest, CI outputs) written without a warehouse.

    `checks` are (suite, name, first_row[, kind[, error]]) blocks (kind TEST by default); the
    verdict comes from `first_row` exactly as for a real run (a TEST row without failed_rows is
    an ERROR; an `error` makes the block ERROR).
    """
    import pyarrow as pa

    from reportgen import ci as ci_module
    from reportgen.collect import BlockResult, CollectResult, Session
    from reportgen.packs import Block
    from reportgen.snapshot import write_run

    results = []
    for line, (suite, name, row, *rest) in enumerate(checks, start=1):
        kind = rest[0] if rest else "TEST"
        error = rest[1] if len(rest) > 1 else None
        block = Block(suite, kind, name, f"SELECT {line} AS failed_rows", line, f"{suite}.sql")
        table = None if error else pa.table({k: [v] for k, v in row.items()})
        results.append(BlockResult(block, table=table, duration_s=0.001 * (line % 7),
                                   started_at="2026-01-01T00:00:00Z", error=error))
    collected = CollectResult(results, [Session(sid, scenario, 0) for sid, scenario in sessions])
    manifest = {
        "created_at": "2026-01-01T00:00:00+00:00",
        "window": {"from_ts": FROM_TS, "to_ts": TO_TS, "source": "flags"},
        "target": {"description": "synthetic"},
        "packs": [], "versions": {"reportgen": "test", "engine": "none"},
    }

    def finish(folder: Path, snap) -> dict:
        return ci_module.write_outputs(snap, folder) if ci else {}

    return write_run(artifacts, run_id, manifest, collected, finish)
