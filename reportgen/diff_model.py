"""What changed between a baseline run A and a candidate run B, computed from the two snapshots.

Pure data: no printing, no HTML. `compare(a, b)` returns a `RunDiff` that the terminal summary,
`diff.html` and `--json` all render, so the three outputs cannot disagree.

A check is a phase-1 block, identified by (suite, name). A renamed check is therefore a removed
check plus an added one. Drill-down blocks (phase 2) are diagnostics and are not compared.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from reportgen.snapshot import BlockRecord, RunSnapshot
from reportgen.verdicts import BAD, WARN, jsonable

TRACE_SUITE = "trace_pipeline_flow"
ROW_KEY_COLUMN = "object_name"
MAX_TRACE_ROWS = 1000  # trace blocks return a handful of rows; a user's pack might not
FLOAT_TOLERANCE = 1e-9

# Change categories, in the order every output lists them.
NEW_FAILURE = "new_failure"
FIXED = "fixed"
NEW_WARN = "new_warn"
STILL_FAILING = "still_failing"
STATUS_CHANGED = "status_changed"
ADDED = "added"
REMOVED = "removed"
UNCHANGED = "unchanged"
CATEGORIES = (NEW_FAILURE, FIXED, NEW_WARN, STILL_FAILING, STATUS_CHANGED, ADDED, REMOVED, UNCHANGED)
TITLES = {
    NEW_FAILURE: "New failures",
    FIXED: "Fixed",
    NEW_WARN: "New warnings",
    STILL_FAILING: "Failing in both",
    STATUS_CHANGED: "Other status changes",
    ADDED: "Checks added",
    REMOVED: "Checks removed",
    UNCHANGED: "Unchanged",
}
FAIL_ON = ("fail", "warn", "any", "never")


@dataclass(frozen=True)
class ValueChange:
    """One figure that moved: a diagnostic column or a trace-pack cell."""

    key: str
    a: Any
    b: Any
    delta: float | None = None  # b - a (seconds for timestamps)
    relative: float | None = None  # delta / |a|; None when a is 0 or not numeric
    unit: str = ""  # "s" when delta is a time difference

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "a": jsonable(self.a), "b": jsonable(self.b),
                "delta": jsonable(self.delta), "relative": jsonable(self.relative),
                "unit": self.unit}


@dataclass(frozen=True)
class CheckDiff:
    suite: str
    name: str
    kind: str
    category: str
    status_a: str | None
    status_b: str | None
    failed_rows_a: int | None = None
    failed_rows_b: int | None = None
    message: str | None = None  # B's error/message (A's for removed checks)
    advisory: str | None = None
    diagnostics: dict[str, Any] = field(default_factory=dict)  # B's (A's for removed checks)
    changes: tuple[ValueChange, ...] = ()  # failed_rows/diagnostics that moved (failing in both)
    block_id: str = ""
    renamed_from: str | None = None  # added check whose SQL equals a removed check's (a hint)
    renamed_from_status: str | None = None
    anchor: str | None = None  # the check's id in its run's report.html (B's; A's when removed)

    @property
    def check_id(self) -> str:
        return f"{self.suite}.{self.name}"

    @property
    def is_change(self) -> bool:
        return self.category not in (UNCHANGED, STILL_FAILING) or bool(self.changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check_id, "suite": self.suite, "name": self.name, "kind": self.kind,
            "category": self.category, "status_a": self.status_a, "status_b": self.status_b,
            "failed_rows_a": self.failed_rows_a, "failed_rows_b": self.failed_rows_b,
            "message": self.message, "advisory": self.advisory,
            "diagnostics": jsonable(self.diagnostics),
            "changes": [c.to_json() for c in self.changes],
            "renamed_from": self.renamed_from,
        }


@dataclass(frozen=True)
class TraceRowDiff:
    block: str
    row: str  # object_name, or "" for single-row blocks, or "#n"
    presence: str  # "both" | "added" | "removed"
    changes: tuple[ValueChange, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"block": self.block, "row": self.row, "presence": self.presence,
                "changes": [c.to_json() for c in self.changes]}


@dataclass(frozen=True)
class SessionDiff:
    workflow_session_id: str
    scenarios_a: tuple[str, ...]
    scenarios_b: tuple[str, ...]

    @property
    def kind(self) -> str:
        if not self.scenarios_a:
            return "appeared"
        if not self.scenarios_b:
            return "disappeared"
        return "changed"

    def to_json(self) -> dict[str, Any]:
        return {"workflow_session_id": self.workflow_session_id, "kind": self.kind,
                "scenarios_a": list(self.scenarios_a), "scenarios_b": list(self.scenarios_b)}


@dataclass(frozen=True)
class ContextNote:
    """A difference in how the two runs were made (window, target, packs, versions)."""

    topic: str  # window | target | pack | drilldown | version
    text: str
    a: Any = None
    b: Any = None

    def to_json(self) -> dict[str, Any]:
        return {"topic": self.topic, "text": self.text, "a": jsonable(self.a), "b": jsonable(self.b)}


@dataclass(frozen=True)
class RunRef:
    run_id: str
    path: str
    verdict: str
    window: dict[str, Any]
    target: str

    def to_json(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "path": self.path, "verdict": self.verdict,
                "window": jsonable(self.window), "target": self.target}


@dataclass(frozen=True)
class RunDiff:
    a: RunRef
    b: RunRef
    context: tuple[ContextNote, ...]
    checks: tuple[CheckDiff, ...]
    trace: tuple[TraceRowDiff, ...]
    sessions: tuple[SessionDiff, ...]

    def by_category(self, category: str) -> list[CheckDiff]:
        return [c for c in self.checks if c.category == category]

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(CATEGORIES, 0)
        for check in self.checks:
            out[check.category] += 1
        return out

    @property
    def new_failures(self) -> list[CheckDiff]:
        """Bad in B and not bad in A: PASS/WARN/INFO → FAIL/ERROR, or an added check that fails
        (unless it looks like a rename of a check that already failed in A)."""
        return [c for c in self.checks if c.category == NEW_FAILURE
                or (c.category == ADDED and c.status_b in BAD
                    and c.renamed_from_status not in BAD)]

    @property
    def new_warnings(self) -> list[CheckDiff]:
        return [c for c in self.checks if c.category == NEW_WARN
                or (c.category == ADDED and c.status_b == WARN and c.renamed_from_status != WARN)]

    @property
    def has_changes(self) -> bool:
        return (any(c.is_change for c in self.checks) or bool(self.trace)
                or bool(self.sessions))

    def regressed(self, fail_on: str) -> bool:
        if fail_on == "never":
            return False
        if fail_on == "any":
            return self.has_changes
        if fail_on == "warn":
            return bool(self.new_failures or self.new_warnings)
        return bool(self.new_failures)

    def headline(self) -> str:
        """One line, verdict first: what a CI log shows at the top."""
        counts = self.counts()
        if self.new_failures:
            lead = "REGRESSION"
        elif self.has_changes:
            lead = "CHANGED"
        else:
            lead = "NO CHANGE"
        parts = [
            f"{len(self.new_failures)} new failure(s)", f"{counts[FIXED]} fixed",
            f"{len(self.new_warnings)} new warning(s)", f"{counts[STILL_FAILING]} failing in both",
            f"{counts[ADDED]} added", f"{counts[REMOVED]} removed", f"{counts[UNCHANGED]} unchanged",
        ]
        return f"{lead}: " + ", ".join(parts)

    def to_json(self, fail_on: str = "fail") -> dict[str, Any]:
        counts = self.counts()
        return {
            "tool": "reportgen",
            "kind": "diff",
            "headline": self.headline(),
            "fail_on": fail_on,
            "regression": self.regressed(fail_on),
            "exit_code": 1 if self.regressed(fail_on) else 0,
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "context": [n.to_json() for n in self.context],
            "counts": {**counts, "new_failures": len(self.new_failures),
                       "new_warnings": len(self.new_warnings)},
            "new_failures": [c.check_id for c in self.new_failures],
            "new_warnings": [c.check_id for c in self.new_warnings],
            "checks": [c.to_json() for c in self.checks if c.is_change],
            "unchanged": [c.check_id for c in self.checks if not c.is_change],
            "trace": [t.to_json() for t in self.trace],
            "sessions": [s.to_json() for s in self.sessions],
        }


# ----------------------------------------------------------------------------------- compare


def compare(a: RunSnapshot, b: RunSnapshot) -> RunDiff:
    return RunDiff(
        a=_ref(a), b=_ref(b),
        context=tuple(context_notes(a.manifest, b.manifest)),
        checks=tuple(compare_checks(a, b)),
        trace=tuple(compare_trace(a, b)),
        sessions=tuple(compare_sessions(a, b)),
    )


def _ref(snap: RunSnapshot) -> RunRef:
    manifest = snap.manifest
    status = manifest.get("exit_status") or {}
    return RunRef(
        run_id=snap.run_id, path=str(snap.path), verdict=str(status.get("verdict", "?")),
        window=dict(manifest.get("window") or {}),
        target=str((manifest.get("target") or {}).get("description", "?")),
    )


def _checks(snap: RunSnapshot) -> dict[tuple[str, str], BlockRecord]:
    return {(b.suite, b.name): b for b in snap.blocks if b.phase == 1}


def categorize(status_a: str | None, status_b: str | None) -> str:
    if status_a is None:
        return ADDED
    if status_b is None:
        return REMOVED
    bad_a, bad_b = status_a in BAD, status_b in BAD
    if bad_b and not bad_a:
        return NEW_FAILURE
    if bad_a and not bad_b:
        return FIXED
    if bad_a and bad_b:
        return STILL_FAILING
    if status_b == WARN and status_a != WARN:
        return NEW_WARN
    if status_a != status_b:
        return STATUS_CHANGED
    return UNCHANGED


def compare_checks(a: RunSnapshot, b: RunSnapshot) -> list[CheckDiff]:
    """Every check of A and B: B's pack order first, then checks only A had, in A's order."""
    checks_a, checks_b = _checks(a), _checks(b)
    keys = list(checks_b) + [k for k in checks_a if k not in checks_b]
    removed_sql: dict[tuple[str, str], BlockRecord] = {}
    for key, old_block in checks_a.items():
        if key not in checks_b:
            removed_sql.setdefault((old_block.suite, _normal_sql(old_block.sql)), old_block)
    out = []
    for key in keys:
        old, new = checks_a.get(key), checks_b.get(key)
        category = categorize(old.status if old else None, new.status if new else None)
        shown = new or old
        assert shown is not None
        changes: tuple[ValueChange, ...] = ()
        if category == STILL_FAILING and old and new:
            changes = tuple(_check_changes(old, new))
        twin = removed_sql.get((shown.suite, _normal_sql(shown.sql))) if category == ADDED else None
        out.append(CheckDiff(
            suite=shown.suite, name=shown.name, kind=shown.kind, category=category,
            status_a=old.status if old else None, status_b=new.status if new else None,
            failed_rows_a=old.failed_rows if old else None,
            failed_rows_b=new.failed_rows if new else None,
            message=shown.error or shown.message, advisory=shown.advisory,
            diagnostics=dict(shown.diagnostics), changes=changes, block_id=shown.block_id,
            renamed_from=twin.name if twin else None, renamed_from_status=twin.status if twin else None,
            anchor=report_anchor(shown),
        ))
    return out


def report_anchor(block: BlockRecord) -> str | None:
    """Where the report shows this check (None if the report module is unavailable)."""
    try:
        from reportgen.report.lookup import check_anchor
    except ImportError:
        return None
    return check_anchor(block)


def _normal_sql(sql: str) -> str:
    return " ".join(sql.split())


def _check_changes(old: BlockRecord, new: BlockRecord) -> Iterable[ValueChange]:
    if old.status != new.status:
        yield ValueChange("status", old.status, new.status)
    if old.failed_rows != new.failed_rows:
        yield value_change("failed_rows", old.failed_rows, new.failed_rows)
    if (old.error or old.message) != (new.error or new.message):
        yield ValueChange("message", old.error or old.message, new.error or new.message)
    yield from mapping_changes(old.diagnostics, new.diagnostics)


def mapping_changes(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[ValueChange]:
    keys = list(b) + [k for k in a if k not in b]
    return [value_change(k, a.get(k), b.get(k)) for k in keys
            if not same_value(a.get(k), b.get(k)) or (k in a) != (k in b)]


# ----------------------------------------------------------------------------------- values


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def _timestamp(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] in "T ":
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def same_value(a: Any, b: Any) -> bool:
    x, y = _number(a), _number(b)
    if x is not None and y is not None:
        return math.isclose(x, y, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    return jsonable(a) == jsonable(b)


def value_change(key: str, a: Any, b: Any) -> ValueChange:
    """A change with its absolute and relative size when both sides are numbers or times."""
    x, y = _number(a), _number(b)
    if x is not None and y is not None:
        delta = y - x
        if float(delta).is_integer() and isinstance(a, int) and isinstance(b, int):
            delta = int(delta)
        return ValueChange(key, a, b, delta, delta / abs(x) if x else None)
    t, u = _timestamp(a), _timestamp(b)
    if t is not None and u is not None and (t.tzinfo is None) == (u.tzinfo is None):
        return ValueChange(key, a, b, (u - t).total_seconds(), None, "s")
    return ValueChange(key, a, b)


# ----------------------------------------------------------------------------------- trace


def _rows(snap: RunSnapshot, block: BlockRecord) -> dict[str, dict[str, Any]]:
    table = snap.table(block)
    if table is None:
        return {}
    rows = table.slice(0, MAX_TRACE_ROWS).to_pylist()
    if ROW_KEY_COLUMN in table.column_names:
        keyed: dict[str, dict[str, Any]] = {}
        for row in rows:
            key = str(row.get(ROW_KEY_COLUMN))
            while key in keyed:  # a duplicate object name: keep both, distinguishably
                key += "'"
            keyed[key] = {k: v for k, v in row.items() if k != ROW_KEY_COLUMN}
        return keyed
    if len(rows) == 1:
        return {"": rows[0]}
    return {f"#{i + 1}": row for i, row in enumerate(rows)}


def compare_trace(a: RunSnapshot, b: RunSnapshot) -> list[TraceRowDiff]:
    """Cells of the trace pack (rows per layer, min/max ts, parity figures) that moved."""
    out: list[TraceRowDiff] = []
    for new in b.suite_blocks(TRACE_SUITE):
        old = a.find(TRACE_SUITE, new.name)
        if old is None or old.phase != 1:
            continue  # an added block is reported as an added check
        rows_a, rows_b = _rows(a, old), _rows(b, new)
        for key in list(rows_b) + [k for k in rows_a if k not in rows_b]:
            if key not in rows_a:
                out.append(TraceRowDiff(new.name, key, "added", tuple(
                    value_change(c, None, v) for c, v in rows_b[key].items())))
            elif key not in rows_b:
                out.append(TraceRowDiff(new.name, key, "removed", tuple(
                    value_change(c, v, None) for c, v in rows_a[key].items())))
            else:
                changes = mapping_changes(rows_a[key], rows_b[key])
                if changes:
                    out.append(TraceRowDiff(new.name, key, "both", tuple(changes)))
    return out


# ----------------------------------------------------------------------------------- sessions


def _membership(snap: RunSnapshot) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for session in snap.sessions:
        scenarios = found.setdefault(session.workflow_session_id, [])
        if session.scenario not in scenarios:
            scenarios.append(session.scenario)
    return {sid: tuple(sorted(s)) for sid, s in found.items()}


def compare_sessions(a: RunSnapshot, b: RunSnapshot) -> list[SessionDiff]:
    """Sessions discovery found in only one run, or under different scenarios (sorted by kind, id)."""
    old, new = _membership(a), _membership(b)
    out = [SessionDiff(sid, old.get(sid, ()), new.get(sid, ()))
           for sid in sorted(set(old) | set(new)) if old.get(sid, ()) != new.get(sid, ())]
    order = {"appeared": 0, "disappeared": 1, "changed": 2}
    return sorted(out, key=lambda s: (order[s.kind], s.workflow_session_id))


# ----------------------------------------------------------------------------------- context


def context_notes(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[ContextNote]:
    """Window, target, pack-hash and version differences, stated before anything else."""
    notes: list[ContextNote] = []
    wa, wb = a.get("window") or {}, b.get("window") or {}
    span_a = (wa.get("from_ts"), wa.get("to_ts"))
    span_b = (wb.get("from_ts"), wb.get("to_ts"))
    if span_a != span_b:
        notes.append(ContextNote("window", f"windows differ: A {span_a[0]} .. {span_a[1]}, "
                                 f"B {span_b[0]} .. {span_b[1]}", list(span_a), list(span_b)))
    ta = (a.get("target") or {}).get("description")
    tb = (b.get("target") or {}).get("description")
    if ta != tb:
        notes.append(ContextNote("target", f"targets differ: A {ta}, B {tb}", ta, tb))
    for topic in ("packs", "drilldowns"):
        notes.extend(_pack_notes(topic, a.get(topic) or [], b.get(topic) or []))
    va, vb = a.get("versions") or {}, b.get("versions") or {}
    for key in ("reportgen", "engine"):
        if va.get(key) != vb.get(key):
            notes.append(ContextNote("version", f"{key} version differs: A {va.get(key)}, "
                                     f"B {vb.get(key)}", va.get(key), vb.get(key)))
    return notes


def _pack_notes(topic: str, packs_a: list[dict[str, Any]], packs_b: list[dict[str, Any]]) -> list[ContextNote]:
    label = "pack" if topic == "packs" else "drill-down pack"
    by_a = {p.get("suite"): p for p in packs_a}
    by_b = {p.get("suite"): p for p in packs_b}
    notes = []
    for suite in list(by_b) + [s for s in by_a if s not in by_b]:
        pa_, pb_ = by_a.get(suite), by_b.get(suite)
        if pa_ is None:
            notes.append(ContextNote(topic, f"{label} {suite} only in B", None, pb_.get("sha256") if pb_ else None))
        elif pb_ is None:
            notes.append(ContextNote(topic, f"{label} {suite} only in A", pa_.get("sha256"), None))
        elif pa_.get("sha256") != pb_.get("sha256"):
            notes.append(ContextNote(
                topic, f"{label} {suite} changed (sha256 {str(pa_.get('sha256'))[:12]} -> "
                f"{str(pb_.get('sha256'))[:12]})", pa_.get("sha256"), pb_.get("sha256")))
    return notes
