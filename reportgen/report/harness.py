"""Read the scenario harness's artifacts (`artifacts/test-runs/<run_id>/`, spec/events.md c.4).

`load_harness` is called by the runner at run time and its result is stored in the run
manifest under "harness", so rendering stays snapshot-only: an old run re-rendered later
shows the harness data it was made with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reportgen.verdicts import jsonable

ASSERTION_FILES = ("assert_raw_typed.json", "assert_pipeline.json", "assert_api.json",
                   "assert_scenarios.json")
STAGE_FIELDS = ("stage", "status", "duration_sec", "error", "started_at", "ended_at", "log_file",
                "command")


def _read_json(path: Path) -> tuple[Any, str | None]:
    if not path.is_file():
        return None, None
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"{path.name} unreadable: {' '.join(str(exc).split())[:160]}"


def select_run(test_runs: Path, run_id: str | None) -> Path | None:
    """HARNESS_RUN_ID when given, else the lexicographically newest run folder."""
    if run_id:
        folder = test_runs / run_id
        return folder if folder.is_dir() else None
    if not test_runs.is_dir():
        return None
    runs = sorted(p for p in test_runs.iterdir() if p.is_dir())
    return runs[-1] if runs else None


def load_harness(artifacts_dir: str | Path, run_id_env: str | None) -> dict[str, Any] | None:
    """The harness summary and failed assertion rows, or None when there is no harness run.

    `artifacts_dir` is the folder holding `test-runs/`; `run_id_env` is HARNESS_RUN_ID (may be
    empty). The result is JSON-safe and sorted, ready for the manifest.
    """
    test_runs = Path(artifacts_dir) / "test-runs"
    folder = select_run(test_runs, (run_id_env or "").strip() or None)
    if folder is None:
        return None
    problems: list[str] = []
    summary, problem = _read_json(folder / "summary.json")
    if problem:
        problems.append(problem)
    stages: list[dict[str, Any]] = []
    meta: dict[str, Any] = {}
    if isinstance(summary, dict):
        for entry in summary.get("results") or []:
            if isinstance(entry, dict):
                stages.append({k: jsonable(entry.get(k)) for k in STAGE_FIELDS})
        for key in ("run_id", "mode", "state_strategy", "failed", "generated_at", "requested_stages"):
            if key in summary:
                meta[key] = jsonable(summary[key])
    failures: list[dict[str, Any]] = []
    present: list[str] = []
    for name in ASSERTION_FILES:
        payload, problem = _read_json(folder / "stages" / name)
        if problem:
            problems.append(problem)
        if not isinstance(payload, dict):
            continue
        present.append(name)
        for result in payload.get("results") or []:
            if not isinstance(result, dict) or result.get("passed", False):
                continue
            failures.append({
                "suite": name.removesuffix(".json"),
                "test_name": jsonable(result.get("name", "")),
                "failed_rows": jsonable(result.get("failed_rows", 1)),
                "error": jsonable(result.get("error") or ""),
                "diagnostics": jsonable(result.get("diagnostics") or {}),
            })
    return {
        "run_id": folder.name,
        "summary_present": isinstance(summary, dict),
        "meta": meta,
        "stages": stages,
        "assertion_files": present,
        "failures": failures,
        "problems": problems,
    }
