"""Tables for the page: plain view-model tables rendered by the template, and great_tables
for the headline tables.

Cells are display text; the template escapes them (autoescape). great_tables escapes cell text
and column labels itself (asserted by the hostile-data tests); its HTML is the only table HTML
wrapped in `Markup`, and only after every value went through `fmt` as plain text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from markupsafe import Markup

from reportgen.report.format import fmt
from reportgen.verdicts import STATUSES

MAX_ROWS = 200


def _esc(text: str) -> str:
    return html.escape(text, quote=True)

STATUS_COLUMNS = frozenset({"status", "failure_mode", "status_flag", "advisory", "verdict"})
KNOWN_STATUSES = frozenset(STATUSES)


@dataclass(frozen=True)
class Cell:
    text: str
    cls: str = ""
    href: str = ""


ABSENT = Cell("")  # a column this record does not have (unlike NULL, shown as nothing)


@dataclass(frozen=True)
class DataTable:
    """A table ready for the `table` macro: ids fixed, values already text, rows bounded."""

    id: str
    columns: list[str]
    rows: list[list[Cell]]
    total_rows: int
    note: str = ""
    search: list[str] = field(default_factory=list)  # per-row search text (optional)

    @property
    def hidden_rows(self) -> int:
        return max(0, self.total_rows - len(self.rows))

    @property
    def empty(self) -> bool:
        return self.total_rows == 0

    def html(self) -> Markup:
        """The `<table>` element: every text, class and link escaped here, then marked safe.

        Built in Python rather than a Jinja loop because reports hold tens of thousands of cells.
        """
        out = [f'<div class="tbl-wrap"><table class="data" id="{_esc(self.id)}">\n<thead><tr>']
        out.extend(f"<th>{_esc(c)}</th>" for c in self.columns)
        out.append("</tr></thead>\n<tbody>\n")
        for index, row in enumerate(self.rows):
            search = f' data-search="{_esc(self.search[index])}"' if index < len(self.search) else ""
            out.append(f"<tr{search}>")
            for c in row:
                cls = f' class="{_esc(c.cls)}"' if c.cls else ""
                body = f'<a href="{_esc(c.href)}">{_esc(c.text)}</a>' if c.href else _esc(c.text)
                out.append(f"<td{cls}>{body}</td>")
            out.append("</tr>\n")
        out.append("</tbody></table></div>")
        return Markup("".join(out))  # noqa: S704 - every interpolated value went through _esc


def status_class(column: str, text: str) -> str:
    if column in STATUS_COLUMNS and text.upper() in KNOWN_STATUSES:
        return f"st st-{text.upper()}"
    return ""


def cell(column: str, value: Any) -> Cell:
    text = fmt(value)
    cls = status_class(column, text)
    if not cls and value is None:
        cls = "null"
    elif not cls and isinstance(value, (int, float)) and not isinstance(value, bool):
        cls = "num"
    return Cell(text, cls)


def from_records(table_id: str, records: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None,
                 *, limit: int = MAX_ROWS, note: str = "") -> DataTable:
    if columns is None:
        columns = []
        for record in records:
            for key in record:
                if key not in columns:
                    columns.append(key)
    rows = [[cell(c, r[c]) if c in r else ABSENT for c in columns] for r in records[:limit]]
    return DataTable(table_id, [fmt(c) for c in columns], rows, len(records), note)


def from_arrow(table_id: str, table: pa.Table | None, *, columns: Sequence[str] | None = None,
               limit: int = MAX_ROWS, note: str = "") -> DataTable:
    if table is None:
        return DataTable(table_id, [], [], 0, note)
    names = [c for c in (columns or table.column_names) if c in table.column_names]
    head = table.slice(0, limit)
    data = {name: head.column(name).to_pylist() for name in names}
    rows = [[cell(name, data[name][i]) for name in names] for i in range(head.num_rows)]
    return DataTable(table_id, [fmt(n) for n in names], rows, table.num_rows, note)


def key_value(table_id: str, pairs: Iterable[tuple[str, Any]]) -> DataTable:
    rows = [[Cell(fmt(k)), cell(str(k), v)] for k, v in pairs]
    return DataTable(table_id, ["field", "value"], rows, len(rows))


def gt_html(table_id: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Markup:
    """A headline table through great_tables with a fixed id (values passed as plain text)."""
    import pandas as pd
    from great_tables import GT

    frame = pd.DataFrame([[fmt(v) for v in row] for row in rows], columns=[fmt(c) for c in columns])
    if frame.empty:
        frame = pd.DataFrame({fmt(c): pd.Series([], dtype="object") for c in columns})
    html = GT(frame, id=table_id).as_raw_html()
    return Markup(html)  # noqa: S704 - great_tables escapes cell text and labels (tested)
