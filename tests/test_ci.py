"""CI outputs: JUnit XML and the Markdown summary of real runs, `publish`, and the 1 MB limit."""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml

from reportgen import ci
from reportgen.errors import ConfigError, RunFolderError
from reportgen.snapshot import BlockRecord, RunSnapshot
from tests.test_diff_support import build_runs, run_packs, synthetic_run

GITHUB_LIMIT = 1024 * 1024


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_runs(tmp_path_factory.mktemp("ciruns"))


def check_junit_shape(path: Path) -> ET.Element:
    """The common JUnit XSD shape: required attributes, numeric counts that add up, nesting."""
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root:
        assert suite.tag == "testsuite"
        for attr in ("name", "tests", "failures", "errors", "skipped", "time", "timestamp", "hostname"):
            assert attr in suite.attrib, attr
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", suite.get("timestamp", ""))
        float(suite.get("time", ""))
        cases = list(suite)
        assert all(case.tag == "testcase" for case in cases)
        seen = {"tests": len(cases), "failures": 0, "errors": 0, "skipped": 0}
        for case in cases:
            assert case.get("classname") == suite.get("name") and case.get("name")
            float(case.get("time", ""))
            children = [c.tag for c in case]
            assert set(children) <= {"properties", "failure", "error", "skipped"}
            assert sum(tag in ("failure", "error", "skipped") for tag in children) <= 1
            for tag, key in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
                if tag in children:
                    seen[key] += 1
                    assert "message" in case.find(tag).attrib  # type: ignore[union-attr]
        assert {k: int(suite.get(k, "-1")) for k in seen} == seen
        for key in totals:
            totals[key] += seen[key]
    assert {k: int(root.get(k, "-1")) for k in totals} == totals
    float(root.get("time", ""))
    return root


def test_junit_of_a_real_run(runs: dict[str, Path]) -> None:
    path = runs["b"] / "junit.xml"
    raw = path.read_bytes()
    assert b"\x01" not in raw  # the control character in a diagnostic is escaped, not written
    root = check_junit_shape(path)
    assert [s.get("name") for s in root] == ["assertions_basic"]  # query packs ran fine

    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert [(s.name, s.tests, s.failures, s.errors, s.skipped) for s in suites] == [
        ("assertions_basic", 6, 3, 1, 0)]
    cases = {c.name: c for c in suites[0]}
    assert list(cases) == ["no_negative_values", "events_present", "layer_balance_advisory",
                           "known_over_50", "hostile_text", "broken_sql"]
    failure = cases["no_negative_values"].result[0]
    assert isinstance(failure, Failure)
    assert failure.message == "failed_rows=1; min_value=-5, total_rows=8"
    assert "min_value: -5" in failure.text
    error = cases["broken_sql"].result[0]
    assert isinstance(error, Error) and "UNKNOWN_TABLE" in error.message and error.type == "UNKNOWN_TABLE"
    assert cases["events_present"].is_passed and cases["layer_balance_advisory"].is_passed
    hostile = cases["hostile_text"].result[0]
    assert hostile.message.startswith('failed_rows=1; note=<script>alert(1)</script> | "><img src=x')
    assert hostile.message.endswith("rows 8\\x01")

    warn_case = root.find("testsuite/testcase[@name='layer_balance_advisory']")
    assert warn_case is not None and warn_case.find("failure") is None
    props = {p.get("name"): p.get("value") for p in warn_case.iter("property")}
    assert props == {"verdict": "WARN", "advisory": "WARN"}

    manifest = json.loads((runs["b"] / "manifest.json").read_text())
    assert manifest["ci"] == {"junit": "junit.xml", "summary": "summary.md"}
    counts = manifest["exit_status"]["counts"]
    assert (counts["FAIL"], counts["ERROR"]) == (3, 1)


def md_cells(line: str) -> list[str]:
    assert line.startswith("|") and line.endswith("|") and not line.endswith("\\|"), line
    return re.split(r"(?<!\\)\|", line[1:-1])


def md_tables(lines: list[str]) -> list[list[str]]:
    """Contiguous runs of table lines."""
    tables: list[list[str]] = []
    previous = False
    for line in lines:
        if line.startswith("|"):
            if not previous:
                tables.append([])
            tables[-1].append(line)
        previous = line.startswith("|")
    return tables


def test_markdown_summary_of_a_real_run(runs: dict[str, Path]) -> None:
    text = (runs["b"] / "summary.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "## reportgen FAIL: run `r3-fault`"
    assert "report `runs/r3-fault/report.html`" in lines[2]
    assert "**1 pass · 1 warn · 3 fail · 1 error · 4 info** (10 checks)" in text
    tables = md_tables(lines)
    assert len(tables) == 3  # verdicts, failures, warnings
    for table in tables:  # every row is one line with as many cells as its header
        assert {len(md_cells(line)) for line in table} == {len(md_cells(table[0]))}, table
    assert "| assertions\\_basic | TEST | 6 | 1 | 1 | 3 | 1 | FAIL |" in lines
    assert "### Failures (4)" in lines and "### Warnings (1)" in lines
    failures = lines[lines.index("### Failures (4)") + 4: lines.index("### Failures (4)") + 8]
    assert [md_cells(r)[0].strip() for r in failures] == [
        "assertions\\_basic.no\\_negative\\_values", "assertions\\_basic.known\\_over\\_50",
        "assertions\\_basic.hostile\\_text", "assertions\\_basic.broken\\_sql"]
    hostile = failures[2]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\| \"&gt;&lt;img" in hostile
    assert "<script>" not in text and "\x01" not in text


def test_run_publishes_ci_outputs(runs: dict[str, Path], tmp_path: Path) -> None:
    step_summary = tmp_path / "step_summary.md"
    step_summary.write_text("earlier step\n")
    junit, summary = tmp_path / "ci" / "reports" / "junit.xml", tmp_path / "ci" / "summary.md"
    done = run_packs(runs["warehouse"], runs["packs_v1"], runs["drilldowns"], tmp_path / "artifacts",
                     "r4-publish", "--junit", str(junit), "--summary", str(summary),
                     env={"GITHUB_STEP_SUMMARY": str(step_summary)})
    assert done.returncode == 1, done.stderr
    folder = tmp_path / "artifacts" / "runs" / "r4-publish"
    assert junit.read_bytes() == (folder / "junit.xml").read_bytes()
    assert summary.read_bytes() == (folder / "summary.md").read_bytes()
    assert step_summary.read_text(encoding="utf-8") == "earlier step\n" + summary.read_text(encoding="utf-8")
    check_junit_shape(junit)


def test_publish_directly(tmp_path: Path) -> None:
    folder = synthetic_run(tmp_path / "a", "one", [("s", "t", {"failed_rows": 0})])
    ci.publish(folder, env={})  # nothing asked: nothing written
    step = tmp_path / "step.md"
    ci.publish(folder, env={"GITHUB_STEP_SUMMARY": str(step)})
    ci.publish(folder, env={"GITHUB_STEP_SUMMARY": str(step)})
    body = (folder / "summary.md").read_text(encoding="utf-8")
    assert step.read_text(encoding="utf-8") == body + body
    bare = synthetic_run(tmp_path / "b", "bare", [("s", "t", {"failed_rows": 0})], ci=False)
    with pytest.raises(RunFolderError, match="has no junit.xml"):
        ci.publish(bare, junit=tmp_path / "j.xml")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match="cannot copy summary.md to"):
        ci.publish(folder, summary=tmp_path / "file" / "sub" / "s.md")


def test_errors_and_query_suites_in_junit(tmp_path: Path) -> None:
    folder = synthetic_run(tmp_path, "mixed", [
        ("asserts", "ok", {"failed_rows": 0}),
        ("asserts", "no_failed_rows_column", {"rows": 3}),
        ("asserts", "info", {"failed_rows": 0, "status": "INFO"}),
        ("trace_pipeline_flow", "01_raw_ingest", {"rows_window": 1}, "QUERY"),
        ("trace_pipeline_flow", "02_typed_tables", {}, "QUERY", "Code: 60. table gone (UNKNOWN_TABLE)"),
        ("scenario_candidates", "scenario_1", {"workflow_session_id": "x"}, "QUERY"),
    ])
    root = check_junit_shape(folder / "junit.xml")
    assert [(s.get("name"), s.get("tests"), s.get("errors")) for s in root] == [
        ("asserts", "3", "1"), ("trace_pipeline_flow", "1", "1")]
    missing = root.find("testsuite/testcase[@name='no_failed_rows_column']/error")
    assert missing is not None and missing.get("message", "").startswith("Missing required column: failed_rows")
    query = root.find("testsuite/testcase[@name='02_typed_tables']/error")
    assert query is not None and "table gone" in query.get("message", "")
    info = root.find("testsuite/testcase[@name='info']")
    assert info is not None and {p.get("value") for p in info.iter("property")} == {"INFO"}


def synthetic_snapshot(folder: Path, count: int) -> RunSnapshot:
    """A snapshot object of `count` failing checks with long diagnostics (no files: writing
    thousands of result tables is the run writer's cost, not what this measures)."""
    blocks = []
    for i in range(count):
        suite, name = f"suite_{i % 50:02d}", f"check_{i:04d}_" + "x" * 40
        blocks.append(BlockRecord(
            seq=i + 1, phase=1, suite=suite, kind="TEST", name=name, block_id=f"{suite}.{name}",
            sid=None, pack_path=f"{suite}.sql", line=i + 1, sql="SELECT 1", status="FAIL",
            failed_rows=i + 1, advisory=None, message=None, error=None, error_code=None,
            error_name=None, row_count=1, duration_s=0.01, started_at="2026-01-01T00:00:00Z",
            result_table=None, columns=[("failed_rows", "int64")],
            diagnostics={"detail": "long | text\n" * 40, "other": i},
        ))
    manifest = {"run_id": "big", "created_at": "2026-01-01T00:00:00+00:00",
                "window": {"from_ts": "a", "to_ts": "b", "source": "flags"},
                "target": {"description": "synthetic"}}
    return RunSnapshot(folder, manifest, blocks, [])


def test_summary_stays_under_1mb_with_5000_checks(tmp_path: Path) -> None:
    snap = synthetic_snapshot(tmp_path, 5000)
    started = time.perf_counter()
    written = ci.write_outputs(snap, tmp_path)
    elapsed = time.perf_counter() - started
    assert written == {"ci": {"junit": "junit.xml", "summary": "summary.md"}}
    summary = (tmp_path / "summary.md").read_bytes()
    assert len(summary) < GITHUB_LIMIT
    text = summary.decode("utf-8")
    assert "| suite\\_49 | TEST | 100 | 0 | 0 | 100 | 0 | FAIL |" in text  # every suite row kept
    match = re.search(r"_… (\d+) more failures rows omitted to keep this summary under 1 MB", text)
    assert match, text[-500:]
    shown = len([line for line in text.splitlines() if line.startswith("| suite\\_") and ".check" in line])
    assert shown > 100 and shown + int(match.group(1)) == 5000
    assert text.rstrip().endswith("in the run's artifacts.")
    xml = JUnitXml.fromfile(str(tmp_path / "junit.xml"))
    assert sum(s.tests for s in xml) == 5000 and sum(s.failures for s in xml) == 5000
    check_junit_shape(tmp_path / "junit.xml")
    assert elapsed < 20
    # small budgets keep the same shape (a note, never a broken table row)
    tiny = ci.markdown_summary(snap, budget=5000)
    assert len(tiny.encode()) <= 5000 and "omitted to keep this summary under 1 MB" in tiny
    for line in tiny.splitlines():
        if line.startswith("|"):
            assert line.endswith("|")


@pytest.mark.parametrize(("value", "expected"), [
    ("a|b", "a\\|b"),
    ("line1\nline2\r\nline3", "line1 line2 line3"),
    ("<b>&</b>", "&lt;b&gt;&amp;&lt;/b&gt;"),
    ("*x* _y_ `z` [l](u) \\", "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\\\"),
    ("bell\x07", "bell"),
    (None, ""),
    (12, "12"),
])
def test_markdown_cells_are_escaped(value: object, expected: str) -> None:
    assert ci.md_cell(value) == expected


def test_xml_text_escapes_control_characters() -> None:
    assert ci.xml_text("a\x00b\x1bc\td\ne") == "a\\x00b\\x1bc\td\ne"
    element = ET.Element("x", message=ci.xml_text("\x0b<&>\"'\n"))
    parsed = ET.fromstring(ET.tostring(element))
    assert parsed.get("message") == "\\x0b<&>\"'\n"
