"""Find blocks in a snapshot by suite and name, tolerating runs made with other packs.

A block missing from the snapshot (the user ran their own packs) yields None; the section
that wanted it says "not in this run" instead of failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from reportgen.report.format import anchor
from reportgen.snapshot import BlockRecord, RunSnapshot
from reportgen.utf8 import valid_utf8

NOTEBOOK_STATEFUL = ("notebook_stateful_checks", "stateful_checks")
NOTEBOOK_KPI = ("notebook_session_versions", "kpi_summary")
NOTEBOOK_VERSION_DIAG = ("notebook_session_versions", "version_diagnostics")
NOTEBOOK_MIXED = ("notebook_session_versions", "mixed_known_stream_versions")
NOTEBOOK_PER_VERSION = ("notebook_session_versions", "per_version_rows")
NOTEBOOK_FIELD_DIFFS = ("notebook_session_versions", "version_field_diffs")
NOTEBOOK_COVERAGE = ("notebook_coverage_profile", "coverage_profile")
NOTEBOOK_SPARSITY = ("notebook_coverage_profile", "hourly_status_sparsity")
NOTEBOOK_FALLOUT = ("notebook_scenario_fallout", "fallout_population")
NOTEBOOK_S5_COVERAGE = ("notebook_scenario_fallout", "scenario5_coverage")
SCHEMA_PROBES_SUITE = "notebook_schema_probes"
READINESS_DRILLDOWN_SUITE = "readiness_drilldown"
SESSION_DRILLDOWN_SUITE = "session_drilldown"
SESSION_BLOCKS = ("diagnostics", "gpu_observed", "capability_correlation", "timeline", "audit",
                  "audit_layers", "hourly_gpu_rows")


class Lookup:
    """Block access for the view model: phase-1 lookups, drill-downs, tables, first rows."""

    def __init__(self, snap: RunSnapshot):
        self.snap = snap
        self.phase1 = [b for b in snap.blocks if b.phase == 1]
        self.phase2 = [b for b in snap.blocks if b.phase != 1]
        self._by_name: dict[tuple[str, str], BlockRecord] = {}
        for block in self.phase1:
            self._by_name.setdefault((block.suite, block.name), block)
        self._session: dict[str, dict[str, BlockRecord]] = {}
        self._drill: dict[tuple[str, str], BlockRecord] = {}
        self._clean: dict[str, pa.Table | None] = {}
        for block in self.phase2:
            if block.sid is not None:
                self._session.setdefault(block.sid, {}).setdefault(block.name, block)
            else:
                self._drill.setdefault((block.suite, block.name), block)

    def get(self, suite: str, name: str) -> BlockRecord | None:
        return self._by_name.get((suite, name))

    def suite(self, suite: str) -> list[BlockRecord]:
        return [b for b in self.phase1 if b.suite == suite]

    def drilldown(self, name: str, suite: str | None = None) -> BlockRecord | None:
        """The phase-2 block (no sid) named after a failed test."""
        if suite is not None:
            return self._drill.get((suite, name))
        for (_, block_name), block in sorted(self._drill.items()):
            if block_name == name:
                return block
        return None

    def session_blocks(self, sid: str) -> dict[str, BlockRecord]:
        return self._session.get(sid, {})

    def table(self, block: BlockRecord | None) -> pa.Table | None:
        if block is None or block.result_table is None:
            return None
        name = block.result_table
        if name not in self._clean:
            self._clean[name] = valid_utf8(self.snap.table(block))
        return self._clean[name]

    def rows(self, block: BlockRecord | None, limit: int | None = None) -> list[dict[str, Any]]:
        table = self.table(block)
        if table is None:
            return []
        if limit is not None:
            table = table.slice(0, limit)
        return table.to_pylist()

    def first(self, block: BlockRecord | None) -> dict[str, Any] | None:
        rows = self.rows(block, 1)
        return rows[0] if rows else None

    def column(self, block: BlockRecord | None, name: str) -> list[Any]:
        table = self.table(block)
        if table is None or name not in table.column_names:
            return []
        return table.column(name).to_pylist()


def check_anchor(block: BlockRecord) -> str:
    """The stable anchor of a check (or query block) wherever it is shown in the page."""
    if block.sid is not None:
        return anchor("drill", block.suite, block.name, block.sid)
    if block.phase != 1:
        return anchor("drill", block.suite, block.name)
    if block.suite == "trace_pipeline_flow":
        return anchor("trace", block.name)
    if block.suite == "scenario_candidates":
        return anchor("scenario", block.name)
    if block.kind == "TEST":
        return anchor("check", block.suite, block.name)
    return anchor("query", block.suite, block.name)


def first_present(lookup: Lookup, candidates: Sequence[tuple[str, str]]) -> BlockRecord | None:
    for suite, name in candidates:
        block = lookup.get(suite, name)
        if block is not None:
            return block
    return None
