"""`rnngrade review` in a real browser: the real server (the CLI in a subprocess, on a free port) over
the demo class graded by the real batch, driven by headless Chromium through Playwright.

Screenshots go to test-artifacts/screenshots/review_*.png.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from grader.store.gradebook import Gradebook
from grader.store.stored import decode
from grader.outputs.manual import export_manual
from grader.review.answers import opaque_id
from tests.skips_support import oracle, unavailable

pytestmark = pytest.mark.browser

# Debian's Chromium (Playwright's own browser download does not work here)
CHROMIUM = ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None) or shutil.which("chromium") \
    or shutil.which("chromium-browser")
playwright_api = oracle("playwright.sync_api", "Playwright drives Chromium in the browser tests")
if CHROMIUM is None:
    unavailable("No Chromium found: install it with `apt-get install -y chromium`")

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
FREE = ["free_6_3", "free_6_4", "free_6_5", "free_6_1p"]
GRADED = ["alice", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "mallory", "oscar", "peggy"]


class Server:
    """``rnngrade review OUT --port 0`` in a subprocess; ``url`` is the address it printed."""

    def __init__(self, out: Path):
        self.out = out
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from grader.cli import main; main()", "review", str(out), "--port", "0"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(5):
            line = self.proc.stdout.readline()
            m = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=(\S+)", line)
            if m:
                self.base, self.token = m.group(1), m.group(2)
                self.url = f"{self.base}/?token={self.token}"
                return
        self.proc.kill()
        raise AssertionError(f"no address printed: {self.proc.stderr.read()}")

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as a TA stops it."""
        self.proc.send_signal(signal.SIGINT)
        out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, out + err


@pytest.fixture
def server(out):
    s = Server(out)
    yield s
    if s.proc.poll() is None:
        code, text = s.stop()
        assert code == 0, text
        assert "Stopped." in text and "Traceback" not in text


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_app(browser, server, viewport=(1280, 900)):
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = ctx.new_page()
    log = {"console": [], "dialogs": []}
    page.on("console", lambda m: log["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["console"].append(str(e)))

    def on_dialog(d):
        log["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(server.url)
    return ctx, page, log


def manual_points(out: Path) -> dict:
    with Gradebook(out / "gradebook.sqlite") as gb:
        return {(e["student"], e["item"]): e["points"] for e in gb.manual_entries()}


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_grade_every_free_answer_with_the_keyboard_only(browser, server, out):
    summary_before = (out / "summary.html").stat().st_mtime_ns
    summary_text = (out / "summary.html").read_text(encoding="utf-8")
    ctx, page, log = open_app(browser, server)
    try:
        with page.expect_navigation():
            page.keyboard.press("1")  # the first item's next ungraded answer
        saves = 0
        while not page.locator("#all-done").count():
            assert page.url.startswith(server.base + "/grade/"), page.url
            # the blank notebook's placeholder gets 0 (no line), every real answer lines 1 and 3
            if "Write your answer here" not in page.locator("#answer").inner_text():
                page.keyboard.press("1")
                page.keyboard.press("3")
            with page.expect_navigation():
                page.keyboard.press("s")
            saves += 1
            assert saves < 60
        assert saves < 11 * 4  # the groups of identical answers were graded at once
        rows = page.locator("tr.item-row")
        assert [rows.nth(k).locator(".left").inner_text() for k in range(4)] == ["0"] * 4
    finally:
        ctx.close()
    assert log["console"] == [] and log["dialogs"] == []

    points = manual_points(out)
    expected = {(s, item): (0.0 if s == "ivan" else 2.0) for s in GRADED for item in FREE}
    assert {k: points.get(k) for k in expected} == expected
    # the exports say what was graded
    with open(out / "grades.csv", encoding="utf-8") as f:
        grades = {row["student"]: row for row in csv.DictReader(f)}
    for (s, item), p in expected.items():
        assert float(grades[s][item]) == p
        results = json.loads((out / "students" / s / "results.json").read_text(encoding="utf-8"))
        assert next(t["score"] for t in results["tests"] if t["name"].startswith(item)) == p
        grade = json.loads((out / "students" / s / "grade.json").read_text(encoding="utf-8"))
        assert grade["items"][item]["score"] == p and grade["score"] == float(grades[s]["score"])
    assert (out / "summary.html").stat().st_mtime_ns >= summary_before
    assert (out / "summary.html").read_text(encoding="utf-8") != summary_text
    # and `rnngrade manual --export` reads the same data
    export_manual(out, out / "manual.csv")
    with open(out / "manual.csv", encoding="utf-8-sig") as f:
        exported = {(r["student"], r["item"]): r["points"] for r in csv.DictReader(f)}
    assert all(exported[k] == f"{v:g}" for k, v in expected.items())


def test_a_rubric_edit_rescores_every_answer_that_has_it(browser, server, out):
    ctx, page, log = open_app(browser, server)
    try:
        page.goto(f"{server.base}/next/free_6_4")
        page.keyboard.press("1")
        page.keyboard.press("2")
        with page.expect_navigation():
            page.keyboard.press("s")
        graded = [k for k, p in manual_points(out).items() if k[1] == "free_6_4"]
        assert len(graded) == 10 and all(manual_points(out)[k] == 2.0 for k in graded)
        page.goto(f"{server.base}/item/free_6_4")
        first = page.locator(".rubric-edit li").first
        first.locator("input[name=points]").fill("0.5")
        with page.expect_navigation():
            first.locator("button").click()
        page.screenshot(path=str(SCREENSHOTS / "review_item_desktop.png"), full_page=True)
    finally:
        ctx.close()
    points = manual_points(out)
    assert all(points[k] == 1.5 for k in graded)
    with open(out / "grades.csv", encoding="utf-8") as f:
        assert {float(r["free_6_4"]) for r in csv.DictReader(f) if (r["student"], "free_6_4") in graded} == {1.5}
    assert log["console"] == []


def test_an_answer_group_is_graded_at_once_and_split(browser, server, out):
    ctx, page, log = open_app(browser, server)
    try:
        page.goto(f"{server.base}/grade/free_6_5/{opaque_id('alice')}")
        assert page.locator("#group .members li").count() == 10
        # take carol out of the group: she is graded alone afterwards
        carol_sid = opaque_id("carol")
        carol = page.locator(f'#group .members li:has(a[href$="{carol_sid}"])')
        with page.expect_navigation():
            carol.locator("button.split-one").click()
        assert page.locator("#group .members li").count() == 9
        page.keyboard.press("1")
        with page.expect_navigation():
            page.keyboard.press("s")
        points = manual_points(out)
        assert sum(1 for k in points if k[1] == "free_6_5") == 9 and ("carol", "free_6_5") not in points
        page.goto(f"{server.base}/grade/free_6_5/{opaque_id('carol')}")
        assert page.locator("#group").inner_text().strip().startswith("This answer is graded on its own.")
        assert page.locator("#scope-one").count() == 0  # nothing else would be saved with it
        page.keyboard.press("4")
        with page.expect_navigation():
            page.keyboard.press("s")
    finally:
        ctx.close()
    points = manual_points(out)
    assert points[("carol", "free_6_5")] == 1.0 and points[("alice", "free_6_5")] == 1.0
    assert log["console"] == []


def test_two_tas_on_one_answer_nothing_is_lost(browser, server, out):
    url = f"{server.base}/grade/free_6_3/{opaque_id('dave')}"
    ctx_a, a, log_a = open_app(browser, server)
    ctx_b, b, log_b = open_app(browser, server)
    try:
        for p in (a, b):
            p.goto(url)
            p.locator("#scope-one").check()
        a.locator('#rubric input[data-key="1"]').check()
        a.locator("#comment").fill("A's comment")
        with a.expect_navigation():
            a.locator("#save").click()
        b.locator('#rubric input[data-key="2"]').check()
        b.locator('#rubric input[data-key="3"]').check()
        b.locator("#comment").fill("B's comment")
        with b.expect_navigation():
            b.locator("#save").click()
        conflict = b.locator("#conflict")
        assert conflict.is_visible()
        assert "A's comment" in conflict.inner_text() and "1 points" in conflict.inner_text()
        assert b.locator("#comment").input_value() == "B's comment"  # B's values are still in the form
        assert manual_points(out)[("dave", "free_6_3")] == 1.0
        b.screenshot(path=str(SCREENSHOTS / "review_conflict_desktop.png"), full_page=True)
        # the overview counts it as in conflict until someone saves it
        a.goto(server.base + "/")
        assert a.locator('tr[data-item="free_6_3"] .conflicts').inner_text() == "1"
        with b.expect_navigation():
            b.locator("#save").click()  # B saves again, knowing A's values: now it replaces them
    finally:
        ctx_a.close()
        ctx_b.close()
    with Gradebook(out / "gradebook.sqlite") as gb:
        entry = next(e for e in gb.manual_entries() if e["student"] == "dave" and e["item"] == "free_6_3")
    assert (entry["points"], entry["comment"]) == (2.0, "B's comment")
    assert log_a["console"] == []
    # the refused save is answered 409 Conflict, which Chromium logs; nothing else is logged
    assert log_b["console"] == ["Failed to load resource: the server responded with a status of 409 (CONFLICT)"]


def test_a_script_in_an_answer_stays_text_and_names_are_hidden(browser, server, out):
    ctx, page, log = open_app(browser, server)
    try:
        page.goto(f"{server.base}/grade/free_6_1p/{opaque_id('peggy')}")
        answer = page.locator("#answer")
        assert "<script>alert(1)</script> GRU when data is small" in answer.inner_text()
        assert answer.locator("script").count() == 0
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert "peggy" not in page.content()
        with page.expect_navigation():
            page.locator("#names-toggle").click()
        assert page.locator("#who").inner_text() == "peggy"
        page.goto(f"{server.base}/grade/free_6_3/{opaque_id('alice')}")
        assert page.locator("#answer math").count() >= 10  # the LaTeX is MathML
    finally:
        ctx.close()
    assert log["dialogs"] == [] and log["console"] == []


def test_requests_without_the_token_are_refused(browser, server, out):
    sid = opaque_id("alice")
    for path in ("/", "/static/review.js", f"/report/{sid}", f"/grade/free_6_3/{sid}", "/?token=wrong"):
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(server.base + path, timeout=10)
        assert e.value.code == 403, path
    req = urllib.request.Request(f"{server.base}/grade/free_6_3/{sid}", data=b"v_x=0", method="POST")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert e.value.code == 403
    # with the session cookie but without the CSRF token, a POST is refused too
    ctx, page, log = open_app(browser, server)
    try:
        response = ctx.request.post(f"{server.base}/grade/free_6_3/{sid}", form={"v_" + sid: "0", "line": "1"})
        assert response.status == 400
        response = ctx.request.get(f"{server.base}/report/..%2F..%2Fgradebook.sqlite")
        assert response.status == 404
        response = ctx.request.get(f"{server.base}/report/{sid}")
        csp = response.headers["content-security-policy"]
        assert response.status == 200 and "default-src 'none'" in csp and "script-src" not in csp
    finally:
        ctx.close()
    assert ("alice", "free_6_3") not in manual_points(out)


def test_a_page_of_another_site_re_pointed_at_the_server_is_refused(browser, server):
    """DNS rebinding: the browser sends the other site's name as Host. The real server (waitress) refuses
    it before the token, and a signed-in TA's browser with the right name still works."""
    port = server.base.rsplit(":", 1)[1]
    for host in (f"evil.example:{port}", f"127.0.0.1.evil.example:{port}"):
        req = urllib.request.Request(f"{server.base}/?token={server.token}", headers={"Host": host})
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=10)
        assert e.value.code == 400, host
    ctx, page, log = open_app(browser, server)
    try:
        assert page.locator("#items").is_visible() and log["console"] == []
        response = ctx.request.get(f"http://localhost:{port}/?token={server.token}", max_redirects=0)
        assert response.status == 302
    finally:
        ctx.close()


def test_a_huge_request_body_is_refused_before_it_is_stored(server):
    """Any site the TA visits can make the browser POST to 127.0.0.1 (a form needs no permission); the
    server buffered up to waitress's default 1 GB per request on disk before the token was checked.
    A form of the app is a few kB: a body announced as over 1 MiB is refused before it is read (the
    request below sends its headers only, so the answer cannot race a half-sent body)."""
    host, port = server.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(f"POST /grade/free_6_3/x HTTP/1.1\r\nHost: {host}:{port}\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     f"Content-Length: {2 << 20}\r\n\r\na=x".encode("ascii"))
        status_line = conn.makefile("rb").readline().decode("ascii")
    assert status_line.split()[1] == "413", status_line


def test_a_killed_server_loses_only_the_save_in_flight(browser, server, out):
    ctx, page, log = open_app(browser, server)
    try:
        page.goto(f"{server.base}/next/free_6_3")
        page.keyboard.press("2")
        with page.expect_navigation():
            page.keyboard.press("s")
    finally:
        ctx.close()
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(timeout=10)
    again = Server(out)
    try:
        ctx, page, log = open_app(browser, again)
        assert page.locator('tr[data-item="free_6_3"] .graded').inner_text() == "10"
        ctx.close()
    finally:
        code, text = again.stop()
    assert code == 0 and "Stopped." in text


PAGES = {
    "overview": lambda base: f"{base}/",
    "item": lambda base: f"{base}/item/free_6_3",
    "grade": lambda base: f"{base}/grade/free_6_3/{opaque_id('alice')}",
    "grade_zh": lambda base: f"{base}/grade/free_6_1p/{opaque_id('peggy')}",
    "student": lambda base: f"{base}/student/{opaque_id('carol')}",
    "report": lambda base: f"{base}/report/{opaque_id('carol')}",
}


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_fits_and_logs_no_error(browser, server, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ctx, page, log = open_app(browser, server, viewport=(width, 900))
    try:
        for name, url in PAGES.items():
            if name == "grade_zh":  # the Chinese UI
                with page.expect_navigation():
                    page.locator("button[name=lang]").click()
            page.goto(url(server.base))
            assert overflow(page) == 0, name
            page.screenshot(path=str(SCREENSHOTS / f"review_{name}_{width}.png"), full_page=True)
    finally:
        ctx.close()
    assert log["console"] == []


def test_an_override_with_a_comment_reaches_the_exports(browser, server, out):
    others = {s: (out / "students" / s / "report.html").stat().st_mtime_ns for s in GRADED if s != "carol"}
    ctx, page, log = open_app(browser, server)
    try:
        page.goto(f"{server.base}/student/{opaque_id('carol')}")
        form = page.locator("#override-lstm_forward")
        form.locator("input[name=points]").fill("1.5")
        form.locator("textarea[name=comment]").fill("Regraded: see the forum post")
        form.locator("textarea[name=note]").fill("asked by mail")
        with page.expect_navigation():
            form.locator("button").click()
        assert page.locator("#override-lstm_forward input[name=points]").input_value() == "1.5"
    finally:
        ctx.close()
    grade = json.loads((out / "students" / "carol" / "grade.json").read_text(encoding="utf-8"))
    assert grade["items"]["lstm_forward"]["score"] == 1.5
    assert grade["items"]["lstm_forward"]["comment"] == "Regraded: see the forum post"
    assert "Regraded: see the forum post" in (out / "students" / "carol" / "report.html").read_text(encoding="utf-8")
    assert "asked by mail" not in (out / "students" / "carol" / "report.html").read_text(encoding="utf-8")
    # only the student touched is rendered again
    assert {s: (out / "students" / s / "report.html").stat().st_mtime_ns for s in others} == others
    with open(out / "grades.csv", encoding="utf-8") as f:
        assert next(r for r in csv.DictReader(f) if r["student"] == "carol")["lstm_forward"] == "1.5"
    assert log["console"] == []


def test_the_threshold_is_changed_on_the_item_page(browser, server, out):
    # make peggy's 6-1P answer a near copy of the model answer: one word changed
    with Gradebook(out / "gradebook.sqlite") as gb:
        row = gb._conn.execute("SELECT status, grading_key, result_json FROM submissions WHERE student = 'peggy'") \
            .fetchone()
        alice = next(i for i in gb.get("alice").items if i.item == "free_6_1p").free["text"]
        d = decode(row[2])
        next(i for i in d["items"] if i["item"] == "free_6_1p")["free"]["text"] = alice.replace("alike", "similarly")
        gb.put_json("peggy", row[0], row[1] + "-edited", json.dumps(d))
    ctx, page, log = open_app(browser, server)
    try:
        page.goto(f"{server.base}/item/free_6_1p")
        assert [int(x) for x in page.locator("li.group").evaluate_all("els => els.map(e => e.dataset.size)")] == [10, 1]
        page.locator("#threshold-form input[name=threshold]").fill("1")
        with page.expect_navigation():
            page.locator("#threshold-form button").click()
        assert [int(x) for x in page.locator("li.group").evaluate_all("els => els.map(e => e.dataset.size)")] == [
            9, 1, 1]
        page.goto(f"{server.base}/grade/free_6_1p/{opaque_id('peggy')}")
        assert page.locator("#group").inner_text().strip().startswith("This answer is graded on its own.")
    finally:
        ctx.close()
    assert log["console"] == []


def test_another_address_prints_a_warning(out):
    proc = subprocess.Popen(
        [sys.executable, "-c", "from grader.cli import main; main()", "review", str(out), "--host", "0.0.0.0",
         "--allow-remote", "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "?token=" in proc.stdout.readline() + proc.stdout.readline()
    finally:
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert stderr.startswith("Warning: serving on 0.0.0.0, reachable from other machines")
