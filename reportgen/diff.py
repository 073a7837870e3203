"""`reportgen diff`: compare a baseline run A with a candidate run B from their snapshots alone.

Outputs a verdict-first terminal summary (or `--json`), always writes `diff.html`, and returns
the exit code: 0 no regression, 1 regression (per `--fail-on`). Bad run folders raise
`RunFolderError` (exit 2).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportgen.diff_model import (
    ADDED,
    FAIL_ON,
    FIXED,
    NEW_WARN,
    REMOVED,
    STATUS_CHANGED,
    STILL_FAILING,
    RunDiff,
    ValueChange,
    compare,
)
from reportgen.errors import EXIT_CHECKS_FAILED, EXIT_OK, ConfigError, RunFolderError
from reportgen.snapshot import complete_runs, open_run
from reportgen.verdicts import jsonable

DIFF_HTML = "diff.html"
MAX_DIAGNOSTICS_SHOWN = 8
MAX_VALUE_CHARS = 120
MAX_LINES_PER_SECTION = 50
# Control characters (ANSI escapes included) never reach a terminal or CI log raw.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with control characters (except newlines) shown as \\xNN."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


# ----------------------------------------------------------------------------------- command


def latest_pair(artifacts: str | Path) -> tuple[Path, Path]:
    """The newest two complete runs under `artifacts`: (older = A, newer = B)."""
    runs = list(complete_runs(artifacts))
    if len(runs) < 2:
        raise RunFolderError(
            f"--latest needs two complete runs under {Path(artifacts) / 'runs'}, found {len(runs)}"
        )
    return runs[1], runs[0]


def diff_runs(run_a: str | Path, run_b: str | Path, artifacts: str | Path = "artifacts") -> RunDiff:
    return compare(open_run(run_a, artifacts), open_run(run_b, artifacts))


def diff_command(run_a: str | None, run_b: str | None, *, latest: bool, artifacts: str | Path,
                 fail_on: str = "fail", as_json: bool = False, out: str | Path | None = None,
                 echo: Callable[[str], Any] = print) -> int:
    """Compare two runs, print the summary (or JSON), write diff.html, return the exit code."""
    if fail_on not in FAIL_ON:
        raise ConfigError(f"--fail-on must be one of {', '.join(FAIL_ON)}, got {fail_on!r}")
    if latest:
        if run_a or run_b:
            raise ConfigError("give either --latest or RUN_A RUN_B, not both")
        path_a, path_b = latest_pair(artifacts)
        result = diff_runs(path_a, path_b, artifacts)
    else:
        if not (run_a and run_b):
            raise ConfigError("diff needs RUN_A and RUN_B (run ids or folders), or --latest")
        result = diff_runs(run_a, run_b, artifacts)
    target = Path(out) if out else Path(result.b.path) / DIFF_HTML
    html_path = write_html(result, target, fail_on=fail_on)
    if as_json:
        payload = result.to_json(fail_on)
        payload["html"] = str(html_path)
        echo(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        echo(render_terminal(result, fail_on=fail_on, html_path=html_path))
    return EXIT_CHECKS_FAILED if result.regressed(fail_on) else EXIT_OK


# ----------------------------------------------------------------------------------- terminal


def short(value: Any, limit: int = MAX_VALUE_CHARS) -> str:
    """A value on one line, cut to `limit` characters."""
    if value is None:
        return "-"
    if isinstance(value, float):
        value = float(f"{value:.6g}")
    plain = jsonable(value)
    if isinstance(plain, str):
        text = plain
    else:
        text = json.dumps(plain, ensure_ascii=False, sort_keys=True)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def format_number(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):+d}"
    return f"{value:+.6g}"


def format_change(change: ValueChange) -> str:
    text = f"{change.key} {short(change.a, 60)} -> {short(change.b, 60)}"
    if change.delta is not None:
        text += f" ({format_number(change.delta)}{change.unit}"
        if change.relative is not None:
            text += f", {change.relative * 100:+.1f}%"
        text += ")"
    return text


def format_diagnostics(diagnostics: dict[str, Any]) -> str:
    items = list(diagnostics.items())
    shown = ", ".join(f"{k}={short(v, 60)}" for k, v in items[:MAX_DIAGNOSTICS_SHOWN])
    if len(items) > MAX_DIAGNOSTICS_SHOWN:
        shown += f", ... (+{len(items) - MAX_DIAGNOSTICS_SHOWN} more)"
    return shown


def _status_pair(check: Any) -> str:
    return f"{check.status_a or '-'} -> {check.status_b or '-'}"


def render_terminal(result: RunDiff, *, fail_on: str = "fail", html_path: Path | None = None) -> str:
    """Plain ASCII lines for a CI log; the verdict and exit reason come first."""
    regressed = result.regressed(fail_on)
    lines = [result.headline(),
             f"exit {EXIT_CHECKS_FAILED if regressed else EXIT_OK} (--fail-on {fail_on})",
             f"A (baseline)  {result.a.run_id}  {result.a.verdict}  "
             f"{result.a.window.get('from_ts')} .. {result.a.window.get('to_ts')}",
             f"B (candidate) {result.b.run_id}  {result.b.verdict}  "
             f"{result.b.window.get('from_ts')} .. {result.b.window.get('to_ts')}"]
    for note in result.context:
        lines.append(f"! {note.text}")

    def section(title: str, items: list[Any], render: Callable[[Any], list[str]]) -> None:
        if not items:
            return
        lines.append("")
        lines.append(f"{title} ({len(items)})")
        for item in items[:MAX_LINES_PER_SECTION]:
            lines.extend(render(item))
        if len(items) > MAX_LINES_PER_SECTION:
            lines.append(f"  ... {len(items) - MAX_LINES_PER_SECTION} more in diff.html / --json")

    def failing(check: Any) -> list[str]:
        out = [f"  {check.status_b:<5} {check.check_id}  {_status_pair(check)}  "
               f"failed_rows {check.failed_rows_a if check.failed_rows_a is not None else '-'} -> "
               f"{check.failed_rows_b if check.failed_rows_b is not None else '-'}"]
        if check.message:
            out.append(f"        {short(check.message, 200)}")
        if check.diagnostics:
            out.append(f"        diagnostics: {format_diagnostics(check.diagnostics)}")
        return out

    def plain(check: Any) -> list[str]:
        return [f"  {check.check_id}  {_status_pair(check)}"]

    def still(check: Any) -> list[str]:
        out = [f"  {check.status_b:<5} {check.check_id}"
               + ("  (no change)" if not check.changes else "")]
        out.extend(f"        {format_change(c)}" for c in check.changes[:MAX_DIAGNOSTICS_SHOWN])
        return out

    section("NEW FAILURES", result.new_failures, failing)
    section("FIXED", result.by_category(FIXED), plain)
    section("NEW WARNINGS", result.new_warnings, plain)
    section("FAILING IN BOTH", result.by_category(STILL_FAILING), still)
    section("OTHER STATUS CHANGES", result.by_category(STATUS_CHANGED), plain)
    section("CHECKS ADDED", result.by_category(ADDED), lambda c: [
        f"  {c.check_id}  {c.status_b}"
        + (f"  (same SQL as removed {c.renamed_from}: renamed?)" if c.renamed_from else "")])
    section("CHECKS REMOVED", result.by_category(REMOVED), lambda c: [f"  {c.check_id}  was {c.status_a}"])
    section("TRACE FIGURES MOVED", list(result.trace), lambda t: [
        f"  {t.block} {t.row or '(row)'}"
        + (f" [{t.presence} row]" if t.presence != "both" else "") + ": "
        + "; ".join(format_change(c) for c in t.changes)])
    section("SCENARIO MEMBERSHIP", list(result.sessions), lambda s: [
        f"  {s.kind:<11} {s.workflow_session_id}  {','.join(s.scenarios_a) or '-'} -> "
        f"{','.join(s.scenarios_b) or '-'}"])
    if html_path is not None:
        lines.append("")
        lines.append(f"diff.html: {html_path}")
    return printable("\n".join(lines))


# ----------------------------------------------------------------------------------- html


def _relative_link(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target.resolve(), page.resolve().parent)).as_posix()


def render_html(result: RunDiff, page: Path, *, fail_on: str = "fail") -> str:
    from reportgen.report.environment import environment

    data = result.to_json(fail_on)
    return environment().get_template("diff.html.j2").render(
        diff=result, data=data, fail_on=fail_on, regressed=result.regressed(fail_on),
        counts=result.counts(), new_warn=NEW_WARN,
        report_a=_relative_link(Path(result.a.path) / "report.html", page),
        report_b=_relative_link(Path(result.b.path) / "report.html", page),
        short=short, format_change=format_change, format_number=format_number,
    )


def write_html(result: RunDiff, path: Path, *, fail_on: str = "fail") -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_html(result, path, fail_on=fail_on), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
