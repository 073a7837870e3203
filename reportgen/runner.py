"""`reportgen run` as a plain function: packs → target → collect → run folder → report."""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportgen import __version__
from reportgen.collect import CollectResult, collect
from reportgen.config import DEFAULT_LIMIT_PER_SCENARIO, env_int, query_settings, show_debug_default
from reportgen.errors import EXIT_CHECKS_FAILED, EXIT_OK, ConfigError
from reportgen.packs import Pack, load_packs
from reportgen.resources import packs_dir, sql_dir
from reportgen.snapshot import BlockRecord, RunSnapshot, check_run_id, new_run_id, open_run, verdict_for, write_run
from reportgen.target import Target, connect, parse_dsn, server_version, target_from_env
from reportgen.verdicts import BAD, FAIL, counts, overall
from reportgen.window import Window, resolve_window


@dataclass
class RunOptions:
    target: str | None = None
    packs: Sequence[str | Path] = ()
    drilldowns: Sequence[str | Path] | None = None
    from_ts: str | None = None
    to_ts: str | None = None
    lookback_hours: float | None = None
    manifest: str | Path | None = None
    limit_per_scenario: int | None = None
    concurrency: int = 4
    run_id: str | None = None
    artifacts: str | Path = "artifacts"
    quiet: bool = False
    show_debug: bool | None = None
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


@dataclass
class RunOutcome:
    path: Path
    exit_code: int
    verdict: str
    counts: dict[str, int]
    snapshot: RunSnapshot


def default_drilldowns() -> list[Path]:
    folder = sql_dir() / "drilldown"
    return [folder] if folder.is_dir() and any(folder.glob("*.sql")) else []


def exit_code_for(statuses: Sequence[str]) -> int:
    return EXIT_CHECKS_FAILED if any(s in BAD for s in statuses) else EXIT_OK


def checked_statuses(blocks: Sequence[BlockRecord]) -> list[str]:
    """Statuses that decide the run: every phase-1 block (drill-downs are diagnostics)."""
    return [b.status for b in blocks if b.phase == 1]


def failed_tests(results: list[Any]) -> set[str]:
    return {r.block.name for r in results if r.block.kind == "TEST" and verdict_for(r).status == FAIL}


def pack_manifest(packs: Sequence[Pack]) -> list[dict[str, Any]]:
    return [
        {"suite": p.suite, "kind": p.kind, "path": p.path, "sha256": p.sha256, "blocks": len(p.blocks)}
        for p in packs
    ]


def execute_run(options: RunOptions) -> RunOutcome:
    started = time.perf_counter()
    env = options.env
    limit = options.limit_per_scenario
    if limit is None:
        limit = env_int(env, "LIMIT_PER_SCENARIO", DEFAULT_LIMIT_PER_SCENARIO)
    if limit < 1:
        raise ConfigError(f"--limit-per-scenario must be at least 1, got {limit}")
    if options.concurrency < 1:
        raise ConfigError(f"--concurrency must be at least 1, got {options.concurrency}")
    run_id = check_run_id(options.run_id or new_run_id())
    packs = load_packs(options.packs or [packs_dir()])
    drilldown_paths = default_drilldowns() if options.drilldowns is None else options.drilldowns
    drilldowns = load_packs(drilldown_paths) if drilldown_paths else []
    settings = query_settings(env)

    with ExitStack() as stack:
        target, manifest_path = _resolve_target(options, stack)
        window = resolve_window(
            from_ts=options.from_ts, to_ts=options.to_ts, manifest=manifest_path,
            lookback_hours=options.lookback_hours, env=env,
        )
        probe = connect(target, settings)
        engine = server_version(probe)
        probe.close()
        params: dict[str, Any] = {**window.params(), "limit_per_scenario": limit}
        collected = collect(
            lambda: connect(target, settings), packs, drilldowns, params,
            limit_per_scenario=limit, concurrency=options.concurrency,
            progress=not options.quiet, failed_test_names=failed_tests, redact=target.redact,
        )
    manifest = _manifest(options, target, window, packs, drilldowns, settings, engine, limit,
                         collected, started)
    show_debug = show_debug_default(env) if options.show_debug is None else options.show_debug

    def finish(folder: Path, snap: RunSnapshot) -> dict[str, Any]:
        from reportgen.report import write_report

        render_start = time.perf_counter()
        write_report(snap, folder / "report.html", show_debug=show_debug)
        statuses = checked_statuses(snap.blocks)
        extra = _ci_outputs(snap, folder)
        return {
            **extra,
            "timings": {**manifest["timings"], "render_s": round(time.perf_counter() - render_start, 3),
                        "total_s": round(time.perf_counter() - started, 3)},
            "exit_status": {"code": exit_code_for(statuses), "verdict": overall(statuses),
                            "counts": counts(statuses)},
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }

    path = write_run(options.artifacts, run_id, manifest, collected, finish)
    snap = open_run(path)
    statuses = checked_statuses(snap.blocks)
    return RunOutcome(path, exit_code_for(statuses), overall(statuses), counts(statuses), snap)


def _ci_outputs(snap: RunSnapshot, folder: Path) -> dict[str, Any]:
    """JUnit XML and the Markdown summary, when the CI module is present."""
    try:
        from reportgen import ci
    except ImportError:
        return {}
    return ci.write_outputs(snap, folder)


def _resolve_target(options: RunOptions, stack: ExitStack) -> tuple[Target, Path | None]:
    manifest = Path(options.manifest) if options.manifest else None
    if options.target:
        return parse_dsn(options.target, options.env), manifest
    from_env = target_from_env(options.env)
    if from_env is not None:
        return from_env, manifest
    from reportgen.embedded import demo_root, ensure_demo_warehouse, locked

    stack.enter_context(locked(demo_root(options.artifacts)))
    data, demo_manifest = ensure_demo_warehouse(options.artifacts)
    return Target("chdb", path=str(data.resolve()), demo=True), manifest or demo_manifest


def _manifest(options: RunOptions, target: Target, window: Window, packs: Sequence[Pack],
              drilldowns: Sequence[Pack], settings: Mapping[str, Any], engine: str, limit: int,
              collected: CollectResult, started: float) -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    from reportgen.report.harness import load_harness

    def installed(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "not installed"

    return {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "window": window.to_json(),
        "target": target.to_json(),
        "packs": pack_manifest(packs),
        "drilldowns": pack_manifest(drilldowns),
        "params": {"limit_per_scenario": limit, "concurrency": options.concurrency},
        "query_settings": dict(settings),
        "versions": {
            "reportgen": __version__,
            "engine": engine,
            "python": platform.python_version(),
            "clickhouse_connect": installed("clickhouse-connect"),
            "chdb": installed("chdb"),
        },
        "timings": {"collect_s": round(collected.duration_s, 3),
                    "total_s": round(time.perf_counter() - started, 3)},
        "sessions": len({s.workflow_session_id for s in collected.sessions}),
        "argv": [target.redact(a) for a in sys.argv[1:]],
        "show_debug_default": bool(options.show_debug),
        # The harness run under <artifacts>/test-runs/ (HARNESS_RUN_ID or newest), copied in so
        # that render stays snapshot-only.
        "harness": load_harness(options.artifacts, options.env.get("HARNESS_RUN_ID")),
    }
