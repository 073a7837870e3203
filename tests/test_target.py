"""Target parsing and the one-line errors of the client factory."""

from __future__ import annotations

import time

import pytest

from reportgen.errors import ConfigError, TargetError
from reportgen.target import connect, parse_dsn, target_from_env


def test_dsn_forms():
    t = parse_dsn("https://alice:s3cr%40t@ch.example:9443/analytics", env={})
    assert (t.kind, t.host, t.port, t.user, t.password, t.database, t.secure) == (
        "http", "ch.example", 9443, "alice", "s3cr@t", "analytics", True)
    assert "s3cr" not in t.describe() and "s3cr" not in repr(t) and "s3cr" not in str(t.to_json())
    t = parse_dsn("http://ch:8123", env={"CH_PASSWORD": "pw", "CH_USER": "bob"})
    assert (t.port, t.user, t.password, t.database, t.secure) == (8123, "bob", "pw", "livepeer_analytics", False)
    t = parse_dsn("clickhouse://u@host/db", env={})
    assert (t.port, t.database) == (8123, "db")
    t = parse_dsn("chdb:///tmp/wh", env={})
    assert (t.kind, t.path, t.is_local) == ("chdb", "/tmp/wh", True)
    assert not parse_dsn("http://10.1.2.3:8123", env={}).is_local
    with pytest.raises(ConfigError, match="is not a DSN"):
        parse_dsn("mysql://x", env={})
    with pytest.raises(ConfigError, match="is not a DSN"):
        parse_dsn("http://user:hunter2@", env={})
    try:
        parse_dsn("ftp://user:hunter2@h", env={})
    except ConfigError as exc:
        assert "hunter2" not in str(exc)


def test_notebook_env_variables():
    assert target_from_env({}) is None
    t = target_from_env({"CH_HOST": "ch", "CH_PORT": "9000", "CH_PASSWORD": "x", "CH_SECURE": "true"})
    assert (t.host, t.port, t.secure, t.user, t.database) == ("ch", 9000, True, "analytics_user", "livepeer_analytics")


def test_refused_port_is_one_line_and_fast():
    start = time.perf_counter()
    with pytest.raises(TargetError) as err:
        connect(parse_dsn("http://u:topsecret@127.0.0.1:1/livepeer_analytics", env={}))
    assert time.perf_counter() - start < 10
    assert "refused" in str(err.value) or "cannot reach" in str(err.value)
    assert "topsecret" not in str(err.value) and "\n" not in str(err.value)
    assert err.value.exit_code == 3


def test_unresolvable_host():
    with pytest.raises(TargetError):
        connect(parse_dsn("http://no-such-host.invalid:8123/db", env={}))


def test_missing_chdb_directory(tmp_path):
    with pytest.raises(TargetError, match="does not exist"):
        connect(parse_dsn(f"chdb://{tmp_path}/nope", env={}))
