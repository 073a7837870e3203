"""`reportgen diff` end to end: real runs of real packs on a small chDB warehouse, then diffs.

The runs execute in subprocesses (tests/test_diff_support.py); the diffs run in-process through
CliRunner (diff never touches chDB).
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from tests.test_diff_support import build_runs


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_runs(tmp_path_factory.mktemp("diffruns"))


def diff(*args: str, artifacts: Path | None = None) -> tuple[int, str, str]:
    extra = ["--artifacts", str(artifacts)] if artifacts else []
    result = CliRunner().invoke(main, ["diff", *args, *extra])
    return result.exit_code, result.stdout, result.stderr


class Sections(HTMLParser):
    """Collects `data-check` ids per <section id>, trace rows and session rows of diff.html."""

    def __init__(self) -> None:
        super().__init__()
        self.section: str | None = None
        self.checks: dict[str, list[str]] = {}
        self.trace: list[tuple[str, str]] = []
        self.sessions: list[str] = []
        self.links: list[str] = []
        self.scripts = 0
        self.csp = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section":
            self.section = a.get("id")
            self.checks.setdefault(self.section or "", [])
        if tag == "tr" and a.get("data-check"):
            self.checks[self.section or ""].append(a["data-check"] or "")
        if tag == "tr" and a.get("data-block") is not None:
            self.trace.append((a["data-block"] or "", a.get("data-row") or ""))
        if tag == "tr" and a.get("data-kind"):
            self.sessions.append(a["data-kind"] or "")
        if tag == "a":
            self.links.append(a.get("href") or "")
        if tag == "script":
            self.scripts += 1
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a.get("content") or ""


def parse_html(path: Path) -> Sections:
    parser = Sections()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def terminal_section(text: str, title: str) -> list[str]:
    """Check ids listed under a terminal section heading like `NEW FAILURES (1)`."""
    match = re.search(rf"^{title} \(\d+\)\n((?:  .*\n?)*)", text, re.M)
    if not match:
        return []
    ids = []
    for line in match.group(1).splitlines():
        found = re.match(r"^  (?:[A-Z]+\s+)?(\S+\.\S+)", line)
        if found and not line.startswith("        "):
            ids.append(found.group(1))
    return ids


def test_injected_fault_is_a_new_failure_with_diagnostics(runs: dict[str, Path], tmp_path: Path) -> None:
    code, out, err = diff("r1-base", "r3-fault", artifacts=runs["artifacts"])
    assert code == 1, out + err
    first = out.splitlines()[0]
    assert first.startswith("REGRESSION: 1 new failure(s)"), out
    assert terminal_section(out, "NEW FAILURES") == ["assertions_basic.no_negative_values"]
    assert "PASS -> FAIL  failed_rows 0 -> 1" in out
    assert "diagnostics: min_value=-5, total_rows=8" in out
    # failing in both: the diagnostics that moved, with absolute and relative change
    assert terminal_section(out, "FAILING IN BOTH") == [
        "assertions_basic.known_over_50", "assertions_basic.hostile_text", "assertions_basic.broken_sql"]
    assert "failed_rows 1 -> 2 (+1, +100.0%)" in out
    assert "max_value 70 -> 100 (+30, +42.9%)" in out
    # trace figures: rows per layer, max_ts as a time difference, the parity advisory
    assert "01_raw_ingest raw: rows_window 3 -> 4 (+1, +33.3%)" in out
    assert "max_ts 2026-01-01T03:00:00+00:00 -> 2026-01-01T04:00:00+00:00 (+3600s)" in out
    assert "failure_mode PASS -> VALUE_MISMATCH_WITH_OVERLAP" in out
    # scenario membership
    assert re.search(r"appeared\s+s4\s+- -> scenario_2_broken", out)
    assert re.search(r"disappeared s2\s+scenario_1_clean -> -", out)
    assert re.search(r"changed\s+s3\s+scenario_2_broken -> scenario_1_clean", out)
    assert "! " not in out  # same window, target and packs: nothing flagged up front

    # --json says the same thing
    html_out = tmp_path / "d.html"
    code_json, out_json, _ = diff("r1-base", "r3-fault", "--json", "--out", str(html_out),
                                  artifacts=runs["artifacts"])
    assert code_json == 1
    data = json.loads(out_json)
    assert data["headline"] == first
    assert data["exit_code"] == 1 and data["regression"] is True
    assert data["new_failures"] == terminal_section(out, "NEW FAILURES")
    by_id = {c["check"]: c for c in data["checks"]}
    new = by_id["assertions_basic.no_negative_values"]
    assert (new["status_a"], new["status_b"], new["failed_rows_b"]) == ("PASS", "FAIL", 1)
    assert new["diagnostics"] == {"min_value": -5, "total_rows": 8}
    moved = {c["key"]: c for c in by_id["assertions_basic.known_over_50"]["changes"]}
    assert moved["failed_rows"]["delta"] == 1 and moved["failed_rows"]["relative"] == 1.0
    assert moved["max_value"] == {"key": "max_value", "a": 70, "b": 100, "delta": 30,
                                  "relative": pytest.approx(30 / 70), "unit": ""}
    still = [c["check"] for c in data["checks"] if c["category"] == "still_failing"]
    assert still == ["assertions_basic.known_over_50", "assertions_basic.hostile_text"]  # broken_sql did not move
    trace = {(t["block"], t["row"]): {c["key"]: c for c in t["changes"]} for t in data["trace"]}
    assert set(trace) == {("01_raw_ingest", "raw"), ("01_raw_ingest", "typed"), ("08_gpu_view_parity", "")}
    assert trace[("01_raw_ingest", "typed")]["max_ts"]["delta"] == 5400.0
    assert trace[("08_gpu_view_parity", "")]["total_value"]["delta"] == 95
    sessions = {s["workflow_session_id"]: s["kind"] for s in data["sessions"]}
    assert sessions == {"s4": "appeared", "s2": "disappeared", "s3": "changed"}

    # diff.html says the same thing again
    page = parse_html(html_out)
    assert page.checks["new-failures"] == data["new_failures"]
    assert page.checks["failing-in-both"] == terminal_section(out, "FAILING IN BOTH")
    assert page.checks["added"] == [] and page.checks["removed"] == []
    assert sorted(set(page.trace)) == sorted(trace)
    assert sorted(page.sessions) == sorted(sessions.values())
    text = html_out.read_text(encoding="utf-8")
    assert first in text
    assert page.links and all((html_out.parent / link.split("#")[0]).resolve() in
                              (runs["a"] / "report.html", runs["b"] / "report.html") for link in page.links)


def test_diff_html_is_self_contained_escaped_and_links_both_reports(runs: dict[str, Path]) -> None:
    code, out, _ = diff("r1-base", "r3-fault", artifacts=runs["artifacts"])
    assert code == 1
    page_path = runs["b"] / "diff.html"  # default: next to B's report
    assert f"diff.html: {page_path}" in out
    page = parse_html(page_path)
    assert "default-src 'none'" in page.csp
    assert page.scripts == 0
    assert page.links[:2] == ["../r1-base/report.html", "report.html"]
    for link in page.links:
        assert (page_path.parent / link.split("#")[0]).resolve().is_file()
    # each listed check links to its section of B's report
    anchors = [link for link in page.links[2:]]
    assert anchors[0] == "report.html#check-assertions_basic-no_negative_values"
    report_b = (page_path.parent / "report.html").read_text(encoding="utf-8")
    for link in anchors:
        assert link.startswith("report.html#") and f'id="{link.split("#")[1]}"' in report_b, link
    text = page_path.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", text)
    # hostile diagnostic text arrives escaped, never as markup
    assert "<script>alert(1)" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_self_diff_reports_no_change(runs: dict[str, Path]) -> None:
    for fail_on in ("fail", "warn", "any"):
        code, out, err = diff("r3-fault", str(runs["b"]), "--fail-on", fail_on, artifacts=runs["artifacts"])
        assert code == 0, out + err
        assert out.startswith("NO CHANGE: 0 new failure(s), 0 fixed, 0 new warning(s)"), out
        for title in ("NEW FAILURES", "FIXED", "CHECKS ADDED", "CHECKS REMOVED", "TRACE FIGURES MOVED",
                      "SCENARIO MEMBERSHIP"):
            assert f"\n{title} (" not in out
    code, out, _ = diff("r3-fault", "r3-fault", "--json", artifacts=runs["artifacts"])
    data = json.loads(out)
    assert code == 0 and data["checks"] == [] and data["trace"] == [] and data["sessions"] == []
    assert data["context"] == [] and data["regression"] is False


def test_pack_changes_added_removed_renamed(runs: dict[str, Path]) -> None:
    code, out, err = diff("r1-base", "r2-packs", "--json", artifacts=runs["artifacts"])
    data = json.loads(out)
    by_category: dict[str, list[str]] = {}
    for check in data["checks"]:
        by_category.setdefault(check["category"], []).append(check["check"])
    assert by_category.get("added") == ["assertions_basic.values_over_50", "assertions_basic.no_late_events"]
    assert by_category.get("removed") == ["assertions_basic.events_present", "assertions_basic.known_over_50"]
    renamed = {c["check"]: c["renamed_from"] for c in data["checks"] if c["category"] == "added"}
    assert renamed == {"assertions_basic.values_over_50": "known_over_50",
                       "assertions_basic.no_late_events": None}
    # the added check that fails is a new failure; the renamed one failed before, so it is not
    assert data["new_failures"] == ["assertions_basic.no_late_events"]
    assert code == 1, err
    notes = [n for n in data["context"] if n["topic"] == "packs"]
    assert len(notes) == 1 and notes[0]["text"].startswith("pack assertions_basic changed (sha256 ")
    assert data["trace"] == [] and data["sessions"] == []  # same data
    assert "assertions_basic.no_negative_values" in data["unchanged"]

    code, text, _ = diff("r1-base", "r2-packs", artifacts=runs["artifacts"])
    assert code == 1
    assert text.splitlines()[4].startswith("! pack assertions_basic changed (sha256 ")
    assert terminal_section(text, "CHECKS ADDED") == by_category["added"]
    assert terminal_section(text, "CHECKS REMOVED") == by_category["removed"]
    assert "(same SQL as removed known_over_50: renamed?)" in text


@pytest.mark.parametrize(("pair", "fail_on", "expected"), [
    (("r1-base", "r3-fault"), "fail", 1),
    (("r1-base", "r3-fault"), "warn", 1),
    (("r1-base", "r3-fault"), "any", 1),
    (("r1-base", "r3-fault"), "never", 0),
    (("r3-fault", "r1-base"), "fail", 0),  # the reverse is a fix, and a fix is no regression
    (("r3-fault", "r1-base"), "warn", 0),
    (("r3-fault", "r1-base"), "any", 1),  # ... but it is a change
    (("r3-fault", "r1-base"), "never", 0),
])
def test_fail_on_modes(runs: dict[str, Path], pair: tuple[str, str], fail_on: str, expected: int) -> None:
    code, out, err = diff(*pair, "--fail-on", fail_on, artifacts=runs["artifacts"])
    assert code == expected, out + err
    assert f"exit {expected} (--fail-on {fail_on})" in out


def test_latest_compares_newest_two_complete_runs(runs: dict[str, Path], tmp_path: Path) -> None:
    artifacts = tmp_path / "artifacts"
    (artifacts / "runs").mkdir(parents=True)
    code, _, err = diff("--latest", artifacts=artifacts)
    assert code == 2 and err.strip() == (
        f"reportgen: error: --latest needs two complete runs under {artifacts / 'runs'}, found 0")
    shutil.copytree(runs["a"], artifacts / "runs" / "20260101T000000Z")
    shutil.copytree(runs["b"], artifacts / "runs" / "20260102T000000Z")
    shutil.copytree(runs["b"], artifacts / "runs" / ".incomplete-20260103T000000Z-1")
    (artifacts / "runs" / "20260104T000000Z").mkdir()  # newest name, but not a run
    code, out, err = diff("--latest", "--json", artifacts=artifacts)
    assert code == 1, err
    data = json.loads(out)
    assert (data["a"]["path"], data["b"]["path"]) == (
        str(artifacts / "runs" / "20260101T000000Z"), str(artifacts / "runs" / "20260102T000000Z"))
    assert data["new_failures"] == ["assertions_basic.no_negative_values"]
    code, _, err = diff("--latest", "r1-base", artifacts=artifacts)
    assert code == 2 and err.count("\n") == 1 and "not both" in err
    code, _, err = diff("r1-base", artifacts=artifacts)
    assert code == 2 and err.count("\n") == 1 and "--latest" in err


def _break(folder: Path, how: str) -> Path:
    if how == "no_manifest":
        (folder / "manifest.json").unlink()
    elif how == "corrupt_manifest":
        (folder / "manifest.json").write_text("{not json")
    elif how == "foreign":
        (folder / "manifest.json").write_text(json.dumps({"tool": "other-tool", "format_version": 1}))
    elif how == "too_new":
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["format_version"] = 999
        (folder / "manifest.json").write_text(json.dumps(manifest))
    elif how == "corrupt_db":
        (folder / "snapshot.duckdb").write_bytes(b"garbage" * 100)
    elif how == "missing_parquet":
        next((folder / "parquet").glob("*.parquet")).unlink()
    elif how == "incomplete":
        renamed = folder.parent / f".incomplete-{folder.name}-42"
        folder.rename(renamed)
        return renamed
    return folder


@pytest.mark.parametrize(("how", "phrase"), [
    ("no_manifest", "is not a complete reportgen run"),
    ("corrupt_manifest", "is corrupt"),
    ("foreign", "is not a reportgen run folder"),
    ("too_new", "newer reportgen"),
    ("corrupt_db", "snapshot.duckdb is corrupt"),
    ("missing_parquet", "parquet result file(s) missing"),
    ("incomplete", "is an incomplete run"),
])
def test_bad_run_folders_exit_2_with_one_line(runs: dict[str, Path], tmp_path: Path, how: str,
                                              phrase: str) -> None:
    broken = _break(shutil.copytree(runs["b"], tmp_path / "runs" / "broken"), how)
    for args in ((str(runs["a"]), str(broken)), (str(broken), str(runs["a"]))):
        code, out, err = diff(*args, artifacts=tmp_path)
        assert code == 2, out + err
        assert err.endswith("\n") and err.count("\n") == 1, err
        assert err.startswith("reportgen: error: ") and phrase in err, err
        assert out == ""


def test_missing_run_id_exits_2(runs: dict[str, Path]) -> None:
    code, out, err = diff("r1-base", "no-such-run", artifacts=runs["artifacts"])
    assert code == 2 and out == ""
    assert err == (f"reportgen: error: run 'no-such-run' not found (neither a folder nor a run id "
                   f"under {runs['artifacts'] / 'runs'})\n")
