"""The command line. click lives here only; every command calls one core function.

Exit codes: 0 all checks pass · 1 at least one FAIL or ERROR (diff: a regression) ·
2 usage or configuration error (bad pack, window, run folder) · 3 target unreachable or busy ·
4 internal error · 130 interrupted.
"""

from __future__ import annotations

import functools
import os
import sys
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from reportgen import __version__
from reportgen.errors import EXIT_INTERRUPTED, ReportgenError
from reportgen.target import redact

EXIT_INTERNAL = 4
EXIT_CODES_HELP = (
    "Exit codes: 0 all checks pass; 1 at least one FAIL or ERROR; 2 usage or configuration "
    "error; 3 target unreachable or busy; 4 internal error."
)


def _secrets(ctx_params: dict[str, Any]) -> list[str]:
    found = [os.environ.get("CH_PASSWORD", "")]
    target = ctx_params.get("target") or ""
    if "://" in target:
        try:
            found.append(urlsplit(target).password or "")
        except ValueError:
            pass
    return [s for s in found if s]


def guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain errors into one line on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        secrets = _secrets(kwargs)
        try:
            return func(*args, **kwargs)
        except ReportgenError as exc:
            click.echo(f"reportgen: error: {redact(str(exc), *secrets)}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("reportgen: interrupted; no run folder was written", err=True)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)  # do not wait for queries still running in worker threads
        except click.exceptions.Exit:
            raise
        except Exception as exc:  # a bug: still one line unless asked for the traceback
            if os.environ.get("REPORTGEN_TRACEBACK"):
                raise
            message = redact(" ".join(str(exc).split()), *secrets)[:300]
            click.echo(
                f"reportgen: internal error: {type(exc).__name__}: {message} "
                "(set REPORTGEN_TRACEBACK=1 for details)",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)

    return wrapper


def artifacts_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--artifacts", type=click.Path(file_okay=False), default="artifacts", show_default=True,
        help="Folder holding runs/ (and the embedded demo warehouse).",
    )(func)


def window_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--from", "from_ts", metavar="TS",
                     help="Window start, ISO-8601 (Z, offsets or naive UTC)."),
        click.option("--to", "to_ts", metavar="TS", help="Window end (exclusive)."),
        click.option("--lookback-hours", type=float,
                     help="Window = now - N hours … now (default VALIDATION_LOOKBACK_HOURS or 24)."),
        click.option("--manifest", type=click.Path(dir_okay=False),
                     help="Fixture manifest.json whose window to use."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
def main() -> None:
    """Validate a NaaP analytics run and render one self-contained HTML report.

    \b
    Example:
      reportgen run                       # embedded demo warehouse
      reportgen run --target https://user@ch.example:8443/livepeer_analytics
      reportgen diff --latest
    """


@main.command()
@click.option("--target", metavar="DSN",
              help="http(s)://user:pass@host:port/db, clickhouse://…, chdb:///dir. "
                   "Default: CH_HOST/CH_* variables, else the embedded demo warehouse.")
@click.option("--packs", "packs", multiple=True, type=click.Path(exists=False),
              help="Pack file or folder (repeatable). Default: the bundled sql/packs.")
@click.option("--drilldowns", multiple=True, type=click.Path(exists=False),
              help="Drill-down pack file or folder (repeatable). Default: the bundled sql/drilldown.")
@window_options
@click.option("--limit-per-scenario", type=int, help="Sessions per scenario (default LIMIT_PER_SCENARIO or 5).")
@click.option("--concurrency", type=int, default=4, show_default=True, help="Parallel clients.")
@click.option("--run-id", help="Run folder name (default: UTC YYYYmmddTHHMMSSZ).")
@artifacts_option
@click.option("--debug/--compact", "show_debug", default=None,
              help="Open every debug section by default (also NB_SHOW_DEBUG=1).")
@click.option("--junit", type=click.Path(dir_okay=False), help="Also copy the JUnit XML here.")
@click.option("--summary", type=click.Path(dir_okay=False), help="Also copy the Markdown summary here.")
@click.option("--open", "open_report", is_flag=True, help="Open the report in a browser.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@guarded
def run(target: str | None, packs: tuple[str, ...], drilldowns: tuple[str, ...], from_ts: str | None,
        to_ts: str | None, lookback_hours: float | None, manifest: str | None,
        limit_per_scenario: int | None, concurrency: int, run_id: str | None, artifacts: str,
        show_debug: bool | None, junit: str | None, summary: str | None, open_report: bool,
        quiet: bool) -> None:
    """Run every pack once, snapshot the results, render the report.

    \b
    Example:
      reportgen run --target chdb:///data/warehouse --from 2026-02-25T16:00Z --to 2026-02-25T22:00Z
    """
    from reportgen.runner import RunOptions, execute_run

    outcome = execute_run(RunOptions(
        target=target, packs=packs, drilldowns=drilldowns or None, from_ts=from_ts, to_ts=to_ts,
        lookback_hours=lookback_hours, manifest=manifest, limit_per_scenario=limit_per_scenario,
        concurrency=concurrency, run_id=run_id, artifacts=artifacts, quiet=quiet,
        show_debug=show_debug,
    ))
    _publish_ci(outcome.path, junit, summary)
    counts = outcome.counts
    click.echo(
        f"{outcome.verdict}: {counts['PASS']} pass, {counts['WARN']} warn, {counts['FAIL']} fail, "
        f"{counts['ERROR']} error — {outcome.path / 'report.html'}"
    )
    if open_report:
        webbrowser.open((outcome.path / "report.html").resolve().as_uri())
    sys.exit(outcome.exit_code)


def _publish_ci(folder: Path, junit: str | None, summary: str | None) -> None:
    try:
        from reportgen import ci
    except ImportError:
        return
    ci.publish(folder, junit=junit, summary=summary, env=os.environ)


@main.command()
@click.argument("run_ref", metavar="RUN")
@artifacts_option
@click.option("--debug/--compact", "show_debug", default=None, help="Open every debug section by default.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write here instead of RUN/report.html.")
@guarded
def render(run_ref: str, artifacts: str, show_debug: bool | None, out: str | None) -> None:
    """Re-render a run's report from its snapshot alone (no ClickHouse).

    \b
    Example:
      reportgen render 20260225T214355Z
      reportgen render artifacts/runs/20260225T214355Z --out /tmp/report.html
    """
    from reportgen.config import show_debug_default
    from reportgen.report import write_report
    from reportgen.snapshot import open_run

    snap = open_run(run_ref, artifacts)
    if show_debug is None:
        show_debug = bool(snap.manifest.get("show_debug_default")) or show_debug_default()
    path = write_report(snap, Path(out) if out else snap.path / "report.html", show_debug=show_debug)
    click.echo(str(path))


@main.command()
@artifacts_option
@guarded
def runs(artifacts: str) -> None:
    """List run folders, newest first, with verdict and window.

    \b
    Example:
      reportgen runs --artifacts ./artifacts
    """
    from reportgen.snapshot import list_runs

    found = list_runs(artifacts)
    if not found:
        click.echo(f"no runs under {Path(artifacts) / 'runs'}")
        return
    for folder, manifest, problem in found:
        if manifest is None:
            click.echo(f"{folder.name:<24} UNUSABLE  {problem}")
            continue
        status = manifest.get("exit_status", {})
        window = manifest.get("window", {})
        click.echo(
            f"{folder.name:<24} {status.get('verdict', '?'):<6} {window.get('from_ts', '?')} → "
            f"{window.get('to_ts', '?')}  {manifest.get('target', {}).get('description', '')}"
        )


@main.command()
@click.argument("run_a", metavar="RUN_A", required=False)
@click.argument("run_b", metavar="RUN_B", required=False)
@click.option("--latest", is_flag=True, help="Compare the newest two complete runs.")
@artifacts_option
@click.option("--fail-on", type=click.Choice(["fail", "warn", "any", "never"]), default="fail",
              show_default=True, help="What counts as a regression for the exit code.")
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
@click.option("--out", type=click.Path(dir_okay=False), help="Where to write diff.html (default: RUN_B/diff.html).")
@guarded
def diff(run_a: str | None, run_b: str | None, latest: bool, artifacts: str, fail_on: str,
         as_json: bool, out: str | None) -> None:
    """Show what changed between a baseline run A and a candidate run B.

    \b
    Example:
      reportgen diff 20260224T210000Z 20260225T214355Z
      reportgen diff --latest --fail-on warn
    """
    from reportgen.diff import diff_command

    code = diff_command(run_a, run_b, latest=latest, artifacts=artifacts, fail_on=fail_on,
                        as_json=as_json, out=out, echo=click.echo)
    sys.exit(code)


@main.group()
def demo() -> None:
    """The embedded demo warehouse: build it, generate fixtures, count its layers.

    \b
    Example:
      reportgen demo build --out /tmp/wh && reportgen run --target chdb:///tmp/wh
    """


@demo.command("build")
@click.option("--fixture", type=click.Path(file_okay=False), help="Fixture folder (default: the bundled demo fixture).")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="chDB data directory to create.")
@guarded
def demo_build(fixture: str | None, out: str) -> None:
    """Build a demo warehouse from a fixture folder into a chDB directory.

    \b
    Example:
      reportgen demo build --fixture fixtures/demo --out /tmp/wh
      reportgen run --target chdb:///tmp/wh --manifest fixtures/demo/manifest.json
    """
    from reportgen.demo import build_warehouse, format_counts
    from reportgen.embedded import demo_fixture_dir
    from reportgen.errors import ConfigError

    out_path = Path(out)
    if out_path.exists() and any(out_path.iterdir()):
        raise ConfigError(f"--out {out} exists and is not empty")
    report = build_warehouse(Path(fixture) if fixture else demo_fixture_dir(), out_path)
    click.echo(format_counts(report.counts))
    click.echo(f"built {out_path.resolve()} in {report.duration_s:.1f} s; "
               f"use --target chdb://{out_path.resolve()}")


@demo.command("counts")
@click.option("--target", metavar="DSN", required=True, help="chdb:///dir or a server DSN.")
@guarded
def demo_counts(target: str) -> None:
    """Print row counts per layer (raw → typed → silver → facts → rollups → views).

    \b
    Example:
      reportgen demo counts --target chdb:///tmp/wh
    """
    from reportgen.demo import format_counts, layer_counts
    from reportgen.target import connect, parse_dsn

    client = connect(parse_dsn(target))
    try:
        click.echo(format_counts(layer_counts(client)))
    finally:
        client.close()


@demo.command("generate")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Fixture folder to write.")
@click.option("--sessions", type=int, default=60, show_default=True, help="Number of sessions.")
@click.option("--seed", type=int, default=20260225, show_default=True, help="Random seed.")
@click.option("--start", metavar="TS", help="First session start (ISO-8601, default 2026-02-25T17:20Z).")
@click.option("--hours", type=float, help="Spread the sessions over this many hours (default 4).")
@click.option("--force", is_flag=True, help="Replace a previous fixture in --out.")
@guarded
def demo_generate(out: str, sessions: int, seed: int, start: str | None, hours: float | None,
                  force: bool) -> None:
    """Write a synthetic fixture (harness format) with every scenario class.

    \b
    Example:
      reportgen demo generate --out /tmp/fx --sessions 100000
      reportgen demo build --fixture /tmp/fx --out /tmp/wh
    """
    from reportgen.demo.generator import generate_fixture
    from reportgen.window import parse_utc

    extra: dict[str, Any] = {}
    if start:
        extra["start"] = parse_utc(start, "--start")
    if hours is not None:
        extra["hours"] = hours
    summary = generate_fixture(Path(out), sessions=sessions, seed=seed, overwrite=force, **extra)
    click.echo(f"wrote {Path(out).resolve()}: {sessions} sessions in "
               f"{summary.seconds:.1f} s")


main.epilog = EXIT_CODES_HELP  # type: ignore[attr-defined]
