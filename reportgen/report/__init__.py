"""Render a run folder's snapshot into one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

from reportgen.report.environment import environment
from reportgen.snapshot import RunSnapshot
from reportgen.verdicts import LEGEND, counts, overall


def render_report(snap: RunSnapshot, *, show_debug: bool = False) -> str:
    tests = [b for b in snap.blocks if b.phase == 1]
    suites = []
    for suite in snap.suites():
        blocks = [b for b in tests if b.suite == suite]
        statuses = [b.status for b in blocks]
        suites.append({"name": suite, "kind": blocks[0].kind, "blocks": blocks,
                       "counts": counts(statuses), "verdict": overall(statuses)})
    return environment().get_template("report.html.j2").render(
        snap=snap, manifest=snap.manifest, suites=suites, legend=LEGEND,
        verdict=overall(b.status for b in tests), show_debug=show_debug,
    )


def write_report(snap: RunSnapshot, path: Path, *, show_debug: bool = False) -> Path:
    path.write_text(render_report(snap, show_debug=show_debug), encoding="utf-8")
    return path
