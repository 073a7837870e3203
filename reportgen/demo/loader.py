"""Replay a harness-format fixture folder into the raw tables of the demo warehouse.

Fixture format (spec/events.md d.1-d.3): ``manifest.json`` whose ``scenarios.<name>.sessions[].file``
point (relative to the manifest's folder) at JSONL files of raw Kafka envelopes
``{id, type, timestamp, gateway, data}`` (plus ``__``-prefixed harness fields).

Like the user's stack, every well-formed envelope lands in the raw archive ``streaming_events``
(the Kafka Connect sink writes what it receives); the quality gate then routes
(``sql/warehouse/replay/10_route.sql``, run by ClickHouse on the staged lines):

- lines that are not a JSON object, or envelopes without a usable ``id``/``type``/``timestamp``/
  ``data`` → ``streaming_events_dlq`` only (they never reach the raw table);
- a repeated event id → ``streaming_events_quarantine`` (and the raw archive, as delivered);
- payload-level rejects (``data`` not JSON, unsupported type) are routed by the reference
  pipeline's SQL quality gate (``sql/warehouse/pipeline/00_quality_gate.sql``).

Nothing is dropped silently: ``LoadReport`` counts every line.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa

DATABASE = "livepeer_analytics"
BATCH_ROWS = 50_000


class FixtureError(RuntimeError):
    """The fixture folder cannot be loaded (missing/unreadable manifest, missing session file)."""


@dataclass(frozen=True)
class FixtureSession:
    scenario: str
    workflow_session_id: str
    path: Path


@dataclass(frozen=True)
class Fixture:
    root: Path
    manifest_path: Path
    manifest: dict
    sessions: list[FixtureSession]
    duplicate_file_references: int

    @property
    def window(self) -> tuple[str, str] | None:
        win = self.manifest.get("window") or {}
        if win.get("from_ts") and win.get("to_ts"):
            return str(win["from_ts"]), str(win["to_ts"])
        return None


@dataclass
class LoadReport:
    files: int = 0
    lines: int = 0
    raw_rows: int = 0
    dlq_rows: int = 0
    quarantine_rows: int = 0
    blank_lines: int = 0
    by_type: dict[str, int] = field(default_factory=dict)


def read_fixture(fixture_dir: str | Path) -> Fixture:
    """Parse and validate ``manifest.json``; every referenced session file must exist."""
    root = Path(fixture_dir)
    if not root.is_dir():
        raise FixtureError(f"fixture folder not found: {root}")
    manifest_path = root / "manifest.json"
    if not manifest_path.is_file():
        raise FixtureError(f"fixture manifest not found: {manifest_path}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FixtureError(f"fixture manifest {manifest_path} is unreadable: {exc}") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("scenarios"), dict):
        raise FixtureError(f"fixture manifest {manifest_path} has no 'scenarios' object")
    sessions: list[FixtureSession] = []
    seen: set[Path] = set()
    duplicates = 0
    for scenario, entry in manifest["scenarios"].items():
        if not isinstance(entry, dict):
            raise FixtureError(f"fixture manifest {manifest_path}: scenario {scenario!r} is not an object")
        for session in entry.get("sessions") or []:
            rel = session.get("file") if isinstance(session, dict) else None
            if not rel:
                raise FixtureError(f"fixture manifest {manifest_path}: a session of {scenario!r} has no 'file'")
            path = (manifest_path.parent / rel).resolve()
            if not path.is_file():
                raise FixtureError(f"fixture session file missing: {path} (scenario {scenario})")
            if path in seen:  # the harness drops duplicate file references before replay
                duplicates += 1
                continue
            seen.add(path)
            sessions.append(FixtureSession(scenario, str(session.get("workflow_session_id", "")), path))
    return Fixture(root, manifest_path, manifest, sessions, duplicates)


_LINE_SCHEMA = pa.schema([("seq", pa.uint64()), ("file", pa.string()), ("line_no", pa.uint32()),
                          ("line", pa.string())])


def _iso_to_ms(value: object) -> int | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(dt.timestamp() * 1000)


def route_sql(fallback_ms: int) -> list[str]:
    """The replay routing statements (sql/warehouse/replay/*.sql) with the fallback record time bound."""
    from reportgen.demo.schema import split_statements
    from reportgen.resources import warehouse_sql_dir

    statements: list[str] = []
    for path in sorted((warehouse_sql_dir() / "replay").glob("[0-9][0-9]_*.sql")):
        text = path.read_text(encoding="utf-8").replace("{fallback_ms}", str(int(fallback_ms)))
        statements.extend(split_statements(text))
    return statements


def load_fixture(client, fixture_dir: str | Path) -> LoadReport:
    """Replay every session file of the fixture into streaming_events / DLQ / quarantine.

    Python only splits files into lines (in replay order); ClickHouse parses and routes them.
    """
    from reportgen.demo.pipeline import PIPELINE_SETTINGS, STAGE_DATABASE

    fixture = read_fixture(fixture_dir)
    window = fixture.window
    fallback_ms = (_iso_to_ms(window[0]) if window else None) or 0
    report = LoadReport()
    client.command(f"CREATE DATABASE IF NOT EXISTS {STAGE_DATABASE}")
    client.command(f"DROP TABLE IF EXISTS {STAGE_DATABASE}.fixture_lines")
    client.command(
        f"CREATE TABLE {STAGE_DATABASE}.fixture_lines (seq UInt64, file String, line_no UInt32, line String) "
        "ENGINE = MergeTree ORDER BY seq"
    )
    root = fixture.root.resolve()
    cols: dict[str, list] = {"seq": [], "file": [], "line_no": [], "line": []}
    seq = 0

    def flush(force: bool = False) -> None:
        if cols["seq"] and (force or len(cols["seq"]) >= BATCH_ROWS):
            client.insert_arrow(f"{STAGE_DATABASE}.fixture_lines", pa.table(cols, schema=_LINE_SCHEMA))
            for values in cols.values():
                values.clear()

    for session in fixture.sessions:
        report.files += 1
        rel_name = os.path.relpath(session.path, root)
        try:
            text = session.path.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            raise FixtureError(f"cannot read fixture session file {session.path}: {exc}") from exc
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                report.blank_lines += 1
                continue
            seq += 1
            cols["seq"].append(seq)
            cols["file"].append(rel_name)
            cols["line_no"].append(line_no)
            cols["line"].append(line)
        flush()
    flush(force=True)
    report.lines = seq
    for sql in route_sql(fallback_ms):
        client.command(sql, settings=PIPELINE_SETTINGS)
    db = "livepeer_analytics"
    report.raw_rows = int(client.command(f"SELECT count() FROM {db}.streaming_events"))
    report.dlq_rows = int(client.command(f"SELECT count() FROM {db}.streaming_events_dlq"))
    report.quarantine_rows = int(client.command(f"SELECT count() FROM {db}.streaming_events_quarantine"))
    report.by_type = {str(t): int(n) for t, n in client.query(
        f"SELECT type, count() FROM {db}.streaming_events GROUP BY type ORDER BY type").result_rows}
    return report
