"""The reference pipeline: ordered SQL files in ``sql/warehouse/pipeline/`` run by ClickHouse.

It stands in for the user's Flink job (quality gate, typed parsers, attribution operators,
stateful lifecycle) and is deterministic: every INSERT ... SELECT orders its rows, and every
version / identifier is derived from event data. Intermediate tables live in the
``reportgen_stage`` database, dropped at the end.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.demo.schema import split_statements
from reportgen.resources import warehouse_sql_dir

STAGE_DATABASE = "reportgen_stage"

#: Settings for every pipeline statement. ``optimize_on_insert = 0`` keeps every version row of
#: the ReplacingMergeTree facts (the rollup MVs must see them all).
PIPELINE_SETTINGS: dict[str, object] = {
    "optimize_on_insert": 0,
    "max_partitions_per_insert_block": 1000,
    "join_use_nulls": 0,
    # spill big sorts / aggregations to disk instead of failing on very large fixtures
    "max_bytes_before_external_sort": 2_000_000_000,
    "max_bytes_before_external_group_by": 2_000_000_000,
}

#: Extra settings for inserts into facts and rollups: squash the whole result into one block, so
#: each INSERT writes one part per partition and background merges never collapse session
#: versions (ReplacingMergeTree) or rollup rows that differ only outside the sorting key
#: (AggregatingMergeTree with allow_dimensions_outside_sorting_key).
SINGLE_PART_SETTINGS: dict[str, object] = {
    "min_insert_block_size_rows": 100_000_000,
    "min_insert_block_size_bytes": 8_000_000_000,
    "max_insert_block_size": 100_000_000,
}

_SINGLE_PART_RE = re.compile(r"^\s*INSERT\s+INTO\s+livepeer_analytics\.(fact_|agg_)", re.IGNORECASE)


def statement_settings(sql: str) -> dict[str, object]:
    """Settings for one pipeline statement."""
    if _SINGLE_PART_RE.match(sql):
        return {**PIPELINE_SETTINGS, **SINGLE_PART_SETTINGS}
    return PIPELINE_SETTINGS


class PipelineError(RuntimeError):
    """A pipeline statement failed."""


@dataclass
class StepTiming:
    file: str
    statement: int
    seconds: float
    head: str


@dataclass
class PipelineReport:
    seconds: float = 0.0
    steps: list[StepTiming] = field(default_factory=list)


def pipeline_files(sql_dir: Path | None = None) -> list[Path]:
    folder = (sql_dir or warehouse_sql_dir()) / "pipeline"
    files = sorted(folder.glob("[0-9][0-9]_*.sql"))
    if not files:
        raise PipelineError(f"no pipeline SQL files (NN_*.sql) in {folder}")
    return files


def run_pipeline(client, sql_dir: Path | None = None, keep_stage: bool = False) -> PipelineReport:
    """Run every pipeline statement in order; returns per-statement timings."""
    report = PipelineReport()
    started = time.perf_counter()
    try:
        for path in pipeline_files(sql_dir):
            for index, sql in enumerate(split_statements(path.read_text(encoding="utf-8")), start=1):
                t0 = time.perf_counter()
                try:
                    client.command(sql, settings=statement_settings(sql))
                except Exception as exc:  # noqa: BLE001 - re-raised with the failing step
                    raise PipelineError(f"{path.name} statement {index} failed: {str(exc)[:600]}") from exc
                head = " ".join(sql.split())[:90]
                report.steps.append(StepTiming(path.name, index, time.perf_counter() - t0, head))
    finally:
        if not keep_stage:
            client.command(f"DROP DATABASE IF EXISTS {STAGE_DATABASE}")
    report.seconds = time.perf_counter() - started
    return report
