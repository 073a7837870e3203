"""Serial vs concurrent collection, and reportgen's overhead over the engine's own query time.

Usage:
    python benchmarks/bench_collect.py                       # embedded demo warehouse
    python benchmarks/bench_collect.py --target chdb:///DIR --manifest fixtures/demo/manifest.json

Runs the bundled packs with --concurrency 1 and 4 (whole `reportgen run`: collect, snapshot,
report), then replays exactly the statements that run executed on bare clickhouse-connect clients
(4 threads, no snapshot, no report) as the engine baseline. Prints wall times, the serial /
concurrent ratio and the overhead ratio (goal: run wall ≤ 1.15 × engine time at concurrency 4).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from reportgen.config import query_settings
from reportgen.embedded import demo_root, ensure_demo_warehouse, locked
from reportgen.runner import RunOptions, execute_run
from reportgen.snapshot import open_run
from reportgen.target import connect, parse_dsn


def engine_replay(target: str, statements: list[tuple[str, dict]], threads: int) -> float:
    spec = parse_dsn(target)
    clients = [connect(spec, query_settings()) for _ in range(threads)]
    try:
        def work(index: int) -> None:
            client = clients[index % threads]
            sql, params = statements[index]
            try:
                client.query_arrow(sql, parameters=params or None)
            except Exception:
                pass

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            # one client per thread: each thread takes every `threads`-th statement
            def lane(offset: int) -> None:
                for i in range(offset, len(statements), threads):
                    work(i)

            list(pool.map(lane, range(threads)))
        return time.perf_counter() - start
    finally:
        for client in clients:
            client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", help="chdb:///dir or server DSN (default: embedded demo)")
    parser.add_argument("--manifest", help="fixture manifest whose window to use")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    artifacts = Path(tempfile.mkdtemp(prefix="bench-collect-"))
    target, manifest = args.target, args.manifest
    if not target:
        with locked(demo_root("artifacts")):
            data, demo_manifest = ensure_demo_warehouse("artifacts")
        target, manifest = f"chdb://{data.resolve()}", manifest or str(demo_manifest)

    figures: dict[int, list[float]] = {1: [], 4: []}
    last = None
    for _ in range(args.repeat):
        for concurrency in (1, 4):
            start = time.perf_counter()
            outcome = execute_run(RunOptions(target=target, manifest=manifest, concurrency=concurrency,
                                             artifacts=artifacts, quiet=True, env=dict(os.environ)))
            figures[concurrency].append(time.perf_counter() - start)
            last = outcome.path
    snap = open_run(last)
    window = snap.manifest["window"]
    from reportgen.window import Window

    params = Window.from_json(window).params()
    params["limit_per_scenario"] = snap.manifest["params"]["limit_per_scenario"]
    sids = list(dict.fromkeys(s.workflow_session_id for s in snap.sessions))
    statements, seen_batches = [], set()
    for block in snap.blocks:
        if "{sids:" in block.sql:  # batched drill-down: executed once for every session
            if block.block_id in seen_batches:
                continue
            seen_batches.add(block.block_id)
        bound = {**params, "sids": sids, **({"sid": block.sid} if block.sid else {})}
        names = [n for n in ("from_ts", "to_ts", "limit_per_scenario", "sid", "sids") if "{" + n + ":" in block.sql]
        statements.append((block.sql, {n: bound[n] for n in names}))
    engine = [engine_replay(target, statements, 4) for _ in range(args.repeat)]
    serial_engine = sum(b.duration_s for b in snap.blocks)

    best = {k: min(v) for k, v in figures.items()}
    timings = snap.manifest["timings"]
    print(f"blocks executed per run:            {len(snap.blocks)}")
    print(f"run wall, concurrency 1 (best of {args.repeat}): {best[1]:.2f} s")
    print(f"run wall, concurrency 4 (best of {args.repeat}): {best[4]:.2f} s")
    print(f"serial / concurrent ratio:          {best[1] / best[4]:.2f}x")
    print(f"engine replay, 4 threads (best):    {min(engine):.2f} s")
    print(f"sum of per-block times (conc. 4):   {serial_engine:.2f} s")
    print(f"last run: collect {timings.get('collect_s')} s, render {timings.get('render_s')} s, "
          f"total {timings.get('total_s')} s")
    print(f"overhead: run wall / engine time = {best[4] / min(engine):.2f} (goal <= 1.15)")
    slow = sorted(snap.blocks, key=lambda b: b.duration_s, reverse=True)[:8]
    print("slowest blocks:")
    for block in slow:
        print(f"  {block.duration_s:7.3f} s  {block.block_id}{' [' + block.sid + ']' if block.sid else ''}")


if __name__ == "__main__":
    main()
