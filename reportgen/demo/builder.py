"""Build a demo warehouse (a chDB data directory) from a harness-format fixture folder.

``build_warehouse(fixture_dir, data_dir)`` = apply the schema, replay the fixture into the raw
tables, run the reference pipeline, count every object. It opens its own read-write chDB client
on ``data_dir`` and closes it at the end (one chDB path per process: do not call it while a client
on another path is open in this process). A ``reportgen_build.json`` marker in ``data_dir`` records
the fixture and schema hashes so callers can reuse a build while neither changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from reportgen.demo.loader import FixtureError, LoadReport, load_fixture, read_fixture
from reportgen.demo.pipeline import pipeline_files, run_pipeline
from reportgen.demo.schema import DATABASE, apply_schema, schema_files
from reportgen.errors import ReportgenError
from reportgen.resources import warehouse_sql_dir

MARKER_FILE = "reportgen_build.json"
BUILD_FORMAT = 1

#: Objects by layer, in data-flow order (spec/warehouse.md a.1).
LAYERS: dict[str, list[str]] = {
    "raw": ["streaming_events", "streaming_events_dlq", "streaming_events_quarantine"],
    "typed": ["ai_stream_status", "stream_trace_events", "ai_stream_events", "stream_ingest_metrics",
              "network_capabilities", "network_capabilities_advertised",
              "network_capabilities_model_constraints", "network_capabilities_prices",
              "discovery_results", "payment_events"],
    "silver": ["fact_stream_status_samples", "fact_stream_trace_edges", "fact_stream_ingest_samples"],
    "lifecycle": ["fact_workflow_sessions", "fact_workflow_session_segments", "fact_workflow_param_updates",
                  "fact_lifecycle_edge_coverage", "fact_workflow_latency_samples"],
    "dimensions": ["dim_orchestrator_capability_snapshots", "dim_orchestrator_capability_advertised_snapshots",
                   "dim_orchestrator_capability_model_constraints", "dim_orchestrator_capability_prices",
                   "dim_orchestrator_capability_current"],
    "rollups": ["agg_stream_performance_1m", "agg_reliability_1h", "agg_latency_kpis_1m"],
    "views": ["v_api_gpu_metrics", "v_api_network_demand", "v_api_network_demand_by_gpu",
              "v_api_sla_compliance", "v_api_jitter_5m", "v_api_session_identity"],
}


class BuildError(ReportgenError):
    """The demo warehouse could not be built (bad fixture, busy or non-empty output directory)."""


@dataclass
class BuildReport:
    fixture_dir: str
    data_dir: str
    fixture_hash: str
    schema_hash: str
    window: dict | None
    duration_s: float
    load_s: float
    pipeline_s: float
    load: dict
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    build_format: int = BUILD_FORMAT

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> dict:
        """JSON-ready dict (alias of ``to_dict``)."""
        return self.to_dict()

    @property
    def flat_counts(self) -> dict[str, int]:
        return {name: n for layer in self.counts.values() for name, n in layer.items()}


def fixture_hash(fixture_dir: str | Path) -> str:
    """SHA-256 over the manifest and every session file it references (paths and bytes)."""
    fixture = read_fixture(fixture_dir)
    digest = hashlib.sha256()
    digest.update(fixture.manifest_path.read_bytes())
    for session in fixture.sessions:
        digest.update(b"\0" + session.path.name.encode() + b"\0")
        with session.path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def warehouse_sql_hash() -> str:
    """SHA-256 over the schema DDL and the reference pipeline SQL (a change means: rebuild)."""
    digest = hashlib.sha256()
    replay = sorted((warehouse_sql_dir() / "replay").glob("[0-9][0-9]_*.sql"))
    for path in [*schema_files(), *replay, *pipeline_files()]:
        digest.update(f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def read_build_marker(data_dir: str | Path) -> dict | None:
    """The marker of a completed build in ``data_dir``, or None."""
    path = Path(data_dir) / MARKER_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_build_current(data_dir: str | Path, fixture_dir: str | Path) -> bool:
    """True when ``data_dir`` holds a completed build of this fixture with the current schema."""
    marker = read_build_marker(data_dir)
    if not marker or marker.get("build_format") != BUILD_FORMAT:
        return False
    try:
        return (marker.get("schema_hash") == warehouse_sql_hash()
                and marker.get("fixture_hash") == fixture_hash(fixture_dir))
    except FixtureError:
        return False


def layer_counts(client) -> dict[str, dict[str, int]]:
    """Row counts of every object, grouped by layer (views are counted by running them)."""
    counts: dict[str, dict[str, int]] = {}
    for layer, names in LAYERS.items():
        counts[layer] = {}
        for name in names:
            counts[layer][name] = int(client.command(f"SELECT count() FROM {DATABASE}.{name}"))
    return counts


def latest_session_count(client) -> int:
    """Distinct sessions (the latest version of each)."""
    return int(client.command(f"SELECT uniqExact(workflow_session_id) FROM {DATABASE}.fact_workflow_sessions"))


def format_counts(counts: dict[str, dict[str, int]]) -> str:
    """Human-readable per-layer counts (used by `reportgen demo counts` / `demo build`)."""
    width = max(len(n) for layer in counts.values() for n in layer) if counts else 10
    lines = []
    for layer, objects in counts.items():
        lines.append(f"{layer}:")
        lines.extend(f"  {name:<{width}}  {rows:>12,}" for name, rows in objects.items())
    return "\n".join(lines)


def _prepare_data_dir(data_dir: Path, overwrite: bool) -> None:
    if data_dir.exists() and not data_dir.is_dir():
        raise BuildError(f"output {data_dir} exists and is not a directory")
    if data_dir.is_dir() and any(data_dir.iterdir()):
        if not overwrite:
            raise BuildError(f"output directory {data_dir} is not empty (pass overwrite to rebuild it)")
        if not (data_dir / MARKER_FILE).exists() and not (data_dir / "metadata").is_dir():
            raise BuildError(f"refusing to overwrite {data_dir}: it does not look like a demo warehouse")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)


def build_warehouse(fixture_dir: str | Path, data_dir: str | Path, *, overwrite: bool = False) -> BuildReport:
    """Build the demo warehouse from ``fixture_dir`` into the chDB directory ``data_dir``."""
    import clickhouse_connect

    started = time.perf_counter()
    fixture_dir = Path(fixture_dir).resolve()
    data_dir = Path(data_dir).resolve()
    try:
        fixture = read_fixture(fixture_dir)
        fx_hash = fixture_hash(fixture_dir)
    except FixtureError as exc:
        raise BuildError(str(exc)) from exc
    _prepare_data_dir(data_dir, overwrite)
    try:
        client = clickhouse_connect.get_client(dsn=f"chdb://{data_dir}")
    except Exception as exc:  # noqa: BLE001 - chDB reports busy paths as generic errors
        raise BuildError(f"cannot open chDB directory {data_dir}: {exc}") from exc
    try:
        apply_schema(client)
        t0 = time.perf_counter()
        load: LoadReport = load_fixture(client, fixture_dir)
        load_s = time.perf_counter() - t0
        pipeline = run_pipeline(client)
        counts = layer_counts(client)
    except FixtureError as exc:
        raise BuildError(str(exc)) from exc
    finally:
        client.close()
    window = None
    if fixture.window:
        window = {"from_ts": fixture.window[0], "to_ts": fixture.window[1]}
    report = BuildReport(
        fixture_dir=str(fixture_dir), data_dir=str(data_dir), fixture_hash=fx_hash,
        schema_hash=warehouse_sql_hash(), window=window,
        duration_s=round(time.perf_counter() - started, 3), load_s=round(load_s, 3),
        pipeline_s=round(pipeline.seconds, 3), load=asdict(load), counts=counts,
    )
    (data_dir / MARKER_FILE).write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
    return report


_VOLATILE_COLUMNS = {"ingestion_timestamp", "checked_at", "lag_minutes"}


def _fingerprint_expr(name: str, type_: str) -> str:
    col = f"`{name}`"
    if type_.startswith("AggregateFunction("):
        return f"toString(round(toFloat64(finalizeAggregation({col})), 4))"
    if "Float" in type_:
        return f"round({col}, 6)"
    return col


def content_fingerprint(client, objects: list[str] | None = None) -> dict[str, list[int]]:
    """Order-independent content hash per object: ``{name: [rows, hash]}``.

    Volatile columns (``ingestion_timestamp`` = insert time, freshness ``checked_at``) are left
    out; floats are rounded to 6 decimals, aggregate states are compared by their final values.
    Two builds of the same fixture have identical fingerprints.
    """
    names = list(objects) if objects is not None else [n for layer in LAYERS.values() for n in layer]
    rows = client.query(
        "SELECT table, name, type FROM system.columns WHERE database = {db:String} ORDER BY table, position",
        parameters={"db": DATABASE},
    ).result_rows
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, name, type_ in rows:
        columns.setdefault(table, []).append((name, type_))
    out: dict[str, list[int]] = {}
    for name in names:
        exprs = [_fingerprint_expr(c, t) for c, t in columns.get(name, []) if c not in _VOLATILE_COLUMNS]
        if not exprs:
            raise BuildError(f"unknown warehouse object {name!r}")
        count, digest = client.query(
            f"SELECT count(), sum(cityHash64(tuple({', '.join(exprs)}))) FROM {DATABASE}.{name}"
        ).result_rows[0]
        out[name] = [int(count), int(digest)]
    return out
