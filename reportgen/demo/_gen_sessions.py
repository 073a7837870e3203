"""Session profiles for the fixture generator: one builder function per scenario class.

Each profile appends the raw events of one session to a `SessionBuilder` (see `_gen_builder` for
payload shapes and timings); `PROFILES` lists them with their scenario folder, their weight in
the scaled mix and their timing rule (anywhere / across an hour boundary / rollover tail / within
one hour).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportgen.demo._gen_builder import (
    EXCUSABLE_ABORT_MESSAGES,
    INGEST_METRICS_GATEWAYS,
    PROMPTS,
    UNEXCUSED_MESSAGES,
    SessionBuilder,
)
from reportgen.demo._gen_catalog import Node
from reportgen.demo._gen_random import FastRandom

# ---- shared phases --------------------------------------------------------------------------


@dataclass
class _Startup:
    node: Node
    request_ts: int
    ingest_ts: int  # gateway_send_first_ingest_segment
    playable_ts: int | None


def _startup(b: SessionBuilder, t0: int, node: Node, *, processed: bool = True, playable: bool = True,
             request_arrival_ms: int | None = None) -> _Startup:
    """Request edge, orchestrator selection and the startup lifecycle edges."""
    rng = b.rng
    arrival = rng.randint(0, 2) if request_arrival_ms is None else request_arrival_ms
    b.trace("gateway_receive_stream_request", t0, arrival_ms=arrival)
    ingest = t0 + rng.randint(5_000, 11_000)
    b.trace("gateway_send_first_ingest_segment", ingest, node)
    runner_in = ingest + rng.randint(150, 700)
    b.trace("runner_receive_first_ingest_segment", runner_in, node, arrival_ms=rng.randint(40, 90))
    playable_ts = None
    if processed:
        runner_out = runner_in + rng.randint(300, 1_200)
        b.trace("runner_send_first_processed_segment", runner_out, node, arrival_ms=rng.randint(40, 90))
        first_out = runner_out + rng.randint(80, 500)
        b.trace("gateway_receive_first_processed_segment", first_out, node)
        if playable:
            playable_ts = first_out + rng.randint(1_200, 2_800)
            b.trace("gateway_receive_few_processed_segments", playable_ts, node)
    return _Startup(node, t0, ingest, playable_ts)


def _ingest_series(b: SessionBuilder, ingest_ts: int, end_ts: int, *, quality: str = "good") -> None:
    """WHIP ingest stats every 20 s while ingest runs — only gateways that report them (one of two)."""
    if b.gateway not in INGEST_METRICS_GATEWAYS:
        return
    ts = ingest_ts + b.rng.randint(3_000, 6_000)
    while ts < end_ts:
        b.ingest_metrics(ts, (ts - ingest_ts) / 1000, quality)
        ts += 20_000


def _payment_series(b: SessionBuilder, node: Node, from_ts: int, end_ts: int) -> None:
    """One payment a minute while `node` produces output, the first a few seconds in."""
    ts = from_ts + b.rng.randint(2_000, 6_000)
    while ts < end_ts:
        b.payment(ts, node)
        ts += 60_000


def _running_fps(rng: FastRandom, low: float, high: float) -> float:
    return rng.uniform(low, high)


def _status_series(b: SessionBuilder, first_ts: int, count: int, nodes: list[Node], *,
                   fps: tuple[float, float], first_degraded: bool = True,
                   state: str = "ONLINE") -> int:
    """`count` samples 10 s apart; `nodes[i]` serves sample i (last node repeats). Returns next ts."""
    rng = b.rng
    ts = first_ts
    for i in range(count):
        node = nodes[min(i, len(nodes) - 1)]
        if i == 0 and first_degraded:
            b.status_sample(ts, node, "DEGRADED_INPUT", 0, 0)
        else:
            out = _running_fps(rng, *fps)
            b.status_sample(ts, node, state, out, min(30.5, out + rng.uniform(0.0, 6.0)))
        ts += 10_000
    return ts


# ---- profiles ---------------------------------------------------------------------------------


def clean_success(b: SessionBuilder, t0: int, *, samples: tuple[int, int] = (3, 5),
                  request_arrival_ms: int | None = None, fps: tuple[float, float] = (19.0, 29.5)) -> None:
    """Playable, one orchestrator, average output fps well above 12, closed normally."""
    rng = b.rng
    node = b.pick_node()
    s = _startup(b, t0, node, request_arrival_ms=request_arrival_ms)
    b.start_status(t0 + rng.randint(1_000, 2_000))
    end = _status_series(b, b.status.start_time + 10_000, rng.randint(*samples), [node], fps=fps)
    end = end - 10_000 + rng.randint(2_000, 8_000)
    _ingest_series(b, s.ingest_ts, end)
    _payment_series(b, node, s.playable_ts, end)
    b.close(end)


def clean_success_long(b: SessionBuilder, t0: int) -> None:
    """A long clean session (7-14 min) placed across an hour boundary."""
    clean_success(b, t0, samples=(40, 80))


def late_request_known_stream_upgrade(b: SessionBuilder, t0: int) -> None:
    """Clean success whose request edge arrives late (after the first status sample), so the session
    is first seen without the request edge (known_stream = 0) and upgraded when it arrives."""
    # the first status sample's envelope lands ≈ t0 + 11.5-12 s; deliver the request edge after it
    clean_success(b, t0, request_arrival_ms=b.rng.randint(13_500, 16_000))


def low_fps(b: SessionBuilder, t0: int) -> None:
    """Playable but slow: average output fps below 12 (out of category)."""
    clean_success(b, t0, fps=(4.0, 9.5))


def no_orchestrator_then_closed(b: SessionBuilder, t0: int) -> None:
    """No orchestrator available: explicit excused startup failure, then closed (reference shape)."""
    rng = b.rng
    b.trace("gateway_receive_stream_request", t0, arrival_ms=rng.randint(0, 2))
    t1 = t0 + rng.randint(3, 2_400)
    b.ai_event(t1, "no orchestrators available")
    b.trace("gateway_no_orchestrators_available", t1)
    b.close(t1 + rng.randint(90, 2_300))


def excusable_no_orchestrator_timeout(b: SessionBuilder, t0: int) -> None:
    """Reference scenario-5 shape: request, `no orchestrators available within 2s timeout` error,
    closed — only excusable errors and no no-orchestrator trace edge (excused, out of category)."""
    rng = b.rng
    b.trace("gateway_receive_stream_request", t0, arrival_ms=rng.randint(0, 2))
    t1 = t0 + rng.randint(1_500, 2_400)
    b.ai_event(t1, "no orchestrators available within 2s timeout")
    b.close(t1 + rng.randint(4, 12))


def excusable_user_abort(b: SessionBuilder, t0: int) -> None:
    """The client goes away during startup (whip / user disconnected, missing video, ICE failure):
    excusable errors only (excused, out of category)."""
    rng = b.rng
    b.trace("gateway_receive_stream_request", t0, arrival_ms=rng.randint(0, 2))
    t1 = t0 + rng.randint(1_500, 6_000)
    b.ai_event(t1, rng.choice(EXCUSABLE_ABORT_MESSAGES))
    b.close(t1 + rng.randint(50, 900))


def unexcused_runner_error(b: SessionBuilder, t0: int) -> None:
    """Orchestrator selected, ingest starts, the runner fails with a non-excusable error."""
    rng = b.rng
    node = b.pick_node()
    s = _startup(b, t0, node, processed=False)
    t1 = s.ingest_ts + rng.randint(2_000, 6_000)
    host = node.uri.split("//", 1)[1]
    b.ai_event(t1, rng.choice((
        "runner exited with code 137",
        f'Error publishing, wrote {rng.randint(900_000, 1_600_000)} dropping Post "https://{host}/ai/trickle/'
        f'{b.request_id}/2": read tcp 172.20.0.5:{rng.randint(30000, 60000)}->217.155.59.172:'
        f'{host.rsplit(":", 1)[-1]}: read: connection reset by peer',
    )))
    b.close(t1 + rng.randint(100, 1_500))


def loading_only(b: SessionBuilder, t0: int, *, samples: tuple[int, int] = (3, 6)) -> None:
    """Ingest starts, the runner never leaves LOADING; non-excusable timeout; closed."""
    rng = b.rng
    node = b.pick_node()
    s = _startup(b, t0, node, processed=False)
    b.start_status(t0 + rng.randint(1_000, 2_000))
    ts = b.status.start_time + 10_000
    for _ in range(rng.randint(*samples)):
        b.status_sample(ts, node, "LOADING", 0, round(rng.uniform(24.0, 30.2), 6))
        ts += 10_000
    end = ts - 10_000 + rng.randint(1_000, 4_000)
    b.ai_event(end - rng.randint(10, 200), "pipeline load timeout after 60s")
    _ingest_series(b, s.ingest_ts, end)
    b.close(end)


def failed_no_output_same_hour(b: SessionBuilder, t0: int) -> None:
    """Short failed session (1-2 LOADING samples, non-excusable error) starting and ending in one hour."""
    loading_only(b, t0, samples=(1, 2))


def zero_output(b: SessionBuilder, t0: int) -> None:
    """Runner is up (DEGRADED_INFERENCE) with input flowing but never outputs a frame; status reports
    `last_error`; non-excusable error event; closed. At least 3 samples (active no-output hour)."""
    rng = b.rng
    node = b.pick_node()
    s = _startup(b, t0, node, processed=False)
    b.start_status(t0 + rng.randint(1_000, 2_000))
    message = UNEXCUSED_MESSAGES[0]
    ts = b.status.start_time + 10_000
    n = rng.randint(3, 6)
    for i in range(n):
        b.status_sample(ts, node, "DEGRADED_INFERENCE", 0, round(rng.uniform(24.0, 30.2), 6),
                        error=message if i == 1 else None)
        ts += 10_000
    end = ts - 10_000 + rng.randint(1_000, 4_000)
    b.ai_event(end - rng.randint(10, 200), message)
    _ingest_series(b, s.ingest_ts, end, quality="poor")
    b.close(end)


def rollover_terminal_tail(b: SessionBuilder, t0: int) -> None:
    """Starts ~28 s before an hour boundary and stays LOADING: 2 samples before the boundary, 2 after,
    then ends inside the new hour (a terminal-tail artifact hour with a no-work previous hour).
    Served by the reserved staging node, so no healthy session shares the tail hour's key."""
    rng = b.rng
    node = rng.choice(b.catalog.reserved)
    b.model = node.model
    s = _startup(b, t0, node, processed=False)
    b.start_status(t0 + 1_500)
    ts = b.status.start_time + 10_000
    for _ in range(4):
        b.status_sample(ts, node, "LOADING", 0, 0)
        ts += 10_000
    end = ts - 10_000 + 3_000
    b.ai_event(end - rng.randint(10, 200), "pipeline load timeout after 60s")
    _ingest_series(b, s.ingest_ts, end)
    b.close(end)


def confirmed_swap(b: SessionBuilder, t0: int) -> None:
    """Playable on orchestrator A, explicit `orchestrator_swap`, continues on B, closed normally."""
    rng = b.rng
    node_a = b.pick_node()
    s = _startup(b, t0, node_a)
    b.start_status(t0 + rng.randint(1_000, 2_000))
    ts = _status_series(b, b.status.start_time + 10_000, rng.randint(2, 3), [node_a], fps=(16.0, 28.0))
    swap_ts = ts - 10_000 + rng.randint(1_000, 8_000)
    b.swap(swap_ts, node_a)
    node_b = b.pick_other_node(node_a)
    b.trace("runner_receive_first_ingest_segment", swap_ts + rng.randint(800, 2_500), node_b,
            arrival_ms=rng.randint(40, 90))
    b.trace("runner_send_first_processed_segment", swap_ts + rng.randint(2_600, 3_500), node_b,
            arrival_ms=rng.randint(40, 90))
    ts = _status_series(b, ts, rng.randint(3, 5), [node_b], fps=(17.0, 29.0), first_degraded=False)
    end = ts - 10_000 + rng.randint(2_000, 8_000)
    _ingest_series(b, s.ingest_ts, end)
    _payment_series(b, node_a, s.playable_ts, swap_ts)
    _payment_series(b, node_b, swap_ts + 3_500, end)
    b.close(end)


def confirmed_swap_then_no_orchestrator(b: SessionBuilder, t0: int) -> None:
    """Reference shape: playable, `orchestrator_swap`, then no orchestrator left; closed; late
    non-excusable publish errors after the close."""
    rng = b.rng
    node = b.pick_node()
    s = _startup(b, t0, node)
    b.start_status(t0 + rng.randint(1_000, 2_000))
    ts = _status_series(b, b.status.start_time + 10_000, 1, [node], fps=(16.0, 28.0))
    swap_ts = max(ts - 10_000, s.playable_ts or ts) + rng.randint(3_000, 8_000)
    b.swap(swap_ts, node)
    t1 = swap_ts + rng.randint(60, 200)
    b.trace("gateway_no_orchestrators_available", t1)
    b.ai_event(t1, "no orchestrators available")
    end = t1 + rng.randint(2, 8)
    _ingest_series(b, s.ingest_ts, end)
    _payment_series(b, node, s.playable_ts, swap_ts)
    b.close(end)
    host = node.uri.split("//", 1)[1]
    late = end + rng.randint(15_000, 25_000)
    for seg in (2, 4):
        b.ai_event(late, f'Error publishing, wrote {rng.randint(900_000, 1_600_000)} dropping Post '
                         f'"https://{host}/ai/trickle/{b.request_id}/{seg}": read tcp 172.20.0.5:'
                         f'{rng.randint(30000, 60000)}->217.155.59.172:{host.rsplit(":", 1)[-1]}: '
                         f'read: connection reset by peer')


def inferred_orchestrator_change(b: SessionBuilder, t0: int) -> None:
    """Playable; status samples come first from orchestrator A, later from B; no swap edge."""
    rng = b.rng
    node_a = b.pick_node()
    node_b = b.pick_other_node(node_a)
    s = _startup(b, t0, node_a)
    b.start_status(t0 + rng.randint(1_000, 2_000))
    n_a, n_b = rng.randint(2, 3), rng.randint(2, 4)
    end = _status_series(b, b.status.start_time + 10_000, n_a + n_b, [node_a] * n_a + [node_b],
                         fps=(16.0, 28.0))
    end = end - 10_000 + rng.randint(2_000, 8_000)
    _ingest_series(b, s.ingest_ts, end)
    change_ts = b.status.start_time + 10_000 * (n_a + 1)
    _payment_series(b, node_a, s.playable_ts, change_ts - 10_000)
    _payment_series(b, node_b, change_ts, end)
    b.close(end)


def param_updates(b: SessionBuilder, t0: int) -> None:
    """Clean success that starts with a prompt and receives 1-3 `params_update` events."""
    rng = b.rng
    node = b.pick_node()
    s = _startup(b, t0, node)
    params = {"height": 512, "prompt": rng.choice(PROMPTS), "width": 512}
    b.start_status(t0 + rng.randint(1_000, 2_000), params)
    ts = b.status.start_time + 10_000
    n = rng.randint(5, 8)
    updates = sorted(rng.sample(range(1, n), min(n - 1, rng.randint(1, 3))))
    for i in range(n):
        if i in updates:
            params = {**params, "prompt": rng.choice(PROMPTS)}
            if rng.random() < 0.3:
                params["width"] = params["height"] = rng.choice((512, 704, 768))
            b.params_update(ts - rng.randint(1_500, 8_000), params)
        if i == 0:
            b.status_sample(ts, node, "DEGRADED_INPUT", 0, 0)
        else:
            out = rng.uniform(17.0, 29.0)
            b.status_sample(ts, node, "ONLINE", out, min(30.5, out + rng.uniform(0, 5)))
        ts += 10_000
    end = ts - 10_000 + rng.randint(2_000, 8_000)
    _ingest_series(b, s.ingest_ts, end)
    _payment_series(b, node, s.playable_ts, end)
    b.close(end)


@dataclass(frozen=True)
class Profile:
    """A session profile: its builder, scenario folder, weight in the scaled mix, timing rule."""

    name: str
    scenario: str
    build: Callable[[SessionBuilder, int], None]
    weight: int
    timing: str = "any"  # any | hour_cross | rollover | same_hour
    description: str = ""


S1 = "scenario_1_clean_success_no_swap_fps_gt_12"
S2 = "scenario_2_no_orchestrator_then_closed"
S3 = "scenario_3_success_with_swap"
S4 = "scenario_4_success_with_param_updates"
S5 = "scenario_5_out_of_category_baseline"
S6 = "scenario_6_same_hour_failed_no_output_retained"
S7 = "scenario_7_rollover_terminal_tail_filtered_prev_hour_no_work"
QUALITY_GATE = "quality_gate_rejects"

PROFILES: tuple[Profile, ...] = (
    Profile("clean_success", S1, clean_success, 72,
            description="playable, one orchestrator, avg output fps > 12, closed"),
    Profile("clean_success_long_hour_cross", S1, clean_success_long, 1, "hour_cross",
            "7-14 min clean session whose status samples span an hour boundary"),
    Profile("late_request_known_stream_upgrade", S1, late_request_known_stream_upgrade, 8,
            description="clean success; request edge arrives after the first status sample "
                        "(first version known_stream = 0, upgraded to 1)"),
    Profile("no_orchestrator_then_closed", S2, no_orchestrator_then_closed, 50,
            description="no orchestrators available edge + error, then closed (excused)"),
    Profile("confirmed_swap", S3, confirmed_swap, 8,
            description="playable, explicit orchestrator_swap edge, continues on a second orchestrator"),
    Profile("confirmed_swap_then_no_orchestrator", S3, confirmed_swap_then_no_orchestrator, 2,
            description="playable, orchestrator_swap, then no orchestrator left; late publish errors"),
    Profile("inferred_orchestrator_change", S3, inferred_orchestrator_change, 6,
            description="playable, status samples from two orchestrators, no swap edge"),
    Profile("param_updates", S4, param_updates, 10,
            description="clean success with a prompt and 1-3 params_update events"),
    Profile("low_fps", S5, low_fps, 12, description="playable but avg output fps < 12"),
    Profile("loading_only", S5, loading_only, 6,
            description="3-6 LOADING samples, never outputs, non-excusable timeout error"),
    Profile("zero_output", S5, zero_output, 6,
            description="DEGRADED_INFERENCE at 0 output fps, status last_error, non-excusable error"),
    Profile("excusable_no_orchestrator_timeout", S5, excusable_no_orchestrator_timeout, 8,
            description="'no orchestrators available within 2s timeout' error, closed; no no-orchestrator "
                        "edge, only excusable errors (excused)"),
    Profile("excusable_user_abort", S5, excusable_user_abort, 6,
            description="client left during startup (whip/user disconnected, missing video, ICE failure): "
                        "only excusable errors (excused)"),
    Profile("unexcused_runner_error", S5, unexcused_runner_error, 6,
            description="ingest starts, runner fails with a non-excusable error (unexcused)"),
    Profile("failed_no_output_same_hour", S6, failed_no_output_same_hour, 6, "same_hour",
            "1-2 LOADING samples and a non-excusable error, start and end in the same hour"),
    Profile("rollover_terminal_tail", S7, rollover_terminal_tail, 2, "rollover",
            "LOADING session starting 28 s before an hour boundary, ending 20 s after it"),
)
PROFILE_BY_NAME = {p.name: p for p in PROFILES}

#: The quality-gate session: a clean success whose file also holds rejects (see generator.py).
QUALITY_GATE_PROFILE = Profile("quality_gate_rejects", QUALITY_GATE, clean_success, 0,
                               description="clean success; its file also holds a duplicate event "
                                           "and malformed lines for the DLQ/quarantine path")
