"""The reports in a real browser (headless Chromium through Playwright).

Is the score visible? Do the item rows, the diagnosis and the histogram render? Does the page fetch
nothing but itself, log no console error, and show a student's <script> as text without running
it? Does anything overflow horizontally on a phone? Screenshots go to test-artifacts/screenshots/.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.reports import render_student_report, render_summary
from grader.reports.mistakes import describe
from tests.reports.sample_results_support import SCRIPT, all_results, bob, make_spec
from tests.skips_support import oracle, unavailable

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
playwright_api = oracle("playwright.sync_api", "Playwright drives Chromium in the browser tests")
if CHROMIUM is None:
    unavailable("No Chromium found: install it with `apt-get install -y chromium`")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    d = tmp_path_factory.mktemp("reports")
    spec = make_spec()
    files = {}
    for lang in ("en", "zh"):
        f = d / f"bob_{lang}.html"
        f.write_text(render_student_report(bob(), spec, lang=lang), encoding="utf-8")
        files[f"bob_{lang}"] = f
    f = d / "summary.html"
    f.write_text(render_summary(all_results(), spec, lang="en"), encoding="utf-8")
    files["summary"] = f
    return files


def open_page(browser, path: Path, viewport=(1280, 900)):
    """Open ``path`` recording console errors, dialogs and every request the page makes."""
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = ctx.new_page()
    log = {"console": [], "dialogs": [], "requests": []}
    page.on("console", lambda m: log["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["console"].append(str(e)))

    def on_dialog(d):
        log["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)

    def route(r):
        log["requests"].append(r.request.url)
        if r.request.url == path.as_uri():
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return ctx, page, log


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing overflows)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_student_report_renders_and_stays_offline(browser, pages):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ctx, page, log = open_page(browser, pages["bob_en"])
    try:
        assert page.locator("#score").is_visible()
        assert page.locator("#score").inner_text().startswith("7 / 31")
        assert page.locator("tr.item-row").count() == 4
        assert page.locator(".diag").first.is_visible()
        assert describe("gate_activation_swapped", "en")["title"] in page.locator(".diag").first.inner_text()
        assert page.locator("img.answer").first.evaluate("img => img.naturalWidth") == 24
        assert page.locator("math").count() >= 1
        page.screenshot(path=str(SCREENSHOTS / "student_en_desktop.png"), full_page=True)
    finally:
        ctx.close()
    assert log["console"] == []
    assert log["requests"] == [pages["bob_en"].as_uri()]


def test_student_script_shows_as_text_and_never_runs(browser, pages):
    ctx, page, log = open_page(browser, pages["bob_en"])
    try:
        free = page.locator(".free pre.answer").inner_text()
        assert SCRIPT in free
        assert page.locator("main script").count() == 0
        assert page.locator("main img[onerror]").count() == 0
        assert page.evaluate("typeof window.__pwned") == "undefined"
    finally:
        ctx.close()
    assert log["dialogs"] == []


@pytest.mark.parametrize("name", ["bob_en", "bob_zh", "summary"])
def test_nothing_overflows_on_a_phone(browser, pages, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ctx, page, log = open_page(browser, pages[name], viewport=(390, 844))
    try:
        assert overflow(page) == 0
        page.screenshot(path=str(SCREENSHOTS / f"{name}_phone.png"), full_page=True)
    finally:
        ctx.close()
    assert log["console"] == []
    assert log["dialogs"] == []


def test_summary_renders_histogram_and_links(browser, pages):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ctx, page, log = open_page(browser, pages["summary"])
    try:
        svg = page.locator("svg.hist")
        assert svg.is_visible()
        assert svg.bounding_box()["width"] > 200
        assert page.locator("svg.hist rect.bin").count() == 10
        assert page.locator("tr.student").count() == 5
        assert page.locator("tr.student a").first.get_attribute("href") == "students/alice/report.html"
        assert page.locator("#timeouts li").count() == 1
        page.screenshot(path=str(SCREENSHOTS / "summary_desktop.png"), full_page=True)
    finally:
        ctx.close()
    assert log["console"] == []
    assert log["requests"] == [pages["summary"].as_uri()]
