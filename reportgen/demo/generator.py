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
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from reportgen.demo import _gen_sessions as gs
from reportgen.demo._gen_builder import HOUR_MS
from reportgen.demo._gen_catalog import (
    GATEWAYS,
    SESSION_MODEL_WEIGHTS,
    SESSION_MODELS,
    Catalog,
    build_catalog,
    capability_payload,
    discovery_events,
)
from reportgen.demo._gen_output import envelope, iso, session_file_name, to_ms, write_manifest, write_readme
from reportgen.demo._gen_random import FastRandom
from reportgen.errors import FixtureError

DEFAULT_START = datetime(2026, 2, 25, 17, 20, tzinfo=UTC)
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


def _profile(name: str) -> gs.Profile:
    return gs.QUALITY_GATE_PROFILE if name == gs.QUALITY_GATE_PROFILE.name else gs.PROFILE_BY_NAME[name]


# ---- planning -----------------------------------------------------------------------------------


def _plan(sessions: int, seed: int, start_ms: int, span_ms: int) -> list[_Planned]:
    """Profiles and start times of all sessions (small tuples only; events are built later)."""
    rng = FastRandom(f"{seed}/plan")
    names = list(MANDATORY_PROFILES)
    weights = [p.weight for p in gs.PROFILES]
    names += rng.choices([p.name for p in gs.PROFILES], weights, k=sessions - len(names))
    end_ms = start_ms + span_ms
    first_boundary = (start_ms + 5 * 60_000) // HOUR_MS + 1
    boundaries = [h * HOUR_MS for h in range(first_boundary, end_ms // HOUR_MS + 1)] or [
        first_boundary * HOUR_MS]
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
            if timing == "same_hour" and t0 % HOUR_MS > HOUR_MS - 150_000:
                t0 -= 180_000
        plan.append(_Planned(i, t0, name))
    return plan


def _capability_times(start_ms: int, last_t0: int) -> list[int]:
    times, ts = [], start_ms - CAPABILITY_LEAD_MS
    while ts <= last_t0 + 20 * 60_000:
        times.append(ts)
        ts += CAPABILITY_INTERVAL_MS
    return times


# ---- one session -----------------------------------------------------------------------------

Row = tuple[int, str, str, "str | None"]  # (envelope ts, event id, JSONL line, event type or None)


@dataclass
class _SessionFile:
    """One rendered session file and its manifest entry."""

    profile: gs.Profile
    wsid: str
    rows: list[Row]
    entry: dict
    counts: Counter
    start: int
    end: int
    cases: list[dict]


class _Identities:
    """Stream and request ids, unique across the fixture (request ids alone are joined on)."""

    def __init__(self) -> None:
        self.streams: set[str] = set()
        self.requests: set[str] = set()

    @staticmethod
    def _unique(used: set[str], make) -> str:
        value = make()
        while value in used:
            value = make()
        used.add(value)
        return value

    def stream_id(self, rng: FastRandom, t0: int) -> str:
        # the tester names streams by the nanosecond clock ~4-5 s before the request reaches the gateway
        return self._unique(self.streams, lambda: "aiJobTesterStream-"
                            f"{(t0 - rng.randint(4_000, 5_500)) * 1_000_000 + rng.randrange(1_000_000)}")

    def request_id(self, rng: FastRandom) -> str:
        return self._unique(self.requests, lambda: f"{rng.getrandbits(32):08x}")


def _capability_rows(catalog: Catalog, seed: int, k: int, ts: int, scenario: str, wsid: str) -> list[Row]:
    """Capability snapshot `k` and its discovery probes, as lines of the hosting session's file."""
    rng = FastRandom(f"{seed}/capability/{k}")
    cid = rng.uuid4()
    gateway = GATEWAYS[k % len(GATEWAYS)]
    rows: list[Row] = [(ts, cid, envelope(scenario, wsid, cid, "network_capabilities", ts, gateway,
                                          capability_payload(catalog, rng)), "network_capabilities")]
    for dts, did, payload in discovery_events(catalog, rng, k, ts):
        rows.append((dts, did, envelope(scenario, wsid, did, "discovery_results", dts, gateway, payload),
                     "discovery_results"))
    return rows


def _quality_gate_rows(rng: FastRandom, catalog: Catalog, t0: int, scenario: str, wsid: str,
                       gateway: str) -> tuple[list[Row], list[dict]]:
    """Extra lines of the quality-gate session: a duplicated capability event (quarantine) and three
    rejects (DLQ): a truncated line, a capability envelope whose `data` is not JSON, and an
    unsupported event type. Returns the rows and the case descriptions."""
    new_id = rng.uuid4
    rows: list[Row] = []
    cases: list[dict] = []
    dup_id, dup_ts = new_id(), t0 - 40_000
    dup_line = envelope(scenario, wsid, dup_id, "network_capabilities", dup_ts, gateway,
                        capability_payload(catalog, rng))
    rows += [(dup_ts, dup_id, dup_line, "network_capabilities")] * 2
    cases.append({"id": dup_id, "type": "network_capabilities", "expected": "quarantine",
                  "reason": "duplicate event id (the same envelope delivered twice)"})
    trunc_id, trunc_ts = new_id(), t0 - 20_000
    full = envelope(scenario, wsid, trunc_id, "network_capabilities", trunc_ts, gateway,
                    capability_payload(catalog, rng))
    rows.append((trunc_ts, trunc_id, full[: full.index('"data": ') + 180], None))
    cases.append({"id": trunc_id, "type": "network_capabilities", "expected": "dlq",
                  "reason": "truncated line: not valid JSON"})
    bad_id, bad_ts = new_id(), t0 - 10_000
    rows.append((bad_ts, bad_id, envelope(scenario, wsid, bad_id, "network_capabilities", bad_ts, gateway,
                                          '[{"address":"0x5fd25374e1e87d6728ec8601c512dfabab375ab5",'),
                 "network_capabilities"))
    cases.append({"id": bad_id, "type": "network_capabilities", "expected": "dlq",
                  "reason": "data is not valid JSON"})
    unk_id, unk_ts = new_id(), t0 - 5_000
    rows.append((unk_ts, unk_id, envelope(scenario, wsid, unk_id, "gateway_debug_event", unk_ts, gateway,
                                          {"message": "debug heartbeat", "timestamp": unk_ts}),
                 "gateway_debug_event"))
    cases.append({"id": unk_id, "type": "gateway_debug_event", "expected": "dlq",
                  "reason": "unsupported event type"})
    return rows, cases


def _render_session(planned: _Planned, *, seed: int, catalog: Catalog, ids: _Identities,
                    capabilities: list[tuple[int, int]]) -> _SessionFile:
    """Build one session's events (plus the capability snapshots it hosts) as sorted JSONL rows."""
    profile = _profile(planned.profile)
    rng = FastRandom(f"{seed}/session/{planned.index}")
    t0 = planned.t0
    stream_id = ids.stream_id(rng, t0)
    request_id = ids.request_id(rng)
    wsid = f"{stream_id}|{request_id}"
    gateway = rng.choice(GATEWAYS)
    model = rng.choices(SESSION_MODELS, SESSION_MODEL_WEIGHTS)[0]
    b = gs.SessionBuilder(rng, catalog, stream_id=stream_id, request_id=request_id, model=model, gateway=gateway)
    profile.build(b, t0)
    scenario = profile.scenario

    # session bounds as the export reports them: earliest data timestamp, latest envelope timestamp
    start = min(p["timestamp"] if isinstance(p, dict) and "timestamp" in p else ts for ts, _, _, p in b.events)
    end = max(ts for ts, _, _, _ in b.events)
    rows: list[Row] = [(ts, event_id, envelope(scenario, wsid, event_id, event_type, ts, gateway, payload), event_type)
                       for ts, event_id, event_type, payload in b.events]
    for k, ts in capabilities:
        rows += _capability_rows(catalog, seed, k, ts, scenario, wsid)
    cases: list[dict] = []
    if profile is gs.QUALITY_GATE_PROFILE:
        extra, cases = _quality_gate_rows(rng, catalog, t0, scenario, wsid, gateway)
        rows += extra
    rows.sort(key=lambda r: (r[0], r[1]))

    file_rel = f"{scenario}/{session_file_name(wsid)}"
    if cases:
        line_of: dict[str, list[int]] = {}
        for n, r in enumerate(rows, start=1):
            line_of.setdefault(r[1], []).append(n)
        cases = [{"file": file_rel, "lines": line_of[c["id"]], **c} for c in cases]
    # typed counts: parseable envelopes only (a truncated line has no type), in order of first
    # appearance, as in the real export
    counts: Counter[str] = Counter(r[3] for r in rows if r[3] is not None)
    table_counts = {"streaming_events": len(rows)}
    table_counts.update((f"streaming_events:{t}", n) for t, n in counts.items())
    entry = {
        "workflow_session_id": wsid,
        "stream_id": stream_id,
        "request_id": request_id,
        "session_start_ts": iso(start),
        "session_end_ts": iso(end),
        "file": file_rel,
        "table_counts": table_counts,
    }
    return _SessionFile(profile, wsid, rows, entry, counts, start, end, cases)


# ---- the fixture --------------------------------------------------------------------------------


def _prepare_out_dir(out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise FixtureError(f"fixture output {out} exists and is not a directory")
    if not out.is_dir() or not any(out.iterdir()):
        out.mkdir(parents=True, exist_ok=True)
        return
    if not overwrite:
        raise FixtureError(f"fixture output {out} is not empty (use overwrite/--force to replace a fixture)")
    children = sorted(out.iterdir())
    for child in children:  # check everything before deleting anything
        ours = (child.is_dir() and all(f.suffix == ".jsonl" for f in child.iterdir())) or child.name in (
            "manifest.json", "README.md")
        if not ours:
            raise FixtureError(f"refusing to overwrite {out}: it holds {child.name}, which is not fixture output")
    for child in children:
        shutil.rmtree(child) if child.is_dir() else child.unlink()


@dataclass
class _Totals:
    by_profile: Counter = field(default_factory=Counter)
    by_scenario: Counter = field(default_factory=Counter)
    by_type: Counter = field(default_factory=Counter)
    profile_sessions: dict[str, list[str]] = field(default_factory=dict)
    quality_cases: list[dict] = field(default_factory=list)
    lines: int = 0
    bytes: int = 0
    min_ts: int | None = None
    max_ts: int | None = None
    first_start: int | None = None
    last_end: int | None = None

    def add(self, f: _SessionFile, text: str, list_sessions: bool) -> None:
        self.by_profile[f.profile.name] += 1
        self.by_scenario[f.profile.scenario] += 1
        self.by_type.update(f.counts)
        self.quality_cases += f.cases
        if list_sessions:
            self.profile_sessions.setdefault(f.profile.name, []).append(f.wsid)
        self.lines += len(f.rows)
        self.bytes += len(text.encode("utf-8"))
        lo, hi = f.rows[0][0], f.rows[-1][0]
        self.min_ts = lo if self.min_ts is None else min(self.min_ts, lo)
        self.max_ts = hi if self.max_ts is None else max(self.max_ts, hi)
        self.first_start = f.start if self.first_start is None else min(self.first_start, f.start)
        self.last_end = f.end if self.last_end is None else max(self.last_end, f.end)


def _manifest_head(t: _Totals, *, seed: int, sessions: int, start_ms: int, hours: float) -> dict:
    pad = WINDOW_PADDING_MINUTES * 60_000
    window = {"from_ts": iso(min(t.first_start - pad, t.min_ts)), "to_ts": iso(max(t.last_end + pad, t.max_ts + 1))}
    return {
        "generated_at": iso(t.last_end + 5 * 60_000 + 123),
        "window": window,
        "source": {
            "host": "synthetic.reportgen.invalid",
            "port": 8123,
            "database": "livepeer_analytics",
            "scenario_sql": "tests/integration/sql/scenario_candidates.sql",
        },
        "metadata": {
            "query_window": {"from_ts": iso(t.first_start), "to_ts": iso(t.last_end)},
            "manifest_window_padding_minutes": WINDOW_PADDING_MINUTES,
            "fixture_event_source": "streaming_events",
            "note": f"synthetic fixture written by {GENERATOR_NAME} (seed {seed}, {sessions} sessions)",
            "generator": {
                "name": GENERATOR_NAME,
                "version": GENERATOR_VERSION,
                "seed": seed,
                "sessions": sessions,
                "start": iso(start_ms),
                "hours": hours,
                "events": t.lines,
                "profiles": dict(sorted(t.by_profile.items())),
                "event_types": dict(sorted(t.by_type.items())),
                "quality_gate_cases": t.quality_cases,
            },
        },
    }


def generate_fixture(out_dir: str | Path, *, sessions: int = DEFAULT_SESSIONS, seed: int = DEFAULT_SEED,
                     start: datetime = DEFAULT_START, hours: float = DEFAULT_HOURS,
                     overwrite: bool = False) -> FixtureSummary:
    """Write a synthetic fixture folder (harness format) and return what was written.

    `sessions` sessions start within `hours` hours from `start` (UTC); capability snapshots begin
    15 minutes before `start`. `out_dir` must be empty or absent unless `overwrite` is set (then
    only previous fixture output — manifest, README, folders of .jsonl files — is replaced).
    Raises `FixtureError` (exit code 2 in the CLI) on bad arguments.
    """
    began = time.perf_counter()
    if isinstance(sessions, bool) or not isinstance(sessions, int) or sessions < MIN_SESSIONS:
        raise FixtureError(f"sessions must be an integer >= {MIN_SESSIONS} (one per scenario class), got {sessions!r}")
    if not hours > 0:
        raise FixtureError(f"hours must be positive, got {hours!r}")
    out = Path(out_dir)
    _prepare_out_dir(out, overwrite)

    start_ms = to_ms(start)
    catalog = build_catalog(FastRandom(f"{seed}/catalog"))
    ascending = sorted(_plan(sessions, seed, start_ms, int(hours * HOUR_MS)), key=lambda p: (p.t0, p.index))
    starts = [p.t0 for p in ascending]
    hosted: dict[int, list[tuple[int, int]]] = {}  # session index -> capability snapshots (k, ts) it hosts
    for k, ts in enumerate(_capability_times(start_ms, starts[-1])):
        owner = ascending[min(bisect.bisect_left(starts, ts), len(ascending) - 1)].index
        hosted.setdefault(owner, []).append((k, ts))

    ids = _Identities()
    totals = _Totals()
    list_sessions = sessions <= _README_SESSION_LIST_LIMIT
    with tempfile.TemporaryDirectory(prefix="reportgen-fixture-") as tmp:
        spool_dir = Path(tmp)
        spools = {s: open(spool_dir / f"{s}.jsonl", "w", encoding="utf-8") for s in SCENARIO_ORDER}
        try:
            for scenario in SCENARIO_ORDER:
                (out / scenario).mkdir(exist_ok=True)
            # newest session first, like the scenario queries' ORDER BY session_start_ts DESC
            for planned in reversed(ascending):
                f = _render_session(planned, seed=seed, catalog=catalog, ids=ids,
                                    capabilities=hosted.get(planned.index, []))
                text = "\n".join(r[2] for r in f.rows) + "\n"
                (out / f.entry["file"]).write_text(text, encoding="utf-8")
                spools[f.profile.scenario].write(json.dumps(f.entry) + "\n")
                totals.add(f, text, list_sessions)
        finally:
            for spool in spools.values():
                spool.close()
        head = _manifest_head(totals, seed=seed, sessions=sessions, start_ms=start_ms, hours=hours)
        manifest_path = out / "manifest.json"
        write_manifest(manifest_path, head, SCENARIO_ORDER, spool_dir, totals.by_scenario)

    window = (head["window"]["from_ts"], head["window"]["to_ts"])
    write_readme(
        out,
        regenerate=(f"python -m reportgen.demo.generator --out <dir> --sessions {sessions} --seed {seed} "
                    f"--start {iso(start_ms)} --hours {hours:g} --force"),
        sessions=sessions, total_lines=totals.lines, window=window,
        profiles=(*gs.PROFILES, gs.QUALITY_GATE_PROFILE), by_profile=totals.by_profile, by_type=totals.by_type,
        profile_sessions=totals.profile_sessions, quality_cases=totals.quality_cases,
    )
    return FixtureSummary(
        out_dir=out, manifest_path=manifest_path, sessions=sessions, events=totals.lines, files=sessions,
        bytes=totals.bytes, window=window, by_profile=dict(totals.by_profile),
        by_scenario=dict(totals.by_scenario), by_type=dict(totals.by_type),
        seconds=time.perf_counter() - began, quality_gate_cases=totals.quality_cases,
    )


# ---- command line -------------------------------------------------------------------------------


def _parse_start(text: str) -> datetime:
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise FixtureError(f"--start must be an ISO-8601 time, got {text!r}") from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reportgen.demo.generator",
                                     description="Write a synthetic fixture folder in the harness format.")
    parser.add_argument("--out", required=True, help="output folder (created; must be empty unless --force)")
    parser.add_argument("--sessions", type=int, default=DEFAULT_SESSIONS, help=f"number of sessions (>= {MIN_SESSIONS})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--start", default=iso(to_ms(DEFAULT_START)), help="first possible session start (ISO, UTC)")
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
