"""Raw event builder for one synthetic session (used by the session profiles in `_gen_sessions`).

A `SessionBuilder` collects the raw events (envelope timestamp, event id, event type, payload) of
one session. Payload shapes and timings follow the real events in
shared/reference/ (spec/events.md d.3):

- gateway trace edges carry `timestamp` equal to (or 1-2 ms before) the envelope timestamp; runner
  edges arrive 40-90 ms after their data timestamp; `orchestrator_swap` carries `pipeline` and
  `message` and no `timestamp`;
- status samples come every 10 s from the runner (`start_time` ≈ 1.5 s after the request), the
  first one usually `DEGRADED_INPUT` at 0 fps; `last_params_hash` is the MD5 of the params JSON
  (`{}` → 99914b93…); fields that are unset are omitted, as the runner does;
- sessions end with a `mediamtx ingest disconnected` error and `gateway_ingest_stream_closed`
  at the same envelope timestamp.

`stream_ingest_metrics` has no reference sample; its payload follows go-livepeer's WHIP media
stats: `{stream_id, request_id, pipeline_id, timestamp, stats: {conn_quality, peer_conn_stats:
{ID, BytesReceived, BytesSent}, track_stats: [{type: video|audio, jitter, packets_received,
packets_lost, packet_loss_pct, rtt, last_input_ts, latency}]}}`.

`payment_events` (no reference sample either) follow go-livepeer's payment event with camelCase
string fields: `{capability, clientIP, faceValue (wei, digits), manifestID, numTickets,
orchestrator (URI), price, recipient (canonical address), requestID, sender, sessionID, winProb}`;
the gateway pays once a minute while a session produces output.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from reportgen.demo._gen_catalog import GATEWAY_SENDERS, GATEWAYS, LIVE_PIPELINE, Catalog, Node
from reportgen.demo._gen_random import FastRandom

HOUR_MS = 3_600_000
#: Gateways that emit `stream_ingest_metrics` (a feature rolled out to one gateway only).
INGEST_METRICS_GATEWAYS = (GATEWAYS[1],)

#: Messages the lifecycle rules treat as excusable (spec/warehouse.md).
EXCUSABLE_ABORT_MESSAGES = (
    "whip disconnected",
    "user disconnected",
    "ice connection state failed",
    "missing video",
)
UNEXCUSED_MESSAGES = (
    "inference error: CUDA out of memory. Tried to allocate 2.00 GiB",
    "runner exited with code 137",
    "pipeline load timeout after 60s",
    "failed to start stream: orchestrator returned 500 Internal Server Error",
)
PROMPTS = (
    "a watercolor painting of a lighthouse at dusk",
    "cyberpunk city street, neon reflections, rain",
    "studio ghibli style forest spirit",
    "oil painting portrait, dramatic lighting",
    "low poly mountain landscape, pastel colors",
    "anime character, cel shading, vibrant",
)

Event = tuple[int, str, str, object]  # (envelope timestamp ms, event id, type, payload)


def params_hash(params: dict) -> str:
    """MD5 of the compact JSON of the params (`{}` → 99914b932bd37a50b983c5e7c90ae93b)."""
    text = json.dumps(params, separators=(",", ":"), sort_keys=True)
    cached = _PARAMS_HASHES.get(text)
    if cached is None:
        cached = _PARAMS_HASHES[text] = hashlib.md5(text.encode()).hexdigest()
    return cached


_PARAMS_HASHES: dict[str, str] = {}


@dataclass
class _StatusState:
    start_time: int
    last_status_ts: int
    state: str = ""
    state_update_time: int = 0
    params: dict = field(default_factory=dict)
    params_update_time: int = 0
    restart_count: int = 0
    last_error: str | None = None
    last_error_time: int | None = None
    last_output_time: int | None = None
    last_input_time: int | None = None


class SessionBuilder:
    """Collects the raw events of one session."""

    def __init__(self, rng: FastRandom, catalog: Catalog, *, stream_id: str, request_id: str,
                 model: str, gateway: str) -> None:
        self.rng = rng
        self.catalog = catalog
        self.stream_id = stream_id
        self.request_id = request_id
        self.model = model
        self.gateway = gateway
        self.events: list[Event] = []
        self.status: _StatusState | None = None

    # ---- identity helpers -------------------------------------------------------------------
    def new_id(self) -> str:
        return self.rng.uuid4()

    def pick_node(self) -> Node:
        candidates = self.catalog.by_model[self.model]
        weights = [self.catalog.nodes[i].capacity for i in candidates]
        return self.catalog.nodes[self.rng.choices(candidates, weights)[0]]

    def pick_other_node(self, current: Node) -> Node:
        """A node serving the same model under a different canonical orchestrator."""
        candidates = [self.catalog.nodes[i] for i in self.catalog.by_model[self.model]]
        others = [n for n in candidates if n.canonical != current.canonical]
        return self.rng.choice(others)

    # ---- raw events -------------------------------------------------------------------------
    def add(self, envelope_ts: int, event_type: str, payload: object) -> None:
        self.events.append((envelope_ts, self.new_id(), event_type, payload))

    @staticmethod
    def _orch(node: Node | None) -> dict:
        return {"address": node.event_address, "url": node.uri} if node else {"address": "", "url": ""}

    def trace(self, trace_type: str, ts: int, node: Node | None = None, *, arrival_ms: int = 0) -> None:
        self.add(ts + arrival_ms, "stream_trace", {
            "orchestrator_info": self._orch(node),
            "pipeline_id": "",
            "request_id": self.request_id,
            "stream_id": self.stream_id,
            "timestamp": ts,
            "type": trace_type,
        })

    def swap(self, ts: int, node: Node, message: str = "orchestrator is slow") -> None:
        self.add(ts, "stream_trace", {
            "message": message,
            "orchestrator_info": self._orch(node),
            "pipeline": self.model,
            "pipeline_id": "",
            "request_id": self.request_id,
            "stream_id": self.stream_id,
            "type": "orchestrator_swap",
        })

    def ai_event(self, ts: int, message: str, event_type: str = "error") -> None:
        self.add(ts, "ai_stream_events", {
            "capability": "",
            "message": message,
            "pipeline": self.model,
            "pipeline_id": "",
            "request_id": self.request_id,
            "stream_id": self.stream_id,
            "type": event_type,
        })

    def params_update(self, ts: int, params: dict) -> None:
        """A `params_update` AI event; the next status samples report the new params."""
        self.ai_event(ts, json.dumps(params, separators=(",", ":"), sort_keys=True), "params_update")
        if self.status is not None:
            self.status.params = dict(params)
            self.status.params_update_time = ts + self.rng.randint(20, 300)

    def start_status(self, start_time: int, params: dict | None = None) -> None:
        self.status = _StatusState(start_time=start_time, last_status_ts=start_time,
                                   params=dict(params or {}), params_update_time=start_time + 1)

    def status_sample(self, ts: int, node: Node, state: str, output_fps: float, input_fps: float,
                      *, error: str | None = None) -> None:
        st = self.status
        assert st is not None, "start_status() first"
        if state != st.state:
            st.state = state
            st.state_update_time = ts - self.rng.randint(200, 9000)
        if output_fps > 0:
            st.last_output_time = ts - self.rng.randint(5, 150)
        if input_fps > 0:
            st.last_input_time = ts - self.rng.randint(5, 150)
        if error is not None:
            st.last_error = error
            st.last_error_time = ts - self.rng.randint(100, 5000)
            st.restart_count += 1
        inference: dict = {
            "fps": output_fps,
            "last_params": st.params,
            "last_params_hash": params_hash(st.params),
            "last_params_update_time": st.params_update_time,
            "restart_count": st.restart_count,
        }
        if st.last_output_time is not None:
            inference["last_output_time"] = st.last_output_time
        if st.last_error is not None:
            inference["last_error"] = st.last_error
            inference["last_error_time"] = st.last_error_time
        input_status: dict = {"fps": input_fps}
        if st.last_input_time is not None:
            input_status["last_input_time"] = st.last_input_time
        self.add(ts + self.rng.randint(40, 70), "ai_stream_status", {
            "inference_status": inference,
            "input_status": input_status,
            "last_state_update_time": st.state_update_time,
            "last_status_timestamp": st.last_status_ts,
            "orchestrator_info": self._orch(node),
            "pipeline": self.model,
            "pipeline_id": "",
            "request_id": self.request_id,
            "start_time": st.start_time,
            "state": state,
            "stream_id": self.stream_id,
            "timestamp": ts,
            "type": "status",
        })
        st.last_status_ts = ts

    def ingest_metrics(self, ts: int, elapsed_s: float, quality: str = "good") -> None:
        rng = self.rng
        loss = 0.0 if quality == "good" else round(rng.uniform(1.5, 8.0), 3)

        def track(kind: str, pps: int) -> dict:
            received = int(pps * max(elapsed_s, 1.0))
            lost = int(received * loss / 100)
            return {
                "jitter": round(rng.uniform(0.001, 0.03 if quality == "good" else 0.12), 6),
                "last_input_ts": round(elapsed_s, 3),
                "latency": round(rng.uniform(0.02, 0.12 if quality == "good" else 0.6), 6),
                "packet_loss_pct": loss,
                "packets_lost": lost,
                "packets_received": received,
                "rtt": round(rng.uniform(0.01, 0.09), 6),
                "type": kind,
            }

        self.add(ts, "stream_ingest_metrics", {
            "pipeline_id": "",
            "request_id": self.request_id,
            "stats": {
                "conn_quality": quality,
                "peer_conn_stats": {
                    "BytesReceived": int(elapsed_s * rng.randint(240_000, 330_000)),
                    "BytesSent": int(elapsed_s * rng.randint(900, 1400)),
                    "ID": f"PeerConnection-{self.request_id}",
                },
                "track_stats": [track("video", 30), track("audio", 50)],
            },
            "stream_id": self.stream_id,
            "timestamp": ts,
        })

    def payment(self, ts: int, node: Node) -> None:
        rng = self.rng
        self.add(ts, "payment_events", {
            "capability": LIVE_PIPELINE,
            "clientIP": "",
            "faceValue": str(rng.randint(800, 2_400) * 10**12),
            "manifestID": self.stream_id,
            "numTickets": str(rng.randint(1, 3)),
            "orchestrator": node.uri,
            "price": str(node.price_per_unit),
            "recipient": node.canonical.lower(),
            "requestID": self.request_id,
            "sender": GATEWAY_SENDERS[self.gateway],
            "sessionID": f"{self.request_id}-{node.uri.rsplit(':', 1)[-1]}",
            "winProb": "0.000125",
        })

    def close(self, ts: int) -> None:
        """The usual end of a session: ingest disconnected error + stream closed edge, same ms."""
        self.ai_event(ts, "mediamtx ingest disconnected")
        self.trace("gateway_ingest_stream_closed", ts)
