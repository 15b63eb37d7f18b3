"""The app through Flask's test client (no browser): images, rendering, headers, catalogues."""
from __future__ import annotations

import base64
import json
import re
import tomllib
from pathlib import Path

import pytest

from grader.store.gradebook import Gradebook
from grader.store.stored import decode
from grader.review.answers import opaque_id
from grader.review.app import create_app
from grader.review.render import render_answer

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def attach(out: Path, student: str, item: str, text: str, attachments: list) -> None:
    """Give a student's free answer a new text and attachments, as a notebook with images would."""
    with Gradebook(out / "gradebook.sqlite") as gb:
        row = gb._conn.execute("SELECT status, grading_key, result_json FROM submissions WHERE student = ?",
                               (student,)).fetchone()
        d = decode(row[2])
        for it in d["items"]:
            if it["item"] == item:
                it["free"] = dict(it["free"], text=text, attachments=attachments)
        gb.put_json(student, row[0], row[1] + "-images", json.dumps(d))


@pytest.fixture
def client(out):
    app = create_app(out, "secret-token")
    c = app.test_client()
    assert c.get("/?token=secret-token").status_code == 302
    return c


def csrf_of(client) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)


def test_images_are_served_from_the_gradebook_by_their_real_type(out, client):
    attach(out, "alice", "free_6_3", "见图 ![草图](attachment:a.png)", [
        {"name": "a.png", "mime": "image/jpeg", "data_b64": base64.b64encode(PNG).decode()},
        {"name": "b.png", "mime": "image/png", "data_b64": base64.b64encode(SVG).decode()},
    ])
    sid = opaque_id("alice")
    page = client.get(f"/grade/free_6_3/{sid}").get_data(as_text=True)
    assert f'<img class="answer" src="/img/free_6_3/{sid}/0" alt="草图">' in page
    good = client.get(f"/img/free_6_3/{sid}/0")
    assert good.status_code == 200 and good.mimetype == "image/png" and good.data == PNG
    assert client.get(f"/img/free_6_3/{sid}/1").status_code == 404  # an SVG claimed to be a PNG
    assert client.get(f"/img/free_6_3/{sid}/2").status_code == 404
    assert client.get(f"/img/lstm_forward/{sid}/0").status_code == 404
    assert client.get(f"/img/free_6_3/{opaque_id('nobody')}/0").status_code == 404


def test_chinese_markdown_and_latex_render_on_the_server():
    html = render_answer("## 结论\n\n梯度 $\\frac{\\partial L}{\\partial h}$ 会**爆炸**：\n\n$$h_t = f(h_{t-1})$$\n\n"
                         "`$not math$` <b onclick=x>b</b>", lambda name: None)
    assert "<h2>结论</h2>" in html and "<strong>爆炸</strong>" in html
    assert html.count("<math") == 2 and '<math display="block"' in html and "<mfrac>" in html
    assert "<code>$not math$</code>" in html
    assert "&lt;b onclick=x&gt;b&lt;/b&gt;" in html and "<b " not in html


def test_every_page_has_the_policy_and_paths_stay_in_out(client):
    for path in ("/", "/item/free_6_3", f"/grade/free_6_3/{opaque_id('alice')}", f"/student/{opaque_id('alice')}"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    for path in ("/report/..", "/report/../gradebook.sqlite", "/grade/../../etc/passwd", "/item/lstm_forward",
                 "/static/../app.py", "/static/%2e%2e/app.py"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_data(as_text=True) == "Not found: no such page, answer or file here."


def test_a_post_without_csrf_is_refused_and_with_it_saves(out, client):
    sid = opaque_id("alice")
    data = {f"v_{opaque_id(s)}": "0" for s in ("alice",)} | {"scope": "one", "line": "1"}
    assert client.post(f"/grade/free_6_3/{sid}", data=data).status_code == 400
    response = client.post(f"/grade/free_6_3/{sid}", data=data | {"csrf": csrf_of(client)})
    assert response.status_code == 302
    with Gradebook(out / "gradebook.sqlite") as gb:
        assert [e["points"] for e in gb.manual_entries() if e["student"] == "alice"] == [1.0]
    # another origin's redirect target is not followed
    response = client.post("/names", data={"csrf": csrf_of(client), "back": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_the_catalogues_have_the_same_keys_and_placeholders():
    root = Path(__file__).resolve().parents[2] / "grader" / "review" / "i18n"
    cats = {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in root.glob("*.toml")}
    assert set(cats) == {"en", "zh"}
    assert set(cats["en"]) == set(cats["zh"])
    for key in cats["en"]:
        assert set(re.findall(r"{(\w+)}", cats["en"][key])) == set(re.findall(r"{(\w+)}", cats["zh"][key])), key


def test_a_save_names_only_answers_of_the_item(out, client):
    token = csrf_of(client)
    sid = opaque_id("alice")
    for extra in ({f"v_{opaque_id('judy')}": "0"}, {"v_unknown": "0"}, {f"v_{opaque_id('carol')}": "x"}):
        data = {f"v_{sid}": "0", "line": "1", "csrf": token} | extra
        assert client.post(f"/grade/free_6_3/{sid}", data=data).status_code == 400, extra
    assert client.post(f"/grade/free_6_3/{sid}", data={"line": "1", "csrf": token}).status_code == 400
    with Gradebook(out / "gradebook.sqlite") as gb:
        assert gb.manual_entries() == []
