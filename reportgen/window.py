"""The validation window and where it came from.

Resolution order: explicit `--from/--to` > `FIXTURE_FROM_TS`/`FIXTURE_TO_TS` > a fixture manifest's
`window` > lookback hours (`VALIDATION_LOOKBACK_HOURS`, default 24) ending now.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reportgen.config import DEFAULT_LOOKBACK_HOURS, env_float
from reportgen.errors import ConfigError

SOURCE_FLAGS = "flags"
SOURCE_ENV = "env"
SOURCE_MANIFEST = "manifest"
SOURCE_LOOKBACK = "lookback"


def parse_utc(value: str, what: str = "timestamp") -> datetime:
    """Parse ISO-8601; `Z` and offsets are honoured, naive values are UTC."""
    text = str(value).strip()
    if not text:
        raise ConfigError(f"{what} is empty")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{what} {value!r} is not an ISO-8601 timestamp") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_param(ts: datetime) -> str:
    """The wire form the packs bind: `YYYY-MM-DD HH:MM:SS.mmm` in UTC."""
    ts = ts.astimezone(UTC)
    return ts.strftime("%Y-%m-%d %H:%M:%S.") + f"{ts.microsecond // 1000:03d}"


def format_iso(ts: datetime) -> str:
    ts = ts.astimezone(UTC)
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class Window:
    from_ts: datetime
    to_ts: datetime
    source: str  # flags | env | manifest | lookback
    detail: str = ""  # e.g. the manifest path or "24h"

    def __post_init__(self) -> None:
        if self.from_ts >= self.to_ts:
            raise ConfigError(
                f"window start {format_iso(self.from_ts)} is not before its end {format_iso(self.to_ts)}"
            )

    def params(self) -> dict[str, str]:
        return {"from_ts": format_param(self.from_ts), "to_ts": format_param(self.to_ts)}

    @property
    def label(self) -> str:
        return f"{self.source} {self.detail}".strip()

    def to_json(self) -> dict[str, str]:
        return {
            "from_ts": format_iso(self.from_ts),
            "to_ts": format_iso(self.to_ts),
            "source": self.source,
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, str]) -> Window:
        return cls(
            parse_utc(data["from_ts"]), parse_utc(data["to_ts"]), data["source"], data.get("detail", "")
        )


def manifest_window(path: str | Path) -> tuple[datetime, datetime]:
    """The `window` of a fixture manifest; ConfigError when unreadable or incomplete."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"manifest {path} not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"manifest {path} is not readable JSON ({exc})") from None
    window = data.get("window") if isinstance(data, dict) else None
    if not isinstance(window, dict) or not window.get("from_ts") or not window.get("to_ts"):
        raise ConfigError(f"manifest {path} has no window.from_ts/window.to_ts")
    return (
        parse_utc(window["from_ts"], f"{path} window.from_ts"),
        parse_utc(window["to_ts"], f"{path} window.to_ts"),
    )


def resolve_window(
    *,
    from_ts: str | None = None,
    to_ts: str | None = None,
    manifest: str | Path | None = None,
    lookback_hours: float | None = None,
    env: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Window:
    env = os.environ if env is None else env
    now = (now or datetime.now(UTC)).astimezone(UTC)
    hours = lookback_hours if lookback_hours is not None else env_float(
        env, "VALIDATION_LOOKBACK_HOURS", DEFAULT_LOOKBACK_HOURS
    )
    if hours <= 0:
        raise ConfigError(f"lookback hours must be positive, got {hours:g}")
    if from_ts or to_ts:
        end = parse_utc(to_ts, "--to") if to_ts else now
        start = parse_utc(from_ts, "--from") if from_ts else end - timedelta(hours=hours)
        return Window(start, end, SOURCE_FLAGS, "--from/--to")
    env_from, env_to = env.get("FIXTURE_FROM_TS", "").strip(), env.get("FIXTURE_TO_TS", "").strip()
    if env_from and env_to:
        return Window(
            parse_utc(env_from, "FIXTURE_FROM_TS"),
            parse_utc(env_to, "FIXTURE_TO_TS"),
            SOURCE_ENV,
            "FIXTURE_FROM_TS/FIXTURE_TO_TS",
        )
    if manifest is not None:
        start, end = manifest_window(manifest)
        return Window(start, end, SOURCE_MANIFEST, str(Path(manifest).resolve()))
    return Window(now - timedelta(hours=hours), now, SOURCE_LOOKBACK, f"{hours:g}h")
