"""Scale: a generated warehouse of N sessions (default 100k ≈ 1M raw events).

Usage:
    python benchmarks/bench_scale.py                 # 100 000 sessions
    python benchmarks/bench_scale.py --sessions 20000 --keep /tmp/scale

Each step runs as its own process (chDB holds one data directory per process) and is measured
with wait4(): wall time and peak RSS. Steps: generate fixture → build warehouse → `reportgen run`
(concurrency 4) → `reportgen render` → `reportgen diff` of the run with itself. Prints the
figures and the report size. Goals: run < 60 s with RSS < 2 GB, report size independent of the
session count.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# At 100k sessions one pipeline assertion reads more than the notebook's 5M-row guard; the
# benchmark raises it so every block completes (reportgen would otherwise report TOO_MANY_ROWS).
ENV = {**os.environ, "CH_MAX_ROWS_TO_READ": os.environ.get("CH_MAX_ROWS_TO_READ", "50000000")}


def measured(label: str, args: list[str], results: list[tuple[str, float, float, int]]) -> None:
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out, err = proc.stdout.read(), proc.stderr.read()
    code = os.waitstatus_to_exitcode(status)
    results.append((label, wall, usage.ru_maxrss / 1024, code))
    print(f"{label:<28} {wall:8.1f} s   peak RSS {usage.ru_maxrss / 1024:8.0f} MB   exit {code}", flush=True)
    if code not in (0, 1):
        print(out[-2000:], err[-2000:], file=sys.stderr)
        raise SystemExit(f"{label} failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", help="work folder to keep (default: a temp folder, removed)")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    fixture, warehouse, artifacts = work / "fixture", work / "warehouse", work / "artifacts"
    for path in (fixture, warehouse, artifacts):
        shutil.rmtree(path, ignore_errors=True)
    rg = [sys.executable, "-m", "reportgen"]
    results: list[tuple[str, float, float, int]] = []
    print(f"sessions: {args.sessions:,}; work folder: {work}")
    measured("generate fixture", [*rg, "demo", "generate", "--out", str(fixture),
                                  "--sessions", str(args.sessions), "--seed", str(args.seed)], results)
    events = sum(1 for f in fixture.rglob("*.jsonl") for _ in open(f, encoding="utf-8"))
    print(f"raw events: {events:,}; fixture size {sum(f.stat().st_size for f in fixture.rglob('*') if f.is_file()) / 1e6:.0f} MB")
    measured("build warehouse", [*rg, "demo", "build", "--fixture", str(fixture), "--out", str(warehouse)], results)
    common = ["--artifacts", str(artifacts), "-q"]
    measured("run (concurrency 4)", [*rg, "run", "--target", f"chdb://{warehouse}", "--manifest",
                                     str(fixture / "manifest.json"), "--run-id", "scale", *common], results)
    report = artifacts / "runs" / "scale" / "report.html"
    measured("render", [*rg, "render", "scale", "--artifacts", str(artifacts)], results)
    measured("diff (self)", [*rg, "diff", "scale", "scale", "--artifacts", str(artifacts)], results)
    print(f"report size: {report.stat().st_size / 1e6:.2f} MB")
    snapshot = sum(f.stat().st_size for f in (artifacts / "runs" / "scale").rglob("*") if f.is_file())
    print(f"run folder size: {snapshot / 1e6:.1f} MB")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
