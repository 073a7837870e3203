"""Domain errors and the documented exit codes.

Every error reportgen raises on bad input is a `ReportgenError` carrying a one-line message and
the exit code the CLI returns for it. The CLI never shows a traceback for these.
"""

from __future__ import annotations

EXIT_OK = 0  # every check passed (WARN/INFO allowed)
EXIT_CHECKS_FAILED = 1  # at least one FAIL or ERROR (diff: a regression)
EXIT_USAGE = 2  # usage or configuration error, bad pack, bad or incomplete run folder
EXIT_TARGET = 3  # target unreachable, refused, database missing, chDB directory busy
EXIT_INTERRUPTED = 130


class ReportgenError(Exception):
    """A user-facing error: one line, no traceback, a documented exit code."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


class ConfigError(ReportgenError):
    """Bad option, environment variable or window."""


class PackError(ReportgenError):
    """A SQL pack file cannot be parsed; the message names the file and line."""


class FixtureError(ReportgenError):
    """A fixture folder is missing or malformed."""


class RunFolderError(ReportgenError):
    """A run folder is missing, incomplete, corrupt, foreign or from a newer format."""


class TargetError(ReportgenError):
    """The warehouse cannot be reached or used."""

    exit_code = EXIT_TARGET
