"""Settings read from the environment (the notebook's variables keep working)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from reportgen.errors import ConfigError

TRUE_WORDS = {"1", "true", "yes", "on"}

# The notebook's query settings and their environment overrides.
QUERY_SETTING_ENV = {
    "max_execution_time": ("CH_MAX_EXECUTION_TIME_SEC", 30),
    "max_threads": ("CH_MAX_THREADS", 4),
    "max_rows_to_read": ("CH_MAX_ROWS_TO_READ", 5_000_000),
}
READ_OVERFLOW_MODES = ("throw", "break")
DEFAULT_LIMIT_PER_SCENARIO = 5
DEFAULT_LOOKBACK_HOURS = 24.0


def env_flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in TRUE_WORDS


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None


def env_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None


def query_settings(env: Mapping[str, str] | None = None) -> dict[str, object]:
    """The read-only query settings every block runs with (notebook defaults, env overrides)."""
    env = os.environ if env is None else env
    # The notebook used read_overflow_mode='break', which silently truncates reads at
    # max_rows_to_read and lets a check pass on partial data. reportgen throws instead, so the
    # block is an ERROR that says so; CH_READ_OVERFLOW_MODE=break restores the notebook's way.
    mode = env.get("CH_READ_OVERFLOW_MODE", "").strip().lower() or "throw"
    if mode not in READ_OVERFLOW_MODES:
        raise ConfigError(f"CH_READ_OVERFLOW_MODE={mode!r} must be one of {', '.join(READ_OVERFLOW_MODES)}")
    settings: dict[str, object] = {"readonly": 2, "read_overflow_mode": mode}
    for setting, (var, default) in QUERY_SETTING_ENV.items():
        settings[setting] = env_int(env, var, default)
    return settings


def show_debug_default(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return env_flag(env, "NB_SHOW_DEBUG")
