"""SQL packs: files of `-- QUERY: name` / `-- TEST: name` blocks.

A block runs from its marker line to the next marker or the end of the file; text before the
first marker is the pack header. The block text is trimmed and one trailing `;` removed.
Parameters are ClickHouse server-side placeholders (`{from_ts:DateTime64(3)}`) bound by the
client, never formatted into the SQL.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.errors import PackError

KINDS = ("QUERY", "TEST")
# Placeholders reportgen can bind: the window, the scenario limit, and for per-session
# drill-downs either one session id (`{sid:String}`, one query per session) or all discovered
# session ids at once (`{sids:Array(String)}`, one query whose rows carry `workflow_session_id`).
KNOWN_PARAMS = frozenset({"from_ts", "to_ts", "limit_per_scenario", "sid", "sids"})

_MARKER = re.compile(r"^\s*--\s*(QUERY|TEST)\b\s*(:?)(.*)$")
_PLACEHOLDER = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}")
_LINE_COMMENT = re.compile(r"--[^\n]*")
MAX_PACK_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Block:
    suite: str
    kind: str
    name: str
    sql: str
    line: int
    path: str
    params: tuple[str, ...] = ()

    @property
    def block_id(self) -> str:
        return f"{self.suite}.{self.name}"

    @property
    def per_session(self) -> bool:
        return "sid" in self.params or "sids" in self.params

    @property
    def batched(self) -> bool:
        """One query for every discovered session; rows are split by `workflow_session_id`."""
        return "sids" in self.params


@dataclass(frozen=True)
class Pack:
    suite: str
    kind: str
    path: str
    sha256: str
    header: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def placeholders(sql: str) -> tuple[str, ...]:
    """Names of the server-side placeholders in `sql` (comments ignored), in first-use order."""
    names: list[str] = []
    for match in _PLACEHOLDER.finditer(_LINE_COMMENT.sub("", sql)):
        if match.group(1) not in names:
            names.append(match.group(1))
    return tuple(names)


def parse_pack(text: str, path: str, suite: str) -> Pack:
    """Parse pack text; raise PackError naming `path:line` for anything malformed."""
    lines = text.splitlines()
    markers: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines, start=1):
        match = _MARKER.match(line)
        if not match:
            continue
        kind, colon, name = match.group(1), match.group(2), match.group(3).strip()
        if not colon or not name:
            raise PackError(f"{path}:{number}: marker '-- {kind}:' has no block name")
        markers.append((number, kind, name))
    if not markers:
        raise PackError(f"{path}: no '-- QUERY: name' or '-- TEST: name' markers found")
    kinds = {kind for _, kind, _ in markers}
    if len(kinds) > 1:
        first_other = next(n for n, k, _ in markers if k != markers[0][1])
        raise PackError(
            f"{path}:{first_other}: file mixes QUERY and TEST blocks; a pack holds one kind"
        )
    header = "\n".join(lines[: markers[0][0] - 1]).strip()
    blocks: list[Block] = []
    seen: dict[str, int] = {}
    for index, (number, kind, name) in enumerate(markers):
        end = markers[index + 1][0] - 1 if index + 1 < len(markers) else len(lines)
        body = "\n".join(lines[number:end]).strip()
        if body.endswith(";"):
            body = body[:-1].rstrip()
        if not _LINE_COMMENT.sub("", body).strip():
            raise PackError(f"{path}:{number}: block {name!r} is empty")
        if name in seen:
            raise PackError(
                f"{path}:{number}: duplicate block name {name!r} (first at line {seen[name]})"
            )
        seen[name] = number
        params = placeholders(body)
        unknown = [p for p in params if p not in KNOWN_PARAMS]
        if unknown:
            raise PackError(
                f"{path}:{number}: block {name!r} uses placeholder {{{unknown[0]}}} that reportgen "
                f"cannot bind (known: {', '.join(sorted(KNOWN_PARAMS))})"
            )
        blocks.append(Block(suite, kind, name, body, number, path, params))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Pack(suite, markers[0][1], path, digest, header, tuple(blocks))


def load_pack(path: str | Path) -> Pack:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise PackError(f"{path}: pack file is {size} bytes; the limit is {MAX_PACK_BYTES}")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PackError(f"{path}: pack file not found") from None
    except IsADirectoryError:
        raise PackError(f"{path}: is a directory, expected a .sql file") from None
    except OSError as exc:
        raise PackError(f"{path}: cannot read pack file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(f"{path}: not valid UTF-8 (byte {exc.start})") from None
    return parse_pack(text, str(path), path.stem)


def pack_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders (their `*.sql`, sorted) and keep files in the order given."""
    files: list[Path] = []
    for item in paths:
        item = Path(item)
        if item.is_dir():
            found = sorted(item.glob("*.sql"))
            if not found:
                raise PackError(f"{item}: folder holds no .sql pack files")
            files.extend(found)
        elif item.exists():
            files.append(item)
        else:
            raise PackError(f"{item}: pack file or folder not found")
    return files


def load_packs(paths: Iterable[str | Path]) -> list[Pack]:
    """Load a pack set; suite names (file stems) must be unique across the set."""
    packs: list[Pack] = []
    suites: dict[str, str] = {}
    for file in pack_files(paths):
        if str(file.resolve()) in {str(Path(p.path).resolve()) for p in packs}:
            continue
        pack = load_pack(file)
        if pack.suite in suites:
            raise PackError(
                f"{file}: suite name {pack.suite!r} already used by {suites[pack.suite]}"
            )
        suites[pack.suite] = str(file)
        packs.append(pack)
    return packs
