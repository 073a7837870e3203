"""Plotly figures as plain JSON specs, embedded safely and drawn by the page's script.

Figures are built as dicts (no plotly Python objects: faster, and the JSON is ours to sort).
plotly.js is embedded once per page; each figure lives in a
`<script type="application/json">` element whose text cannot close the element (every `<`, `>`
and `&` is written as a JSON `\\u` escape). Warehouse strings shown by plotly (hover text,
category labels) are HTML-escaped first because plotly interprets a subset of HTML in text.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from reportgen.report.format import fmt

SOURCE_COLOURS = {
    "fact_stream_trace_edges": "#2563eb",
    "raw_stream_trace_events": "#16a34a",
    "raw_ai_stream_events": "#d97706",
}
FALLBACK_COLOURS = ("#7c3aed", "#db2777", "#0891b2", "#65a30d", "#dc2626")
BASE_LAYOUT: dict[str, Any] = {
    "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "font": {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12},
    "legend": {"orientation": "h", "y": -0.25},
    "hovermode": "closest",
}


def text(value: Any) -> str:
    """Warehouse value → text plotly shows literally."""
    return html.escape(fmt(value, 200), quote=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def script_json(obj: Any) -> Markup:
    """JSON for a `<script type="application/json">` body that cannot break out of it."""
    data = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        data = data.replace(raw, escaped)
    return Markup(data)  # noqa: S704 - no '<' can remain, so the element cannot be closed


@lru_cache(maxsize=1)
def plotly_js() -> Markup:
    """plotly.js, once per page, guarded against a literal closing script tag."""
    from plotly.offline import get_plotlyjs

    source = get_plotlyjs().replace("</script", "<\\/script").replace("<!--", "<\\!--")
    return Markup(source)  # noqa: S704 - the library bundle shipped with plotly


def layout(**extra: Any) -> dict[str, Any]:
    merged = {**BASE_LAYOUT, **extra}
    return merged


def sparsity_figure(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """Status samples per hour: total, fps-positive, fps-zero and empty-gateway rows."""
    if not rows:
        return None
    ordered = sorted(rows, key=lambda r: fmt(r.get("window_start")))
    hours = [fmt(r.get("window_start")) for r in ordered]
    series = [("status_rows", "#64748b"), ("fps_positive_rows", "#16a34a"),
              ("fps_zero_rows", "#d97706"), ("empty_gateway_rows", "#dc2626")]
    data = []
    for column, colour in series:
        if not any(column in r for r in ordered):
            continue
        data.append({
            "type": "bar", "name": column, "x": hours,
            "y": [_finite(r.get(column)) for r in ordered], "marker": {"color": colour},
        })
    return {"data": data, "layout": layout(barmode="group", height=320,
                                            xaxis={"title": {"text": "hour (UTC)"}, "type": "category"},
                                            yaxis={"title": {"text": "rows"}})}


def layer_counts_figure(layers: Sequence[tuple[str, Sequence[tuple[str, Any]]]]) -> dict[str, Any] | None:
    """Rows per object along the trace (raw → API), one colour per trace step."""
    data = []
    palette = ("#64748b", "#2563eb", "#0891b2", "#16a34a", "#65a30d", "#d97706", "#db2777")
    for index, (label, objects) in enumerate(layers):
        if not objects:
            continue
        data.append({
            "type": "bar", "name": text(label),
            "x": [text(name) for name, _ in objects],
            "y": [_finite(value) for _, value in objects],
            "marker": {"color": palette[index % len(palette)]},
        })
    if not data:
        return None
    return {"data": data, "layout": layout(height=420, barmode="group",
                                            legend={"orientation": "h", "y": 1.12, "x": 0},
                                            margin={"l": 60, "r": 20, "t": 50, "b": 150},
                                            xaxis={"type": "category", "tickangle": -35},
                                            yaxis={"title": {"text": "rows in window"}})}


def timeline_figure(rows: Sequence[Mapping[str, Any]], start: Any, end: Any) -> dict[str, Any] | None:
    """Every event of one session on a time axis, coloured by source, start/end marked.

    Hover shows the event detail, its time, the orchestrator and any differing data/raw
    timestamps; stream and request ids are the session's own (shown in its diagnostics).
    """
    by_source: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        if row.get("ts") is None:
            continue
        by_source.setdefault(fmt(row.get("source")), []).append(row)
    data = []
    for index, source in enumerate(sorted(by_source)):
        items = by_source[source]
        colour = SOURCE_COLOURS.get(source, FALLBACK_COLOURS[index % len(FALLBACK_COLOURS)])
        hover = []
        for r in items:
            parts = [f"<b>{text(r.get('detail'))}</b>"]  # the time comes from hoverinfo "x"
            for key in ("orchestrator_address", "data_timestamp", "raw_event_timestamp"):
                if r.get(key) not in (None, "") and fmt(r.get(key)) != fmt(r.get("ts")):
                    parts.append(f"{key}: {text(r.get(key))}")
            hover.append("<br>".join(parts))
        data.append({
            "type": "scatter", "mode": "markers", "name": text(source),
            "x": [fmt(r.get("ts")) for r in items], "y": [text(source)] * len(items),
            "hovertext": hover, "hoverinfo": "x+text",
            "marker": {"color": colour, "size": 10, "symbol": "circle", "line": {"width": 1}},
        })
    shapes, annotations = [], []
    for label, value in (("session start", start), ("session end", end)):
        if value in (None, ""):
            continue
        x = fmt(value)
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
                       "line": {"dash": "dash", "width": 2, "color": "#dc2626"}})
        annotations.append({"x": x, "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom",
                            "text": label, "showarrow": False, "font": {"color": "#dc2626"}})
    if not data and not shapes:
        return None
    return {"data": data, "layout": layout(height=300, shapes=shapes, annotations=annotations,
                                            xaxis={"type": "date", "title": {"text": "time (UTC)"}},
                                            yaxis={"type": "category", "automargin": True},
                                            margin={"l": 170, "r": 20, "t": 30, "b": 50})}
