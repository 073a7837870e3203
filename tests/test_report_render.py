"""The rendered page: escaping of hostile data, determinism, anchors of every spec section."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from reportgen.report import render_report, write_report
from reportgen.report.format import anchor
from reportgen.snapshot import open_run
from tests.test_report_support import (
    HOSTILE_SIDS,
    LONG_ID,
    cached_run,
    demo_run_or_skip,
    make_hostile_run,
    make_subset_run,
)

CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
SPEC_SECTIONS = ["header", "summary", "harness", "trace", "assertions", "drilldowns", "scenarios", "sessions",
                 "reproduce"]
SECTION_PARTS = ["non-passing", "summary-layers", "summary-scenarios", "readiness-drilldown", "schema-sanity",
                 "raw-silver", "coverage-profile", "status-sparsity", "fallout", "residual-fallout",
                 "scenario-assertions", "discovery-vs-assertion", "session-picker", "search", "mode-toggle"]


class PageParser(HTMLParser):
    """Collects ids (in order), internal links, tags and script elements of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"])
        if tag == "a" and (values.get("href") or "").startswith("#"):
            self.links.append(values["href"][1:])
        if tag == "script":
            self._script, self._script_text = values, []

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)
        else:
            self.text.append(data)


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def hostile_path(tmp_path_factory) -> Path:
    return cached_run("hostile", tmp_path_factory, make_hostile_run)


@pytest.fixture(scope="module")
def hostile_page(hostile_path) -> str:
    return render_report(open_run(hostile_path))


def test_hostile_values_are_escaped_and_inert(hostile_page):
    page = parse(hostile_page)
    text = "".join(page.text)
    for sid in HOSTILE_SIDS:
        assert sid in text, sid[:40]  # shown as text, in full, after unescaping
    assert "{{ 7*7 }}" in text and "{% raw %}" in text  # templates never evaluate data
    assert "alert(" not in "".join(t for a, t in page.scripts if a.get("type") != "application/json"
                                   and "plotly" not in t[:2000].lower() and len(t) < 100_000)
    assert not any(tag in ("img", "svg", "iframe", "object", "embed") for tag, _ in page.tags)
    for tag, attrs in page.tags:
        for name, _ in attrs:
            assert not name.lower().startswith("on"), (tag, name)
    assert "<script>alert" not in hostile_page and "<img src=x" not in hostile_page
    assert str(escape("<script>alert('sid')</script>|s1")) in hostile_page
    kinds = sorted((a.get("type") or "js") for a, _ in page.scripts)
    assert kinds.count("js") == 2  # plotly.js + the page script, nothing else executable
    for attrs, body in page.scripts:
        if attrs.get("type") == "application/json":
            assert "<" not in body and ">" not in body


def test_page_is_self_contained(hostile_page):
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in hostile_page
    page = parse(hostile_page)
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "base")
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "poster"):
                assert (value or "").startswith(("#", "data:")), (tag, name, value)
    executable = [body for attrs, body in page.scripts if attrs.get("type") != "application/json"]
    assert sum("plotly.js" in body[:400] for body in executable) == 1  # plotly.js embedded once
    assert all(not attrs.get("src") for attrs, _ in page.scripts)


def test_render_is_byte_identical_and_matches_the_run(hostile_path):
    first = render_report(open_run(hostile_path))
    second = render_report(open_run(hostile_path))
    assert first == second
    written = (hostile_path / "report.html").read_text(encoding="utf-8")
    assert written == first  # `reportgen render` of an old run gives the same page


def test_write_report_writes_utf8(tmp_path, hostile_path):
    out = write_report(open_run(hostile_path), tmp_path / "r.html", show_debug=True)
    page = out.read_text(encoding="utf-8")
    assert 'data-mode="debug"' in page and LONG_ID in page


def _walk_anchors(page_html: str, snap) -> None:
    page = parse(page_html)
    ids = page.ids
    assert len(ids) == len(set(ids)), [i for i in set(ids) if ids.count(i) > 1][:5]
    positions = [ids.index(s) for s in SPEC_SECTIONS]
    assert positions == sorted(positions), "sections 0-8 out of order"
    for part in SECTION_PARTS:
        assert part in ids, part
    phase1 = [b for b in snap.blocks if b.phase == 1]
    for block in phase1:
        if block.suite == "trace_pipeline_flow":
            assert anchor("trace", block.name) in ids
        elif block.suite == "scenario_candidates":
            assert anchor("scenario", block.name) in ids
        elif block.kind == "TEST":
            assert anchor("check", block.suite, block.name) in ids
    for suite in ("assertions_raw_typed", "assertions_pipeline", "assertions_api_readiness",
                  "assertions_scenario_candidates"):
        assert anchor("suite", suite) in ids
    for session in {s.workflow_session_id for s in snap.sessions}:
        assert anchor("session", session) in ids
    missing = sorted(set(page.links) - set(ids))
    assert not missing, missing[:10]


def test_every_spec_section_and_check_has_an_anchor(hostile_page, hostile_path):
    _walk_anchors(hostile_page, open_run(hostile_path))


def test_demo_report_anchors_and_size(tmp_path_factory):
    path = cached_run("demo", tmp_path_factory, demo_run_or_skip)
    snap = open_run(path)
    page = render_report(snap)
    _walk_anchors(page, snap)
    assert len(page.encode("utf-8")) < 6_000_000
    for name in ("01_raw_ingest", "05_reliability_and_swap_summary", "10_network_demand_view_parity"):
        assert anchor("trace", name) in page


def test_missing_blocks_say_not_in_this_run(tmp_path_factory):
    path = cached_run("subset", tmp_path_factory, make_subset_run)
    page = render_report(open_run(path))
    text = "".join(parse(page).text)
    assert text.count("Not in this run") >= 5
    assert "No sessions were discovered" in text
    _ids = parse(page).ids
    for section in SPEC_SECTIONS:
        assert section in _ids


def _copy_with_manifest(src: Path, dest: Path, **changes) -> Path:
    import json
    import shutil

    shutil.copytree(src, dest)
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(manifest.get(key), dict):
            manifest[key] = {**manifest[key], **value}
        else:
            manifest[key] = value
    (dest / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return dest


def test_harness_section_from_manifest_escapes_through_great_tables(tmp_path, hostile_path):
    from reportgen.report.harness import load_harness

    runs = tmp_path / "h" / "test-runs" / "20260226T191221Z"
    (runs / "stages").mkdir(parents=True)
    (runs / "summary.json").write_text(
        '{"run_id": "20260226T191221Z", "results": [{"stage": "<script>alert(9)</script>", "status": "FAIL",'
        ' "duration_sec": 1.25, "error": "\\"><img src=x onerror=alert(8)>"}]}', encoding="utf-8")
    (runs / "stages" / "assert_api.json").write_text(
        '{"results": [{"name": "gpu_metrics_keys_not_null", "passed": false, "failed_rows": 2,'
        ' "diagnostics": {"rows_checked": 7}, "error": null}]}', encoding="utf-8")
    harness = load_harness(tmp_path / "h", None)
    folder = _copy_with_manifest(hostile_path, tmp_path / "run", harness=harness)
    page = render_report(open_run(folder))
    parsed = parse(page)
    assert not any(tag == "img" for tag, _ in parsed.tags)
    assert "&lt;script&gt;alert(9)&lt;/script&gt;" in page and "<script>alert(9)" not in page
    assert "gpu_metrics_keys_not_null" in "".join(parsed.text)
    assert 'id="harness-stages"' in page
    assert "No harness artifacts recorded" not in page
    plain = render_report(open_run(hostile_path))
    assert "No harness artifacts recorded" in plain


def test_remote_target_shows_a_warning_banner(tmp_path, hostile_path):
    folder = _copy_with_manifest(hostile_path, tmp_path / "run", target={
        "kind": "http", "host": "ch.example.com", "port": 8443, "database": "livepeer_analytics",
        "user": "analytics_user", "secure": True, "local": False, "demo": False,
        "description": "https://analytics_user@ch.example.com:8443/livepeer_analytics"})
    page = render_report(open_run(folder))
    assert 'id="remote-warning"' in page and "ch.example.com" in page
    assert "--target https://analytics_user@ch.example.com:8443/livepeer_analytics" in page
    assert 'id="remote-warning"' not in render_report(open_run(hostile_path))


INVALID_UTF8_SQL = r"""
INSERT INTO livepeer_analytics.fact_workflow_sessions
  (workflow_session_id, workflow_type, stream_id, request_id, pipeline, gateway, orchestrator_address,
   gpu_attribution_method, gpu_attribution_confidence, session_start_ts, known_stream, event_count, version)
SELECT concat('bad-', unhex('FFFE'), '<script>alert(5)</script>|s5'), 'ai_live', concat('stream-', unhex('C3')), 'r5',
       concat('pipe', unhex('FF')), 'gw5', '0x5', 'none', 1, toDateTime64('2026-02-25 13:00:00', 3, 'UTC'), 0, 1, 1
"""


def test_invalid_utf8_from_the_warehouse_renders_replaced(tmp_path):
    from tests.test_report_support import build_seeded_warehouse, run_reportgen

    build_seeded_warehouse(tmp_path / "wh", INVALID_UTF8_SQL)
    folder = run_reportgen(tmp_path / "wh", tmp_path / "artifacts", "utf8")
    page = render_report(open_run(folder))
    assert "bad-\ufffd\ufffd&lt;script&gt;alert(5)&lt;/script&gt;|s5" in page
    assert "<script>alert(5)" not in page
    assert "stream-\ufffd" in page and "pipe\ufffd" in page


def test_harness_artifacts_flow_from_run_to_page(tmp_path, hostile_path):
    from tests.test_report_support import run_reportgen

    warehouse = hostile_path.parent.parent.parent / "hostile-warehouse"
    artifacts = tmp_path / "artifacts"
    stages = artifacts / "test-runs" / "20260226T191221Z" / "stages"
    stages.mkdir(parents=True)
    (stages.parent / "summary.json").write_text(
        '{"run_id": "20260226T191221Z", "failed": false, "results": ['
        '{"stage": "stack_up", "status": "PASS", "duration_sec": 114.2, "error": null},'
        '{"stage": "assert_scenarios", "status": "PASS", "duration_sec": 0.9, "error": null}]}', encoding="utf-8")
    (stages / "assert_scenarios.json").write_text(
        '{"results": [{"name": "scenario_1_clean_success_no_swap_fps_gt_12_exists", "passed": false,'
        ' "failed_rows": 1, "diagnostics": {"candidates": 0}, "error": null}]}', encoding="utf-8")
    folder = run_reportgen(warehouse, artifacts, "with-harness")
    page = render_report(open_run(folder))
    text = "".join(parse(page).text)
    assert "Harness run 20260226T191221Z" in text
    assert "assert_scenarios" in text and "stack_up" in text
    assert 'id="harness-failures"' in page
    assert page == (folder / "report.html").read_text(encoding="utf-8")


def test_users_own_query_packs_and_drilldowns_get_a_place(tmp_path, hostile_path):
    from tests.test_report_support import run_reportgen

    warehouse = hostile_path.parent.parent.parent / "hostile-warehouse"
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "my_checks.sql").write_text(
        "-- TEST: my_sessions_exist\n"
        "SELECT toUInt64(count() > 0) AS failed_rows, count() AS sessions_seen\n"
        "FROM livepeer_analytics.fact_workflow_sessions\n", encoding="utf-8")
    (packs / "my_queries.sql").write_text(
        "-- QUERY: sessions_by_gateway\n"
        "SELECT gateway, count() AS sessions FROM livepeer_analytics.fact_workflow_sessions GROUP BY gateway ORDER BY gateway\n"
        "-- QUERY: broken_query\n"
        "SELECT no_such_column FROM livepeer_analytics.fact_workflow_sessions\n", encoding="utf-8")
    drill = tmp_path / "my_drill.sql"
    drill.write_text("-- QUERY: my_sessions_exist\n"
                     "SELECT workflow_session_id, gateway FROM livepeer_analytics.fact_workflow_sessions "
                     "ORDER BY workflow_session_id\n", encoding="utf-8")
    folder = run_reportgen(warehouse, tmp_path / "artifacts", "own", "--packs", str(packs), "--drilldowns", str(drill))
    snap = open_run(folder)
    page = render_report(snap)
    parsed = parse(page)
    assert "other-queries" in parsed.ids and "other-drilldowns" in parsed.ids
    assert anchor("suite", "my_checks") in parsed.ids
    assert anchor("check", "my_checks", "my_sessions_exist") in parsed.ids
    assert anchor("query", "my_queries", "broken_query") in parsed.ids
    assert "gw&lt;b&gt;1&lt;/b&gt;" in page  # the user's query rows, escaped
    assert sorted(set(parsed.links) - set(parsed.ids)) == []
    assert text_of(parsed).count("Not in this run") >= 4


def text_of(parsed: PageParser) -> str:
    return "".join(parsed.text)
