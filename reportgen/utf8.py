"""Valid UTF-8 for text columns: ClickHouse strings are bytes, the snapshot and report are text.

Invalid bytes become U+FFFD, in top-level and nested (list, map, struct) text values alike.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa


def has_text(data_type: pa.DataType) -> bool:
    if pa.types.is_string(data_type) or pa.types.is_large_string(data_type):
        return True
    if pa.types.is_map(data_type):
        return has_text(data_type.key_type) or has_text(data_type.item_type)
    return any(has_text(data_type.field(i).type) for i in range(data_type.num_fields))


def _as_binary(data_type: pa.DataType) -> pa.DataType:
    """The same type with every string replaced by binary (a zero-copy cast target)."""
    if pa.types.is_string(data_type) or pa.types.is_large_string(data_type):
        return pa.binary()
    if pa.types.is_map(data_type):
        return pa.map_(_as_binary(data_type.key_type), _as_binary(data_type.item_type))
    if pa.types.is_list(data_type) or pa.types.is_large_list(data_type):
        return pa.list_(_as_binary(data_type.value_type))
    if pa.types.is_struct(data_type):
        return pa.struct([f.with_type(_as_binary(f.type)) for f in data_type])
    return data_type


def _decode(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_decode(v) for v in value)
    if isinstance(value, dict):
        return {_decode(k): _decode(v) for k, v in value.items()}
    return value


def valid_utf8(table: pa.Table | None) -> pa.Table | None:
    """The table with invalid UTF-8 in text columns replaced by U+FFFD (unchanged when valid)."""
    if table is None:
        return None
    columns, changed = [], False
    for column, field in zip(table.columns, table.schema, strict=True):
        if has_text(field.type):
            try:
                column.validate(full=True)
            except pa.ArrowInvalid:
                try:
                    raw = column.cast(_as_binary(field.type)).to_pylist()
                    column = pa.chunked_array([pa.array([_decode(v) for v in raw], field.type)])
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    column = pa.chunked_array([pa.array([None] * len(column), pa.string())])
                changed = True
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names) if changed else table
