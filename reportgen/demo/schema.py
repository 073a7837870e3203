"""The demo warehouse schema: ordered DDL files in ``sql/warehouse/NN_*.sql``.

``apply_schema(client)`` creates every database object of spec/warehouse.md (tables,
materialized views, views) in a fresh chDB directory. The DDL is idempotent
(``IF NOT EXISTS`` / ``CREATE OR REPLACE VIEW``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from reportgen.resources import warehouse_sql_dir

DATABASE = "livepeer_analytics"

_CREATE_RE = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?P<kind>TABLE|MATERIALIZED\s+VIEW|VIEW|DATABASE)"
    r"\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>[\w.]+)",
    re.IGNORECASE | re.MULTILINE,
)


class SchemaError(RuntimeError):
    """A DDL file could not be read or applied."""


@dataclass(frozen=True)
class DdlStatement:
    file: str
    kind: str  # TABLE | MATERIALIZED VIEW | VIEW | DATABASE
    name: str  # unqualified object name (database name for DATABASE)
    sql: str


def schema_files(sql_dir: Path | None = None) -> list[Path]:
    """The ordered schema files (``NN_name.sql``) of the warehouse SQL folder."""
    folder = sql_dir or warehouse_sql_dir()
    files = sorted(p for p in folder.glob("[0-9][0-9]_*.sql") if p.is_file())
    if not files:
        raise SchemaError(f"no schema files (NN_*.sql) found in {folder}")
    return files


def split_statements(text: str) -> list[str]:
    """Split a SQL script into statements on lines ending with ``;`` (comment-only chunks dropped)."""
    statements: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        current.append(line)
        if line.rstrip().endswith(";") and not line.lstrip().startswith("--"):
            statements.append("\n".join(current))
            current = []
    statements.append("\n".join(current))
    cleaned = []
    for stmt in statements:
        body = "\n".join(ln for ln in stmt.splitlines() if not ln.strip().startswith("--")).strip()
        if body:
            lines = stmt.strip().splitlines()
            while lines and (not lines[0].strip() or lines[0].strip().startswith("--")):
                lines.pop(0)  # leading comments belong to no statement
            cleaned.append("\n".join(lines).rstrip().rstrip(";").strip())
    return cleaned


def ddl_statements(sql_dir: Path | None = None) -> list[DdlStatement]:
    """Every CREATE statement of the schema, in apply order."""
    out: list[DdlStatement] = []
    for path in schema_files(sql_dir):
        for sql in split_statements(path.read_text(encoding="utf-8")):
            match = _CREATE_RE.search(sql)
            if not match:
                raise SchemaError(f"{path.name}: not a CREATE statement: {sql[:80]!r}")
            kind = " ".join(match.group("kind").upper().split())
            name = match.group("name").split(".")[-1]
            out.append(DdlStatement(path.name, kind, name, sql))
    return out


def ddl_for(name: str, sql_dir: Path | None = None) -> DdlStatement:
    """The CREATE statement of one object (unqualified name)."""
    for stmt in ddl_statements(sql_dir):
        if stmt.name == name and stmt.kind != "DATABASE":
            return stmt
    raise SchemaError(f"no DDL for object {name!r} in the warehouse schema")


def expected_objects(sql_dir: Path | None = None) -> dict[str, str]:
    """Object name -> kind for every object the schema creates (database excluded)."""
    return {s.name: s.kind for s in ddl_statements(sql_dir) if s.kind != "DATABASE"}


def schema_hash(sql_dir: Path | None = None) -> str:
    """SHA-256 over the schema files (names and contents), to detect schema changes."""
    digest = hashlib.sha256()
    for path in schema_files(sql_dir):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def apply_schema(client, sql_dir: Path | None = None) -> list[DdlStatement]:
    """Create the whole ``livepeer_analytics`` schema through ``client``; returns the statements run."""
    statements = ddl_statements(sql_dir)
    for stmt in statements:
        try:
            client.command(stmt.sql)
        except Exception as exc:  # noqa: BLE001 - re-raised with context
            raise SchemaError(f"{stmt.file}: creating {stmt.kind} {stmt.name} failed: {exc}") from exc
    return statements
