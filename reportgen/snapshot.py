"""The run folder: `artifacts/runs/<run_id>/` — manifest.json, snapshot.duckdb, parquet/.

A run folder is written under a temporary name (`.incomplete-<run_id>-<pid>`) and renamed into
place when complete, so a folder that `open_run` accepts always holds a whole run. Render and diff
read only what is here.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from reportgen.collect import BlockResult, CollectResult
from reportgen.errors import RunFolderError
from reportgen.verdicts import Verdict, dumps, jsonable, judge

FORMAT_VERSION = 1
TOOL = "reportgen"
MANIFEST = "manifest.json"
DUCKDB_FILE = "snapshot.duckdb"
PARQUET_DIR = "parquet"
INCOMPLETE_PREFIX = ".incomplete-"
DUCKDB_BLOCK_SIZE = 16384
RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")

BLOCK_COLUMNS = {
    "seq": "INTEGER", "phase": "INTEGER", "suite": "VARCHAR", "kind": "VARCHAR", "name": "VARCHAR",
    "block_id": "VARCHAR", "sid": "VARCHAR", "pack_path": "VARCHAR", "line": "INTEGER",
    "sql": "VARCHAR", "status": "VARCHAR", "failed_rows": "HUGEINT", "advisory": "VARCHAR",
    "message": "VARCHAR", "error": "VARCHAR", "error_code": "INTEGER", "error_name": "VARCHAR",
    "row_count": "BIGINT", "duration_s": "DOUBLE", "started_at": "VARCHAR",
    "result_table": "VARCHAR", "columns_json": "VARCHAR", "diagnostics_json": "VARCHAR",
}


def runs_dir(artifacts: str | Path) -> Path:
    return Path(artifacts) / "runs"


def new_run_id(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def check_run_id(run_id: str) -> str:
    if not RUN_ID_PATTERN.match(run_id):
        raise RunFolderError(
            f"run id {run_id!r} is invalid; use letters, digits, '.', '_' and '-' (max 100)"
        )
    return run_id


def unique_run_id(artifacts: str | Path, run_id: str) -> str:
    base, n = run_id, 1
    while (runs_dir(artifacts) / run_id).exists():
        n += 1
        run_id = f"{base}-{n}"
    return run_id


def first_row(table: pa.Table | None) -> dict[str, Any] | None:
    if table is None or table.num_rows == 0:
        return None
    return {name: table.column(name)[0].as_py() for name in table.column_names}


def verdict_for(result: BlockResult) -> Verdict:
    table = result.table
    return judge(
        result.block.kind,
        result.error,
        first_row(table),
        bool(table is not None and table.num_rows),
        table.column_names if table is not None else [],
    )


# ----------------------------------------------------------------------------------- writing


def _duckdb_can_hold(kind: pa.DataType) -> bool:
    if pa.types.is_decimal(kind):
        return kind.precision <= 38
    if pa.types.is_union(kind) or pa.types.is_dictionary(kind):
        return False
    return all(_duckdb_can_hold(kind.field(i).type) for i in range(kind.num_fields))


def _duckdb_safe(table: pa.Table) -> pa.Table:
    """Cast the few Arrow types DuckDB cannot ingest (Decimal256, unions) to text.

    The Parquet copy keeps the exact type; DuckDB gets the text rendering.
    """
    if all(_duckdb_can_hold(f.type) for f in table.schema):
        return table
    columns = [c if _duckdb_can_hold(c.type) else _stringify(c) for c in table.columns]
    return pa.Table.from_arrays(columns, names=table.column_names)


def _store_table(con: Any, name: str, table: pa.Table) -> None:
    con.register("incoming", table)
    try:
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
    finally:
        con.unregister("incoming")


def _stringify(column: pa.ChunkedArray) -> pa.ChunkedArray:
    try:
        return column.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = [None if v is None else dumps(v) for v in column.to_pylist()]
        return pa.chunked_array([pa.array(values, pa.string())])


def _block_rows(collected: CollectResult) -> tuple[list[tuple[Any, ...]], dict[str, pa.Table]]:
    rows, tables = [], {}
    for seq, result in enumerate(collected.results, start=1):
        verdict = verdict_for(result)
        name = f"r_{seq:05d}"
        if result.table is not None:
            tables[name] = result.table
        block = result.block
        rows.append((
            seq, result.phase, block.suite, block.kind, block.name, block.block_id, result.sid,
            block.path, block.line, block.sql, verdict.status, verdict.failed_rows, verdict.advisory,
            verdict.message, result.error, result.error_code, result.error_name, result.row_count,
            round(result.duration_s, 6), result.started_at,
            name if result.table is not None else None,
            json.dumps(result.columns), dumps(verdict.diagnostics),
        ))
    return rows, tables


def _write_parquet(folder: Path, tables: dict[str, pa.Table]) -> None:
    parquet = folder / PARQUET_DIR
    parquet.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        pq.write_table(table, parquet / f"{name}.parquet")


def _write_duckdb(folder: Path, rows: list[tuple[Any, ...]], tables: dict[str, pa.Table],
                  sessions: list[tuple[str, str, int]]) -> None:
    import duckdb

    # Small blocks: a run holds hundreds of small result tables; the default 256 KiB block
    # per table would make the file 10-20x larger than its data.
    con = duckdb.connect()
    try:
        quoted = str(folder / DUCKDB_FILE).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS snapshot (BLOCK_SIZE {DUCKDB_BLOCK_SIZE})")
        con.execute("USE snapshot")
        con.execute("BEGIN TRANSACTION")  # one commit for hundreds of tables: ~2x faster
        columns = ", ".join(f'"{c}" {t}' for c, t in BLOCK_COLUMNS.items())
        con.execute(f"CREATE TABLE blocks ({columns})")
        marks = ", ".join("?" for _ in BLOCK_COLUMNS)
        con.executemany(f"INSERT INTO blocks VALUES ({marks})", rows)
        con.execute(
            "CREATE TABLE sessions (workflow_session_id VARCHAR, scenario VARCHAR, rank INTEGER)"
        )
        if sessions:
            con.executemany("INSERT INTO sessions VALUES (?, ?, ?)", sessions)
        for name, table in tables.items():
            _store_table(con, name, _duckdb_safe(table))
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def write_snapshot(folder: Path, collected: CollectResult) -> None:
    """Write parquet/ and snapshot.duckdb for `collected` into `folder`."""
    rows, tables = _block_rows(collected)
    _write_parquet(folder, tables)
    _write_duckdb(folder, rows, tables, _session_rows(collected))


def _session_rows(collected: CollectResult) -> list[tuple[str, str, int]]:
    return [(s.workflow_session_id, s.scenario, s.rank) for s in collected.sessions]


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    data = {"tool": TOOL, "format_version": FORMAT_VERSION, **manifest}
    tmp = folder / (MANIFEST + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(jsonable(data), handle, indent=2, sort_keys=True, ensure_ascii=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / MANIFEST)


def write_run(
    artifacts: str | Path,
    run_id: str,
    manifest: dict[str, Any],
    collected: CollectResult,
    finish: Callable[[Path, RunSnapshot], dict[str, Any]] | None = None,
) -> Path:
    """Write a complete run folder atomically and return its final path.

    `finish(tmp_folder, snapshot)` renders the report and CI outputs from the snapshot (blocks
    as they are stored, results read back from parquet/) while snapshot.duckdb is written in
    the background; it returns manifest fields to add (timings, exit status).
    """
    root = runs_dir(artifacts)
    tmp = root / f"{INCOMPLETE_PREFIX}{run_id}-{os.getpid()}"
    duck: threading.Thread | None = None
    duck_error: list[BaseException] = []
    try:
        root.mkdir(parents=True, exist_ok=True)
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
        final_id = unique_run_id(artifacts, run_id)
        rows, tables = _block_rows(collected)
        sessions = _session_rows(collected)
        _write_parquet(tmp, tables)

        def write_duck() -> None:
            try:
                _write_duckdb(tmp, rows, tables, sessions)
            except BaseException as exc:  # re-raised in the writing thread below
                duck_error.append(exc)

        duck = threading.Thread(target=write_duck, name="snapshot-duckdb")
        duck.start()
        manifest = {**manifest, "run_id": final_id}
        write_manifest(tmp, manifest)
        if finish is not None:
            snap = RunSnapshot(tmp, manifest, [_record(row) for row in rows],
                               [SessionRecord(*row) for row in sessions])
            manifest.update(finish(tmp, snap))
            write_manifest(tmp, manifest)
        duck.join()
        if duck_error:
            raise duck_error[0]
        final = root / final_id
        if final.exists():  # another run took the name meanwhile
            final = root / unique_run_id(artifacts, final_id)
            manifest["run_id"] = final.name
            write_manifest(tmp, manifest)
        os.rename(tmp, final)
        return final
    except Exception as exc:
        _cleanup(tmp, duck)
        reason = _write_failure(exc)
        if reason is None:
            raise
        raise RunFolderError(f"cannot write run folder under {root}: {reason}") from None
    except BaseException:
        _cleanup(tmp, duck)
        raise


def _cleanup(tmp: Path, duck: threading.Thread | None) -> None:
    if duck is not None and duck.is_alive():
        duck.join()
    shutil.rmtree(tmp, ignore_errors=True)


def _write_failure(exc: Exception) -> str | None:
    """A one-line reason when `exc` is a storage failure (disk full, file too large, I/O)."""
    import duckdb

    text = " ".join(str(exc).split())
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return "no space left on device (or file size limit reached)"
    if "No space left" in text or "File too large" in text or "Disk quota" in text:
        return "no space left on device (or file size limit reached)"
    if isinstance(exc, OSError):
        return exc.strerror or text
    if isinstance(exc, (duckdb.Error, pa.ArrowException)):
        return text[:200]
    return None


# ----------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class BlockRecord:
    seq: int
    phase: int
    suite: str
    kind: str
    name: str
    block_id: str
    sid: str | None
    pack_path: str
    line: int
    sql: str
    status: str
    failed_rows: int | None
    advisory: str | None
    message: str | None
    error: str | None
    error_code: int | None
    error_name: str | None
    row_count: int
    duration_s: float
    started_at: str
    result_table: str | None
    columns: list[tuple[str, str]] = field(default_factory=list)
    diagnostics: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionRecord:
    workflow_session_id: str
    scenario: str
    rank: int


class RunSnapshot:
    """A complete run folder, validated on open. Everything render and diff need."""

    def __init__(self, path: Path, manifest: dict[str, Any], blocks: list[BlockRecord],
                 sessions: list[SessionRecord]):
        self.path = path
        self.manifest = manifest
        self.blocks = blocks
        self.sessions = sessions
        self._tables: dict[str, pa.Table] = {}

    @property
    def run_id(self) -> str:
        return str(self.manifest.get("run_id", self.path.name))

    @cached_property
    def by_id(self) -> dict[tuple[str, str, str | None], BlockRecord]:
        return {(b.suite, b.name, b.sid): b for b in self.blocks}

    def find(self, suite: str, name: str, sid: str | None = None) -> BlockRecord | None:
        return self.by_id.get((suite, name, sid))

    def suite_blocks(self, suite: str, phase: int | None = 1) -> list[BlockRecord]:
        return [b for b in self.blocks if b.suite == suite and (phase is None or b.phase == phase)]

    def suites(self, kind: str | None = None) -> list[str]:
        seen: list[str] = []
        for block in self.blocks:
            if block.phase == 1 and (kind is None or block.kind == kind) and block.suite not in seen:
                seen.append(block.suite)
        return seen

    def table(self, block: BlockRecord | str) -> pa.Table | None:
        name = block if isinstance(block, str) else block.result_table
        if name is None:
            return None
        if name not in self._tables:
            try:
                self._tables[name] = pq.read_table(self.path / PARQUET_DIR / f"{name}.parquet")
            except (OSError, pa.ArrowInvalid) as exc:
                raise RunFolderError(f"{self.path}: result {name} is unreadable ({exc})") from None
        return self._tables[name]

    def df(self, block: BlockRecord | str | None) -> Any:
        """The result as a pandas DataFrame (empty frame with columns for empty results)."""
        import pandas as pd

        if block is None:
            return pd.DataFrame()
        table = self.table(block)
        if table is None:
            return pd.DataFrame()
        return table.to_pandas(types_mapper=None, date_as_object=True)


def _record(row: tuple[Any, ...]) -> BlockRecord:
    """A `blocks` table row as a BlockRecord (the same conversion for disk and memory)."""
    values = dict(zip(BLOCK_COLUMNS, row, strict=True))
    columns = [tuple(c) for c in json.loads(values.pop("columns_json") or "[]")]
    diagnostics = json.loads(values.pop("diagnostics_json") or "{}")
    return BlockRecord(**values, columns=columns, diagnostics=diagnostics)


def resolve_run_path(run: str | Path, artifacts: str | Path) -> Path:
    path = Path(run)
    if path.is_dir():
        return path
    candidate = runs_dir(artifacts) / str(run)
    if candidate.is_dir():
        return candidate
    raise RunFolderError(f"run {str(run)!r} not found (neither a folder nor a run id under {runs_dir(artifacts)})")


def read_manifest(path: Path) -> dict[str, Any]:
    if path.name.startswith(INCOMPLETE_PREFIX):
        raise RunFolderError(f"{path} is an incomplete run (it was interrupted while being written)")
    file = path / MANIFEST
    if not file.exists():
        raise RunFolderError(f"{path} is not a complete reportgen run (no {MANIFEST})")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise RunFolderError(f"{path}/{MANIFEST} is corrupt (not readable JSON)") from None
    if not isinstance(data, dict) or data.get("tool") != TOOL:
        raise RunFolderError(f"{path} is not a reportgen run folder (foreign {MANIFEST})")
    version = data.get("format_version")
    if not isinstance(version, int):
        raise RunFolderError(f"{path}/{MANIFEST} has no format_version")
    if version > FORMAT_VERSION:
        raise RunFolderError(
            f"{path} was written by a newer reportgen (format {version}; this one reads up to "
            f"{FORMAT_VERSION}); upgrade reportgen"
        )
    return data


def open_run(run: str | Path, artifacts: str | Path = "artifacts") -> RunSnapshot:
    import duckdb

    path = resolve_run_path(run, artifacts)
    manifest = read_manifest(path)
    db = path / DUCKDB_FILE
    if not db.exists():
        raise RunFolderError(f"{path} is incomplete: {DUCKDB_FILE} is missing")
    try:
        con = duckdb.connect(str(db), read_only=True)
        try:
            cursor = con.execute(f"SELECT {', '.join(BLOCK_COLUMNS)} FROM blocks ORDER BY seq")
            raw_blocks = cursor.fetchall()
            raw_sessions = con.execute(
                "SELECT workflow_session_id, scenario, rank FROM sessions ORDER BY rowid"
            ).fetchall()
        finally:
            con.close()
    except Exception as exc:
        raise RunFolderError(f"{path}/{DUCKDB_FILE} is corrupt ({' '.join(str(exc).split())[:160]})") from None
    blocks = [_record(row) for row in raw_blocks]
    missing = [b.result_table for b in blocks
               if b.result_table and not (path / PARQUET_DIR / f"{b.result_table}.parquet").exists()]
    if missing:
        raise RunFolderError(f"{path} is incomplete: {len(missing)} parquet result file(s) missing, e.g. {missing[0]}")
    sessions = [SessionRecord(*row) for row in raw_sessions]
    return RunSnapshot(path, manifest, blocks, sessions)


def list_runs(artifacts: str | Path) -> list[tuple[Path, dict[str, Any] | None, str | None]]:
    """Every folder under runs/, newest first, with its manifest or the reason it is unusable."""
    root = runs_dir(artifacts)
    if not root.is_dir():
        return []
    out: list[tuple[Path, dict[str, Any] | None, str | None]] = []
    for folder in sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True):
        try:
            out.append((folder, read_manifest(folder), None))
        except RunFolderError as exc:
            out.append((folder, None, str(exc)))
    return out


def complete_runs(artifacts: str | Path) -> Iterable[Path]:
    return [folder for folder, manifest, _ in list_runs(artifacts) if manifest is not None]
