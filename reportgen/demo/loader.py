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
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from reportgen.errors import FixtureError  # one error type for fixture problems (exit code 2)

DATABASE = "livepeer_analytics"
BATCH_BYTES = 64 * 1024 * 1024


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
    seen: set[str] = set()
    duplicates = 0
    base = os.path.abspath(manifest_path.parent)
    for scenario, entry in manifest["scenarios"].items():
        if not isinstance(entry, dict):
            raise FixtureError(f"fixture manifest {manifest_path}: scenario {scenario!r} is not an object")
        for session in entry.get("sessions") or []:
            rel = session.get("file") if isinstance(session, dict) else None
            if not rel:
                raise FixtureError(f"fixture manifest {manifest_path}: a session of {scenario!r} has no 'file'")
            path = os.path.normpath(os.path.join(base, rel))
            if path in seen:  # the harness drops duplicate file references before replay
                duplicates += 1
                continue
            if not os.path.isfile(path):
                raise FixtureError(f"fixture session file missing: {path} (scenario {scenario})")
            seen.add(path)
            sessions.append(FixtureSession(scenario, str(session.get("workflow_session_id", "")), Path(path)))
    return Fixture(root, manifest_path, manifest, sessions, duplicates)


_FILE_SCHEMA = pa.schema([("file_seq", pa.uint32()), ("file", pa.string()), ("content", pa.binary())])


def _iso_to_ms(value: object) -> int | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
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

    Python only stages the session files' bytes (in replay order); ClickHouse splits them into
    lines, parses and routes them (``sql/warehouse/replay/*.sql``).
    """
    from reportgen.demo.pipeline import PIPELINE_SETTINGS, STAGE_DATABASE

    fixture = read_fixture(fixture_dir)
    window = fixture.window
    fallback_ms = (_iso_to_ms(window[0]) if window else None) or 0
    report = LoadReport()
    client.command(f"CREATE DATABASE IF NOT EXISTS {STAGE_DATABASE}")
    client.command(f"DROP TABLE IF EXISTS {STAGE_DATABASE}.fixture_files")
    client.command(
        f"CREATE TABLE {STAGE_DATABASE}.fixture_files (file_seq UInt32, file String, content String) "
        "ENGINE = MergeTree ORDER BY file_seq"
    )
    root = os.path.abspath(fixture.root)
    batch: dict[str, list] = {"file_seq": [], "file": [], "content": []}
    batch_bytes = 0

    def flush() -> None:
        nonlocal batch_bytes
        if batch["file_seq"]:
            client.insert_arrow(f"{STAGE_DATABASE}.fixture_files", pa.table(batch, schema=_FILE_SCHEMA))
            for values in batch.values():
                values.clear()
            batch_bytes = 0

    for file_seq, session in enumerate(fixture.sessions, start=1):
        try:
            content = session.path.read_bytes()
        except OSError as exc:
            raise FixtureError(f"cannot read fixture session file {session.path}: {exc}") from exc
        batch["file_seq"].append(file_seq)
        batch["file"].append(os.path.relpath(session.path, root))
        batch["content"].append(content)
        batch_bytes += len(content)
        if batch_bytes >= BATCH_BYTES:
            flush()
    flush()
    report.files = len(fixture.sessions)
    for sql in route_sql(fallback_ms):
        client.command(sql, settings=PIPELINE_SETTINGS)
    db = "livepeer_analytics"
    report.lines = int(client.command(f"SELECT count() FROM {STAGE_DATABASE}.fixture_lines"))
    all_lines = int(client.command(
        f"SELECT sum(if(content = '', 0, length(splitByChar('\\n', content)) - endsWith(content, '\\n'))) "
        f"FROM {STAGE_DATABASE}.fixture_files"))
    report.blank_lines = all_lines - report.lines
    client.command(f"DROP TABLE IF EXISTS {STAGE_DATABASE}.fixture_lines")
    client.command(f"DROP TABLE IF EXISTS {STAGE_DATABASE}.fixture_files")
    report.raw_rows = int(client.command(f"SELECT count() FROM {db}.streaming_events"))
    report.dlq_rows = int(client.command(f"SELECT count() FROM {db}.streaming_events_dlq"))
    report.quarantine_rows = int(client.command(f"SELECT count() FROM {db}.streaming_events_quarantine"))
    report.by_type = {str(t): int(n) for t, n in client.query(
        f"SELECT type, count() FROM {db}.streaming_events GROUP BY type ORDER BY type").result_rows}
    return report
