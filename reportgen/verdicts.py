"""Verdicts: pure functions of a block's kind, error and first result row.

TEST: the first row's `failed_rows` decides (0 = PASS, anything else = FAIL); a query error is
ERROR; no rows, no `failed_rows` column, NULL or non-numeric `failed_rows` are ERROR with that
message. A SQL-side advisory `status` (WARN/INFO) on a passing test becomes the verdict, so the
soft anomaly stays visible. QUERY blocks are INFO when they ran, ERROR when they did not.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

PASS, WARN, INFO, FAIL, ERROR, SKIP = "PASS", "WARN", "INFO", "FAIL", "ERROR", "SKIP"
STATUSES = (FAIL, ERROR, WARN, PASS, INFO, SKIP)  # severity order, worst first
ADVISORY_COLUMNS = ("status", "failure_mode")
BAD = frozenset({FAIL, ERROR})

LEGEND = {
    PASS: "contract met",
    WARN: "expected soft anomaly",
    INFO: "nothing to evaluate",
    FAIL: "contract violation",
    ERROR: "the check could not run",
    SKIP: "not run",
}


@dataclass(frozen=True)
class Verdict:
    status: str
    failed_rows: int | None = None
    advisory: str | None = None
    message: str | None = None
    diagnostics: dict[str, Any] = field(default_factory=dict)


def _advisory(row: Mapping[str, Any]) -> str | None:
    for column in ADVISORY_COLUMNS:
        value = row.get(column)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _failed_rows(value: Any) -> tuple[int | None, str | None]:
    if value is None:
        return None, "failed_rows is NULL"
    if isinstance(value, bool):
        return int(value), None
    if isinstance(value, (int, Decimal)) or (isinstance(value, float) and math.isfinite(value)):
        return int(value), None
    if isinstance(value, str):
        try:
            return int(float(value.strip())), None
        except ValueError:
            return None, "failed_rows is not numeric"
    return None, "failed_rows is not numeric"


def judge(kind: str, error: str | None, first_row: Mapping[str, Any] | None, has_rows: bool,
          columns: Iterable[str]) -> Verdict:
    if error is not None:
        return Verdict(ERROR, message=error)
    if kind != "TEST":
        return Verdict(INFO)
    if not has_rows or first_row is None:
        return Verdict(ERROR, message="Query returned no rows")
    columns = list(columns)
    if "failed_rows" not in columns:
        return Verdict(ERROR, message="Missing required column: failed_rows", diagnostics=dict(first_row))
    diagnostics = {k: v for k, v in first_row.items() if k != "failed_rows"}
    advisory = _advisory(first_row)
    failed, problem = _failed_rows(first_row["failed_rows"])
    if problem:
        return Verdict(ERROR, message=problem, advisory=advisory, diagnostics=diagnostics)
    assert failed is not None
    if failed != 0:
        note = "failed_rows is negative" if failed < 0 else None
        return Verdict(FAIL, failed, advisory, note, diagnostics)
    upper = (advisory or "").upper()
    status = upper if upper in (WARN, INFO) else PASS
    return Verdict(status, 0, advisory, None, diagnostics)


def worst(statuses: Iterable[str]) -> str:
    present = set(statuses)
    for status in STATUSES:
        if status in present:
            return status
    return INFO


def overall(statuses: Iterable[str]) -> str:
    """PASS unless some check failed or errored (WARN/INFO do not fail a run)."""
    statuses = list(statuses)
    if any(s in BAD for s in statuses):
        return FAIL if FAIL in statuses else ERROR
    return WARN if WARN in statuses else PASS


def counts(statuses: Iterable[str]) -> dict[str, int]:
    out = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        out[status] = out.get(status, 0) + 1
    return out


def jsonable(value: Any) -> Any:
    """A JSON-safe rendering of a warehouse value (diagnostics, manifests, CI outputs)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, tuple) and len(v) == 2 for v in value) and value:
            return {str(k): jsonable(v) for k, v in value}
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def dumps(value: Any) -> str:
    return json.dumps(jsonable(value), sort_keys=True, ensure_ascii=False)
