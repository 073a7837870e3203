"""The notebook's derived panels, computed from snapshot data (never re-queried)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from reportgen.report import guidance as g
from reportgen.report.format import as_int, fmt
from reportgen.report.lookup import (
    NOTEBOOK_FALLOUT,
    NOTEBOOK_FIELD_DIFFS,
    NOTEBOOK_MIXED,
    NOTEBOOK_PER_VERSION,
    NOTEBOOK_STATEFUL,
    NOTEBOOK_VERSION_DIAG,
    Lookup,
)
from reportgen.verdicts import FAIL, INFO, PASS, WARN

FALLOUT_COLUMNS = (
    "workflow_session_id", "stream_id", "request_id", "session_start_ts", "session_end_ts",
    "avg_output_fps", "known_stream", "startup_success", "startup_excused", "startup_unexcused",
    "confirmed_swap_count", "inferred_orchestrator_change_count", "swap_count",
    "orchestrator_address", "gpu_id", "model_id", "pipeline", "has_no_orch", "has_close",
)


# ------------------------------------------------------------------------------------ 04


def stateful_checks(lookup: Lookup) -> tuple[list[dict[str, Any]], str]:
    """The three 04 checks (lhs, rhs, delta, status, expectation) and where they came from."""
    block = lookup.get(*NOTEBOOK_STATEFUL)
    rows = lookup.rows(block)
    if rows:
        return rows, f"{block.suite}.{block.name}" if block else ""
    out = []
    for test, lhs_key, rhs_key, expectation in g.STATEFUL_TESTS:
        test_block = lookup.get(g.PIPELINE_SUITE, test)
        if test_block is None:
            continue
        diag = test_block.diagnostics
        lhs, rhs = as_int(diag.get(lhs_key)), as_int(diag.get(rhs_key))
        delta = lhs - rhs if lhs is not None and rhs is not None else None
        advisory = str(diag.get("status") or "").upper()
        status = test_block.status if test_block.status in (FAIL, "ERROR") else (advisory or test_block.status)
        out.append({"check_name": test, "lhs": lhs, "rhs": rhs, "delta": delta, "status": status,
                    "expectation": expectation})
    return out, f"{g.PIPELINE_SUITE} (tests {', '.join(t[0] for t in g.STATEFUL_TESTS)})" if out else ""


# ------------------------------------------------------------------------------------ 05


def mixed_known_stream(lookup: Lookup, version_diag: Mapping[str, Any] | None,
                       diffs: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The mixed_known_stream_versions check: WARN when any session changed known_stream."""
    value = as_int((version_diag or {}).get("sessions_with_known_stream_transitions"))
    regressive = sum(1 for d in diffs if d.get("status") == WARN)
    if value is None:
        pack = lookup.first(lookup.get(*NOTEBOOK_MIXED))
        if pack is not None:
            value = as_int(pack.get("value"))
            regressive = max(regressive, as_int(pack.get("regressive_sessions")) or 0)
    if value is None:
        test = lookup.get(g.PIPELINE_SUITE, "mixed_known_stream_versions")
        if test is None:
            return None
        value = as_int(test.diagnostics.get("sessions_with_known_stream_transitions"))
        regressive = max(regressive, as_int(test.diagnostics.get("regressive_sessions")) or 0)
    if value is None:
        return None
    return {
        "check_name": "mixed_known_stream_versions",
        "value": value,
        "regressive_sessions": regressive,
        "status": WARN if value > 0 else PASS,
        "expectation": "ideally 0; >0 means the same session changed known_stream across versions",
    }


def _changed(prev: Mapping[str, Any], curr: Mapping[str, Any], fields: Iterable[str]) -> list[str]:
    changes = []
    for column in fields:
        if column not in prev and column not in curr:
            continue
        before, after = prev.get(column), curr.get(column)
        if before is None and after is None:
            continue
        if fmt(before, None) != fmt(after, None):
            changes.append(f"{column}: {fmt(before, 60) if before is not None else 'NULL'} -> "
                           f"{fmt(after, 60) if after is not None else 'NULL'}")
    return changes


def version_field_diffs(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Which tracked fields changed between consecutive versions (WARN on known_stream 1 -> 0).

    WARN rows come first (stable sort), so a truncated table still shows every regression.
    """
    by_session: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_session.setdefault(fmt(row.get("workflow_session_id"), None), []).append(row)
    out = []
    for sid in sorted(by_session):
        versions = sorted(by_session[sid], key=lambda r: (as_int(r.get("version")) or 0,
                                                          fmt(r.get("session_start_ts"), None)))
        for prev, curr in zip(versions, versions[1:], strict=False):
            changes = _changed(prev, curr, g.TRACKED_VERSION_FIELDS)
            if not changes:
                continue
            text = "; ".join(changes)
            out.append({
                "workflow_session_id": sid,
                "from_version": as_int(prev.get("version")),
                "to_version": as_int(curr.get("version")),
                "changed_fields": text,
                "status": WARN if "known_stream: 1 -> 0" in text else INFO,
            })
    return sorted(out, key=lambda d: d["status"] != WARN)  # regressions first: never truncated away


def session_versions(lookup: Lookup) -> dict[str, Any]:
    """05 panels: version diagnostics, the mixed check, per-version rows, field diffs."""
    diag_block = lookup.get(*NOTEBOOK_VERSION_DIAG)
    version_diag = lookup.first(diag_block)
    per_version_block = lookup.get(*NOTEBOOK_PER_VERSION)
    per_version = lookup.rows(per_version_block)
    if per_version_block is not None:
        diffs = version_field_diffs(per_version)
        diff_source = f"computed from {per_version_block.suite}.{per_version_block.name}"
    else:
        diffs = lookup.rows(lookup.get(*NOTEBOOK_FIELD_DIFFS))
        diff_source = "notebook_session_versions.version_field_diffs" if diffs else ""
    return {
        "diag_block": diag_block,
        "version_diag": version_diag,
        "per_version_block": per_version_block,
        "per_version_total": len(per_version),
        "mixed": mixed_known_stream(lookup, version_diag, diffs),
        "diffs": diffs,
        "diff_source": diff_source,
        "regressions": sum(1 for d in diffs if d.get("status") == WARN),
    }


# ------------------------------------------------------------------------------------ 06-10


def reconciliation(lookup: Lookup) -> dict[str, Any]:
    """06-10 verdict and explainability rows from the pipeline assertions named by the notebook."""
    rows, missing = [], []
    for test in g.RECON_TESTS:
        block = lookup.get(g.PIPELINE_SUITE, test)
        if block is None:
            missing.append(test)
            rows.append({"test_name": test, "status": "SKIP", "failed_rows": None,
                         "note": "not in this run", "block": None})
            continue
        row: dict[str, Any] = {"test_name": test, "status": block.status, "failed_rows": block.failed_rows,
                               "block": block}
        for key, value in block.diagnostics.items():
            if key == "status":
                row["advisory_status"] = value
            elif key not in row:
                row[key] = value
        if block.error or block.message:
            row["error"] = block.error or block.message
        rows.append(row)
    any_bad = any(r["status"] not in (PASS, INFO, WARN) for r in rows if r["block"] is not None)
    return {
        "rows": rows,
        "verdict_rows": [
            {"test_name": r["test_name"], "status": r["status"], **{c: r[c] for c in g.VERDICT_COLUMNS if c in r},
             **({"note": r.get("note") or r.get("error")} if r.get("note") or r.get("error") else {})}
            for r in rows
        ],
        "explain_rows": [r for r in rows if r["test_name"] in g.EXPLAINABILITY_TESTS],
        "missing": missing,
        "auto_open": any_bad,
    }


# ------------------------------------------------------------------------------------ 6


def scenario_ids(lookup: Lookup, names: Iterable[str]) -> list[str]:
    ids: list[str] = []
    for name in names:
        for value in lookup.column(lookup.get(g.SCENARIO_SUITE, name), "workflow_session_id"):
            if value is not None and fmt(value, None) not in ids:
                ids.append(fmt(value, None))
    return ids


def fallout(lookup: Lookup) -> dict[str, Any] | None:
    """Fallout population (sessions outside scenarios 1–4), scenario-5 coverage and residual."""
    block = lookup.get(*NOTEBOOK_FALLOUT)
    table = lookup.table(block)
    if table is None or "workflow_session_id" not in table.column_names:
        return None
    primary = set(scenario_ids(lookup, g.PRIMARY_SCENARIOS))
    s5 = scenario_ids(lookup, [g.SCENARIO_5])
    sids = pc.cast(table.column("workflow_session_id"), pa.string())
    mask = pc.invert(pc.is_in(sids, value_set=pa.array(sorted(primary), pa.string())))
    if "is_fallout" in table.column_names:
        mask = pc.and_(mask, pc.equal(pc.cast(table.column("is_fallout"), pa.int64()), 1))
    mask = pc.fill_null(mask, False)
    fallout_table = table.filter(mask)
    fallout_ids = pc.cast(fallout_table.column("workflow_session_id"), pa.string())
    covered_mask = pc.fill_null(pc.is_in(fallout_ids, value_set=pa.array(s5, pa.string())), False)
    covered = int(pc.sum(pc.cast(covered_mask, pa.int64())).as_py() or 0)
    residual = fallout_table.filter(pc.invert(covered_mask))
    s5_set = set(s5)
    fallout_set = set(fallout_ids.to_pylist()) if fallout_table.num_rows <= 200_000 else set()
    outside = sorted(s5_set - fallout_set) if fallout_set or not s5_set else []
    return {
        "block": block,
        "sessions_in_window": table.num_rows,
        "primary_ids": len(primary),
        "fallout": fallout_table,
        "residual": residual,
        "coverage": {
            "fallout_total_sessions": fallout_table.num_rows,
            "scenario5_sampled_sessions": len(s5),
            "fallout_covered_by_scenario5": covered,
            "residual_fallout_sessions": residual.num_rows,
            "note": "scenario_5 is a sampled subset of fallout (non-blocking)",
        },
        "s5_outside_fallout": outside,
        "columns": [c for c in FALLOUT_COLUMNS if c in table.column_names],
    }


def discovery_vs_assertions(lookup: Lookup) -> list[dict[str, Any]]:
    """Side-by-side of discovery rows and the `_exists` assertions' candidates."""
    assertion_counts: dict[str, tuple[int | None, str]] = {}
    for block in lookup.suite(g.SCENARIO_TEST_SUITE):
        if block.name.startswith("scenario_") and block.name.endswith("_exists"):
            assertion_counts[block.name.removesuffix("_exists")] = (
                as_int(block.diagnostics.get("candidates")), block.status)
    rows = []
    for block in lookup.suite(g.SCENARIO_SUITE):
        discovery = block.row_count
        candidates, status = assertion_counts.get(block.name, (None, "not in this run"))
        if candidates is None:
            note = "no matching _exists assertion" if status == "not in this run" else "assertion has no candidates value"
        elif candidates in (0, 1) and discovery > 1:
            note = "assertion is existence-style; discovery shows sampled rows"
        elif candidates == 0 and discovery == 0:
            note = "no candidates in this window"
        else:
            note = "ok"
        rows.append({"scenario_name": block.name, "discovery_rows": discovery,
                     "assertion_candidates": candidates, "assertion_status": status,
                     "interpretation": note})
    return sorted(rows, key=lambda r: r["scenario_name"])
