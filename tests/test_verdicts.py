"""TEST semantics of design.md: failed_rows decides, advisories kept, errors explained."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reportgen.verdicts import judge, overall


@pytest.mark.parametrize(
    "row, status, failed, message",
    [
        ({"failed_rows": 0}, "PASS", 0, None),
        ({"failed_rows": 0, "status": "WARN"}, "WARN", 0, None),
        ({"failed_rows": 0, "status": "INFO"}, "INFO", 0, None),
        ({"failed_rows": 0, "status": "PASS"}, "PASS", 0, None),
        ({"failed_rows": 0, "failure_mode": "WARN"}, "WARN", 0, None),
        ({"failed_rows": 5, "status": "WARN"}, "FAIL", 5, None),
        ({"failed_rows": -1}, "FAIL", -1, "failed_rows is negative"),
        ({"failed_rows": Decimal("2")}, "FAIL", 2, None),
        ({"failed_rows": 0.0}, "PASS", 0, None),
        ({"failed_rows": "3"}, "FAIL", 3, None),
        ({"failed_rows": "many"}, "ERROR", None, "failed_rows is not numeric"),
        ({"failed_rows": float("nan")}, "ERROR", None, "failed_rows is not numeric"),
        ({"failed_rows": None}, "ERROR", None, "failed_rows is NULL"),
        ({"rows": 0}, "ERROR", None, "Missing required column: failed_rows"),
        ({"failed_rows": 2**64 - 1}, "FAIL", 2**64 - 1, None),
    ],
)
def test_first_row_decides(row, status, failed, message):
    verdict = judge("TEST", None, row, True, row.keys())
    assert (verdict.status, verdict.failed_rows, verdict.message) == (status, failed, message)
    assert "failed_rows" not in verdict.diagnostics


def test_no_rows_and_errors():
    assert judge("TEST", None, None, False, ["failed_rows"]).message == "Query returned no rows"
    assert judge("TEST", "Code: 60. boom", None, False, []).status == "ERROR"
    assert judge("QUERY", None, None, False, []).status == "INFO"
    assert judge("QUERY", "Code: 62. syntax", None, False, []).status == "ERROR"


def test_overall():
    assert overall(["PASS", "INFO"]) == "PASS"
    assert overall(["PASS", "WARN"]) == "WARN"
    assert overall(["WARN", "ERROR"]) == "ERROR"
    assert overall(["ERROR", "FAIL"]) == "FAIL"
