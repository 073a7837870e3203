"""Helpers shared by the bundled-pack tests (tests/test_pack_*.py).

They run pack blocks through the real collect path (`reportgen.collect.run_block`) on real chDB
warehouses. Anything that needs its own chDB data path (a schema-only warehouse, a faulty private
copy of the demo warehouse) runs in a subprocess via conftest's `run_in_subprocess`, with the code
produced by the `*_code` functions below.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from reportgen.resources import packs_dir, sql_dir

#: Pack files this test suite owns (the pipeline suite is tested by its own engineer).
OWN_TEST_PACKS = ["assertions_raw_typed", "assertions_api_readiness", "assertions_scenario_candidates"]
OWN_QUERY_PACKS = [
    "trace_pipeline_flow", "scenario_candidates", "notebook_stateful_checks", "notebook_session_versions",
    "notebook_scenario_fallout", "notebook_coverage_profile", "notebook_schema_probes",
]
DRILLDOWN_PACKS = ["session_drilldown", "readiness_drilldown"]

#: TESTs of our packs that fail on a schema-only warehouse (spec/packs.md b.0).
EMPTY_WAREHOUSE_FAILURES = {
    "assertions_raw_typed.raw_typed_network_capabilities_expected_in_window",
    "assertions_scenario_candidates.scenario_1_clean_success_no_swap_fps_gt_12_exists",
    "assertions_scenario_candidates.scenario_2_no_orchestrator_then_closed_exists",
    "assertions_scenario_candidates.scenario_3_success_with_swap_exists",
}


def pack_path(suite: str) -> Path:
    if suite in DRILLDOWN_PACKS:
        return sql_dir() / "drilldown" / f"{suite}.sql"
    return packs_dir() / f"{suite}.sql"


def json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


# Code run inside a subprocess: defines run_suite(client, suite, params, names=None) -> dict of
# block name -> {"error", "rows", "columns", "first", "seconds"} and build(data_dir) which builds
# a demo warehouse (or only its schema) into data_dir.
_SUBPROCESS_PRELUDE = '''
import shutil, time
from pathlib import Path
import clickhouse_connect
from reportgen.collect import run_block
from reportgen.packs import load_pack
from tests.packs_support import pack_path, json_safe

def demo_fixture_dir():
    """The checked-in demo fixture (the same one conftest's demo_warehouse is built from)."""
    from tests.conftest import demo_fixture_dir as conftest_fixture_dir
    return conftest_fixture_dir()


def build_demo(data_dir):
    """Build the demo warehouse into data_dir; returns the window params of its fixture."""
    from reportgen.window import format_param, manifest_window
    fixture = demo_fixture_dir()
    from reportgen.demo.builder import build_warehouse
    build_warehouse(fixture, data_dir)
    start, end = manifest_window(fixture / "manifest.json")
    return {"from_ts": format_param(start), "to_ts": format_param(end), "limit_per_scenario": 5}


def run_suite(client, suite, params, names=None):
    out = {}
    for block in load_pack(pack_path(suite)).blocks:
        if names is not None and block.name not in names:
            continue
        r = run_block(client, block, params)
        rows = r.table.to_pylist() if r.table is not None else []
        out[block.name] = json_safe({
            "error": r.error, "rows": len(rows), "columns": [c for c, _ in r.columns],
            "first": rows[0] if rows else None, "all": rows[:50], "seconds": r.duration_s,
        })
    return out
'''


def subprocess_code(body: str) -> str:
    """Prefix `body` (dedented) with the prelude above."""
    return _SUBPROCESS_PRELUDE + "\n" + textwrap.dedent(body)
