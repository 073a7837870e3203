"""The session explorer: one panel per discovered session, keyed by its workflow_session_id."""

from __future__ import annotations

from typing import Any

from reportgen.report import guidance as g
from reportgen.report.charts import timeline_figure
from reportgen.report.format import anchor, fmt
from reportgen.report.lookup import Lookup
from reportgen.report.tables import from_arrow, key_value
from reportgen.snapshot import RunSnapshot
from reportgen.verdicts import ERROR

TIMELINE_POINTS = 2000
TIMELINE_ROWS = 15  # the chart shows up to TIMELINE_POINTS; the table is a debug aid
PANEL_ROWS = 10  # per-session tables stay small: up to 35 sessions share the page budget
BUDGET_SESSIONS = 35  # 7 scenarios x the default limit_per_scenario of 5


def scaled(limit: int, sessions: int, floor: int) -> int:
    """Shrink a per-session row limit when more sessions than the default share the page."""
    if sessions <= BUDGET_SESSIONS:
        return limit
    return max(floor, limit * BUDGET_SESSIONS // sessions)
PANELS = (  # (panel key, block name, one-row block shown as key/value); the timeline leads
    ("timeline", "timeline", False),
    ("diagnostics", "diagnostics", True),
    ("gpu_observed", "gpu_observed", True),
    ("capability", "capability_correlation", False),
    ("audit", "audit", True),
    ("audit_layers", "audit_layers", False),
    ("hourly", "hourly_gpu_rows", False),
)


def _panel(lookup: Lookup, index: int, key: str, block_name: str, single: bool,
           blocks: dict[str, Any], sessions: int = 1) -> dict[str, Any]:
    block = blocks.get(block_name)
    info = g.SESSION_PANELS.get(key) or g.SESSION_PANELS.get(key.split("_")[0]) or g.Guidance(
        block_name.replace("_", " ").capitalize(), "", "")
    title = "Audit by layer (bronze → silver → gold)" if key == "audit_layers" else info.title
    panel: dict[str, Any] = {"key": key, "title": title, "guidance": info if key != "audit_layers" else None,
                             "block": block, "table": None, "note": ""}
    table_id = f"s{index}-{key}"
    if block is None:
        panel["note"] = "not in this run"
    elif block.status == ERROR:
        panel["note"] = f"ERROR: {fmt(block.error or block.message or 'failed', 600)}"
    else:
        table = lookup.table(block)
        if single and table is not None and table.num_rows == 1:
            row = table.to_pylist()[0]
            panel["table"] = key_value(table_id, list(row.items()))
        else:
            limit = scaled(TIMELINE_ROWS if key == "timeline" else PANEL_ROWS, sessions, 3)
            columns = None
            if table is not None:  # the session's own ids repeat on every row: leave them out
                own = ("workflow_session_id", "stream_id", "request_id") if key == "timeline" else (
                    "workflow_session_id",)
                columns = [c for c in table.column_names if c not in own] or None
            panel["table"] = from_arrow(table_id, table, limit=limit, columns=columns)
    return panel


def session_models(snap: RunSnapshot, lookup: Lookup) -> list[dict[str, Any]]:
    """Every discovered session (in discovery order) with its drill-down panels and timeline."""
    order: list[str] = []
    scenarios: dict[str, list[tuple[str, int]]] = {}
    for record in snap.sessions:
        sid = record.workflow_session_id
        if sid not in scenarios:
            order.append(sid)
            scenarios[sid] = []
        scenarios[sid].append((record.scenario, record.rank))
    for sid in sorted({b.sid for b in lookup.phase2 if b.sid is not None} - set(order)):
        order.append(sid)
        scenarios[sid] = []
    models = []
    for index, sid in enumerate(order):
        blocks = lookup.session_blocks(sid)
        panels = [_panel(lookup, index, key, name, single, blocks, len(order)) for key, name, single in PANELS]
        known = {name for _, name, _ in PANELS}
        for name in sorted(set(blocks) - known):  # drill-downs from the user's own packs
            panels.append(_panel(lookup, index, anchor(name), name, False, blocks, len(order)))
        diag = lookup.first(blocks.get("diagnostics")) or {}
        timeline_rows = lookup.rows(blocks.get("timeline"), scaled(TIMELINE_POINTS, len(order), 200))
        start, end = diag.get("session_start_ts"), diag.get("session_end_ts")
        if start is None or end is None:
            for scenario, _ in scenarios[sid]:
                for row in lookup.rows(lookup.get(g.SCENARIO_SUITE, scenario)):
                    if fmt(row.get("workflow_session_id"), None) == sid:
                        start = start if start is not None else row.get("session_start_ts")
                        end = end if end is not None else row.get("session_end_ts")
                        break
        figure = timeline_figure(timeline_rows, start, end) if blocks.get("timeline") else None
        first = scenarios[sid][0] if scenarios[sid] else ("(drill-down only)", 0)
        label = f"{first[0]} #{first[1] + 1} | {fmt(sid, 120)}"
        statuses = [b.status for b in blocks.values()]
        models.append({
            "index": index,
            "id": anchor("session", sid),
            "sid": fmt(sid, None),
            "label": label,
            "scenarios": [{"name": s, "rank": r + 1, "anchor": anchor("scenario", s)} for s, r in scenarios[sid]],
            "panels": panels,
            "figure_id": f"timeline-{index}",
            "figure": figure,
            "timeline_total": blocks["timeline"].row_count if blocks.get("timeline") else 0,
            "errors": sum(1 for s in statuses if s == ERROR),
            "has_blocks": bool(blocks),
            "start": fmt(start), "end": fmt(end),
        })
    return models
