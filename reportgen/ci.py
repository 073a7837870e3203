"""CI outputs of a run: JUnit XML and a Markdown summary fit for `$GITHUB_STEP_SUMMARY`.

`write_outputs(snap, folder)` writes both into the run folder while it is being written;
`publish(folder, junit=, summary=, env=)` copies them where CI expects after the run and appends
the summary to `$GITHUB_STEP_SUMMARY` when that variable is set.

JUnit: one `<testsuite>` per assertion (TEST) suite, one `<testcase>` per TEST block. FAIL is a
`<failure>` whose message holds failed_rows and the key diagnostics; ERROR is an `<error>`; WARN
and INFO pass with a `verdict` property; SKIP is `<skipped>`. QUERY blocks that could not run also
fail the run, so each query suite with an ERROR gets a testsuite holding just those blocks: the
JUnit file is red exactly when `reportgen run` exits 1.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reportgen.errors import ConfigError, RunFolderError
from reportgen.snapshot import BlockRecord, RunSnapshot
from reportgen.verdicts import BAD, ERROR, FAIL, INFO, LEGEND, PASS, SKIP, WARN, counts, jsonable, overall

JUNIT_FILE = "junit.xml"
SUMMARY_FILE = "summary.md"
SUMMARY_BUDGET = 900_000  # bytes; GitHub rejects step summaries over 1 MiB
MESSAGE_CHARS = 500
BODY_CHARS = 20_000
CELL_CHARS = 300
MAX_KEY_DIAGNOSTICS = 6

# Characters XML 1.0 forbids (ElementTree would write them raw and produce an unreadable file).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


# ----------------------------------------------------------------------------------- shared


def write_outputs(snap: RunSnapshot, folder: Path) -> dict[str, Any]:
    """Write junit.xml and summary.md into the run folder; return the manifest fields to add."""
    (folder / JUNIT_FILE).write_bytes(junit_xml(snap))
    (folder / SUMMARY_FILE).write_text(markdown_summary(snap), encoding="utf-8")
    return {"ci": {"junit": JUNIT_FILE, "summary": SUMMARY_FILE}}


def publish(folder: str | Path, *, junit: str | Path | None = None, summary: str | Path | None = None,
            env: Mapping[str, str] | None = None) -> None:
    """Copy the CI outputs where CI expects them; append the summary to $GITHUB_STEP_SUMMARY."""
    folder = Path(folder)
    env = env or {}
    step_summary = env.get("GITHUB_STEP_SUMMARY", "").strip()
    if not (junit or summary or step_summary):
        return
    for wanted, name in ((junit, JUNIT_FILE), (summary, SUMMARY_FILE)):
        if wanted:
            _copy(folder / name, Path(wanted))
    if step_summary:
        text = _read(folder / SUMMARY_FILE)
        try:
            with open(step_summary, "a", encoding="utf-8") as handle:
                handle.write(text if text.endswith("\n") else text + "\n")
        except OSError as exc:
            raise ConfigError(f"cannot append to GITHUB_STEP_SUMMARY {step_summary}: "
                              f"{exc.strerror or exc}") from None


def _read(path: Path) -> str:
    if not path.exists():
        raise RunFolderError(f"{path.parent} has no {path.name} (written by an older reportgen?)")
    return path.read_text(encoding="utf-8")


def _copy(source: Path, target: Path) -> None:
    if not source.exists():
        raise RunFolderError(f"{source.parent} has no {source.name} (written by an older reportgen?)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    except OSError as exc:
        raise ConfigError(f"cannot copy {source.name} to {target}: {exc.strerror or exc}") from None


def one_line(value: Any, limit: int) -> str:
    text = value if isinstance(value, str) else json.dumps(jsonable(value), ensure_ascii=False,
                                                           sort_keys=True)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def key_diagnostics(block: BlockRecord, limit: int = MAX_KEY_DIAGNOSTICS) -> str:
    """`k=v, …` for the first diagnostics (pack order = the author's order of importance)."""
    items = [(k, v) for k, v in block.diagnostics.items() if k not in ("status", "failure_mode")]
    text = ", ".join(f"{k}={one_line(v, 80)}" for k, v in items[:limit])
    if len(items) > limit:
        text += f", +{len(items) - limit} more"
    return text


def failure_text(block: BlockRecord) -> str:
    """The one-line reason of a non-passing check: failed_rows or error, then key diagnostics."""
    parts = []
    if block.status == ERROR:
        parts.append(block.error or block.message or "the check could not run")
    elif block.failed_rows is not None:
        parts.append(f"failed_rows={block.failed_rows}")
    if block.message and block.status != ERROR:
        parts.append(block.message)
    if block.advisory:
        parts.append(f"advisory={block.advisory}")
    diagnostics = key_diagnostics(block)
    if diagnostics:
        parts.append(diagnostics)
    return "; ".join(parts)


def checks(snap: RunSnapshot) -> list[BlockRecord]:
    return [b for b in snap.blocks if b.phase == 1]


# ----------------------------------------------------------------------------------- junit


def xml_text(value: Any, limit: int | None = None) -> str:
    """Text safe for XML 1.0: forbidden control characters shown as \\xNN (ET escapes &<>\")."""
    text = value if isinstance(value, str) else one_line(value, 10**9)
    text = _XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def junit_suites(snap: RunSnapshot) -> list[tuple[str, list[BlockRecord]]]:
    suites: list[tuple[str, list[BlockRecord]]] = []
    for suite in snap.suites():
        blocks = snap.suite_blocks(suite)
        tests = [b for b in blocks if b.kind == "TEST"]
        if not tests:
            tests = [b for b in blocks if b.status == ERROR]  # a query pack that could not run
        if tests:
            suites.append((suite, tests))
    return suites


def junit_xml(snap: RunSnapshot) -> bytes:
    root = ET.Element("testsuites", name=xml_text(f"reportgen {snap.run_id}"))
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    total_time = 0.0
    timestamp = str(snap.manifest.get("created_at", ""))[:19]
    for suite, blocks in junit_suites(snap):
        statuses = [b.status for b in blocks]
        tally = {"tests": len(blocks), "failures": statuses.count(FAIL),
                 "errors": statuses.count(ERROR), "skipped": statuses.count(SKIP)}
        suite_time = sum(b.duration_s for b in blocks)
        element = ET.SubElement(
            root, "testsuite", name=xml_text(suite), **{k: str(v) for k, v in tally.items()},
            time=f"{suite_time:.3f}", timestamp=xml_text(timestamp), hostname="reportgen",
        )
        for block in blocks:
            _testcase(element, block)
        for key, value in tally.items():
            totals[key] += value
        total_time += suite_time
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{total_time:.3f}")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _testcase(parent: ET.Element, block: BlockRecord) -> None:
    case = ET.SubElement(parent, "testcase", classname=xml_text(block.suite), name=xml_text(block.name),
                         time=f"{block.duration_s:.3f}")
    if block.status in (WARN, INFO) or block.advisory:
        props = ET.SubElement(case, "properties")
        ET.SubElement(props, "property", name="verdict", value=block.status)
        if block.advisory:
            ET.SubElement(props, "property", name="advisory", value=xml_text(block.advisory, 200))
    body = xml_text(_details(block), BODY_CHARS)
    message = xml_text(failure_text(block), MESSAGE_CHARS)
    if block.status == FAIL:
        node = ET.SubElement(case, "failure", message=message, type="FAIL")
        node.text = body
    elif block.status == ERROR:
        node = ET.SubElement(case, "error", message=message, type=xml_text(block.error_name or "ERROR"))
        node.text = body
    elif block.status == SKIP:
        ET.SubElement(case, "skipped", message=xml_text(block.message or LEGEND[SKIP]))


def _details(block: BlockRecord) -> str:
    lines = [f"check: {block.block_id}", f"status: {block.status} ({LEGEND.get(block.status, '')})"]
    if block.failed_rows is not None:
        lines.append(f"failed_rows: {block.failed_rows}")
    if block.error:
        lines.append(f"error: {block.error}")
    elif block.message:
        lines.append(f"message: {block.message}")
    if block.diagnostics:
        lines.append("diagnostics:")
        lines.extend(f"  {k}: {one_line(v, 1000)}" for k, v in block.diagnostics.items())
    lines.append(f"pack: {block.pack_path}:{block.line}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------- markdown


def md_cell(value: Any, limit: int = CELL_CHARS) -> str:
    """A Markdown table cell: one line, markup characters escaped, HTML neutralised."""
    text = "" if value is None else (value if isinstance(value, str) else one_line(value, limit * 2))
    text = _XML_ILLEGAL.sub("", text)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    text = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


class _Budget:
    """Collects Markdown lines until the byte budget is spent."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lines: list[str] = []
        self.size = 0

    def fits(self, line: str, reserve: int = 0) -> bool:
        return self.size + len(line.encode("utf-8")) + 1 + reserve <= self.limit

    def add(self, line: str) -> None:
        self.lines.append(line)
        self.size += len(line.encode("utf-8")) + 1


def markdown_summary(snap: RunSnapshot, budget: int = SUMMARY_BUDGET) -> str:
    manifest = snap.manifest
    blocks = checks(snap)
    verdict = overall(b.status for b in blocks)
    window = manifest.get("window") or {}
    target = (manifest.get("target") or {}).get("description", "?")
    report = f"runs/{snap.run_id}/report.html"
    out = _Budget(budget)
    reserve = 400  # room for a truncation note
    header = [
        f"## reportgen {md_cell(verdict)}: run `{md_cell(snap.run_id, 100)}`",
        "",
        f"Window {md_cell(window.get('from_ts'))} .. {md_cell(window.get('to_ts'))} "
        f"({md_cell(window.get('source'))}) · target {md_cell(target)} · "
        f"report `{md_cell(report, 200)}` · JUnit `{JUNIT_FILE}`",
        "",
    ]
    for line in header:
        out.add(line)

    tally = counts(b.status for b in blocks)
    out.add(f"**{tally[PASS]} pass · {tally[WARN]} warn · {tally[FAIL]} fail · {tally[ERROR]} error"
            f" · {tally[INFO]} info** ({len(blocks)} checks)")
    out.add("")
    table = ["| suite | kind | checks | pass | warn | fail | error | verdict |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for suite in snap.suites():
        suite_blocks = [b for b in blocks if b.suite == suite]
        c = counts(b.status for b in suite_blocks)
        table.append(f"| {md_cell(suite)} | {suite_blocks[0].kind} | {len(suite_blocks)} | {c[PASS]} | "
                     f"{c[WARN]} | {c[FAIL]} | {c[ERROR]} | "
                     f"{overall(b.status for b in suite_blocks)} |")
    _emit_table(out, table, "suites", reserve)

    for title, wanted in (("Failures", BAD), ("Warnings", {WARN})):
        rows = [b for b in blocks if b.status in wanted]
        if not rows:
            continue
        if not out.fits("", reserve * 2):
            break
        out.add("")
        out.add(f"### {title} ({len(rows)})")
        out.add("")
        lines = ["| check | status | failed_rows | detail |", "|---|---|---:|---|"]
        lines.extend(
            f"| {md_cell(b.block_id, 200)} | {b.status} | "
            f"{b.failed_rows if b.failed_rows is not None else ''} | {md_cell(failure_text(b))} |"
            for b in rows
        )
        _emit_table(out, lines, title.lower(), reserve)
    out.add("")
    out.add(f"Full detail: `{md_cell(report, 200)}` in the run's artifacts.")
    return "\n".join(out.lines) + "\n"


def _emit_table(out: _Budget, lines: list[str], what: str, reserve: int) -> None:
    rows = len(lines) - 2
    for index, line in enumerate(lines):
        if not out.fits(line, reserve):
            omitted = rows - max(0, index - 2)
            out.add("")
            out.add(f"_… {omitted} more {what} rows omitted to keep this summary under 1 MB; "
                    f"see report.html and {JUNIT_FILE}._")
            return
        out.add(line)
