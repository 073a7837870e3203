"""The batched session drill-downs (`{sids:Array(String)}`, one query) equal the per-session form.

- on the shared demo warehouse: every session scenario discovery finds, plus an unknown id;
- on a private demo copy (subprocess) with sessions whose latest row knows only the stream id, only the
  request id, or neither, and raw events missing one key — the matching rules the demo never exercises.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.collect import discovered_sessions, run_block, unique_session_ids
from reportgen.packs import load_pack
from reportgen.resources import packs_dir
from reportgen.window import format_param, manifest_window
from tests.conftest import run_in_subprocess
from tests.packs_support import subprocess_code
from tests.session_drilldown_support import (
    EDGE_CASE_CODE,
    PER_SID_SQL,
    UNKNOWN_SID,
    batched_blocks,
    drilldown_mismatches,
    per_sid_blocks,
)

LIMIT = 5


@pytest.fixture(scope="module")
def demo_params(demo_fixture: Path) -> dict:
    start, end = manifest_window(demo_fixture / "manifest.json")
    return {"from_ts": format_param(start), "to_ts": format_param(end), "limit_per_scenario": LIMIT}


def test_fixture_is_the_per_sid_form() -> None:
    old, new = per_sid_blocks(), batched_blocks()
    assert PER_SID_SQL.is_file()
    assert all("sid" in b.params and "sids" not in b.params for b in old.values())
    assert all(b.batched and "sid" not in b.params for b in new.values())
    assert list(old) == list(new)


def test_batched_equals_per_sid_on_the_demo(ro_client, demo_params) -> None:
    discovery = [run_block(ro_client, b, demo_params) for b in load_pack(packs_dir() / "scenario_candidates.sql").blocks]
    sids = unique_session_ids(discovered_sessions(discovery, LIMIT))
    assert len(sids) >= 5
    assert drilldown_mismatches(ro_client, demo_params, [*sids, UNKNOWN_SID]) == {}


def test_batched_equals_per_sid_for_one_key_sessions(tmp_path) -> None:
    code = subprocess_code(EDGE_CASE_CODE + f"\nresult = edge_case_comparison({str(tmp_path / 'chdb')!r})\n")
    got = run_in_subprocess(code)
    assert got["mismatches"] == {}
    raw = got["raw_rows"]
    # the injected one-key raw rows really reached the one-key sessions (and only them)
    assert raw["edge|request-only"] > raw[got["base"]] > 0
    assert raw["edge|stream-only"] > raw[got["base"]]
    assert raw["edge|no-keys"] == raw[UNKNOWN_SID] == 0
