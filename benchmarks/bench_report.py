"""Report size and render time.

Usage:
    python benchmarks/bench_report.py                 # builds the demo warehouse, runs, measures
    python benchmarks/bench_report.py RUN_FOLDER ...  # measures existing run folders (e.g. a 100k run)

For each run folder: the rendered page's size (budget: under 6 MB, bounded by limits rather than
data) and the render time from the snapshot (best of 3, fresh snapshot each time; budget: under
5 s for the 100k-session warehouse), plus the snapshot's block/session counts.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportgen.report import render_report
from reportgen.snapshot import open_run

REPO_ROOT = Path(__file__).resolve().parent.parent
SIZE_BUDGET = 6_000_000
TIME_BUDGET_S = 5.0


def demo_run(base: Path) -> Path:
    """Build the demo warehouse from fixtures/demo and run the bundled packs on it."""
    data = base / "demo-warehouse"
    fixture = REPO_ROOT / "fixtures" / "demo"
    subprocess.run([sys.executable, "-c", f"from reportgen.demo import build_warehouse\n"
                    f"build_warehouse({str(fixture)!r}, {str(data)!r})"], check=True, cwd=REPO_ROOT)
    subprocess.run([sys.executable, "-m", "reportgen", "run", "--target", f"chdb://{data}", "--manifest",
                    str(fixture / "manifest.json"), "--run-id", "bench-demo", "--artifacts", str(base / "artifacts"),
                    "--quiet"], check=False, cwd=REPO_ROOT)
    return base / "artifacts" / "runs" / "bench-demo"


def measure(folder: Path, repeats: int = 3) -> dict[str, float | int | str]:
    timings = []
    page = ""
    for _ in range(repeats):
        started = time.perf_counter()
        snap = open_run(folder)
        page = render_report(snap)
        timings.append(time.perf_counter() - started)
    snap = open_run(folder)
    size = len(page.encode("utf-8"))
    return {
        "run": str(folder),
        "size_bytes": size,
        "render_s": round(min(timings), 3),
        "blocks": len(snap.blocks),
        "sessions": len({s.workflow_session_id for s in snap.sessions}),
        "within_budget": "yes" if size < SIZE_BUDGET and min(timings) < TIME_BUDGET_S else "NO",
    }


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        folders = [Path(a) for a in argv] or [demo_run(Path(tmp))]
        ok = True
        print(f"{'run':<60} {'size':>10} {'render':>8} {'blocks':>7} {'sessions':>9}  budget")
        for folder in folders:
            result = measure(folder)
            ok = ok and result["within_budget"] == "yes"
            print(f"{str(result['run'])[-60:]:<60} {result['size_bytes'] / 1e6:>8.2f}MB {result['render_s']:>7.3f}s "
                  f"{result['blocks']:>7} {result['sessions']:>9}  {result['within_budget']}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
