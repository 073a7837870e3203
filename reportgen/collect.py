"""Run every block once, concurrently, and keep each result set exactly as ClickHouse typed it.

Phase 1 runs every pack block. Phase 2 runs the drill-downs: blocks with a `{sid:String}`
placeholder once per session that scenario discovery found (bounded by `limit_per_scenario` per
scenario), and blocks named after a TEST once when that TEST failed. A failing block is recorded
with its error and never stops the run.
"""

from __future__ import annotations

import queue
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.compute as pc

from reportgen.packs import Block, Pack
from reportgen.result_types import TypeRestorer
from reportgen.utf8 import valid_utf8

DISCOVERY_SUITE = "scenario_candidates"
SESSION_COLUMN = "workflow_session_id"
_ERROR_CODE = re.compile(r"Code:\s*(\d+)")
_ERROR_NAME = re.compile(r"\(([A-Z][A-Z0-9_]{2,})\)")
_TYPES = TypeRestorer()  # DateTime/Enum recovery, one DESCRIBE per distinct SQL


@dataclass
class BlockResult:
    block: Block
    phase: int = 1
    sid: str | None = None
    table: pa.Table | None = None
    duration_s: float = 0.0
    started_at: str = ""
    error: str | None = None
    error_code: int | None = None
    error_name: str | None = None

    @property
    def row_count(self) -> int:
        return 0 if self.table is None else self.table.num_rows

    @property
    def columns(self) -> list[tuple[str, str]]:
        if self.table is None:
            return []
        return [(f.name, str(f.type)) for f in self.table.schema]


@dataclass(frozen=True)
class Session:
    workflow_session_id: str
    scenario: str
    rank: int


@dataclass
class CollectResult:
    results: list[BlockResult] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    duration_s: float = 0.0


def run_block(
    client: Any, block: Block, params: dict[str, Any], redact: Callable[[str], str] = str
) -> BlockResult:
    """Execute one block with only the parameters it names; never raises for query errors."""
    bound = {name: params[name] for name in block.params if name in params}
    result = BlockResult(block, started_at=datetime.now(UTC).isoformat(timespec="milliseconds"))
    start = time.perf_counter()
    try:
        result.table = valid_utf8(fetch_table(client, block.sql, bound or None))
    except Exception as exc:  # the engine's error text is the diagnostic
        message = redact(" ".join(str(exc).split())) or type(exc).__name__
        result.error = message
        code = _ERROR_CODE.search(message)
        result.error_code = int(code.group(1)) if code else None
        name = _ERROR_NAME.search(message)
        result.error_name = name.group(1) if name else None
    result.duration_s = time.perf_counter() - start
    return result


def fetch_table(client: Any, sql: str, parameters: dict[str, Any] | None,
                types: TypeRestorer | None = None) -> pa.Table:
    """One result set as Arrow with its ClickHouse types (see `result_types`)."""
    table = client.query_arrow(sql, parameters=parameters)
    return (types or _TYPES).restore(client, sql, parameters, table)


class Progress:
    """Per-suite progress on stderr when a terminal is attached (quiet otherwise)."""

    def __init__(self, totals: dict[str, int], stream: TextIO | None = None, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.totals = totals
        self.done: dict[str, int] = dict.fromkeys(totals, 0)
        self.bad: dict[str, int] = dict.fromkeys(totals, 0)
        self.lock = threading.Lock()

    def add(self, suite: str, total: int) -> None:
        with self.lock:
            self.totals[suite] = self.totals.get(suite, 0) + total
            self.done.setdefault(suite, 0)
            self.bad.setdefault(suite, 0)

    def tick(self, result: BlockResult) -> None:
        suite = result.block.suite
        with self.lock:
            self.done[suite] += 1
            self.bad[suite] += result.error is not None
            if not self.enabled:
                return
            done, total = self.done[suite], self.totals[suite]
            errors = f", {self.bad[suite]} errors" if self.bad[suite] else ""
            end = "\n" if done == total else ""
            self.stream.write(f"\r  {suite}: {done}/{total} blocks{errors}\033[K{end}")
            self.stream.flush()


class ClientPool:
    """A bounded set of clients; each in-flight block borrows one."""

    def __init__(self, factory: Callable[[], Any], size: int):
        self.clients = [factory() for _ in range(max(1, size))]
        self.free: queue.Queue[Any] = queue.Queue()
        for client in self.clients:
            self.free.put(client)

    def run(self, block: Block, params: dict[str, Any], redact: Callable[[str], str]) -> BlockResult:
        client = self.free.get()
        try:
            return run_block(client, block, params, redact)
        finally:
            self.free.put(client)

    def close(self) -> None:
        for client in self.clients:
            try:
                client.close()
            except Exception:
                pass


def discovered_sessions(results: Iterable[BlockResult], limit_per_scenario: int) -> list[Session]:
    """Sessions found by the discovery suite, in pack order, at most `limit` per scenario."""
    sessions: list[Session] = []
    for result in results:
        if result.block.suite != DISCOVERY_SUITE or result.table is None:
            continue
        if SESSION_COLUMN not in result.table.column_names:
            continue
        seen: list[str] = []
        for value in result.table.column(SESSION_COLUMN).to_pylist():
            if value is None or value in seen:
                continue
            seen.append(str(value))
            if len(seen) >= limit_per_scenario:
                break
        sessions.extend(Session(sid, result.block.name, rank) for rank, sid in enumerate(seen))
    return sessions


def split_by_session(result: BlockResult, sids: Sequence[str]) -> list[BlockResult]:
    """Turn one batched drill-down result into one result per session (schema kept)."""
    share = result.duration_s / max(1, len(sids))
    common = dict(block=result.block, phase=2, duration_s=share, started_at=result.started_at,
                  error=result.error, error_code=result.error_code, error_name=result.error_name)
    table = result.table
    if table is None or SESSION_COLUMN not in table.column_names:
        error = result.error or f"batched drill-down returned no {SESSION_COLUMN} column"
        return [BlockResult(**{**common, "error": error}, sid=sid) for sid in sids]
    keys = table.column(SESSION_COLUMN)
    out = []
    for sid in sids:
        mask = pc.equal(keys, pa.scalar(sid, keys.type))
        out.append(BlockResult(**common, sid=sid, table=table.filter(pc.fill_null(mask, False))))
    return out


def unique_session_ids(sessions: Sequence[Session]) -> list[str]:
    ordered: list[str] = []
    for session in sessions:
        if session.workflow_session_id not in ordered:
            ordered.append(session.workflow_session_id)
    return ordered


def collect(
    client_factory: Callable[[], Any],
    packs: Sequence[Pack],
    drilldowns: Sequence[Pack],
    params: dict[str, Any],
    *,
    limit_per_scenario: int,
    concurrency: int = 4,
    progress: bool = True,
    failed_test_names: Callable[[list[BlockResult]], set[str]] | None = None,
    redact: Callable[[str], str] = str,
) -> CollectResult:
    started = time.perf_counter()
    main_blocks = [b for p in packs for b in p.blocks if not b.per_session]
    session_blocks = [b for p in (*packs, *drilldowns) for b in p.blocks if b.per_session]
    test_drilldowns = [b for p in drilldowns for b in p.blocks if not b.per_session]
    totals: dict[str, int] = {}
    for block in main_blocks:
        totals[block.suite] = totals.get(block.suite, 0) + 1
    tracker = Progress(totals, enabled=progress)
    pool = ClientPool(client_factory, concurrency)
    executor = ThreadPoolExecutor(max_workers=len(pool.clients))

    def job(block: Block, job_params: dict[str, Any], phase: int, sid: str | None) -> BlockResult:
        result = pool.run(block, job_params, redact)
        result.phase, result.sid = phase, sid
        tracker.tick(result)
        return result

    def submit(jobs: list[tuple[Block, dict[str, Any], int, str | None]]) -> list[Future[BlockResult]]:
        return [executor.submit(job, *spec) for spec in jobs]

    try:
        # Discovery first: its sessions' drill-downs are queued while the other pack blocks
        # still run, so no thread idles at the boundary between the phases.
        discovery = [b for b in main_blocks if b.suite == DISCOVERY_SUITE]
        futures = dict(zip(discovery, submit([(b, params, 1, None) for b in discovery]), strict=True))
        others = [b for b in main_blocks if b.suite != DISCOVERY_SUITE]
        futures.update(zip(others, submit([(b, params, 1, None) for b in others]), strict=True))
        sessions = discovered_sessions([futures[b].result() for b in discovery], limit_per_scenario)
        sids = unique_session_ids(sessions)
        single = [b for b in session_blocks if not b.batched]
        batched = [b for b in session_blocks if b.batched] if sids else []
        session_jobs = [(b, {**params, "sid": sid}, 2, sid) for sid in sids for b in single]
        for block, _, _, _ in session_jobs:
            tracker.add(block.suite, 1)
        session_futures = submit(session_jobs)
        for block in batched:
            tracker.add(block.suite, 1)
        batch_futures = submit([(b, {**params, "sids": sids}, 2, None) for b in batched])
        results = [futures[b].result() for b in main_blocks]  # pack order, not completion order
        failed = (failed_test_names or (lambda _: set()))(results)
        test_jobs = [(b, params, 2, None) for b in test_drilldowns if b.name in failed]
        for block, _, _, _ in test_jobs:
            tracker.add(block.suite, 1)
        test_futures = submit(test_jobs)
        per_session = [f.result() for f in session_futures]
        for future in batch_futures:
            per_session.extend(split_by_session(future.result(), sids))
        session_rank = {sid: i for i, sid in enumerate(sids)}
        block_rank = {b: i for i, b in enumerate(session_blocks)}
        per_session.sort(key=lambda r: (session_rank[r.sid or ""], block_rank[r.block]))
        results.extend(per_session)
        results.extend(f.result() for f in test_futures)
    except BaseException:
        # Ctrl-C (or a bug): do not wait for in-flight queries; the caller exits promptly.
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    pool.close()
    return CollectResult(results, sessions, time.perf_counter() - started)
