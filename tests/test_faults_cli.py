"""Fault and bad-input matrix: each case gives one line on stderr, a documented exit code, no
traceback, and leaves the artifacts folder in a known state (no folder that looks complete).

Runs reportgen as a subprocess against a small crafted chDB warehouse.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reportgen.snapshot import open_run
from tests.chdb_tools import PYTHON, make_warehouse, reportgen
from tests.test_run_end_to_end import SCHEMA, WINDOW

OK_PACK = "-- TEST: fine\nSELECT 0 AS failed_rows\n"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return make_warehouse(tmp_path_factory.mktemp("wh") / "data", SCHEMA)


def assert_one_line(proc: subprocess.CompletedProcess, code: int, needle: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("reportgen: error: ") and needle in lines[0], lines[0]


def complete_runs(artifacts: Path) -> list[Path]:
    runs = artifacts / "runs"
    return [p for p in runs.iterdir() if not p.name.startswith(".")] if runs.exists() else []


def no_folders(artifacts: Path) -> None:
    runs = artifacts / "runs"
    assert not runs.exists() or not list(runs.iterdir()), list(runs.iterdir())


# ------------------------------------------------------------------ malformed packs (exit 2)

PACK_CASES = {
    "no_markers": ("SELECT 1;\n-- a comment\n", "no '-- QUERY: name'"),
    "empty_block": ("-- TEST: a\n\n-- TEST: b\nSELECT 0 AS failed_rows\n", "block 'a' is empty"),
    "duplicate_names": ("-- TEST: a\nSELECT 0 AS failed_rows\n-- TEST: a\nSELECT 1 AS failed_rows\n",
                        "duplicate block name 'a'"),
    "mixed_kinds": ("-- TEST: a\nSELECT 0 AS failed_rows\n-- QUERY: b\nSELECT 1\n", "mixes QUERY and TEST"),
    "unknown_placeholder": ("-- QUERY: a\nSELECT {gateway:String}\n", "placeholder {gateway}"),
    "marker_without_name": ("-- TEST:\nSELECT 0 AS failed_rows\n", "has no block name"),
    "non_utf8": (b"-- TEST: a\nSELECT '\xff\xfe' AS failed_rows\n", "not valid UTF-8"),
    "ten_megabytes": ("-- TEST: a\nSELECT 0 AS failed_rows\n" + ("-- " + "x" * 97 + "\n") * 105_000,
                      "the limit is"),
}


@pytest.mark.parametrize("case", sorted(PACK_CASES))
def test_malformed_pack(case, warehouse, tmp_path):
    text, needle = PACK_CASES[case]
    pack = tmp_path / "bad.sql"
    pack.write_bytes(text if isinstance(text, bytes) else text.encode())
    artifacts = tmp_path / "artifacts"
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(pack), *WINDOW,
                     "--artifacts", str(artifacts))
    assert_one_line(proc, 2, needle)
    assert "bad.sql" in proc.stderr
    no_folders(artifacts)


def test_missing_pack_path(tmp_path, warehouse):
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(tmp_path / "nope.sql"),
                     *WINDOW, "--artifacts", str(tmp_path))
    assert_one_line(proc, 2, "not found")


def test_empty_pack_folder(tmp_path, warehouse):
    (tmp_path / "empty").mkdir()
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(tmp_path / "empty"),
                     *WINDOW, "--artifacts", str(tmp_path))
    assert_one_line(proc, 2, "no .sql pack files")


# ------------------------------------------------------------ blocks that fail (run goes on)

@dataclass
class BlockCase:
    sql: str
    status: str
    needle: str = ""
    env: dict = field(default_factory=dict)
    code: int | None = None


BLOCK_CASES = {
    "syntax_error": BlockCase("SELEC 1 AS failed_rows", "ERROR", "Syntax error", code=62),
    "unknown_table": BlockCase("SELECT count() AS failed_rows FROM livepeer_analytics.nope", "ERROR", "nope", code=60),
    "unknown_column": BlockCase("SELECT nope AS failed_rows FROM livepeer_analytics.samples", "ERROR", "nope", code=47),
    "timeout": BlockCase("SELECT sleepEachRow(0.5) AS failed_rows FROM numbers(20) SETTINGS max_block_size = 1",
                         "ERROR", "TIMEOUT_EXCEEDED", env={"CH_MAX_EXECUTION_TIME_SEC": "1"}, code=159),
    "no_rows": BlockCase("SELECT 0 AS failed_rows FROM livepeer_analytics.samples WHERE 0", "ERROR",
                         "Query returned no rows"),
    "no_failed_rows_column": BlockCase("SELECT 0 AS broken", "ERROR", "Missing required column: failed_rows"),
    "non_numeric_failed_rows": BlockCase("SELECT 'lots' AS failed_rows", "ERROR", "failed_rows is not numeric"),
    "null_failed_rows": BlockCase("SELECT CAST(NULL AS Nullable(UInt8)) AS failed_rows", "ERROR", "failed_rows is NULL"),
    "negative_failed_rows": BlockCase("SELECT -2 AS failed_rows", "FAIL", "failed_rows is negative"),
    "nan_failed_rows": BlockCase("SELECT nan AS failed_rows", "ERROR", "failed_rows is not numeric"),
    "uint64_max_failed_rows": BlockCase("SELECT toUInt64(18446744073709551615) AS failed_rows", "FAIL"),
}


@pytest.mark.parametrize("case", sorted(BLOCK_CASES))
def test_block_failure_is_isolated(case, warehouse, tmp_path):
    spec = BLOCK_CASES[case]
    pack = tmp_path / "p.sql"
    pack.write_text(f"-- TEST: broken\n{spec.sql}\n-- TEST: fine\nSELECT 0 AS failed_rows\n")
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(pack), *WINDOW,
                     "--artifacts", str(tmp_path), "--run-id", "r", "-q", env=spec.env)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr == ""
    snap = open_run(tmp_path / "runs" / "r")
    broken, fine = snap.find("p", "broken"), snap.find("p", "fine")
    assert broken.status == spec.status and fine.status == "PASS"
    assert spec.needle in (broken.error or "") + (broken.message or "")
    if spec.code is not None:
        assert broken.error_code == spec.code
    report = (tmp_path / "runs" / "r" / "report.html").read_text()
    assert "broken" in report


def test_too_many_rows_is_an_error_not_a_silent_truncation(warehouse, tmp_path):
    pack = tmp_path / "p.sql"
    pack.write_text("-- TEST: big\nSELECT toUInt64(count() != 1000000) AS failed_rows FROM numbers(1000000)\n")
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(pack), *WINDOW,
                     "--artifacts", str(tmp_path), "--run-id", "r", "-q",
                     env={"CH_MAX_ROWS_TO_READ": "100000"})
    assert proc.returncode == 1, proc.stderr
    block = open_run(tmp_path / "runs" / "r").find("p", "big")
    assert block.status == "ERROR" and block.error_name == "TOO_MANY_ROWS", block.error


def test_notebook_break_mode_truncates_when_asked(warehouse, tmp_path):
    """`CH_READ_OVERFLOW_MODE=break` (the notebook's setting) truncates reads at max_rows_to_read."""
    pack = tmp_path / "p.sql"
    pack.write_text("-- QUERY: big\nSELECT number FROM numbers(1000000)\n")
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(pack), *WINDOW,
                     "--artifacts", str(tmp_path), "--run-id", "r", "-q",
                     env={"CH_MAX_ROWS_TO_READ": "100000", "CH_READ_OVERFLOW_MODE": "break"})
    assert proc.returncode == 0, proc.stderr
    block = open_run(tmp_path / "runs" / "r").find("p", "big")
    assert block.status == "INFO" and 0 < block.row_count < 1_000_000
    bad = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(pack), *WINDOW,
                    "--artifacts", str(tmp_path), env={"CH_READ_OVERFLOW_MODE": "sometimes"})
    assert_one_line(bad, 2, "CH_READ_OVERFLOW_MODE='sometimes' must be one of throw, break")


def test_hundred_thousand_rows_snapshot_and_truncated_report(warehouse, tmp_path):
    pack = tmp_path / "p.sql"
    pack.write_text("-- QUERY: many\nSELECT number, concat('row-', toString(number)) AS label, [number] AS arr FROM numbers(100000)\n")
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(pack), *WINDOW,
                     "--artifacts", str(tmp_path), "--run-id", "r", "-q")
    assert proc.returncode == 0, proc.stderr
    snap = open_run(tmp_path / "runs" / "r")
    block = snap.find("p", "many")
    assert block.row_count == 100_000 and snap.table(block).num_rows == 100_000
    html = (snap.path / "report.html").read_text()
    assert len(html) < 6_000_000
    assert "row-99999" not in html  # the page stays bounded; the snapshot has every row


# ------------------------------------------------------------------------- targets (exit 3)

def test_unreachable_host(tmp_path):
    proc = reportgen("run", "--target", "http://no-such-host.invalid:8123/db", "--packs", str(_ok(tmp_path)),
                     *WINDOW, "--artifacts", str(tmp_path / "a"))
    assert_one_line(proc, 3, "no-such-host.invalid")
    no_folders(tmp_path / "a")


def test_refused_port(tmp_path):
    start = time.monotonic()
    proc = reportgen("run", "--target", "http://127.0.0.1:9/db", "--packs", str(_ok(tmp_path)),
                     *WINDOW, "--artifacts", str(tmp_path / "a"))
    assert_one_line(proc, 3, "refused")
    assert time.monotonic() - start < 20


def test_wrong_database(warehouse, tmp_path):
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(_ok(tmp_path)), *WINDOW,
                     "--artifacts", str(tmp_path / "a"), env={"CH_DATABASE": "no_such_db"})
    assert_one_line(proc, 3, "database 'no_such_db' does not exist")
    no_folders(tmp_path / "a")


def test_missing_chdb_directory(tmp_path):
    proc = reportgen("run", "--target", f"chdb://{tmp_path}/none", "--packs", str(_ok(tmp_path)),
                     *WINDOW, "--artifacts", str(tmp_path / "a"))
    assert_one_line(proc, 3, "does not exist")


def test_chdb_directory_locked_by_another_process(warehouse, tmp_path):
    holder = subprocess.Popen(
        [PYTHON, "-c", f"import clickhouse_connect, time, sys\n"
                       f"c = clickhouse_connect.get_client(dsn='chdb://{warehouse}')\n"
                       f"c.query('SELECT 1'); print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(_ok(tmp_path)),
                         *WINDOW, "--artifacts", str(tmp_path / "a"))
    finally:
        holder.kill()
        holder.wait()
    assert_one_line(proc, 3, "in use by another process")
    no_folders(tmp_path / "a")


def test_bad_dsn(tmp_path):
    proc = reportgen("run", "--target", "mysql://u:pw@h/db", "--packs", str(_ok(tmp_path)), *WINDOW)
    assert_one_line(proc, 2, "is not a DSN")
    assert "pw@" not in proc.stderr


# ------------------------------------------------------------------------ windows (exit 2)

@pytest.mark.parametrize("args, needle", [
    (["--from", "2026-02-25T12:00Z", "--to", "2026-02-25T12:00Z"], "is not before its end"),
    (["--from", "2026-02-26T12:00Z", "--to", "2026-02-25T12:00Z"], "is not before its end"),
    (["--from", "last tuesday", "--to", "2026-02-25T12:00Z"], "not an ISO-8601"),
    (["--lookback-hours", "-5"], "must be positive"),
])
def test_bad_window(args, needle, warehouse, tmp_path):
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(_ok(tmp_path)), *args,
                     "--artifacts", str(tmp_path / "a"))
    assert_one_line(proc, 2, needle)
    no_folders(tmp_path / "a")


def test_bad_manifest(warehouse, tmp_path):
    (tmp_path / "m.json").write_text("{oops")
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(_ok(tmp_path)),
                     "--manifest", str(tmp_path / "m.json"), "--artifacts", str(tmp_path / "a"))
    assert_one_line(proc, 2, "not readable JSON")


def test_window_in_the_future_runs_on_empty_data(warehouse, tmp_path):
    pack = tmp_path / "p.sql"
    pack.write_text("-- TEST: rows\nSELECT toUInt64(count() = 0) AS failed_rows FROM livepeer_analytics.samples "
                    "WHERE ts >= {from_ts:DateTime64(3)} AND ts < {to_ts:DateTime64(3)}\n")
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(pack), "--from",
                     "2099-01-01T00:00Z", "--to", "2099-01-02T00:00Z", "--artifacts", str(tmp_path),
                     "--run-id", "future", "-q")
    assert proc.returncode == 1
    snap = open_run(tmp_path / "runs" / "future")
    assert snap.find("p", "rows").status == "FAIL"
    assert snap.manifest["window"]["from_ts"] == "2099-01-01T00:00:00.000Z"


@pytest.mark.parametrize("args, needle", [
    (["--concurrency", "0"], "--concurrency must be at least 1"),
    (["--limit-per-scenario", "0"], "--limit-per-scenario must be at least 1"),
    (["--run-id", "../escape"], "run id '../escape' is invalid"),
])
def test_bad_options(args, needle, warehouse, tmp_path):
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(_ok(tmp_path)), *WINDOW,
                     *args, "--artifacts", str(tmp_path / "a"))
    assert_one_line(proc, 2, needle)


# -------------------------------------------------------------- run folders for render (exit 2)

@pytest.fixture(scope="module")
def good_run(warehouse, tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("good")
    (base / "packs").mkdir()
    (base / "packs" / "p.sql").write_text("-- TEST: fine\nSELECT 0 AS failed_rows, 1 AS n\n")
    (base / "packs" / "q.sql").write_text("-- QUERY: q\nSELECT 1 AS x\n")
    proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(base / "packs"), *WINDOW,
                     "--artifacts", str(base), "--run-id", "good", "-q")
    assert proc.returncode == 0, proc.stderr
    return base / "runs" / "good"


def _damaged(good_run: Path, tmp_path: Path, how: str) -> Path:
    folder = tmp_path / "runs" / "damaged"
    shutil.copytree(good_run, folder)
    manifest = folder / "manifest.json"
    if how == "truncated_duckdb":
        data = (folder / "snapshot.duckdb").read_bytes()
        (folder / "snapshot.duckdb").write_bytes(data[: len(data) // 3])
    elif how == "missing_duckdb":
        (folder / "snapshot.duckdb").unlink()
    elif how == "missing_parquet":
        next((folder / "parquet").iterdir()).unlink()
    elif how == "missing_manifest":
        manifest.unlink()
    elif how == "corrupt_manifest":
        manifest.write_text('{"tool": "reportgen", "format_')
    elif how == "newer_format":
        data = json.loads(manifest.read_text())
        data["format_version"] = 99
        manifest.write_text(json.dumps(data))
    elif how == "foreign_manifest":
        manifest.write_text(json.dumps({"generated_at": "x", "window": {}}))
    elif how == "not_a_run":
        shutil.rmtree(folder)
        folder.mkdir()
        (folder / "notes.txt").write_text("hello")
    return folder


@pytest.mark.parametrize("how, needle", [
    ("truncated_duckdb", "snapshot.duckdb is corrupt"),
    ("missing_duckdb", "snapshot.duckdb is missing"),
    ("missing_parquet", "parquet result file(s) missing"),
    ("missing_manifest", "not a complete reportgen run"),
    ("corrupt_manifest", "is corrupt"),
    ("newer_format", "newer reportgen (format 99"),
    ("foreign_manifest", "not a reportgen run folder"),
    ("not_a_run", "not a complete reportgen run"),
])
def test_render_refuses_damaged_folders(how, needle, good_run, tmp_path):
    folder = _damaged(good_run, tmp_path, how)
    before = sorted(p.name for p in folder.iterdir())
    proc = reportgen("render", str(folder))
    assert_one_line(proc, 2, needle)
    assert sorted(p.name for p in folder.iterdir()) == before  # render changed nothing


def test_render_unknown_run_id(tmp_path):
    proc = reportgen("render", "20990101T000000Z", "--artifacts", str(tmp_path))
    assert_one_line(proc, 2, "not found")


def test_runs_lists_unusable_folders(good_run, tmp_path):
    _damaged(good_run, tmp_path, "newer_format")
    shutil.copytree(good_run, tmp_path / "runs" / "good")
    proc = reportgen("runs", "--artifacts", str(tmp_path))
    assert proc.returncode == 0
    assert "damaged" in proc.stdout and "UNUSABLE" in proc.stdout and "good" in proc.stdout


# ---------------------------------------------------------- disk full, concurrency, interrupts

def test_disk_full_leaves_no_folder(warehouse, tmp_path):
    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    pack = tmp_path / "p.sql"
    pack.write_text("-- QUERY: q\nSELECT number, toString(number) AS s FROM numbers(50000)\n")
    artifacts = tmp_path / "a"
    proc = subprocess.run([PYTHON, "-m", "reportgen", "run", "--target", f"chdb://{warehouse}",
                           "--packs", str(pack), *WINDOW, "--artifacts", str(artifacts), "-q"],
                          capture_output=True, text=True, preexec_fn=limit_file_size)
    assert_one_line(proc, 2, "no space left on device")
    no_folders(artifacts)


def test_two_runs_at_once_on_one_chdb_directory(warehouse, tmp_path):
    pack = tmp_path / "p.sql"
    pack.write_text("-- QUERY: slowish\nSELECT sleepEachRow(0.5) FROM numbers(8) SETTINGS max_block_size = 1\n")
    args = [PYTHON, "-m", "reportgen", "run", "--target", f"chdb://{warehouse}", "--packs", str(pack),
            *WINDOW, "--artifacts", str(tmp_path), "-q"]
    first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)
    second = subprocess.run(args, capture_output=True, text=True)
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert_one_line(second, 3, "in use by another process")
    assert len(complete_runs(tmp_path)) == 1


def test_same_run_id_twice_gets_a_suffix(warehouse, tmp_path):
    for _ in range(2):
        proc = reportgen("run", "--target", f"chdb://{warehouse}", "--packs", str(_ok(tmp_path)), *WINDOW,
                         "--artifacts", str(tmp_path), "--run-id", "same", "-q")
        assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in complete_runs(tmp_path)) == ["same", "same-2"]
    assert open_run(tmp_path / "runs" / "same-2").run_id == "same-2"


def test_interrupt_leaves_no_folder(warehouse, tmp_path):
    pack = tmp_path / "p.sql"
    pack.write_text("-- QUERY: slow\nSELECT sleepEachRow(0.5) FROM numbers(100) SETTINGS max_block_size = 1\n")
    proc = subprocess.Popen([PYTHON, "-m", "reportgen", "run", "--target", f"chdb://{warehouse}",
                             "--packs", str(pack), *WINDOW, "--artifacts", str(tmp_path / "a"), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "CH_MAX_EXECUTION_TIME_SEC": "300"})
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    start = time.monotonic()
    _, err = proc.communicate(timeout=120)
    assert time.monotonic() - start < 15  # does not wait for the 50 s query to finish
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    no_folders(tmp_path / "a")


def _ok(tmp_path: Path) -> Path:
    pack = tmp_path / "ok.sql"
    pack.write_text(OK_PACK)
    return pack


# ------------------------------------------------------------- fixtures and the embedded demo

@pytest.mark.parametrize("how, needle", [
    ("missing", "fixture folder not found"),
    ("bad_manifest", "is unreadable"),
    ("missing_session_file", "fixture session file missing"),
])
def test_demo_build_bad_fixture(how, needle, tmp_path):
    fixture = tmp_path / "fx"
    if how != "missing":
        fixture.mkdir()
        manifest = {"window": {"from_ts": "2026-02-25T00:00:00Z", "to_ts": "2026-02-26T00:00:00Z"},
                    "scenarios": {"s": {"candidate_count": 1, "sessions": [
                        {"workflow_session_id": "a|b", "file": "s/a_b.jsonl"}]}}}
        (fixture / "manifest.json").write_text("{oops" if how == "bad_manifest" else json.dumps(manifest))
    proc = reportgen("demo", "build", "--fixture", str(fixture), "--out", str(tmp_path / "wh"))
    assert_one_line(proc, 2, needle)


def test_second_embedded_run_waits_for_nobody(tmp_path):
    """Two runs on the embedded demo warehouse at once: the second gets a clear message."""
    args = [PYTHON, "-m", "reportgen", "run", "--artifacts", str(tmp_path), "-q"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CH_")}
    first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lock = tmp_path / "demo-warehouse" / "lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text().strip()):
        time.sleep(0.05)
    second = subprocess.run(args, capture_output=True, text=True, env=env)
    first.communicate(timeout=600)
    assert first.returncode in (0, 1)
    assert_one_line(second, 3, "in use by another reportgen process")
    assert len(complete_runs(tmp_path)) == 1
