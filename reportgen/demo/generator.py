"""Seeded synthetic fixture generator: writes a fixture folder in the harness format.

The output is exactly what the user's harness replays (spec/events.md d.1-d.3):

    <out>/manifest.json                      generated_at, window, source, metadata, scenarios
    <out>/<scenario>/<stream_id>_<request_id>.jsonl   one raw envelope per line, ordered by
                                             (timestamp, id)
    <out>/README.md                          the session mix of this fixture

Envelopes: `__table`, `__scenario`, `__workflow_session_id`, `id` (UUID), `type`, `timestamp`
(epoch ms), `gateway`, `data` (the payload as a compact JSON string with sorted keys).

Traffic: two gateways, several orchestrators (one hot wallet shared by two canonical
orchestrators), GPUs and models (see `_gen_catalog`), `network_capabilities` snapshots every
10 minutes starting 15 minutes before the first session (each followed by a few
`discovery_results` probes), and sessions of every scenario class
(see `_gen_sessions.PROFILES`). Each capability event is written once, into the file of the first
session starting after it. One extra session (folder `quality_gate_rejects`) also carries a
duplicated event id and malformed lines for the DLQ / quarantine path; they are listed in
`metadata.generator.quality_gate_cases` of the manifest. All rejects are of non-core event
types, so the core-type DLQ/quarantine assertion still passes on the demo warehouse.

Determinism: the same arguments give byte-identical files. Every session draws from its own
RNG (seeded by seed and session number), so the `sessions` knob changes counts, not shape.
Sessions are generated and written one at a time (streamed), so 100k sessions (≈1M events)
need little memory.

Usage: `generate_fixture(out_dir, sessions=60, seed=7)` or
`python -m reportgen.demo.generator --out DIR --sessions N --seed S`.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from reportgen.demo import _gen_sessions as gs
from reportgen.demo._gen_catalog import (
    GATEWAYS,
    SESSION_MODEL_WEIGHTS,
    SESSION_MODELS,
    build_catalog,
    capability_payload,
    discovery_events,
)
from reportgen.errors import FixtureError

DEFAULT_START = datetime(2026, 2, 25, 17, 20, tzinfo=timezone.utc)
DEFAULT_SESSIONS = 60
DEFAULT_SEED = 20260225
DEFAULT_HOURS = 4.0
CAPABILITY_INTERVAL_MS = 10 * 60_000
CAPABILITY_LEAD_MS = 15 * 60_000
WINDOW_PADDING_MINUTES = 60
GENERATOR_NAME = "reportgen.demo.generator"
GENERATOR_VERSION = 1

SCENARIO_ORDER: tuple[str, ...] = (gs.S1, gs.S2, gs.S3, gs.S4, gs.S5, gs.S6, gs.S7, gs.QUALITY_GATE)

#: Sessions every fixture contains regardless of size (so every class is present); the rest of the
#: sessions are drawn from the weighted profile mix.
MANDATORY_PROFILES: tuple[str, ...] = (
    gs.QUALITY_GATE_PROFILE.name,
    *(p.name for p in gs.PROFILES),
    "clean_success_long_hour_cross",
    "confirmed_swap",
    "inferred_orchestrator_change",
    "no_orchestrator_then_closed",
)
MIN_SESSIONS = len(MANDATORY_PROFILES)
_README_SESSION_LIST_LIMIT = 200


@dataclass(frozen=True)
class FixtureSummary:
    """What `generate_fixture` wrote."""

    out_dir: Path
    manifest_path: Path
    sessions: int
    events: int  # JSONL lines written, malformed ones included
    files: int
    bytes: int
    window: tuple[str, str]
    by_profile: dict[str, int]
    by_scenario: dict[str, int]
    by_type: dict[str, int]
    seconds: float
    quality_gate_cases: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class _Planned:
    index: int
    t0: int  # session start (request edge), epoch ms
    profile: str


def _iso(ms: int) -> str:
    """`2026-02-25T20:28:02.242000+00:00` — the manifest's timestamp format."""
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).isoformat(timespec="microseconds")


def _to_ms(dt: datetime) -> int:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(dt.timestamp() * 1000)


def _profile(name: str) -> gs.Profile:
    return gs.QUALITY_GATE_PROFILE if name == gs.QUALITY_GATE_PROFILE.name else gs.PROFILE_BY_NAME[name]


# ---- planning -----------------------------------------------------------------------------------


def _plan(sessions: int, seed: int, start_ms: int, span_ms: int) -> list[_Planned]:
    """Profiles and start times of all sessions (small tuples only; events are built later)."""
    rng = random.Random(f"{seed}/plan")
    names = list(MANDATORY_PROFILES)
    weights = [p.weight for p in gs.PROFILES]
    names += rng.choices([p.name for p in gs.PROFILES], weights, k=sessions - len(names))
    end_ms = start_ms + span_ms
    first_boundary = (start_ms + 5 * 60_000) // gs.HOUR_MS + 1
    boundaries = [h * gs.HOUR_MS for h in range(first_boundary, end_ms // gs.HOUR_MS + 1)] or [
        first_boundary * gs.HOUR_MS]
    # boundary-bound profiles rotate through the hour boundaries so repeats spread out
    turn = {"hour_cross": rng.randrange(len(boundaries)), "rollover": rng.randrange(len(boundaries))}
    plan = []
    for i, name in enumerate(names):
        timing = _profile(name).timing
        if timing in turn:
            boundary = boundaries[turn[timing] % len(boundaries)]
            turn[timing] += 1
        if timing == "hour_cross":
            t0 = boundary - rng.randint(60_000, 300_000)
        elif timing == "rollover":
            t0 = boundary - rng.randint(27_000, 29_000)
        else:
            t0 = start_ms + rng.randrange(span_ms)
            if timing == "same_hour" and t0 % gs.HOUR_MS > gs.HOUR_MS - 150_000:
                t0 -= 180_000
        plan.append(_Planned(i, t0, name))
    return plan


def _capability_times(start_ms: int, last_t0: int) -> list[int]:
    times, ts = [], start_ms - CAPABILITY_LEAD_MS
    while ts <= last_t0 + 20 * 60_000:
        times.append(ts)
        ts += CAPABILITY_INTERVAL_MS
    return times


# ---- serialization ------------------------------------------------------------------------------


_compact = json.JSONEncoder(separators=(",", ":"), sort_keys=True).encode
_quote = json.encoder.encode_basestring_ascii  # C-accelerated, same output as json.dumps(str)


def _envelope(scenario: str, wsid: str, event_id: str, event_type: str, ts: int, gateway: str,
              payload: object) -> str:
    """One JSONL line; byte-identical to `json.dumps` of the envelope dict in the reference key order."""
    data = payload if isinstance(payload, str) else _compact(payload)
    return (f'{{"__table": "streaming_events", "__scenario": {_quote(scenario)}, '
            f'"__workflow_session_id": {_quote(wsid)}, "id": {_quote(event_id)}, "type": {_quote(event_type)}, '
            f'"timestamp": {int(ts)}, "gateway": {_quote(gateway)}, "data": {_quote(data)}}}')


_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9_.-]")


def _session_file_name(wsid: str) -> str:
    """`<stream_id>_<request_id>.jsonl`: characters outside [A-Za-z0-9_.-] become `_` (d.1)."""
    return _UNSAFE_FILE_CHARS.sub("_", wsid) + ".jsonl"


def _manifest_entry_block(entry: str) -> str:
    """A session entry (compact JSON text) laid out exactly as `json.dumps(manifest, indent=2)` would,
    at the nesting depth of `scenarios.<name>.sessions[]` (8 spaces)."""
    e = json.loads(entry)
    counts = ",\n".join(f"            {_quote(k)}: {v}" for k, v in e["table_counts"].items())
    end = "null" if e["session_end_ts"] is None else _quote(e["session_end_ts"])
    return (
        "        {\n"
        f'          "workflow_session_id": {_quote(e["workflow_session_id"])},\n'
        f'          "stream_id": {_quote(e["stream_id"])},\n'
        f'          "request_id": {_quote(e["request_id"])},\n'
        f'          "session_start_ts": {_quote(e["session_start_ts"])},\n'
        f'          "session_end_ts": {end},\n'
        f'          "file": {_quote(e["file"])},\n'
        f'          "table_counts": {{\n{counts}\n          }}\n'
        "        }"
    )


def _unique(rng: random.Random, used: set[str], make) -> str:
    value = make(rng)
    while value in used:
        value = make(rng)
    used.add(value)
    return value


def _quality_gate_lines(rng: random.Random, catalog, t0: int, scenario: str, wsid: str,
                        gateway: str) -> tuple[list[tuple[int, str, str, str | None]], list[dict]]:
    """Extra lines of the quality-gate session: a duplicated capability event (quarantine) and three
    rejects (DLQ): a truncated line, a capability envelope whose `data` is not JSON, and an
    unsupported event type. Returns (ts, id, line, type or None if unparseable) rows and the case
    descriptions."""
    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    lines: list[tuple[int, str, str, str | None]] = []
    cases: list[dict] = []
    dup_id, dup_ts = new_id(), t0 - 40_000
    dup_line = _envelope(scenario, wsid, dup_id, "network_capabilities", dup_ts, gateway,
                         capability_payload(catalog, rng))
    lines += [(dup_ts, dup_id, dup_line, "network_capabilities")] * 2
    cases.append({"id": dup_id, "type": "network_capabilities", "expected": "quarantine",
                  "reason": "duplicate event id (the same envelope delivered twice)"})
    trunc_id, trunc_ts = new_id(), t0 - 20_000
    full = _envelope(scenario, wsid, trunc_id, "network_capabilities", trunc_ts, gateway,
                     capability_payload(catalog, rng))
    lines.append((trunc_ts, trunc_id, full[: full.index('"data": ') + 180], None))
    cases.append({"id": trunc_id, "type": "network_capabilities", "expected": "dlq",
                  "reason": "truncated line: not valid JSON"})
    bad_id, bad_ts = new_id(), t0 - 10_000
    lines.append((bad_ts, bad_id, _envelope(scenario, wsid, bad_id, "network_capabilities", bad_ts, gateway,
                                            '[{"address":"0x5fd25374e1e87d6728ec8601c512dfabab375ab5",'),
                  "network_capabilities"))
    cases.append({"id": bad_id, "type": "network_capabilities", "expected": "dlq",
                  "reason": "data is not valid JSON"})
    unk_id, unk_ts = new_id(), t0 - 5_000
    lines.append((unk_ts, unk_id, _envelope(scenario, wsid, unk_id, "gateway_debug_event", unk_ts, gateway,
                                            {"message": "debug heartbeat", "timestamp": unk_ts}),
                  "gateway_debug_event"))
    cases.append({"id": unk_id, "type": "gateway_debug_event", "expected": "dlq",
                  "reason": "unsupported event type"})
    return lines, cases


# ---- main entry point ---------------------------------------------------------------------------


def _prepare_out_dir(out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise FixtureError(f"fixture output {out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()):
        if not overwrite:
            raise FixtureError(f"fixture output {out} is not empty (use overwrite/--force to replace a fixture)")
        for child in out.iterdir():
            if child.is_dir() and all(f.suffix == ".jsonl" for f in child.iterdir()):
                shutil.rmtree(child)
            elif child.name in ("manifest.json", "README.md"):
                child.unlink()
            else:
                raise FixtureError(f"refusing to overwrite {out}: it holds {child.name}, which is not fixture output")
    out.mkdir(parents=True, exist_ok=True)


def generate_fixture(out_dir: str | Path, *, sessions: int = DEFAULT_SESSIONS, seed: int = DEFAULT_SEED,
                     start: datetime = DEFAULT_START, hours: float = DEFAULT_HOURS,
                     overwrite: bool = False) -> FixtureSummary:
    """Write a synthetic fixture folder (harness format) and return what was written.

    `sessions` sessions start within `hours` hours from `start` (UTC); capability snapshots begin
    15 minutes before `start`. `out_dir` must be empty or absent unless `overwrite` is set (then
    only previous fixture output — manifest, README, folders of .jsonl files — is replaced).
    """
    began = time.perf_counter()
    if not isinstance(sessions, int) or sessions < MIN_SESSIONS:
        raise FixtureError(f"sessions must be an integer >= {MIN_SESSIONS} (one per scenario class), got {sessions!r}")
    if not hours > 0:
        raise FixtureError(f"hours must be positive, got {hours!r}")
    out = Path(out_dir)
    _prepare_out_dir(out, overwrite)

    start_ms = _to_ms(start)
    span_ms = int(hours * gs.HOUR_MS)
    catalog = build_catalog(random.Random(f"{seed}/catalog"))
    plan = _plan(sessions, seed, start_ms, span_ms)
    ascending = sorted(plan, key=lambda p: (p.t0, p.index))
    starts = [p.t0 for p in ascending]
    cap_times = _capability_times(start_ms, starts[-1])
    caps_for: dict[int, list[int]] = {}
    for k, ts in enumerate(cap_times):
        pos = bisect.bisect_left(starts, ts)
        owner = ascending[min(pos, len(ascending) - 1)].index
        caps_for.setdefault(owner, []).append(k)

    used_streams: set[str] = set()
    used_requests: set[str] = set()
    by_profile: Counter[str] = Counter()
    by_scenario: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    profile_sessions: dict[str, list[str]] = {}
    quality_cases: list[dict] = []
    made_dirs: set[str] = set()
    total_lines = total_bytes = 0
    min_ts, max_ts = None, None
    first_start, last_end = None, None

    with tempfile.TemporaryDirectory(prefix="reportgen-fixture-") as tmp:
        entry_files = {s: open(Path(tmp) / f"{s}.jsonl", "w", encoding="utf-8") for s in SCENARIO_ORDER}
        try:
            # newest session first, like the scenario queries' ORDER BY session_start_ts DESC
            for planned in reversed(ascending):
                profile = _profile(planned.profile)
                rng = random.Random(f"{seed}/session/{planned.index}")
                t0 = planned.t0
                stream_id = _unique(rng, used_streams, lambda r: "aiJobTesterStream-"
                                    f"{(t0 - r.randint(4_000, 5_500)) * 1_000_000 + r.randrange(1_000_000)}")
                request_id = _unique(rng, used_requests, lambda r: f"{r.getrandbits(32):08x}")
                wsid = f"{stream_id}|{request_id}"
                gateway = rng.choice(GATEWAYS)
                model = rng.choices(SESSION_MODELS, SESSION_MODEL_WEIGHTS)[0]
                b = gs.SessionBuilder(rng, catalog, stream_id=stream_id, request_id=request_id,
                                      model=model, gateway=gateway)
                profile.build(b, t0)
                scenario = profile.scenario

                session_start = min(p["timestamp"] if isinstance(p, dict) and "timestamp" in p else ts
                                    for ts, _, _, p in b.events)
                session_end = max(ts for ts, _, _, _ in b.events)
                rows: list[tuple[int, str, str, str | None]] = [
                    (ts, event_id, _envelope(scenario, wsid, event_id, event_type, ts, gateway, payload), event_type)
                    for ts, event_id, event_type, payload in b.events
                ]
                for k in caps_for.get(planned.index, ()):
                    crng = random.Random(f"{seed}/capability/{k}")
                    cid = str(uuid.UUID(int=crng.getrandbits(128), version=4))
                    cap_gateway = GATEWAYS[k % len(GATEWAYS)]
                    rows.append((cap_times[k], cid, _envelope(scenario, wsid, cid, "network_capabilities", cap_times[k],
                                                              cap_gateway, capability_payload(catalog, crng)),
                                 "network_capabilities"))
                    for ts, did, payload in discovery_events(catalog, crng, k, cap_times[k]):
                        rows.append((ts, did, _envelope(scenario, wsid, did, "discovery_results", ts, cap_gateway, payload),
                                     "discovery_results"))
                cases: list[dict] = []
                if profile is gs.QUALITY_GATE_PROFILE:
                    extra, cases = _quality_gate_lines(rng, catalog, t0, scenario, wsid, gateway)
                    rows += extra
                rows.sort(key=lambda r: (r[0], r[1]))
                # typed counts in the manifest: parseable envelopes only (a truncated line has no type),
                # in order of first appearance, as in the real export
                counts: Counter[str] = Counter(r[3] for r in rows if r[3] is not None)
                file_rel = f"{scenario}/{_session_file_name(wsid)}"
                path = out / file_rel
                if scenario not in made_dirs:
                    path.parent.mkdir(exist_ok=True)
                    made_dirs.add(scenario)
                text = "\n".join(r[2] for r in rows) + "\n"
                path.write_text(text, encoding="utf-8")
                if cases:
                    line_of: dict[str, list[int]] = {}
                    for n, r in enumerate(rows, start=1):
                        line_of.setdefault(r[1], []).append(n)
                    for case in cases:
                        quality_cases.append({"file": file_rel, "lines": line_of[case["id"]], **case})

                table_counts = {"streaming_events": len(rows)}
                table_counts.update((f"streaming_events:{t}", n) for t, n in counts.items())
                entry = {
                    "workflow_session_id": wsid,
                    "stream_id": stream_id,
                    "request_id": request_id,
                    "session_start_ts": _iso(session_start),
                    "session_end_ts": _iso(session_end),
                    "file": file_rel,
                    "table_counts": table_counts,
                }
                entry_files[scenario].write(json.dumps(entry) + "\n")

                by_profile[profile.name] += 1
                by_scenario[scenario] += 1
                by_type.update(counts)
                if sessions <= _README_SESSION_LIST_LIMIT:
                    profile_sessions.setdefault(profile.name, []).append(wsid)
                total_lines += len(rows)
                total_bytes += len(text.encode("utf-8"))
                lo, hi = rows[0][0], rows[-1][0]
                min_ts = lo if min_ts is None else min(min_ts, lo)
                max_ts = hi if max_ts is None else max(max_ts, hi)
                first_start = session_start if first_start is None else min(first_start, session_start)
                last_end = session_end if last_end is None else max(last_end, session_end)
        finally:
            for f in entry_files.values():
                f.close()

        pad = WINDOW_PADDING_MINUTES * 60_000
        window_from = min(first_start - pad, min_ts)
        window_to = max(last_end + pad, max_ts + 1)
        window = (_iso(window_from), _iso(window_to))
        head = {
            "generated_at": _iso(last_end + 5 * 60_000 + 123),
            "window": {"from_ts": window[0], "to_ts": window[1]},
            "source": {
                "host": "synthetic.reportgen.invalid",
                "port": 8123,
                "database": "livepeer_analytics",
                "scenario_sql": "tests/integration/sql/scenario_candidates.sql",
            },
            "metadata": {
                "query_window": {"from_ts": _iso(first_start), "to_ts": _iso(last_end)},
                "manifest_window_padding_minutes": WINDOW_PADDING_MINUTES,
                "fixture_event_source": "streaming_events",
                "note": f"synthetic fixture written by {GENERATOR_NAME} (seed {seed}, {sessions} sessions)",
                "generator": {
                    "name": GENERATOR_NAME,
                    "version": GENERATOR_VERSION,
                    "seed": seed,
                    "sessions": sessions,
                    "start": _iso(start_ms),
                    "hours": hours,
                    "events": total_lines,
                    "profiles": dict(sorted(by_profile.items())),
                    "event_types": dict(sorted(by_type.items())),
                    "quality_gate_cases": quality_cases,
                },
            },
        }
        manifest_path = out / "manifest.json"
        with open(manifest_path, "w", encoding="utf-8") as mf:
            mf.write(json.dumps(head, indent=2)[:-2])
            mf.write(',\n  "scenarios": {')
            for si, scenario in enumerate(SCENARIO_ORDER):
                n = by_scenario.get(scenario, 0)
                mf.write(("," if si else "") + f"\n    {json.dumps(scenario)}: {{\n"
                         f'      "candidate_count": {n},\n      "sessions": [')
                with open(Path(tmp) / f"{scenario}.jsonl", encoding="utf-8") as ef:
                    for j, line in enumerate(ef):
                        mf.write(("," if j else "") + "\n" + _manifest_entry_block(line))
                mf.write("\n      ]\n    }" if n else "]\n    }")
            mf.write("\n  }\n}\n")

    _write_readme(out, seed=seed, sessions=sessions, start_ms=start_ms, hours=hours, window=window,
                  by_profile=by_profile, by_type=by_type, total_lines=total_lines,
                  profile_sessions=profile_sessions, quality_cases=quality_cases)
    return FixtureSummary(
        out_dir=out, manifest_path=manifest_path, sessions=sessions, events=total_lines, files=sessions,
        bytes=total_bytes, window=window, by_profile=dict(by_profile), by_scenario=dict(by_scenario),
        by_type=dict(by_type), seconds=time.perf_counter() - began, quality_gate_cases=quality_cases,
    )


def _write_readme(out: Path, *, seed: int, sessions: int, start_ms: int, hours: float, window: tuple[str, str],
                  by_profile: Counter, by_type: Counter, total_lines: int,
                  profile_sessions: dict[str, list[str]], quality_cases: list[dict]) -> None:
    lines = [
        "# Synthetic demo fixture",
        "",
        f"Written by `{GENERATOR_NAME}` — do not edit by hand; regenerate with",
        f"`python -m reportgen.demo.generator --out <dir> --sessions {sessions} --seed {seed} "
        f"--start {_iso(start_ms)} --hours {hours:g} --force`.",
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
    for p in (*gs.PROFILES, gs.QUALITY_GATE_PROFILE):
        lines.append(f"| `{p.name}` | `{p.scenario}` | {by_profile.get(p.name, 0)} | {p.description} |")
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
        for p in (*gs.PROFILES, gs.QUALITY_GATE_PROFILE):
            ids = profile_sessions.get(p.name, [])
            if ids:
                lines.append(f"- `{p.name}`: " + ", ".join(f"`{i}`" for i in sorted(ids)))
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---- command line -------------------------------------------------------------------------------


def _parse_start(text: str) -> datetime:
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise FixtureError(f"--start must be an ISO-8601 time, got {text!r}") from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reportgen.demo.generator",
                                     description="Write a synthetic fixture folder in the harness format.")
    parser.add_argument("--out", required=True, help="output folder (created; must be empty unless --force)")
    parser.add_argument("--sessions", type=int, default=DEFAULT_SESSIONS, help=f"number of sessions (>= {MIN_SESSIONS})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--start", default=_iso(_to_ms(DEFAULT_START)), help="first possible session start (ISO, UTC)")
    parser.add_argument("--hours", type=float, default=DEFAULT_HOURS, help="span of session starts")
    parser.add_argument("--force", action="store_true", help="replace an existing fixture in --out")
    args = parser.parse_args(argv)
    try:
        summary = generate_fixture(args.out, sessions=args.sessions, seed=args.seed, start=_parse_start(args.start),
                                   hours=args.hours, overwrite=args.force)
    except FixtureError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {summary.sessions} sessions, {summary.events} events, {summary.bytes / 1e6:.1f} MB "
          f"to {summary.out_dir} in {summary.seconds:.2f} s; window {summary.window[0]} -> {summary.window[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
