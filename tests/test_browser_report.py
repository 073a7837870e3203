"""The report in a real browser: Debian's Chromium through Playwright, from file://, network off.

The run has failing checks (the seeded warehouse has empty raw layers) and hostile session ids,
so the same page proves the failing-check links, the explorer and that no data script runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.report.format import anchor
from reportgen.snapshot import open_run
from tests.test_report_support import HOSTILE_SIDS, REPO_ROOT, cached_run, demo_run_or_skip, make_hostile_run

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = REPO_ROOT / "artifacts" / "test-screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (Debian chromium package)"),
]


class Page:
    """A page opened from file:// with every non-file request aborted and recorded."""

    def __init__(self, browser, path: Path, width: int = 1400, height: int = 1000, scheme: str = "light"):
        self.requests: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def in_viewport(self, element_id: str) -> bool:
        return self.page.evaluate(
            """id => { const r = document.getElementById(id).getBoundingClientRect();
                       return r.top >= 0 && r.top < window.innerHeight && r.height > 0; }""", element_id)


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    return cached_run("hostile", tmp_path_factory, make_hostile_run) / "report.html"


def test_page_loads_offline_without_errors_or_requests(browser, hostile_report):
    view = Page(browser, hostile_report)
    view.page.wait_for_selector("#fig-layer-counts .main-svg")
    assert view.console == []
    assert view.requests == []
    assert view.dialogs == []  # no alert() from any hostile value ever ran
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    view.page.screenshot(path=str(SCREENSHOTS / "report-first-screen.png"))
    assert view.page.locator(".topbar .verdict .st").inner_text() == "FAIL"
    view.page.close()


def test_toggle_opens_and_closes_debug_sections(browser, hostile_report):
    view = Page(browser, hostile_report)
    page = view.page
    count_open = "() => Array.from(document.querySelectorAll('details.debug')).filter(d => d.open).length"
    total = page.evaluate("() => document.querySelectorAll('details.debug').length")
    auto = page.evaluate("() => document.querySelectorAll('details.debug[data-auto-open]').length")
    assert total > 10
    assert page.evaluate(count_open) == auto  # compact by default, failing ones open themselves
    page.click("#mode-toggle")
    assert page.evaluate(count_open) == total
    assert page.get_attribute("body", "data-mode") == "debug"
    page.click("#mode-toggle")
    assert page.evaluate(count_open) == auto
    failing = page.evaluate("() => Array.from(document.querySelectorAll('details.check.bad')).every(d => d.open)")
    assert failing
    assert view.console == [] and view.requests == []
    page.close()


def test_picker_switches_sessions_and_draws_each_timeline(browser, hostile_report):
    view = Page(browser, hostile_report)
    page = view.page
    options = page.eval_on_selector_all("#session-picker option", "els => els.map(e => e.value)")
    snap = open_run(hostile_report.parent)
    assert len(options) == len({s.workflow_session_id for s in snap.sessions}) == len(HOSTILE_SIDS)
    for value in options:
        page.select_option("#session-picker", value)
        visible = page.eval_on_selector_all("section.session", "els => els.filter(e => !e.hidden).map(e => e.dataset.index)")
        assert visible == [value]
        section = page.locator(f"section.session[data-index='{value}']")
        sid = section.locator("h3 code.sid").inner_text()
        assert sid in HOSTILE_SIDS
        if section.locator(".chart.timeline").count():
            section.locator(".chart.timeline .main-svg").first.wait_for(timeout=5000)
            assert section.locator(".chart.timeline").get_attribute("data-drawn") == "1"
    drawn = page.eval_on_selector_all(".chart.timeline[data-drawn='1']", "els => els.length")
    assert drawn == page.eval_on_selector_all(".chart.timeline", "els => els.length") >= 1
    assert view.console == [] and view.requests == [] and view.dialogs == []
    page.close()


def test_failing_check_link_scrolls_to_the_check(browser, hostile_report):
    view = Page(browser, hostile_report)
    page = view.page
    target = anchor("check", "assertions_pipeline", "raw_events_present")
    link = page.locator(f"#summary ul.non-passing a[href='#{target}']")
    assert link.count() == 1
    assert not view.in_viewport(target)
    link.click()
    page.wait_for_timeout(200)
    assert view.in_viewport(target)
    assert page.evaluate("id => document.getElementById(id).open", target)
    # a check inside a closed debug section is revealed too (every ancestor <details> opens)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.evaluate("() => { location.hash = ''; }")
    page.goto(hostile_report.resolve().as_uri() + "#" + anchor("check", "assertions_api_readiness", "api_views_present"))
    page.wait_for_timeout(200)
    assert view.in_viewport(anchor("check", "assertions_api_readiness", "api_views_present"))
    assert view.console == [] and view.requests == []
    page.close()


def test_search_filters_checks_and_sessions(browser, hostile_report):
    view = Page(browser, hostile_report)
    page = view.page
    page.fill("#search", "raw_events_present")
    shown = page.eval_on_selector_all("details.check", "els => els.filter(e => !e.hidden).map(e => e.id)")
    assert shown == [anchor("check", "assertions_pipeline", "raw_events_present")]
    page.fill("#search", "onerror")
    options = page.eval_on_selector_all("#session-picker option", "els => els.filter(e => !e.disabled).length")
    assert options == 1
    visible = page.eval_on_selector_all("section.session", "els => els.filter(e => !e.hidden).map(e => e.querySelector('code.sid').textContent)")
    assert visible == [HOSTILE_SIDS[1]]
    page.fill("#search", "")
    assert page.eval_on_selector_all("details.check", "els => els.filter(e => e.hidden).length") == 0
    page.close()


def test_dark_mode_follows_the_system_and_print_hides_controls(browser, hostile_report):
    dark = Page(browser, hostile_report, scheme="dark")
    background = dark.page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(15, 23, 42)"
    gt_cell = dark.page.evaluate(
        "() => getComputedStyle(document.querySelector('#summary-layers td')).backgroundColor")
    assert gt_cell in ("rgba(0, 0, 0, 0)", "transparent")
    dark.page.close()
    light = Page(browser, hostile_report)
    assert light.page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    light.page.emulate_media(media="print")
    assert light.page.evaluate("() => getComputedStyle(document.querySelector('.topbar')).display") == "none"
    hidden_sessions = light.page.evaluate(
        "() => Array.from(document.querySelectorAll('section.session')).filter(s => getComputedStyle(s).display === 'none').length")
    assert hidden_sessions == 0  # every session prints
    light.page.close()


def test_demo_report_in_browser(browser, tmp_path_factory):
    path = cached_run("demo", tmp_path_factory, demo_run_or_skip) / "report.html"
    view = Page(browser, path)
    view.page.wait_for_timeout(500)
    assert view.console == [] and view.requests == [] and view.dialogs == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    view.page.screenshot(path=str(SCREENSHOTS / "demo-report-first-screen.png"))
    options = view.page.eval_on_selector_all("#session-picker option", "els => els.map(e => e.value)")
    for value in options:
        view.page.select_option("#session-picker", value)
        chart = view.page.locator(f"section.session[data-index='{value}'] .chart.timeline")
        if chart.count():
            chart.locator(".main-svg").first.wait_for(timeout=5000)
    assert view.console == []
    view.page.close()
