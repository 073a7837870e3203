"""Serialization for the fixture generator: envelope lines, file names, manifest, README.

Formats follow the harness export (spec/events.md d.1-d.3 and shared/reference/): envelope lines
are `json.dumps` of the envelope in the reference key order (default separators), `data` is the
payload as compact JSON with sorted keys, and `manifest.json` is `json.dumps(manifest, indent=2)`.
The manifest is written in a streaming way (session entries come from per-scenario spool files),
so 100k sessions never sit in memory at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

_compact = json.JSONEncoder(separators=(",", ":"), sort_keys=True).encode
_quote = json.encoder.encode_basestring_ascii  # C-accelerated, same output as json.dumps(str)
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9_.-]")


def iso(ms: int) -> str:
    """`2026-02-25T20:28:02.242000+00:00` — the manifest's timestamp format."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="microseconds")


def to_ms(dt: datetime) -> int:
    """Epoch milliseconds of `dt` (naive values are taken as UTC)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp() * 1000)


def envelope(scenario: str, wsid: str, event_id: str, event_type: str, ts: int, gateway: str,
             payload: object) -> str:
    """One JSONL line; byte-identical to `json.dumps` of the envelope dict in the reference key order.
    A `str` payload is taken as already-encoded `data` (used for deliberately broken payloads)."""
    data = payload if isinstance(payload, str) else _compact(payload)
    return (f'{{"__table": "streaming_events", "__scenario": {_quote(scenario)}, '
            f'"__workflow_session_id": {_quote(wsid)}, "id": {_quote(event_id)}, "type": {_quote(event_type)}, '
            f'"timestamp": {int(ts)}, "gateway": {_quote(gateway)}, "data": {_quote(data)}}}')


def session_file_name(wsid: str) -> str:
    """`<stream_id>_<request_id>.jsonl`: characters outside [A-Za-z0-9_.-] become `_` (d.1)."""
    return _UNSAFE_FILE_CHARS.sub("_", wsid) + ".jsonl"


def _entry_block(entry: dict) -> str:
    """A session entry laid out exactly as `json.dumps(manifest, indent=2)` lays it out at the depth
    of `scenarios.<name>.sessions[]` (8 spaces)."""
    counts = ",\n".join(f"            {_quote(k)}: {v}" for k, v in entry["table_counts"].items())
    end = "null" if entry["session_end_ts"] is None else _quote(entry["session_end_ts"])
    return (
        "        {\n"
        f'          "workflow_session_id": {_quote(entry["workflow_session_id"])},\n'
        f'          "stream_id": {_quote(entry["stream_id"])},\n'
        f'          "request_id": {_quote(entry["request_id"])},\n'
        f'          "session_start_ts": {_quote(entry["session_start_ts"])},\n'
        f'          "session_end_ts": {end},\n'
        f'          "file": {_quote(entry["file"])},\n'
        f'          "table_counts": {{\n{counts}\n          }}\n'
        "        }"
    )


def write_manifest(path: Path, head: dict, scenarios: Iterable[str], spool_dir: Path,
                   counts: Mapping[str, int]) -> None:
    """Write `head` (generated_at, window, source, metadata) followed by `scenarios`, whose session
    entries are read from `<spool_dir>/<scenario>.jsonl` (one compact JSON entry per line)."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(head, indent=2)[:-2])  # drop the closing "\n}"
        out.write(',\n  "scenarios": {')
        for i, scenario in enumerate(scenarios):
            n = counts.get(scenario, 0)
            out.write(("," if i else "") + f"\n    {_quote(scenario)}: {{\n"
                      f'      "candidate_count": {n},\n      "sessions": [')
            spool = spool_dir / f"{scenario}.jsonl"
            if spool.exists():
                with open(spool, encoding="utf-8") as entries:
                    for j, line in enumerate(entries):
                        out.write(("," if j else "") + "\n" + _entry_block(json.loads(line)))
            out.write("\n      ]\n    }" if n else "]\n    }")
        out.write("\n  }\n}\n")


def write_readme(out: Path, *, regenerate: str, sessions: int, total_lines: int, window: tuple[str, str],
                 profiles: Iterable, by_profile: Mapping[str, int], by_type: Mapping[str, int],
                 profile_sessions: Mapping[str, list[str]], quality_cases: list[dict]) -> None:
    """The fixture's README: how to regenerate it, the session mix, event counts, quality-gate cases
    and (for small fixtures) which sessions exercise which profile."""
    profiles = list(profiles)
    lines = [
        "# Synthetic demo fixture",
        "",
        "Written by `reportgen.demo.generator` — do not edit by hand; regenerate with",
        f"`{regenerate}`.",
        "",
        f"Harness format (spec/events.md d.1-d.3): `manifest.json` + one folder per scenario with one JSONL "
        f"file per session. {sessions} sessions, {total_lines} lines, window {window[0]} → {window[1]}.",
        "Two gateways; orchestrators with proxy/hot-wallet local addresses (one hot wallet shared by two",
        "canonical orchestrators, resolved by URI); RTX 4090 / 5090 / PRO 6000 GPUs; models",
        "streamdiffusion-sdxl, streamdiffusion-sdxl-v2v, streamdiffusion. `network_capabilities` snapshots",
        "every 10 min from 15 min before the first session (each written once, in the file of the next",
        "session to start), each followed by `discovery_results` probes of three orchestrators",
        "(`{address, url, latency_ms}`).",
        "",
        "## Session profiles",
        "",
        "| profile | folder (primary class) | sessions | what it exercises |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{p.name}` | `{p.scenario}` | {by_profile.get(p.name, 0)} | {p.description} |" for p in profiles]
    lines += [
        "",
        "Overlaps are expected: the scenario queries are not exclusive. `param_updates` and",
        "`inferred_orchestrator_change` sessions also satisfy scenario 1's filter (fps > 12, swap_count = 0),",
        "`late_request_known_stream_upgrade` and `quality_gate_rejects` sessions are scenario 1 sessions,",
        "scenario 6/7 sessions are also out-of-category (scenario 5) sessions, and scenario 6's query also",
        "picks the same-hour `loading_only` / `zero_output` / `unexcused_runner_error` failures.",
        "",
        "Status samples cross hour boundaries in `clean_success_long_hour_cross` and",
        "`rollover_terminal_tail` sessions. `stream_ingest_metrics` events (go-livepeer WHIP stats shape:",
        "`stats.conn_quality`, `stats.peer_conn_stats.{BytesReceived,BytesSent}`, `stats.track_stats[]` per",
        "video/audio track) accompany sessions on the mdw gateway once their ingest started (the fra",
        "gateway does not report them). `payment_events` (go-livepeer payment fields, camelCase strings,",
        "`faceValue` in wei) come once a minute from the first playable output while a session has output.",
        "",
        "## Event counts",
        "",
        "| type | lines |",
        "|---|---|",
    ]
    lines += [f"| `{t}` | {n} |" for t, n in sorted(by_type.items())]
    lines += [
        "",
        "## Quality-gate cases (DLQ / quarantine)",
        "",
        "All of non-core types, so `raw_typed_no_dlq_or_quarantine_for_core_types` passes on this fixture.",
        "",
        "| file | line(s) | type | expected | reason |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| `{c['file']}` | {', '.join(map(str, c['lines']))} | `{c['type']}` | {c['expected']} | {c['reason']} |"
              for c in quality_cases]
    if profile_sessions:
        lines += ["", "## Sessions by profile", ""]
        for p in profiles:
            ids = profile_sessions.get(p.name, [])
            if ids:
                lines.append(f"- `{p.name}`: " + ", ".join(f"`{i}`" for i in sorted(ids)))
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
