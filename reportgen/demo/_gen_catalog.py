"""The synthetic network the fixture generator draws from: gateways, orchestrators, GPUs, models.

Shapes mirror the real `network_capabilities` payloads in shared/reference/: an orchestrator entry
has a canonical `address` (checksum-style mixed case), a `local_address` (the proxy / hot wallet
that signs for it — stream events carry this one, lower-cased, in `orchestrator_info.address`),
an `orch_uri`, `capabilities` (bitstring, capacities, version, per-capability model constraints),
`capabilities_prices` and `hardware` (one entry per GPU, `gpu_info` keyed "0").

One operator runs several nodes (URIs) under one canonical address, and one hot wallet is shared
by two canonical operators (as in production), so a session's canonical orchestrator can only
be resolved by (hot wallet, URI).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.demo._gen_random import FastRandom

GATEWAYS: tuple[str, ...] = (
    "cloud-spe-ai-live-video-tester-fra",
    "cloud-spe-ai-live-video-tester-mdw",
)

#: Broadcaster (ticket sender) address of each gateway, for payment events.
GATEWAY_SENDERS: dict[str, str] = {
    GATEWAYS[0]: "0x3f1b5ad1c4d2e0e9b84f6c1c1e4f2d8a9b7c6e51",
    GATEWAYS[1]: "0x9a2c7e5d3b1f0e8d6c4a2b9e7f5d3c1a0b8e6f42",
}

#: Models that sessions request (the stream events' `pipeline` field carries these labels).
SESSION_MODELS: tuple[str, ...] = ("streamdiffusion-sdxl", "streamdiffusion-sdxl-v2v", "streamdiffusion")
SESSION_MODEL_WEIGHTS: tuple[int, ...] = (5, 4, 1)

#: Canonical pipeline (workflow class) advertised in capability hardware entries.
LIVE_PIPELINE = "live-video-to-video"
#: Capability id of live-video-to-video in the capability catalogue.
LIVE_CAPABILITY_ID = 35

_CAPACITY_KEYS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 26, 35)


@dataclass(frozen=True)
class GpuModel:
    name: str
    major: int
    minor: int | None  # some real entries omit `minor`
    memory_total: int


GPU_4090 = GpuModel("NVIDIA GeForce RTX 4090", 8, 9, 25757220864)
GPU_5090 = GpuModel("NVIDIA GeForce RTX 5090", 12, None, 34190917632)
GPU_PRO6000 = GpuModel("NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition", 12, 0, 101977309184)


@dataclass(frozen=True)
class Gpu:
    id: str
    model: GpuModel


@dataclass(frozen=True)
class Node:
    """One orchestrator URI serving one model on some GPUs."""

    canonical: str  # checksum-style mixed case, as in capability payloads
    local: str  # proxy / hot wallet, mixed case
    uri: str
    model: str
    gpus: tuple[Gpu, ...]
    version: str
    runner_version: str
    price_per_unit: int
    capacity: int
    #: reserved nodes are not picked for ordinary sessions (see `Catalog.reserved`)
    reserved: bool = False

    @property
    def event_address(self) -> str:
        """The address stream events carry in `orchestrator_info.address`."""
        return self.local.lower()


@dataclass(frozen=True)
class Catalog:
    nodes: tuple[Node, ...]
    #: node indexes (into `nodes`) able to serve each session model (reserved nodes excluded)
    by_model: dict[str, tuple[int, ...]]

    @property
    def reserved(self) -> tuple[Node, ...]:
        """Nodes kept for the rollover-tail sessions only: a staging orchestrator whose runner keeps
        LOADING. Keeping them apart means a terminal-tail hour never shares its (hour, orchestrator,
        GPU) key with healthy sessions, whose presence in the API views would be ambiguous."""
        return tuple(n for n in self.nodes if n.reserved)


def _hex(rng: FastRandom, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _address(rng: FastRandom) -> str:
    """A 0x address in mixed case (looks like EIP-55; the checksum itself is not meaningful)."""
    body = "".join(c.upper() if c.isalpha() and rng.random() < 0.5 else c for c in _hex(rng, 40))
    return "0x" + body


def _gpu_id(rng: FastRandom) -> str:
    return f"GPU-{_hex(rng, 8)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 12)}"


# (operator host stem, uses its own address as local address, shared-hot-wallet group or None,
#  nodes: (host prefix, port, model, gpu model, gpu count)); the staging operator is reserved.
_RESERVED_OPERATOR = "staging-demo.lvpr.io"
_OPERATORS: tuple[tuple[str, bool, str | None, tuple[tuple[str, int, str, GpuModel, int], ...]], ...] = (
    ("pixelforge-demo.xyz", False, "shared-1", (
        ("ai", 9191, "streamdiffusion-sdxl", GPU_4090, 2),
        ("ai3", 9191, "streamdiffusion-sdxl-v2v", GPU_5090, 4),
    )),
    ("bitbender-demo.xyz", False, "shared-1", (
        ("server", 1112, "streamdiffusion-sdxl-v2v", GPU_5090, 1),
        ("ai2", 6655, "streamdiffusion-sdxl", GPU_4090, 2),
    )),
    ("tinyhoshi-demo.xyz", True, None, (
        ("ai", 18936, "streamdiffusion-sdxl-v2v", GPU_5090, 2),
        ("ai", 18937, "streamdiffusion", GPU_PRO6000, 1),
    )),
    ("speedybird-demo.xyz", False, None, (
        ("stream2", 18937, "streamdiffusion-sdxl", GPU_4090, 2),
    )),
    ("arjo-demo.uk", True, None, (
        ("ai", 6500, "streamdiffusion", GPU_4090, 1),
        ("ai4", 6501, "streamdiffusion-sdxl-v2v", GPU_5090, 1),
    )),
    ("staging-demo.lvpr.io", True, None, (
        ("us-staging-9", 10804, "streamdiffusion-sdxl", GPU_4090, 1),
    )),
)


def build_catalog(rng: FastRandom) -> Catalog:
    """Build the deterministic node list (addresses and GPU ids come from `rng`)."""
    shared_wallets: dict[str, str] = {}
    nodes: list[Node] = []
    for host, self_local, shared, specs in _OPERATORS:
        canonical = _address(rng)
        if self_local:
            local = canonical
        elif shared is not None:
            local = shared_wallets.setdefault(shared, _address(rng))
        else:
            local = _address(rng)
        version = rng.choice(("0.8.9", "0.8.9-48c5d860", "0.8.8-79313ecf", "0.8.8"))
        for prefix, port, model, gpu_model, count in specs:
            gpus = tuple(Gpu(_gpu_id(rng), gpu_model) for _ in range(count))
            nodes.append(
                Node(
                    canonical=canonical,
                    local=local,
                    uri=f"https://{prefix}.{host}:{port}",
                    model=model,
                    gpus=gpus,
                    version=version,
                    runner_version=rng.choice(("0.14.1-50a742ce", "0.14.0")),
                    price_per_unit=rng.choice((2421, 2425, 2430)),
                    capacity=count,
                    reserved=host == _RESERVED_OPERATOR,
                )
            )
    by_model = {m: tuple(i for i, n in enumerate(nodes) if n.model == m and not n.reserved) for m in SESSION_MODELS}
    return Catalog(nodes=tuple(nodes), by_model=by_model)


#: An advertised orchestrator that serves no session model and reports no hardware (real
#: snapshots contain such entries: no `hardware` key at all).
def _hardwareless_entry(rng: FastRandom) -> dict:
    address = "0xDef1C70578B2B5e8589a42e26980687fc5153079"
    return {
        "address": address,
        "capabilities": {
            "bitstring": [34426871807],
            "capacities": {str(k): 1 for k in _CAPACITY_KEYS},
            "constraints": {"PerCapability": {str(LIVE_CAPABILITY_ID): {"models": {
                "streamdiffusion-sdxl-faceid": {"runnerVersion": "0.14.1-50a742ce", "warm": True}}}}},
            "version": "0.8.9",
        },
        "capabilities_prices": [{"capability": LIVE_CAPABILITY_ID, "constraint": "streamdiffusion-sdxl-faceid",
                                 "pixelsPerUnit": 1, "pricePerUnit": 2425}],
        "local_address": "0xA2868A9e9C0f880a4c3eF1930764D54e645aE389",
        "orch_uri": "https://stream9.hardwareless-demo.xyz:18937",
    }


def capability_payload(catalog: Catalog, rng: FastRandom) -> list[dict]:
    """One `network_capabilities` payload: a JSON array with one entry per node (URI)."""
    entries: list[dict] = []
    for node in catalog.nodes:
        in_use = rng.randint(0, node.capacity)
        model_constraint: dict = {"runnerVersion": node.runner_version, "warm": True}
        # real payloads omit zero-valued fields: capacity and/or capacityInUse may be missing
        if rng.random() < 0.7:
            model_constraint["capacity"] = node.capacity
        if in_use:
            model_constraint["capacityInUse"] = in_use
        hardware = []
        for gpu in node.gpus:
            info: dict = {
                "id": gpu.id,
                "major": gpu.model.major,
                "memory_free": gpu.model.memory_total - rng.randint(400, 9000) * 1048576,
                "memory_total": gpu.model.memory_total,
                "name": gpu.model.name,
            }
            if gpu.model.minor is not None:
                info["minor"] = gpu.model.minor
            hardware.append({"gpu_info": {"0": info}, "model_id": node.model, "pipeline": LIVE_PIPELINE})
        entries.append(
            {
                "address": node.canonical,
                "capabilities": {
                    "bitstring": [34426871807],
                    "capacities": {str(k): 1 for k in _CAPACITY_KEYS},
                    "constraints": {"PerCapability": {str(LIVE_CAPABILITY_ID): {"models": {node.model: model_constraint}}}},
                    "version": node.version,
                },
                "capabilities_prices": [
                    {"capability": LIVE_CAPABILITY_ID, "constraint": node.model, "pixelsPerUnit": 1,
                     "pricePerUnit": node.price_per_unit}
                ],
                "hardware": hardware,
                "local_address": node.local,
                "orch_uri": node.uri,
            }
        )
    entries.append(_hardwareless_entry(rng))
    return entries


def discovery_events(catalog: Catalog, rng: FastRandom, k: int, ts: int) -> list[tuple[int, str, dict]]:
    """`discovery_results` probes after capability snapshot `k`: three orchestrators (rotating), each
    `{address, latency_ms, url}`. Returns (envelope ts, event id, payload)."""
    out = []
    for j in range(3):
        node = catalog.nodes[(3 * k + j) % len(catalog.nodes)]
        out.append((ts + rng.randint(200, 2_000), rng.uuid4(),
                    {"address": node.canonical, "latency_ms": rng.randint(18, 240), "url": node.uri}))
    return out
