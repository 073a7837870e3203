"""Turn warehouse values into display text, and names into stable anchors.

Everything returned here is plain text: escaping happens once, in the Jinja templates
(autoescape) or in `tables.py` for the few fragments built in Python.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

_ANCHOR_SAFE = re.compile(r"[^A-Za-z0-9_-]+")
MAX_CELL_CHARS = 400


def clean_text(text: str) -> str:
    """Valid UTF-8 text: lone surrogates (from undecodable bytes) become U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="replace").decode("utf-8")


def fmt_float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == int(value) and abs(value) < 1e15:
        return f"{value:.1f}"
    return f"{value:.6g}" if abs(value) < 1e-4 or abs(value) >= 1e9 else f"{round(value, 6):.6f}".rstrip("0")


def fmt_ts(value: datetime) -> str:
    text = value.replace(tzinfo=None).isoformat(sep=" ", timespec="milliseconds")
    return text


def fmt(value: Any, limit: int | None = MAX_CELL_CHARS) -> str:
    """Display text for one warehouse value (NULL → empty string)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return fmt_float(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        text = fmt_ts(value)
    elif isinstance(value, (date, time)):
        text = value.isoformat()
    elif isinstance(value, timedelta):
        text = str(value)
    elif isinstance(value, bytes):
        text = value.decode("utf-8", errors="replace")
    elif isinstance(value, str):
        text = clean_text(value)
    elif isinstance(value, Mapping):
        text = json.dumps({str(k): _plain(v) for k, v in value.items()}, sort_keys=True,
                          ensure_ascii=False)
    elif isinstance(value, (list, tuple)):
        if value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
            text = json.dumps({str(k): _plain(v) for k, v in value}, sort_keys=True, ensure_ascii=False)
        else:
            text = json.dumps([_plain(v) for v in value], ensure_ascii=False)
    else:
        text = clean_text(str(value))
    text = clean_text(text)
    if limit is not None and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return clean_text(value) if isinstance(value, str) else value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else fmt_float(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return fmt(value, None)


def anchor(*parts: str) -> str:
    """A stable HTML id from names: readable when safe, hashed suffix when characters were lost."""
    raw = "-".join(parts)
    slug = _ANCHOR_SAFE.sub("-", raw).strip("-")[:80] or "x"
    if slug != raw:
        slug = f"{slug}-{hashlib.sha1(raw.encode('utf-8', 'replace')).hexdigest()[:8]}"
    return slug


def as_int(value: Any) -> int | None:
    """An integer from a diagnostic value, or None when it is not a finite number."""
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) else None
