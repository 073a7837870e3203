"""Give Arrow results back the ClickHouse types its Arrow output drops.

ClickHouse writes `DateTime` to Arrow as a bare uint32 (seconds) and `Enum8/16` as its integer
code. Everything else we rely on survives (`UInt64`, `Decimal`, tz-aware `DateTime64`, arrays,
maps, `Nullable`). When a result has uint32/int8/int16 columns, one `DESCRIBE` of the same query
(cached per SQL text, so per-session drill-downs pay it once) tells which are DateTime or Enum,
and those columns are converted: DateTime → timestamp[s, tz], Enum → its label.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import pyarrow as pa

_SUSPECT = (pa.uint32(), pa.int8(), pa.int16())
_WRAPPERS = re.compile(r"^(?:Nullable|LowCardinality)\((.*)\)$")
_DATETIME = re.compile(r"^DateTime(?:\('([^']*)'\))?$")
_ENUM = re.compile(r"^Enum(?:8|16)\((.*)\)$")
_ENUM_ITEM = re.compile(r"'((?:[^'\\]|\\.)*)'\s*=\s*(-?\d+)")


def _unwrap(ch_type: str) -> str:
    while True:
        match = _WRAPPERS.match(ch_type)
        if not match:
            return ch_type
        ch_type = match.group(1)


class TypeRestorer:
    """Thread-safe, per-run cache of `DESCRIBE` results keyed by SQL text."""

    def __init__(self) -> None:
        self._described: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def _describe(self, client: Any, sql: str, parameters: dict[str, Any] | None) -> dict[str, str]:
        with self._lock:
            cached = self._described.get(sql)
        if cached is not None:
            return cached
        rows = client.query(f"DESCRIBE TABLE ({sql})", parameters=parameters).result_rows
        described = {str(row[0]): str(row[1]) for row in rows}
        with self._lock:
            self._described[sql] = described
        return described

    def restore(self, client: Any, sql: str, parameters: dict[str, Any] | None,
                table: pa.Table) -> pa.Table:
        if not any(field.type in _SUSPECT for field in table.schema):
            return table
        types = self._describe(client, sql, parameters)
        columns = []
        for field, column in zip(table.schema, table.columns, strict=True):
            if field.type in _SUSPECT:
                column = convert(column, _unwrap(types.get(field.name, "")))
            columns.append(column)
        return pa.Table.from_arrays(columns, names=table.column_names)


def convert(column: pa.ChunkedArray, ch_type: str) -> pa.ChunkedArray:
    """Convert one column given its (unwrapped) ClickHouse type; other types pass through."""
    match = _DATETIME.match(ch_type)
    if match and column.type == pa.uint32():
        return column.cast(pa.int64()).cast(pa.timestamp("s", tz=match.group(1) or "UTC"))
    match = _ENUM.match(ch_type)
    if match:
        labels = {int(code): label.replace("\\'", "'").replace("\\\\", "\\")
                  for label, code in _ENUM_ITEM.findall(match.group(1))}
        values = [None if v is None else labels.get(v, str(v)) for v in column.to_pylist()]
        return pa.chunked_array([pa.array(values, pa.string())])
    return column
