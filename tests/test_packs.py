"""Marker parsing: the pack format of design.md and its error cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.errors import PackError
from reportgen.packs import load_pack, load_packs, parse_pack, placeholders
from reportgen.resources import packs_dir


def parse(text: str):
    return parse_pack(text, "p.sql", "p")


def test_blocks_run_marker_to_marker_trimmed_and_semicolon_removed():
    pack = parse(
        "-- header text\nSELECT 'ignored';\n"
        "-- TEST: first\n-- says what it checks\nSELECT 0 AS failed_rows;\n\n"
        "--TEST:second  \nSELECT 1 AS failed_rows;;\n"
    )
    assert pack.kind == "TEST" and pack.suite == "p"
    assert [b.name for b in pack.blocks] == ["first", "second"]
    assert pack.blocks[0].sql == "-- says what it checks\nSELECT 0 AS failed_rows"
    assert pack.blocks[1].sql == "SELECT 1 AS failed_rows;"  # only one trailing ';' removed
    assert pack.blocks[0].line == 3 and pack.blocks[1].line == 7
    assert pack.header.startswith("-- header text")


def test_name_is_everything_after_first_colon():
    pack = parse("-- QUERY: 01: raw ingest\nSELECT 1")
    assert pack.blocks[0].name == "01: raw ingest"


@pytest.mark.parametrize(
    "text, message",
    [
        ("SELECT 1\n-- just a comment", "no '-- QUERY: name'"),
        ("-- TEST: a\n\n-- TEST: b\nSELECT 0 AS failed_rows", "p.sql:1: block 'a' is empty"),
        ("-- TEST: a\n-- only a comment\n;\n-- TEST: b\nSELECT 0", "block 'a' is empty"),
        ("-- TEST: a\nSELECT 0\n-- TEST: a\nSELECT 1", "p.sql:3: duplicate block name 'a' (first at line 1)"),
        ("-- TEST:\nSELECT 0", "p.sql:1: marker '-- TEST:' has no block name"),
        ("-- TEST   \nSELECT 0", "has no block name"),
        ("-- TEST: a\nSELECT 0\n-- QUERY: b\nSELECT 1", "p.sql:3: file mixes QUERY and TEST"),
        ("-- QUERY: a\nSELECT {region:String}", "placeholder {region} that reportgen cannot bind"),
    ],
)
def test_malformed_packs_name_file_and_line(text, message):
    with pytest.raises(PackError) as err:
        parse(text)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_placeholders_found_outside_comments_only():
    sql = "-- {nope:String}\nSELECT {from_ts:DateTime64(3)}, { to_ts : DateTime64(3) }, '{\"json\":1}', {from_ts:DateTime64(3)}"
    assert placeholders(sql) == ("from_ts", "to_ts")


def test_per_session_blocks_are_marked_by_sid():
    pack = parse("-- QUERY: d\nSELECT * FROM t WHERE workflow_session_id = {sid:String}")
    assert pack.blocks[0].per_session and pack.blocks[0].params == ("sid",)


def test_load_pack_errors(tmp_path: Path):
    with pytest.raises(PackError, match="not found"):
        load_pack(tmp_path / "missing.sql")
    bad = tmp_path / "latin.sql"
    bad.write_bytes(b"-- TEST: a\nSELECT '\xe9' AS failed_rows")
    with pytest.raises(PackError, match="not valid UTF-8"):
        load_pack(bad)
    big = tmp_path / "big.sql"
    big.write_text("-- TEST: a\nSELECT 0 AS failed_rows\n" + "-- padding\n" * 1_000_000)
    with pytest.raises(PackError, match="limit"):
        load_pack(big)
    empty = tmp_path / "empty_dir"
    empty.mkdir()
    with pytest.raises(PackError, match="no .sql pack files"):
        load_packs([empty])


def test_pack_set_from_folder_and_files_with_unique_suites(tmp_path: Path):
    (tmp_path / "b.sql").write_text("-- TEST: x\nSELECT 0 AS failed_rows")
    (tmp_path / "a.sql").write_text("-- QUERY: y\nSELECT 1")
    packs = load_packs([tmp_path])
    assert [p.suite for p in packs] == ["a", "b"]
    assert len(packs[0].sha256) == 64
    other = tmp_path / "sub"
    other.mkdir()
    (other / "a.sql").write_text("-- QUERY: z\nSELECT 2")
    with pytest.raises(PackError, match="suite name 'a' already used"):
        load_packs([tmp_path, other / "a.sql"])
    # the same file twice is loaded once
    assert len(load_packs([tmp_path / "a.sql", tmp_path / "a.sql"])) == 1


def test_bundled_packs_parse():
    packs = load_packs([packs_dir()])
    assert packs, "the bundled packs folder is empty"
    for pack in packs:
        assert pack.blocks
