"""Where the queries go: one factory for read-only clickhouse-connect clients.

A target is a ClickHouse server over HTTP(S) or an embedded chDB directory. Targets come from a
DSN (`http://user:pass@host:8123/db`, `https://…`, `clickhouse://…`, `chdb:///dir`) or from the
notebook's `CH_*` variables. Every client runs with `readonly=2` and the notebook's query settings.
The password never leaves this module except inside the client.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from reportgen.config import env_flag, env_int, query_settings
from reportgen.errors import ConfigError, TargetError

DEFAULT_DATABASE = "livepeer_analytics"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
CONNECT_TIMEOUT_S = 5
# clickhouse-connect logs driver exceptions itself; reportgen reports them as one line instead.
logging.getLogger("clickhouse_connect").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Target:
    kind: str  # "http" | "chdb"
    database: str = DEFAULT_DATABASE
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = field(default="", repr=False)
    secure: bool = False
    path: str = ""  # chDB data directory
    demo: bool = False  # the embedded demo warehouse

    @property
    def is_local(self) -> bool:
        return self.kind == "chdb" or self.host in LOCAL_HOSTS

    def describe(self) -> str:
        """A one-line description that never contains the password."""
        if self.kind == "chdb":
            prefix = "embedded demo warehouse" if self.demo else "chDB"
            return f"{prefix} {self.path} / {self.database}"
        scheme = "https" if self.secure else "http"
        user = f"{self.user}@" if self.user else ""
        return f"{scheme}://{user}{self.host}:{self.port}/{self.database}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "description": self.describe(),
            "host": self.host,
            "port": self.port,
            "database": self.database,
            "user": self.user,
            "secure": self.secure,
            "path": self.path,
            "demo": self.demo,
            "local": self.is_local,
        }

    def redact(self, text: str) -> str:
        return redact(text, self.password)


def redact(text: str, *secrets: str) -> str:
    """`text` with every non-empty secret replaced by `***`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def parse_dsn(dsn: str, env: Mapping[str, str] | None = None) -> Target:
    env = os.environ if env is None else env
    dsn = dsn.strip()
    if dsn.startswith("chdb:"):
        raw = dsn[len("chdb:"):]
        raw = raw[2:] if raw.startswith("//") else raw
        if not raw:
            raise ConfigError("chDB target needs a directory: chdb:///path/to/dir")
        return Target("chdb", database=env.get("CH_DATABASE") or DEFAULT_DATABASE,
                      path=str(Path(unquote(raw)).expanduser().resolve()))
    parts = urlsplit(dsn)
    if parts.scheme not in {"http", "https", "clickhouse"} or not parts.hostname:
        raise ConfigError(
            f"target {_safe(dsn)!r} is not a DSN; use http(s)://user@host:port/db, "
            "clickhouse://user@host:port/db or chdb:///dir"
        )
    secure = parts.scheme == "https" or env_flag(env, "CH_SECURE")
    try:
        port = parts.port or (8443 if secure else 8123)
    except ValueError:
        raise ConfigError(f"target {_safe(dsn)!r} has an invalid port") from None
    database = parts.path.strip("/") or env.get("CH_DATABASE") or DEFAULT_DATABASE
    password = unquote(parts.password) if parts.password is not None else env.get("CH_PASSWORD", "")
    user = unquote(parts.username) if parts.username else env.get("CH_USER", "default")
    return Target("http", database, parts.hostname, port, user, password, secure)


def target_from_env(env: Mapping[str, str] | None = None) -> Target | None:
    """The notebook's CH_* variables, or None when CH_HOST is not set."""
    env = os.environ if env is None else env
    host = env.get("CH_HOST", "").strip()
    if not host:
        return None
    secure = env_flag(env, "CH_SECURE")
    return Target(
        "http",
        env.get("CH_DATABASE") or DEFAULT_DATABASE,
        host,
        env_int(env, "CH_PORT", 8443 if secure else 8123),
        env.get("CH_USER", "analytics_user"),
        env.get("CH_PASSWORD", ""),
        secure,
    )


def _safe(dsn: str) -> str:
    return redact(dsn, urlsplit(dsn).password or "")


@contextmanager
def _native_stderr(sink: list[str]) -> Iterator[None]:
    """Capture what the embedded engine writes straight to file descriptor 2."""
    with tempfile.TemporaryFile(mode="w+b") as temp:
        saved = os.dup(2)
        os.dup2(temp.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            temp.seek(0)
            sink.append(temp.read().decode("utf-8", errors="replace"))


def connect(target: Target, settings: Mapping[str, Any] | None = None) -> Any:
    """A read-only client; TargetError with one line when unreachable, refused or missing db."""
    import clickhouse_connect  # deferred: heavy import, not needed by render/diff

    settings = dict(query_settings() if settings is None else settings)
    settings["readonly"] = 2
    try:
        if target.kind == "chdb":
            if not Path(target.path).is_dir():
                raise TargetError(f"chDB directory {target.path} does not exist")
            native: list[str] = []
            try:
                with _native_stderr(native):
                    client = clickhouse_connect.get_client(dsn=f"chdb://{target.path}", settings=settings)
            except Exception as exc:
                raise TargetError(_explain(target, exc, "".join(native))) from None
        else:
            timeout = int(settings.get("max_execution_time", 30) or 30) + 30
            client = clickhouse_connect.get_client(
                host=target.host,
                port=target.port,
                username=target.user,
                password=target.password,
                database=target.database,
                secure=target.secure,
                connect_timeout=CONNECT_TIMEOUT_S,
                send_receive_timeout=timeout,
                settings=settings,
                query_retries=0,
            )
        found = client.query(
            "SELECT count() FROM system.databases WHERE name = {db:String}",
            parameters={"db": target.database},
        ).result_rows[0][0]
    except TargetError:
        raise
    except Exception as exc:  # clickhouse-connect and chDB raise many kinds
        raise TargetError(_explain(target, exc)) from None
    if not found:
        client.close()
        raise TargetError(f"database {target.database!r} does not exist on {target.describe()}")
    return client


def _explain(target: Target, exc: Exception, native: str = "") -> str:
    text = target.redact(" ".join(f"{native} {exc}".split()))
    lowered = text.lower()
    where = target.describe()
    if target.kind == "chdb":
        if "cannot lock file" in lowered or "already running" in lowered:
            return f"chDB directory {target.path} is in use by another process; wait for it to finish"
        if "already initialized" in lowered:
            return (f"this process already holds another chDB directory; cannot also open {target.path}")
        return f"cannot open chDB directory {target.path}: {text[:300]}"
    if "UNKNOWN_DATABASE" in text or "Code: 81" in text:
        return f"database {target.database!r} does not exist on {where}"
    if "refused" in lowered:
        return f"connection refused by {where}"
    if "authentication" in lowered or "Code: 516" in text or "Code: 192" in text:
        return f"authentication failed for {where}"
    if "timed out" in lowered or "timeout" in lowered:
        return f"{where} did not answer within {CONNECT_TIMEOUT_S}s"
    if "name or service not known" in lowered or "failed to resolve" in lowered or "nodename" in lowered:
        return f"host {target.host!r} cannot be resolved"
    return f"cannot reach {where}: {text[:300]}"


def server_version(client: Any) -> str:
    try:
        return str(client.query("SELECT version()").result_rows[0][0])
    except Exception:
        return "unknown"
