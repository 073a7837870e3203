"""Injected failures reach the page: 06-10 debug opens itself, readiness drill-downs, 1 -> 0 WARN."""

from __future__ import annotations

import re

import pytest

from reportgen.report import model, render_report
from reportgen.report.format import anchor
from reportgen.snapshot import open_run
from tests.test_report_support import cached_run, make_faulty_demo_run


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    return open_run(cached_run("faulty", tmp_path_factory, make_faulty_demo_run))


def test_reconciliation_failure_opens_0609_debug(faulty):
    view = model.build(faulty)
    panels = {p["title"]: p for p in view["trace"]["sections"][5]["panels"]}
    verdict = panels["06-10 reconciliation verdict (assertion-sourced)"]
    assert verdict["bad"]
    failing = [r for r in verdict["table"].rows if r[1].text == "FAIL"]
    assert [r[0].text for r in failing] == ["network_demand_view_matches_rollup"]
    assert panels["06-09 debug details"]["open"]
    page = render_report(faulty)
    details = re.search(r'<details class="panel debug[^"]*" open data-auto-open>\s*<summary>06-09 debug details', page)
    assert details, "06-09 debug details must open themselves on failure"


def test_failed_readiness_test_shows_offending_rows(faulty):
    view = model.build(faulty)
    entries = {e["test"].name: e for e in view["drill"]["readiness"]}
    entry = entries["gpu_metrics_rollup_fields_consistent"]
    assert entry["drill"] is not None and entry["drill"].row_count > 0
    assert entry["view"]["table"].total_rows == entry["drill"].row_count
    page = render_report(faulty)
    assert f'id="{anchor("readiness", "gpu_metrics_rollup_fields_consistent")}"' in page
    assert f'href="#{anchor("check", "assertions_api_readiness", "gpu_metrics_rollup_fields_consistent")}"' in page


def test_known_stream_regression_is_a_warn_diff(faulty):
    view = model.build(faulty)
    panel = next(p for p in view["trace"]["sections"][4]["panels"] if p["title"].startswith("Per-version field diffs"))
    statuses = [row[-1].text for row in panel["table"].rows]
    assert "WARN" in statuses
    warn = next(row for row in panel["table"].rows if row[-1].text == "WARN")
    assert "known_stream: 1 -> 0" in warn[3].text
    nav = {n["id"]: n["bad"] for n in view["nav"]}
    assert nav["trace"] and nav["drilldowns"] and nav["assertions"]
