"""Window resolution order and parsing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reportgen.errors import ConfigError
from reportgen.window import format_param, parse_utc, resolve_window

NOW = datetime(2026, 2, 25, 22, 0, tzinfo=UTC)


def manifest(tmp_path: Path, window: dict | None) -> Path:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"window": window} if window is not None else {}))
    return path


def test_parse_accepts_z_offsets_and_naive_as_utc():
    assert parse_utc("2026-02-25T16:08:39.871Z") == datetime(2026, 2, 25, 16, 8, 39, 871000, tzinfo=UTC)
    assert parse_utc("2026-02-25T18:08:39+02:00") == datetime(2026, 2, 25, 16, 8, 39, tzinfo=UTC)
    assert parse_utc("2026-02-25 16:08:39") == datetime(2026, 2, 25, 16, 8, 39, tzinfo=UTC)
    with pytest.raises(ConfigError, match="not an ISO-8601"):
        parse_utc("yesterday")


def test_param_wire_format_has_milliseconds():
    assert format_param(parse_utc("2026-02-25T16:08:39.871Z")) == "2026-02-25 16:08:39.871"
    assert format_param(parse_utc("2026-02-25T16:08:39Z")) == "2026-02-25 16:08:39.000"


def test_flags_beat_env_beat_manifest_beat_lookback(tmp_path: Path):
    env = {"FIXTURE_FROM_TS": "2026-02-25T10:00Z", "FIXTURE_TO_TS": "2026-02-25T11:00Z"}
    m = manifest(tmp_path, {"from_ts": "2026-02-25T16:08:39.871+00:00", "to_ts": "2026-02-25T21:43:55.262Z"})
    w = resolve_window(from_ts="2026-02-25T01:00Z", to_ts="2026-02-25T02:00Z", manifest=m, env=env, now=NOW)
    assert (w.source, w.params()) == ("flags", {"from_ts": "2026-02-25 01:00:00.000", "to_ts": "2026-02-25 02:00:00.000"})
    w = resolve_window(manifest=m, env=env, now=NOW)
    assert w.source == "env" and w.params()["from_ts"] == "2026-02-25 10:00:00.000"
    w = resolve_window(manifest=m, env={}, now=NOW)
    assert w.source == "manifest" and w.params() == {
        "from_ts": "2026-02-25 16:08:39.871", "to_ts": "2026-02-25 21:43:55.262"}
    assert str(m.resolve()) in w.label
    w = resolve_window(env={"VALIDATION_LOOKBACK_HOURS": "6"}, now=NOW)
    assert w.source == "lookback" and w.params()["from_ts"] == "2026-02-25 16:00:00.000"
    assert resolve_window(env={}, now=NOW).params()["from_ts"] == "2026-02-24 22:00:00.000"


def test_only_one_env_var_falls_through(tmp_path: Path):
    w = resolve_window(env={"FIXTURE_FROM_TS": "2026-02-25T10:00Z"}, now=NOW)
    assert w.source == "lookback"


def test_single_flag_uses_lookback_for_other_side():
    w = resolve_window(to_ts="2026-02-25T12:00Z", lookback_hours=2, env={}, now=NOW)
    assert w.params()["from_ts"] == "2026-02-25 10:00:00.000"
    w = resolve_window(from_ts="2026-02-25T12:00Z", env={}, now=NOW)
    assert w.to_ts == NOW


def test_errors(tmp_path: Path):
    with pytest.raises(ConfigError, match="is not before its end"):
        resolve_window(from_ts="2026-02-25T12:00Z", to_ts="2026-02-25T12:00Z", env={}, now=NOW)
    with pytest.raises(ConfigError, match="is not before its end"):
        resolve_window(from_ts="2026-02-25T13:00Z", to_ts="2026-02-25T12:00Z", env={}, now=NOW)
    with pytest.raises(ConfigError, match="no window"):
        resolve_window(manifest=manifest(tmp_path, None), env={}, now=NOW)
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ConfigError, match="not readable JSON"):
        resolve_window(manifest=tmp_path / "bad.json", env={}, now=NOW)
    with pytest.raises(ConfigError, match="not found"):
        resolve_window(manifest=tmp_path / "nope.json", env={}, now=NOW)
    with pytest.raises(ConfigError, match="positive"):
        resolve_window(lookback_hours=0, env={}, now=NOW)
    with pytest.raises(ConfigError, match="VALIDATION_LOOKBACK_HOURS"):
        resolve_window(env={"VALIDATION_LOOKBACK_HOURS": "x"}, now=NOW)
