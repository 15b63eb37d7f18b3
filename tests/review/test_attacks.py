"""Attacks on the review app: what a hostile answer, a hostile page on another site, or a forged
form field tries, and what the app does instead."""
from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grader.review.app import create_app
from grader.review.render import render_answer

ROOT = Path(__file__).resolve().parents[2]


class _Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer reads them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(str(html))
    return parser.tags


@pytest.mark.parametrize("answer,tag,attr", [
    ("[a]($x$)", "a", "href"),
    ("[a](http://example.org \"t $\\text{x}$\")", "a", "title"),
    ("![$x$](attachment:a.png)", "img", "alt"),
    ("![see $$y$$ here](nothing.png)", None, None),
])
def test_a_formula_inside_a_link_or_image_attribute_stays_inside_it(answer, tag, attr):
    """A formula's placeholder that markdown put into an attribute must not become MathML there: its
    quotes would end the attribute and its ``>`` the tag (the answer would rewrite the page's markup)."""
    html = render_answer(answer, lambda name: "/img/x/y/0" if name == "a.png" else None)
    tags = _tags(html)
    names = [t for t, _ in tags]
    assert "math" not in names or tag is None, html
    assert "inline" not in str(html).split("<math")[0], html  # no `display="inline"` leaked into a tag
    if tag is not None:
        el = next(a for t, a in tags if t == tag)
        assert "$" in el[attr] and "<" not in el[attr], html
        assert set(el) <= {"href", "title", "src", "alt", "class"}, html


def test_formulas_in_text_still_render_next_to_a_link():
    html = render_answer("see [the paper](http://example.org) for $h_t$ and\n\n$$c_t$$", lambda n: None)
    assert '<a href="http://example.org">the paper</a>' in html
    assert html.count("<math") == 2


def _render_in_child(text_expr: str, cpu_seconds: int = 5) -> subprocess.CompletedProcess:
    """Render an answer in a child process that the kernel stops after ``cpu_seconds`` of CPU."""
    code = ("import resource, sys\n"
            f"resource.setrlimit(resource.RLIMIT_CPU, ({cpu_seconds}, {cpu_seconds}))\n"
            "from grader.review.render import render_answer\n"
            f"html = render_answer({text_expr}, lambda n: None)\n"
            "sys.stdout.write(str(len(html)))\n")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("text_expr", ["'\\\\(' * 45000", "'\\\\[' * 45000", "'\\\\(\\\\[' * 22500"])
def test_unclosed_formula_delimiters_do_not_stall_the_page(text_expr):
    """Each unclosed ``\\(`` used to be searched to the end of the answer: 45,000 of them (90 kB, under
    the length rendered at all) took about half a minute of the server's CPU per page view, growing with
    the square of the length. Now the render (with Python's start) needs about a second of the 5 allowed."""
    done = _render_in_child(text_expr)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) > 0


def test_an_answer_too_long_to_render_is_shown_as_plain_text():
    text = "**bold** $x$ <script>alert(1)</script>\n" + "a" * 200_000
    html = render_answer(text, lambda n: None)
    assert str(html).startswith('<pre class="raw">') and "<strong>" not in html and "<math" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert html.count("a" * 1000) >= 190


# -- another origin reaching 127.0.0.1 (DNS rebinding) ------------------------------------------

@pytest.fixture
def client(out):
    app = create_app(out, "secret-token")
    c = app.test_client()
    assert c.get("/?token=secret-token").status_code == 302
    return c


def test_a_page_on_another_host_name_is_refused_even_with_the_session(client):
    """A page of evil.example whose name was re-pointed at 127.0.0.1 sends ``Host: evil.example``;
    the app answers only to the loopback names it was opened by."""
    for host in ("evil.example:8000", "evil.example", "127.0.0.1.evil.example:8000", "10.0.0.5:8000"):
        response = client.get("/", headers={"Host": host})
        assert response.status_code == 400, host
        assert "Content-Security-Policy" in response.headers
    assert client.get("/", headers={"Host": "localhost:8123"}).status_code == 200
    for host in ("127.0.0.1:8000", "localhost:8123", "[::1]:8000", "127.0.0.1"):  # the test client's cookie
        # is for "localhost": the other names show they are let in by the token link working
        assert client.get("/?token=secret-token", headers={"Host": host}).status_code == 302, host


def test_the_token_link_is_refused_on_another_host_name(out):
    app = create_app(out, "secret-token")
    c = app.test_client()
    assert c.get("/?token=secret-token", headers={"Host": "evil.example:8000"}).status_code == 400


def test_a_remote_address_answers_to_its_own_name(out):
    app = create_app(out, "secret-token", host="192.0.2.7")
    c = app.test_client()
    assert c.get("/?token=secret-token", headers={"Host": "192.0.2.7:8000"}).status_code == 302
    assert c.get("/", headers={"Host": "192.0.2.7:8000"}).status_code == 200
    assert c.get("/", headers={"Host": "evil.example:8000"}).status_code == 400


# -- where a form may send the TA back ----------------------------------------------------------

def _csrf(client) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)


@pytest.mark.parametrize("back", ["/\t/evil.example/", "/\n/evil.example/", "/\r/evil.example",
                                  "//evil.example", "/\\evil.example", "http://evil.example/",
                                  "/%09/evil.example", " //evil.example"])
def test_back_never_leads_to_another_site(client, back):
    response = client.post("/names", data={"csrf": _csrf(client), "back": back})
    assert response.status_code == 302
    location = response.headers["Location"]
    seen = re.sub(r"[\t\n\r]", "", location)  # what a browser drops from an address before reading it
    assert seen.startswith("/") and not seen.startswith(("//", "/\\")), location


def test_back_keeps_a_path_of_the_app(client):
    response = client.post("/names", data={"csrf": _csrf(client), "back": "/item/free_6_3?x=1"})
    assert response.headers["Location"] == "/item/free_6_3?x=1"


_OLD_MATH = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)|(?<![\\$])\$([^$\n]+?)\$(?!\d)", re.DOTALL)


def test_the_linear_formula_scan_finds_what_the_regular_expression_found():
    """The scan replaced a regular expression that was quadratic on unclosed delimiters; on short texts
    (where that did not matter) both find the same formulas."""
    from hypothesis import given, settings, strategies as st

    from grader.review.render import find_formulas

    pieces = st.sampled_from(["$", "$$", "\\(", "\\)", "\\[", "\\]", "\\", "x", "1", " ", "\n", "é"])

    @settings(max_examples=3000, deadline=None)
    @given(st.lists(pieces, max_size=16).map("".join))
    def same(text):
        old = [(m.start(), m.end(), next(g for g in m.groups() if g is not None), m.group(1) is not None or
                m.group(2) is not None) for m in _OLD_MATH.finditer(text)]
        assert list(find_formulas(text)) == old, text

    same()


def test_the_token_link_never_redirects_to_another_site(out):
    app = create_app(out, "secret-token")
    response = app.test_client().get("/", query_string={"token": "secret-token"},
                                     environ_overrides={"PATH_INFO": "//evil.example/"})
    assert response.status_code == 302 and response.headers["Location"] == "/evil.example/"


# -- two TAs at the same instant ------------------------------------------------------------------

def test_two_threads_saving_one_answer_at_once_exactly_one_wins_each_time(out):
    """The version check and the write are one BEGIN IMMEDIATE transaction: two threads (two TAs'
    requests on the server's pool) saving on the same version never both succeed."""
    import threading

    from assignments.spec import load_spec
    from grader.review.store import ReviewStore

    setup = ReviewStore(out / "gradebook.sqlite")
    setup.seed_rubrics(load_spec("nndl-ch6"))
    line = setup.rubric("free_6_3")[0].id
    setup.close()
    for version in range(12):
        barrier = threading.Barrier(2)
        results = {}

        def save(name, barrier=barrier, results=results, version=version):
            store = ReviewStore(out / "gradebook.sqlite", create=False)
            try:
                barrier.wait()
                results[name] = store.save("free_6_3", {"alice": version}, lines=[line], free_points=None,
                                           comment=name, note="", grader=name, max_points=4)
            finally:
                store.close()

        threads = [threading.Thread(target=save, args=(n,)) for n in ("TA-a", "TA-b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(r.ok for r in results.values()) == [False, True], version
        winner = next(n for n, r in results.items() if r.ok)
        loser = next(r for r in results.values() if not r.ok)
        assert loser.conflicts[0].comment == winner and loser.conflicts[0].version == version + 1


def test_two_review_servers_on_one_machine_keep_their_sessions_apart(out, tmp_path):
    """Cookies are per host, not per port: two `rnngrade review` (two assignments) open in one browser
    used one cookie name, so signing in to the second signed the TA out of the first."""
    import shutil

    other = tmp_path / "other"
    shutil.copytree(out, other)
    a, b = create_app(out, "token-a").test_client(), create_app(other, "token-b").test_client()
    assert a.get("/?token=token-a").status_code == 302
    assert b.get("/?token=token-b").status_code == 302
    for cookie in list(b._cookies.values()):  # the browser's one jar for 127.0.0.1: B's cookies reach A
        a.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    assert a.get("/").status_code == 200
    assert b.get("/").status_code == 200


# -- a large class --------------------------------------------------------------------------------

def _greedy_reference(answers: dict, threshold: float, split=frozenset()):
    """The grouping rule as first written (each bucket compared with every group's head), kept here as
    the oracle of the indexed version."""
    from grader.review.groups import Group, _close, shingles

    buckets, alone = {}, []
    for student in sorted(answers):
        if student in split:
            alone.append(Group([student], True))
        else:
            buckets.setdefault(answers[student], []).append(student)
    merged = []
    for text, students in sorted(buckets.items(), key=lambda kv: (-len(kv[1]), kv[1][0])):
        mine = shingles(text)
        for head, members in merged:
            if threshold < 1.0 and _close(head, mine, threshold):
                members.append(students)
                break
        else:
            merged.append((mine, [students]))
    groups = [Group(sorted(s for b in members for s in b), len(members) == 1) for _, members in merged]
    return sorted(groups + alone, key=lambda g: (-g.size, g.students[0]))


def test_grouping_finds_the_same_groups_as_comparing_every_pair():
    from hypothesis import given, settings, strategies as st

    from grader.review.groups import answer_groups

    texts = st.lists(st.sampled_from("abcab"), min_size=0, max_size=14).map("".join)

    @settings(max_examples=600, deadline=None)
    @given(st.dictionaries(st.sampled_from([f"s{k}" for k in range(12)]), texts, max_size=12),
           st.sampled_from([0.05, 0.3, 0.5, 0.62, 0.8, 0.95, 1.0]),
           st.sets(st.sampled_from([f"s{k}" for k in range(12)]), max_size=3))
    def same(answers, threshold, split):
        got = answer_groups(answers, threshold, split)
        want = _greedy_reference(answers, threshold, split)
        assert [(g.students, g.identical) for g in got] == [(g.students, g.identical) for g in want]

    same()


def test_grouping_a_class_of_2000_different_answers_takes_seconds_not_minutes():
    """Every bucket was compared with every group's head: 2,000 different answers took about a minute
    per item page whenever an answer changed or a TA split a group. Candidates now come from an index
    of rare shingles; the child process is capped at 15 s of CPU (the grouping needs about 3)."""
    code = ("import random, resource, string\n"
            "resource.setrlimit(resource.RLIMIT_CPU, (15, 15))\n"
            "from grader.review.groups import answer_groups, normalise\n"
            "rng = random.Random(1)\n"
            "words = [''.join(rng.choice(string.ascii_lowercase) for _ in range(6)) for _ in range(400)]\n"
            "answers = {f's{i}': normalise(' '.join(rng.choice(words) for _ in range(60))) for i in range(2000)}\n"
            "answers.update({f'c{i}': answers['s1'] for i in range(5)})\n"
            "groups = answer_groups(answers, 0.8)\n"
            "print(len(groups), groups[0].size)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["2000", "6"]


def test_a_version_field_of_superscript_digits_is_refused_not_a_server_error(client):
    """'²'.isdigit() is True and int('²') raises: a save or an override with such a version field was a
    500 with a traceback in the server's log instead of the 400 of any other malformed form."""
    from grader.review.answers import opaque_id

    sid = opaque_id("alice")
    csrf = _csrf(client)
    response = client.post(f"/grade/free_6_3/{sid}", data={"csrf": csrf, f"v_{sid}": "²", "scope": "one"})
    assert response.status_code == 400
    response = client.post(f"/override/{sid}/free_6_3", data={"csrf": csrf, "version": "²", "points": "1"})
    assert response.status_code == 400
