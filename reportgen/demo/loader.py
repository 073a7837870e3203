"""Replay a harness-format fixture folder into the raw tables of the demo warehouse.

Fixture format (spec/events.md d.1-d.3): ``manifest.json`` whose ``scenarios.<name>.sessions[].file``
point (relative to the manifest's folder) at JSONL files of raw Kafka envelopes
``{id, type, timestamp, gateway, data}`` (plus ``__``-prefixed harness fields).

Like the user's stack, every well-formed envelope lands in the raw archive ``streaming_events``
(the Kafka Connect sink writes what it receives); the quality gate then routes:

- lines that are not a JSON object, or envelopes without a usable ``id``/``type``/``timestamp``
  → ``streaming_events_dlq`` only (they never reach the raw table);
- a repeated event id → ``streaming_events_quarantine`` (and the raw archive, as delivered);
- payload-level rejects (``data`` not JSON, unsupported type) are routed by the reference
  pipeline's SQL quality gate (``sql/warehouse/pipeline/00_quality_gate.sql``).

Nothing is dropped silently: ``LoadReport`` counts every line.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa

DATABASE = "livepeer_analytics"
SOURCE_TOPIC = "streaming_events"
SCHEMA_VERSION = "1"
BATCH_ROWS = 50_000
MAX_PAYLOAD_BODY = 1_000_000  # the user's pre-sink row-size guard (CLICKHOUSE_SINK_MAX_RECORD_BYTES)

_ID_RE = re.compile(r'"id"\s*:\s*"([^"]*)"')
_TYPE_RE = re.compile(r'"type"\s*:\s*"([^"]*)"')


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


class _Batch:
    def __init__(self, columns: dict[str, pa.DataType]):
        self.types = columns
        self.cols: dict[str, list] = {name: [] for name in columns}

    def __len__(self) -> int:
        return len(next(iter(self.cols.values())))

    def add(self, **values) -> None:
        for name in self.cols:
            self.cols[name].append(values[name])

    def table(self) -> pa.Table:
        return pa.table({n: pa.array(v, type=self.types[n]) for n, v in self.cols.items()})

    def clear(self) -> None:
        for values in self.cols.values():
            values.clear()


_RAW_COLUMNS = {"id": pa.string(), "type": pa.string(), "timestamp": pa.uint64(),
                "gateway": pa.string(), "data": pa.string()}
_TS = pa.timestamp("ms", tz="UTC")
_REJECT_COLUMNS = {
    "schema_version": pa.string(), "source_topic": pa.string(), "source_partition": pa.uint32(),
    "source_offset": pa.uint64(), "source_record_timestamp": _TS, "event_id": pa.string(),
    "event_type": pa.string(), "event_version": pa.string(), "event_timestamp": _TS,
    "dedup_key": pa.string(), "dedup_strategy": pa.string(), "replay": pa.uint8(),
    "failure_stage": pa.string(), "failure_class": pa.string(), "failure_reason": pa.string(),
    "failure_details": pa.string(), "orchestrator": pa.string(), "broadcaster": pa.string(),
    "region": pa.string(), "payload_encoding": pa.string(), "payload_body": pa.string(),
    "payload_canonical_json": pa.string(),
}


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


def _ms_to_dt(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def load_fixture(client, fixture_dir: str | Path) -> LoadReport:
    """Replay every session file of the fixture into streaming_events / DLQ / quarantine."""
    fixture = read_fixture(fixture_dir)
    window = fixture.window
    fallback_ms = _iso_to_ms(window[0]) if window else None
    report = LoadReport()
    raw = _Batch(_RAW_COLUMNS)
    dlq = _Batch(_REJECT_COLUMNS)
    quarantine = _Batch(_REJECT_COLUMNS)
    first_seen: dict[str, str] = {}
    offset = 0

    def flush(batch: _Batch, table: str, force: bool = False) -> None:
        if len(batch) and (force or len(batch) >= BATCH_ROWS):
            client.insert_arrow(f"{DATABASE}.{table}", batch.table())
            batch.clear()

    def reject(batch: _Batch, *, record_ms: int, event_id: str, event_type: str, event_ms: int | None,
               stage: str, failure_class: str, reason: str, details: str, body: str,
               dedup: bool = False) -> None:
        batch.add(
            schema_version=SCHEMA_VERSION, source_topic=SOURCE_TOPIC, source_partition=0,
            source_offset=offset, source_record_timestamp=_ms_to_dt(record_ms), event_id=event_id,
            event_type=event_type, event_version=None,
            event_timestamp=_ms_to_dt(event_ms) if event_ms is not None else None,
            dedup_key=event_id if dedup else None, dedup_strategy="event_id" if dedup else None,
            replay=1, failure_stage=stage, failure_class=failure_class, failure_reason=reason,
            failure_details=details, orchestrator=None, broadcaster=None, region=None,
            payload_encoding="json", payload_body=body[:MAX_PAYLOAD_BODY], payload_canonical_json=None,
        )

    for session in fixture.sessions:
        report.files += 1
        last_ms = fallback_ms
        rel_name = os.path.relpath(session.path, fixture.root.resolve())
        try:
            handle = session.path.open("r", encoding="utf-8", errors="replace")
        except OSError as exc:
            raise FixtureError(f"cannot read fixture session file {session.path}: {exc}") from exc
        with handle:
            for line_no, line in enumerate(handle, start=1):
                text = line.strip()
                if not text:
                    report.blank_lines += 1
                    continue
                report.lines += 1
                offset += 1
                where = f"{rel_name}:{line_no}"
                record_ms = last_ms if last_ms is not None else 0
                try:
                    env = json.loads(text)
                except json.JSONDecodeError as exc:
                    m_id, m_type = _ID_RE.search(text), _TYPE_RE.search(text)
                    reject(dlq, record_ms=record_ms, event_id=m_id.group(1) if m_id else "",
                           event_type=m_type.group(1) if m_type else "", event_ms=None,
                           stage="deserialize", failure_class="MALFORMED_JSON",
                           reason=f"line is not valid JSON: {exc.msg} at char {exc.pos}",
                           details=where, body=text)
                    report.dlq_rows += 1
                    flush(dlq, "streaming_events_dlq")
                    continue
                problem = _envelope_problem(env)
                if problem:
                    env_d = env if isinstance(env, dict) else {}
                    reject(dlq, record_ms=record_ms, event_id=str(env_d.get("id") or ""),
                           event_type=str(env_d.get("type") or ""), event_ms=None,
                           stage="validate_envelope", failure_class="SCHEMA_INVALID",
                           reason=problem, details=where, body=text)
                    report.dlq_rows += 1
                    flush(dlq, "streaming_events_dlq")
                    continue
                event_id, event_type, ts = str(env["id"]), str(env["type"]), int(env["timestamp"])
                data = env["data"] if isinstance(env["data"], str) else json.dumps(env["data"], separators=(",", ":"))
                gateway = str(env.get("gateway") or "")
                last_ms = ts
                raw.add(id=event_id, type=event_type, timestamp=ts, gateway=gateway, data=data)
                report.raw_rows += 1
                report.by_type[event_type] = report.by_type.get(event_type, 0) + 1
                flush(raw, "streaming_events")
                if event_id in first_seen:
                    body = json.dumps({"id": event_id, "type": event_type, "timestamp": ts,
                                       "gateway": gateway, "data": data}, separators=(",", ":"))
                    reject(quarantine, record_ms=ts, event_id=event_id, event_type=event_type, event_ms=ts,
                           stage="dedup", failure_class="DUPLICATE_EVENT_ID",
                           reason=f"duplicate event id {event_id} (first seen at {first_seen[event_id]})",
                           details=where, body=body, dedup=True)
                    report.quarantine_rows += 1
                    flush(quarantine, "streaming_events_quarantine")
                else:
                    first_seen[event_id] = where
    flush(raw, "streaming_events", force=True)
    flush(dlq, "streaming_events_dlq", force=True)
    flush(quarantine, "streaming_events_quarantine", force=True)
    return report


def _envelope_problem(env: object) -> str | None:
    """Why an envelope cannot enter the raw archive, or None if it can."""
    if not isinstance(env, dict):
        return f"envelope is a JSON {type(env).__name__}, not an object"
    for key in ("id", "type", "timestamp", "data"):
        if key not in env or env[key] is None or env[key] == "":
            return f"envelope field {key!r} is missing or empty"
    if not isinstance(env["id"], str) or not isinstance(env["type"], str):
        return "envelope fields 'id' and 'type' must be strings"
    ts = env["timestamp"]
    if isinstance(ts, bool) or not isinstance(ts, int) or ts <= 0:
        return f"envelope 'timestamp' must be positive integer epoch milliseconds, got {ts!r}"
    return None
