"""Compare the batched session drill-downs with the former one-query-per-session form.

`sql/drilldown/session_drilldown.sql` runs each block once with `{sids:Array(String)}`; collect splits
the rows per session with `reportgen.collect.split_by_session`. The pre-batching file is kept as
`tests/fixtures_sql/session_drilldown_per_sid.sql` (`{sid:String}`, one query per session). For every
block and session the two must agree on column names, Arrow types and rows (in order); the batched form
only adds a leading `workflow_session_id` to the blocks that did not carry it.

Used in-process on the shared demo warehouse and in a subprocess on a private copy with edge-case keys.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from reportgen.collect import SESSION_COLUMN, run_block, split_by_session
from reportgen.packs import Block, load_pack
from reportgen.resources import sql_dir

PER_SID_SQL = Path(__file__).resolve().parent / "fixtures_sql" / "session_drilldown_per_sid.sql"
#: A session id no warehouse holds: one all-empty row (diagnostics, gpu_observed, audit) or no rows.
UNKNOWN_SID = "no-such-stream|no-such-request"


def per_sid_blocks() -> dict[str, Block]:
    return {b.name: b for b in load_pack(PER_SID_SQL).blocks}


def batched_blocks() -> dict[str, Block]:
    return {b.name: b for b in load_pack(sql_dir() / "drilldown" / "session_drilldown.sql").blocks}


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _same_rows(old: list[dict], new: list[dict]) -> bool:
    return len(old) == len(new) and all(
        o.keys() == n.keys() and all(_same_value(o[k], n[k]) for k in o) for o, n in zip(old, new, strict=True))


def drilldown_mismatches(client: Any, params: dict[str, Any], sids: list[str]) -> dict[str, list[str]]:
    """Per block, the sessions (with a reason) where the batched and per-sid results differ.

    Also checks the batched result itself: it runs without error, its first column is
    `workflow_session_id`, and every row belongs to a requested session.
    """
    old_blocks, new_blocks = per_sid_blocks(), batched_blocks()
    assert list(new_blocks) == list(old_blocks), "the batched file must keep the block names and order"
    problems: dict[str, list[str]] = {}
    for name, new_block in new_blocks.items():
        issues = problems.setdefault(name, [])
        batch = run_block(client, new_block, {**params, "sids": sids})
        if batch.error:
            issues.append(f"batched error: {batch.error}")
            continue
        if batch.table.column_names[:1] != [SESSION_COLUMN]:
            issues.append(f"first column is {batch.table.column_names[:1]}, not {SESSION_COLUMN}")
        split = {r.sid: r for r in split_by_session(batch, sids)}
        if sum(r.table.num_rows for r in split.values()) != batch.table.num_rows:
            issues.append("rows for sessions that were not requested")
        for sid in sids:
            old = run_block(client, old_blocks[name], {**params, "sid": sid})
            assert old.error is None, f"per-sid {name} failed for {sid}: {old.error}"
            new = split[sid].table
            if SESSION_COLUMN not in old.table.column_names:
                new = new.drop_columns([SESSION_COLUMN])
            if new.column_names != old.table.column_names:
                issues.append(f"{sid}: columns {new.column_names} != {old.table.column_names}")
            elif new.schema != old.table.schema:
                issues.append(f"{sid}: types {new.schema} != {old.table.schema}")
            elif not _same_rows(old.table.to_pylist(), new.to_pylist()):
                issues.append(f"{sid}: {new.num_rows} rows != per-sid {old.table.num_rows} rows (or values differ)")
    return {name: issues for name, issues in problems.items() if issues}


# Run in a subprocess (own chDB path): a private demo warehouse plus sessions whose latest row knows only
# the stream id, only the request id, or neither, and raw events missing one of the two keys — the
# matching rules the demo data never exercises. Defines edge_case_comparison(data_dir) -> dict.
EDGE_CASE_CODE = '''
import clickhouse_connect
from reportgen.collect import run_block, split_by_session
from tests.session_drilldown_support import UNKNOWN_SID, batched_blocks, drilldown_mismatches

EDGE_SESSIONS = {"edge|stream-only": "request_id", "edge|request-only": "stream_id", "edge|no-keys": None}


def edge_case_comparison(data_dir):
    params = build_demo(data_dir)
    rw = clickhouse_connect.get_client(dsn=f"chdb://{data_dir}")
    db = "livepeer_analytics"
    sid, stream, request = rw.query(
        f"SELECT workflow_session_id, argMax(stream_id, version) AS s, argMax(request_id, version) AS r "
        f"FROM {db}.fact_workflow_sessions GROUP BY workflow_session_id "
        f"HAVING s != '' AND r != '' ORDER BY count() DESC, workflow_session_id LIMIT 1"
    ).result_rows[0]
    # qualified WHERE columns: the REPLACE aliases would shadow bare names
    for edge, blank in EDGE_SESSIONS.items():
        blanks = f"'' AS {blank}" if blank else "'' AS stream_id, '' AS request_id"
        rw.command(f"INSERT INTO {db}.fact_workflow_sessions SELECT * REPLACE ('{edge}' AS workflow_session_id, "
                   f"{blanks}) FROM {db}.fact_workflow_sessions AS src WHERE src.workflow_session_id = '{sid}'")
    # raw rows of the same session missing one key: only the one-key session on that side may see them
    rw.command(f"INSERT INTO {db}.stream_trace_events SELECT * REPLACE ('' AS stream_id) "
               f"FROM {db}.stream_trace_events AS src WHERE src.request_id = '{request}'")
    rw.command(f"INSERT INTO {db}.ai_stream_events SELECT * REPLACE ('' AS request_id) "
               f"FROM {db}.ai_stream_events AS src WHERE src.stream_id = '{stream}'")
    rw.close()
    ro = clickhouse_connect.get_client(dsn=f"chdb://{data_dir}", settings={"readonly": 2})
    sids = [sid, *EDGE_SESSIONS, UNKNOWN_SID]
    mismatches = drilldown_mismatches(ro, params, sids)
    timeline = run_block(ro, batched_blocks()["timeline"], {**params, "sids": sids})
    raw_rows = {r.sid: sum(1 for s in r.table.column("source").to_pylist() if s.startswith("raw_"))
                for r in split_by_session(timeline, sids)}
    ro.close()
    return {"mismatches": mismatches, "raw_rows": raw_rows, "base": sid}
'''
