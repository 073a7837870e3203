"""Progress lines on stderr: per suite with counts when a terminal is attached, silent otherwise."""

from __future__ import annotations

import io

from reportgen.collect import BlockResult, Progress
from reportgen.packs import Block


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def result(suite: str, error: str | None = None) -> BlockResult:
    return BlockResult(Block(suite, "TEST", "t", "SELECT 0", 1, f"{suite}.sql"), error=error)


def test_counts_per_suite_on_a_terminal():
    stream = Terminal()
    progress = Progress({"a": 2, "b": 1}, stream=stream)
    progress.tick(result("a"))
    progress.tick(result("a", error="boom"))
    progress.add("b", 1)
    progress.tick(result("b"))
    text = stream.getvalue()
    assert "a: 1/2 blocks" in text and "a: 2/2 blocks, 1 errors\x1b[K\n" in text
    assert "b: 1/2 blocks" in text


def test_silent_without_terminal_or_when_quiet():
    pipe = io.StringIO()
    Progress({"a": 1}, stream=pipe).tick(result("a"))
    assert pipe.getvalue() == ""
    stream = Terminal()
    Progress({"a": 1}, stream=stream, enabled=False).tick(result("a"))
    assert stream.getvalue() == ""
