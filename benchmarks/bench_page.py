"""The page: time to first paint and to interactive in headless Chromium.

Usage:
    python benchmarks/bench_page.py artifacts/runs/<run_id>/report.html [more.html ...]
    python benchmarks/bench_page.py            # the newest run under ./artifacts/runs

Opens each report from file:// in Debian's Chromium (Playwright, executable_path, network
blocked), five times, and prints the median first-contentful-paint, DOM-interactive and
load-event times plus the file size.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def measure(page, url: str) -> dict[str, float]:
    page.goto(url, wait_until="load")
    return page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return {fcp: fcp ? fcp.startTime : NaN, interactive: nav.domInteractive,
                load: nav.loadEventEnd};
    }""")


def main() -> None:
    from playwright.sync_api import sync_playwright

    reports = [Path(a) for a in sys.argv[1:]]
    if not reports:
        runs = sorted(p for p in Path("artifacts/runs").glob("*/report.html"))
        if not runs:
            raise SystemExit("no report given and none under artifacts/runs")
        reports = [runs[-1]]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for report in reports:
            context = browser.new_context()
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                          else route.abort())
            samples = []
            for _ in range(5):
                page = context.new_page()
                samples.append(measure(page, report.resolve().as_uri()))
                page.close()
            context.close()
            med = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
            print(f"{report}: {report.stat().st_size / 1e6:.2f} MB  first paint {med['fcp']:.0f} ms  "
                  f"interactive {med['interactive']:.0f} ms  load {med['load']:.0f} ms")
        browser.close()


if __name__ == "__main__":
    main()
