"""Render a run folder's snapshot into one self-contained HTML page.

`render_report(snap)` builds the view model (`model.build`) and renders `templates/report.html.j2`
through the one autoescaping Jinja environment. The page embeds its CSS, its script and plotly.js;
it makes no network request (a Content-Security-Policy forbids any) and is byte-identical for the
same snapshot (no render timestamps, fixed ids, sorted JSON).
"""

from __future__ import annotations

from pathlib import Path

from reportgen.report.charts import plotly_js, script_json
from reportgen.report.environment import environment
from reportgen.report.model import build
from reportgen.snapshot import RunSnapshot

__all__ = ["render_report", "write_report"]


def render_report(snap: RunSnapshot, *, show_debug: bool = False) -> str:
    model = build(snap, show_debug=show_debug)
    template = environment().get_template("report.html.j2")
    return template.render(**model, script_json=script_json, plotly_js=plotly_js())


def write_report(snap: RunSnapshot, path: Path, *, show_debug: bool = False) -> Path:
    html = render_report(snap, show_debug=show_debug)
    path.write_text(html, encoding="utf-8", errors="replace")
    return path
