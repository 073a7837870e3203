"""`reportgen run` / `render` / `runs` against a small crafted chDB warehouse (real engine)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from reportgen.errors import RunFolderError
from reportgen.snapshot import open_run
from tests.chdb_tools import PYTHON, make_warehouse, reportgen

WINDOW = ["--from", "2026-02-25T00:00:00Z", "--to", "2026-02-26T00:00:00Z"]

SCHEMA = [
    "CREATE DATABASE IF NOT EXISTS livepeer_analytics",
    """CREATE TABLE livepeer_analytics.samples (
        id String, ts DateTime64(3, 'UTC'), big UInt64, amount Decimal(38, 9),
        tags Array(String), attrs Map(String, UInt32), maybe Nullable(Float64),
        kind LowCardinality(String)
    ) ENGINE = MergeTree ORDER BY id""",
    """INSERT INTO livepeer_analytics.samples VALUES
        ('s1', '2026-02-25 18:00:00.123', 18446744073709551615, 12345678901234567890.123456789, ['a','b'], {'k': 1}, NULL, 'x'),
        ('s2', '2026-02-25 19:00:00.000', 2, 2.25, [], {}, nan, 'y'),
        ('s3', '2026-02-27 00:00:00.000', 3, 0, [], {}, 1.5, 'z')""",
]

CHECKS = """-- Small assertion pack for the end-to-end tests.
-- TEST: rows_in_window
-- two sample rows fall in the window
SELECT toUInt64(count() != 2) AS failed_rows, count() AS rows_in_window
FROM livepeer_analytics.samples
WHERE ts >= {from_ts:DateTime64(3)} AND ts < {to_ts:DateTime64(3)};

-- TEST: advisory_warn
SELECT 0 AS failed_rows, 'WARN' AS status, 'soft anomaly' AS note

-- TEST: always_fails
SELECT 3 AS failed_rows, 'three bad rows' AS detail

-- TEST: unknown_table
SELECT count() AS failed_rows FROM livepeer_analytics.nope

-- TEST: no_rows
SELECT 0 AS failed_rows FROM livepeer_analytics.samples WHERE 0
"""

TRACE = """-- QUERY: all_samples
SELECT * FROM livepeer_analytics.samples ORDER BY id
-- QUERY: no_samples
SELECT * FROM livepeer_analytics.samples WHERE id = 'none'
-- QUERY: plain_datetimes
SELECT toDateTime('2026-02-25 18:00:00', 'UTC') AS dt, toDate('2026-02-25') AS d,
       CAST('b' AS Enum8('a' = 1, 'b' = 2)) AS e, unhex('FF41') AS not_utf8
-- QUERY: slow_one
SELECT sum(number) AS s FROM numbers(3000000)
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return make_warehouse(tmp_path_factory.mktemp("wh") / "data", SCHEMA)


@pytest.fixture(scope="module")
def packs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("packs")
    (folder / "checks.sql").write_text(CHECKS)
    (folder / "trace.sql").write_text(TRACE)
    return folder


@pytest.fixture(scope="module")
def first_run(warehouse: Path, packs: Path, tmp_path_factory):
    artifacts = tmp_path_factory.mktemp("artifacts")
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(packs), *WINDOW,
                     "--artifacts", str(artifacts), "--run-id", "first", "--drilldowns", str(packs / "trace.sql"))
    return proc, artifacts


def statuses(snap):
    return {b.name: b.status for b in snap.blocks if b.phase == 1}


def test_run_writes_complete_folder_with_verdicts(first_run):
    proc, artifacts = first_run
    assert proc.returncode == 1, proc.stderr
    assert "FAIL: 1 pass, 1 warn, 1 fail, 2 error" in proc.stdout
    folder = artifacts / "runs" / "first"
    assert {p.name for p in folder.iterdir()} >= {"manifest.json", "snapshot.duckdb", "parquet", "report.html"}
    snap = open_run(folder)
    assert statuses(snap) == {
        "rows_in_window": "PASS", "advisory_warn": "WARN", "always_fails": "FAIL",
        "unknown_table": "ERROR", "no_rows": "ERROR",
        "all_samples": "INFO", "no_samples": "INFO", "plain_datetimes": "INFO", "slow_one": "INFO",
    }
    unknown = snap.find("checks", "unknown_table")
    assert unknown.error_code == 60 and "nope" in unknown.error
    assert snap.find("checks", "no_rows").message == "Query returned no rows"
    assert snap.find("checks", "always_fails").diagnostics == {"detail": "three bad rows"}
    assert snap.find("checks", "advisory_warn").advisory == "WARN"
    manifest = snap.manifest
    assert manifest["format_version"] == 1 and manifest["run_id"] == "first"
    assert manifest["window"]["source"] == "flags"
    assert manifest["exit_status"] == {"code": 1, "verdict": "FAIL", "counts": manifest["exit_status"]["counts"]}
    assert [p["suite"] for p in manifest["packs"]] == ["checks", "trace"]
    assert all(len(p["sha256"]) == 64 for p in manifest["packs"])


def test_types_survive_clickhouse_to_parquet_and_duckdb(first_run):
    import duckdb

    _, artifacts = first_run
    snap = open_run(artifacts / "runs" / "first")
    block = snap.find("trace", "all_samples")
    table = snap.table(block)
    schema = table.schema
    assert schema.field("big").type == pa.uint64()
    assert schema.field("amount").type == pa.decimal128(38, 9)
    assert schema.field("ts").type == pa.timestamp("ms", tz="UTC")
    assert pa.types.is_list(schema.field("tags").type)
    assert pa.types.is_map(schema.field("attrs").type)
    rows = table.to_pylist()
    assert rows[0]["big"] == 2**64 - 1
    assert rows[0]["amount"] == Decimal("12345678901234567890.123456789")
    assert rows[0]["ts"] == datetime(2026, 2, 25, 18, 0, 0, 123000, tzinfo=UTC)
    assert rows[0]["maybe"] is None and rows[1]["maybe"] != rows[1]["maybe"]  # NULL and NaN
    con = duckdb.connect(str(snap.path / "snapshot.duckdb"), read_only=True)
    types = dict(con.execute(f"SELECT column_name, data_type FROM information_schema.columns "
                             f"WHERE table_name = '{block.result_table}'").fetchall())
    assert types["big"] == "UBIGINT" and types["amount"] == "DECIMAL(38,9)"
    assert types["ts"] == "TIMESTAMP WITH TIME ZONE"
    assert con.execute(f'SELECT max(big) FROM "{block.result_table}"').fetchone()[0] == 2**64 - 1
    con.close()


def test_datetime_date_enum_and_bad_bytes(first_run):
    _, artifacts = first_run
    snap = open_run(artifacts / "runs" / "first")
    table = snap.table(snap.find("trace", "plain_datetimes"))
    assert table.schema.field("dt").type == pa.timestamp("ms", tz="UTC")  # not a bare uint32
    assert table.schema.field("d").type == pa.date32()
    row = table.to_pylist()[0]
    assert row["dt"] == datetime(2026, 2, 25, 18, tzinfo=UTC)
    assert row["e"] == "b" and row["not_utf8"] == "\ufffdA"


def test_empty_result_keeps_columns(first_run):
    _, artifacts = first_run
    snap = open_run(artifacts / "runs" / "first")
    block = snap.find("trace", "no_samples")
    assert block.row_count == 0
    assert [c for c, _ in block.columns] == ["id", "ts", "big", "amount", "tags", "attrs", "maybe", "kind"]
    assert snap.table(block).schema.field("big").type == pa.uint64()


def test_render_reproduces_verdicts_offline(first_run, tmp_path):
    _, artifacts = first_run
    folder = artifacts / "runs" / "first"
    before = (folder / "report.html").read_text()
    proc = reportgen("render", "first", "--artifacts", str(artifacts), "--out", str(tmp_path / "r.html"),
                     env={"CH_HOST": "127.0.0.1", "CH_PORT": "1"})  # a dead server: render must not care
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "r.html").read_text() == before
    listing = reportgen("runs", "--artifacts", str(artifacts))
    assert listing.returncode == 0 and "first" in listing.stdout and "FAIL" in listing.stdout


def test_concurrent_results_equal_serial(warehouse, packs, tmp_path):
    runs = {}
    for n in (1, 4):
        proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(packs), *WINDOW,
                         "--artifacts", str(tmp_path), "--run-id", f"c{n}", "--concurrency", str(n), "-q")
        assert proc.returncode == 1, proc.stderr
        snap = open_run(tmp_path / "runs" / f"c{n}")
        runs[n] = [(b.block_id, b.status, b.failed_rows, b.row_count, b.diagnostics,
                    snap.table(b).to_pylist() if b.result_table else None) for b in snap.blocks]
    assert repr(runs[1]) == repr(runs[4])


def test_password_never_written(warehouse, packs, tmp_path):
    secret = "Pa55-w0rd-that-must-not-leak"
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(packs), *WINDOW,
                     "--artifacts", str(tmp_path), "--run-id", "secret",
                     env={"CH_PASSWORD": secret, "CH_USER": "someone"})
    assert proc.returncode == 1, proc.stderr
    assert secret not in proc.stdout + proc.stderr
    for file in (tmp_path / "runs" / "secret").rglob("*"):
        if file.is_file():
            assert secret.encode() not in file.read_bytes(), file
    failed = reportgen("run", "--target", f"http://u:{secret}@127.0.0.1:1/db", "--packs", str(packs),
                       *WINDOW, "--artifacts", str(tmp_path))
    assert failed.returncode == 3
    assert secret not in failed.stdout + failed.stderr
    assert failed.stderr.count("\n") == 1 and "Traceback" not in failed.stderr


@pytest.mark.parametrize("moment", ["collecting", "writing"])
def test_killed_run_leaves_nothing_render_accepts(warehouse, tmp_path, moment):
    pack = tmp_path / "pack"
    pack.mkdir()
    if moment == "collecting":  # a block that sleeps ~100 s
        sql = "SELECT sleepEachRow(0.5) FROM numbers(200) SETTINGS max_block_size = 1"
    else:  # a large result, so that writing the snapshot takes a while
        sql = "SELECT number, toString(number) AS s, [number] AS a FROM numbers(4000000)"
    (pack / "p.sql").write_text(f"-- QUERY: q\n{sql}\n")
    artifacts = tmp_path / "artifacts"
    proc = subprocess.Popen(
        [PYTHON, "-m", "reportgen", "run", "--target", f"chdb://{warehouse}", "--packs", str(pack),
         *WINDOW, "--artifacts", str(artifacts), "--run-id", "killed", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "CH_MAX_EXECUTION_TIME_SEC": "600"},
    )
    deadline = time.monotonic() + 60
    runs = artifacts / "runs"
    while time.monotonic() < deadline and proc.poll() is None:
        if moment == "collecting" and time.monotonic() > deadline - 57:
            break
        if moment == "writing" and runs.exists() and any(p.name.startswith(".incomplete-") for p in runs.iterdir()):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    leftovers = list(runs.iterdir()) if runs.exists() else []
    if moment == "writing":
        assert leftovers and all(p.name.startswith(".incomplete-") for p in leftovers)
    assert not (runs / "killed").exists()
    for folder in leftovers:
        with pytest.raises(RunFolderError, match="incomplete|not a complete"):
            open_run(folder)
        rendered = reportgen("render", str(folder))
        assert rendered.returncode == 2 and "incomplete" in rendered.stderr
    listing = reportgen("render", "killed", "--artifacts", str(artifacts))
    assert listing.returncode == 2 and "not found" in listing.stderr


def test_harness_artifacts_are_copied_into_the_snapshot(warehouse, packs, tmp_path):
    harness = tmp_path / "test-runs" / "20260225T211506Z"
    (harness / "stages").mkdir(parents=True)
    (harness / "summary.json").write_text(json.dumps({
        "run_id": "20260225T211506Z", "mode": "full", "failed": True,
        "results": [
            {"stage": "replay_events", "status": "PASS", "duration_sec": 3.5, "error": None},
            {"stage": "assert_pipeline", "status": "FAIL", "duration_sec": 9.25, "error": "1 test failed"},
        ],
    }))
    (harness / "stages" / "assert_pipeline.json").write_text(json.dumps({
        "from_ts": "2026-02-25T16:08:39Z", "to_ts": "2026-02-25T21:43:55Z",
        "results": [
            {"name": "ok_test", "passed": True, "failed_rows": 0, "diagnostics": {}, "error": None},
            {"name": "<b>bad_test</b>", "passed": False, "failed_rows": 4, "diagnostics": {"x": 1}, "error": None},
        ],
    }))
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(packs), *WINDOW,
                     "--artifacts", str(tmp_path), "--run-id", "h", "-q")
    assert proc.returncode == 1, proc.stderr
    snap = open_run(tmp_path / "runs" / "h")
    data = snap.manifest["harness"]
    assert data["run_id"] == "20260225T211506Z"
    assert [s["stage"] for s in data["stages"]] == ["replay_events", "assert_pipeline"]
    assert [f["test_name"] for f in data["failures"]] == ["<b>bad_test</b>"]
    # the harness folder disappearing later does not change a re-render
    shutil.rmtree(tmp_path / "test-runs")
    html = (snap.path / "report.html").read_text()
    assert reportgen("render", str(snap.path)).returncode == 0
    assert (snap.path / "report.html").read_text() == html
    assert "&lt;b&gt;bad_test&lt;/b&gt;" in html and "<b>bad_test</b>" not in html


def test_drilldowns_per_discovered_session_and_per_failed_test(warehouse, tmp_path):
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "scenario_candidates.sql").write_text(
        "-- QUERY: scenario_a\n"
        "SELECT id AS workflow_session_id FROM livepeer_analytics.samples ORDER BY id DESC "
        "LIMIT {limit_per_scenario:UInt32}\n"
        "-- QUERY: scenario_b\nSELECT 's1' AS workflow_session_id\n"
        "-- QUERY: scenario_none\nSELECT 'x' AS workflow_session_id WHERE 0\n"
    )
    (packs / "checks.sql").write_text(
        "-- TEST: failing_check\nSELECT 2 AS failed_rows\n-- TEST: passing_check\nSELECT 0 AS failed_rows\n"
    )
    drill = tmp_path / "drill"
    drill.mkdir()
    (drill / "session.sql").write_text(
        "-- QUERY: detail\nSELECT id, big FROM livepeer_analytics.samples AS s WHERE s.id = {sid:String}\n"
    )
    (drill / "offending.sql").write_text(
        "-- QUERY: failing_check\nSELECT 'offender' AS row_id\n-- QUERY: passing_check\nSELECT 'never' AS row_id\n"
    )
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(packs), "--drilldowns",
                     str(drill), *WINDOW, "--artifacts", str(tmp_path), "--run-id", "d", "-q",
                     "--limit-per-scenario", "2")
    assert proc.returncode == 1, proc.stderr
    snap = open_run(tmp_path / "runs" / "d")
    assert [(s.workflow_session_id, s.scenario, s.rank) for s in snap.sessions] == [
        ("s3", "scenario_a", 0), ("s2", "scenario_a", 1), ("s1", "scenario_b", 0)]
    details = [b for b in snap.blocks if b.name == "detail"]
    assert [b.sid for b in details] == ["s3", "s2", "s1"] and all(b.phase == 2 for b in details)
    assert [snap.table(b).column("id").to_pylist() for b in details] == [["s3"], ["s2"], ["s1"]]
    assert snap.find("offending", "failing_check").row_count == 1
    assert snap.find("offending", "passing_check") is None
    assert snap.manifest["exit_status"]["code"] == 1  # drill-downs never change the verdict


def test_batched_drilldown_is_split_per_session(warehouse, tmp_path):
    """`{sids:Array(String)}` runs once and yields the same per-session results as `{sid:String}`."""
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "scenario_candidates.sql").write_text(
        "-- QUERY: all\nSELECT id AS workflow_session_id FROM livepeer_analytics.samples ORDER BY id\n")
    runs = {}
    for form, where in (("single", "s.id = {sid:String}"), ("batched", "has({sids:Array(String)}, s.id)")):
        drill = tmp_path / form
        drill.mkdir()
        (drill / "session.sql").write_text(
            "-- QUERY: detail\nSELECT s.id AS workflow_session_id, s.big, s.tags FROM livepeer_analytics.samples AS s "
            f"WHERE {where} AND s.id != 's2' ORDER BY s.id\n"
            "-- QUERY: other\nSELECT 1 AS one, s.id AS workflow_session_id FROM livepeer_analytics.samples AS s "
            f"WHERE {where.replace('s.id', 'id') if form == 'single' else where}\n")
        proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(packs), "--drilldowns",
                         str(drill), *WINDOW, "--artifacts", str(tmp_path), "--run-id", form, "-q")
        assert proc.returncode == 0, proc.stderr
        snap = open_run(tmp_path / "runs" / form)
        runs[form] = [(b.name, b.sid, b.status, b.row_count, [c for c, _ in b.columns],
                       snap.table(b).to_pylist()) for b in snap.blocks if b.phase == 2]
    assert runs["batched"] == runs["single"]
    assert [r[:2] for r in runs["batched"]] == [
        ("detail", "s1"), ("other", "s1"), ("detail", "s2"), ("other", "s2"), ("detail", "s3"), ("other", "s3")]
    assert runs["batched"][2][3] == 0 and runs["batched"][2][4] == ["workflow_session_id", "big", "tags"]
