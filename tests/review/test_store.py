"""The review's store without a browser: saves, version conflicts, rubric re-scoring, groups."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from assignments.spec import load_spec
from grader.store.gradebook import Gradebook
from grader.review.answers import ClassAnswers
from grader.review.groups import answer_groups, normalise, similarity
from grader.review.store import ReviewStore, parse_rubric

ITEM = "free_6_3"


@pytest.fixture
def store(out):
    s = ReviewStore(out / "gradebook.sqlite")
    s.seed_rubrics(load_spec("nndl-ch6"))
    yield s
    s.close()


def points_in_gradebook(out, student, item=ITEM):
    with Gradebook(out / "gradebook.sqlite") as gb:
        return next(i.score for i in gb.get(student).items if i.item == item)


def test_rubric_lines_come_from_the_spec_in_both_languages(store):
    lines = store.rubric(ITEM)
    assert [line.points for line in lines] == [1.0, 1.0, 1.0, 1.0]
    assert lines[2].text["en"].startswith("gives at least one working remedy")
    assert lines[2].text["zh"].startswith("给出至少一种有效的解决办法")
    assert parse_rubric("- 0.5 points: a\n- 2 分：乙\nnot a line") == [(0.5, "a"), (2.0, "乙")]


def test_seeding_twice_adds_nothing(store):
    store.seed_rubrics(load_spec("nndl-ch6"))
    assert len(store.rubric(ITEM)) == 4


def test_a_save_is_the_manual_tables_data(store, out):
    ids = [line.id for line in store.rubric(ITEM)]
    result = store.save(ITEM, {"alice": 0}, lines=ids[:2], free_points=0.5, comment="clear", note="n",
                        grader="TA-1", max_points=4)
    assert result.ok and result.saved == ["alice"]
    with Gradebook(out / "gradebook.sqlite") as gb:
        entries = [e for e in gb.manual_entries() if e["student"] == "alice"]
    assert entries == [{"student": "alice", "item": ITEM, "points": 2.5, "comment": "clear"}]
    assert points_in_gradebook(out, "alice") == 2.5
    mark = store.mark("alice", ITEM)
    assert (mark.version, mark.lines, mark.free_points, mark.note, mark.from_review) == (1, ids[:2], 0.5, "n", True)


def test_points_are_clamped_to_the_item(store):
    ids = [line.id for line in store.rubric(ITEM)]
    store.save(ITEM, {"alice": 0}, lines=ids, free_points=3, comment="", note="", grader="", max_points=4)
    store.save(ITEM, {"carol": 0}, lines=[], free_points=-2, comment="", note="", grader="", max_points=4)
    assert store.mark("alice", ITEM).points == 4.0
    assert store.mark("carol", ITEM).points == 0.0


def test_the_second_save_on_an_old_version_is_refused_with_the_first(store, out):
    ids = [line.id for line in store.rubric(ITEM)]
    first = store.save(ITEM, {"alice": 0}, lines=[ids[0]], free_points=None, comment="first", note="",
                       grader="TA-a", max_points=4)
    second = store.save(ITEM, {"alice": 0}, lines=[ids[1], ids[2]], free_points=None, comment="second", note="",
                        grader="TA-b", max_points=4)
    assert first.ok and not second.ok
    (theirs,) = second.conflicts
    assert (theirs.points, theirs.comment, theirs.grader, theirs.version) == (1.0, "first", "TA-a", 1)
    assert points_in_gradebook(out, "alice") == 1.0
    refused = store.refused(ITEM)[("alice", ITEM)]
    assert refused[0]["values"]["comment"] == "second" and refused[0]["grader"] == "TA-b"
    # saved again on the version shown: it replaces the first on purpose, and the refusal is resolved
    again = store.save(ITEM, {"alice": 1}, lines=[ids[1], ids[2]], free_points=None, comment="second", note="",
                       grader="TA-b", max_points=4)
    assert again.ok and points_in_gradebook(out, "alice") == 2.0
    assert store.refused(ITEM) == {}


def test_a_group_save_is_all_or_nothing(store):
    ids = [line.id for line in store.rubric(ITEM)]
    store.save(ITEM, {"carol": 0}, lines=[ids[0]], free_points=None, comment="", note="", grader="", max_points=4)
    result = store.save(ITEM, {"alice": 0, "carol": 0, "dave": 0}, lines=ids[:3], free_points=None, comment="",
                        note="", grader="", max_points=4)
    assert [m.student for m in result.conflicts] == ["carol"]
    assert store.mark("alice", ITEM).points is None and store.mark("dave", ITEM).points is None
    result = store.save(ITEM, {"alice": 0, "carol": 1, "dave": 0}, lines=ids[:3], free_points=None, comment="",
                        note="", grader="", max_points=4)
    assert result.ok and [store.mark(s, ITEM).points for s in ("alice", "carol", "dave")] == [3.0, 3.0, 3.0]


def test_editing_a_line_rescores_every_answer_that_has_it(store, out):
    ids = [line.id for line in store.rubric(ITEM)]
    store.save(ITEM, {"alice": 0, "carol": 0}, lines=ids[:2], free_points=None, comment="", note="", grader="",
               max_points=4)
    store.save(ITEM, {"dave": 0}, lines=[ids[1]], free_points=None, comment="", note="", grader="", max_points=4)
    store.save(ITEM, {"erin": 0}, lines=ids[:2], free_points=None, comment="", note="", grader="", max_points=4)
    with Gradebook(out / "gradebook.sqlite") as gb:  # a CSV import sets erin's points since
        gb.set_manual("erin", ITEM, 3.5, "from the CSV")
    touched = store.edit_line(ids[0], 0.25, 4, text="new wording", lang="en")
    assert sorted(touched) == ["alice", "carol"]
    assert [points_in_gradebook(out, s) for s in ("alice", "carol", "dave", "erin")] == [1.25, 1.25, 1.0, 3.5]
    assert store.rubric(ITEM)[0].text == {"zh": store.rubric(ITEM)[0].text["zh"], "en": "new wording"}


def test_an_import_after_a_review_save_makes_the_old_page_stale(store, out):
    ids = [line.id for line in store.rubric(ITEM)]
    store.save(ITEM, {"alice": 0}, lines=[ids[0]], free_points=None, comment="", note="", grader="", max_points=4)
    with Gradebook(out / "gradebook.sqlite") as gb:
        gb.set_manual("alice", ITEM, 4.0, "imported")
    result = store.save(ITEM, {"alice": 1}, lines=[], free_points=0, comment="", note="", grader="", max_points=4)
    assert not result.ok and result.conflicts[0].points == 4.0 and result.conflicts[0].comment == "imported"


def test_override_of_a_code_item_and_clearing_it(store, out):
    before = points_in_gradebook(out, "carol", "lstm_forward")
    assert store.override("carol", "lstm_forward", 0, points=1.0, comment="see me", note="regrade asked",
                          grader="TA").ok
    assert points_in_gradebook(out, "carol", "lstm_forward") == 1.0
    assert not store.override("carol", "lstm_forward", 0, points=2.0, comment="", note="", grader="").ok
    assert store.override("carol", "lstm_forward", 1, points=None, comment="", note="", grader="").ok
    assert points_in_gradebook(out, "carol", "lstm_forward") == before


def test_a_batch_writing_at_the_same_time_loses_nothing(store, out):
    ids = [line.id for line in store.rubric(ITEM)]
    gb = Gradebook(out / "gradebook.sqlite")
    rows = {s: gb._conn.execute("SELECT status, grading_key, result_json, summary_json FROM submissions "
                                "WHERE student = ?", (s,)).fetchone() for s in gb.students()}
    stop = threading.Event()
    writes = []

    def batch():  # re-writes every submission's row, as `rnngrade grade --force` does
        while not stop.is_set():
            for s, (status, key, payload, summary) in rows.items():
                gb.put_json(s, status, key, payload, summary)
                writes.append(s)

    worker = threading.Thread(target=batch)
    worker.start()
    try:
        students = sorted(rows)
        for k, s in enumerate(students):
            assert store.save(ITEM, {s: 0}, lines=ids[: 1 + k % 4], free_points=None, comment=f"c{k}", note="",
                              grader="", max_points=4).ok
    finally:
        stop.set()
        worker.join()
    assert len(writes) >= len(rows)
    for k, s in enumerate(students):
        assert gb.get(s) is not None
        assert next(i for i in gb.get(s).items if i.item == ITEM).manual == {"points": 1.0 + k % 4, "comment": f"c{k}"}
    gb.close()


def test_an_old_gradebook_is_migrated_in_place(tmp_path):
    db = tmp_path / "gradebook.sqlite"
    conn = sqlite3.connect(db)
    conn.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                       "INSERT INTO meta VALUES ('schema_version', '1');"
                       "CREATE TABLE manual (student TEXT NOT NULL, item TEXT NOT NULL, points REAL, "
                       "comment TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL, PRIMARY KEY (student, item));"
                       "INSERT INTO manual VALUES ('bob', 'free_6_3', 2, 'ok', '2026-01-01');")
    conn.commit()
    conn.close()
    with Gradebook(db) as gb:
        gb.set_manual("carol", "free_6_3", 1.0)
    store = ReviewStore(db)
    assert store.mark("bob", "free_6_3").version == 0
    assert store.mark("carol", "free_6_3").version == 1
    assert store.save("free_6_3", {"bob": 0}, lines=[], free_points=3, comment="", note="", grader="",
                      max_points=4).ok
    tables = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"rubric_lines", "rubric_applied", "review_marks", "review_refused", "review_split"} <= tables
    store.close()


def test_normalisation_ignores_spaces_punctuation_and_case():
    assert normalise("The GRU, has  two gates!\n") == normalise("the gru has two gates")
    assert normalise("门控：两个。") == normalise("门控 两个")
    assert normalise("a", [{"data_b64": "AAAA"}]) != normalise("a", [{"data_b64": "BBBB"}])


def test_groups_identical_near_identical_and_split():
    base = "a gru has two gates and no separate memory cell so it is cheaper than an lstm"
    answers = {"a": normalise(base), "b": normalise(base.upper() + "!!"),
               "c": normalise(base.replace("cheaper", "cheapr")), "d": normalise("completely different text here")}
    # Jaccard of the character 4-grams, counted by hand: one letter less changes 4 of 61 shingles
    a, c = answers["a"], answers["c"]
    grams = [{t[k:k + 4] for k in range(len(t) - 3)} for t in (a, c)]
    jaccard = len(grams[0] & grams[1]) / len(grams[0] | grams[1])
    assert similarity(a, c) == pytest.approx(jaccard) and 0.85 < jaccard < 0.9
    groups = answer_groups(answers, 0.85)
    assert [(g.students, g.identical) for g in groups] == [(["a", "b", "c"], False), (["d"], True)]
    assert [(g.students, g.identical) for g in answer_groups(answers, 0.9)] == [
        (["a", "b"], True), (["c"], True), (["d"], True)]
    assert [g.students for g in answer_groups(answers, 0.85, {"b"})] == [["a", "c"], ["b"], ["d"]]


def test_chinese_answers_group_without_spaces():
    text = "门控机制把恒等项换成零到一之间可学习的系数，从而缓解梯度爆炸和梯度消失的问题。"
    answers = {"x": normalise(text), "y": normalise(text.replace("，", " ")),
               "z": normalise(text.replace("可学习的", "可以学习的")), "w": normalise("梯度裁剪")}
    assert [g.students for g in answer_groups(answers, 0.8)] == [["x", "y", "z"], ["w"]]


def test_the_demo_answers_group(store):
    answers = ClassAnswers(["free_6_1p"])
    answers.refresh(store)
    groups = answers.groups("free_6_1p", store.threshold("free_6_1p"), set())
    # ten copies of the model answer, peggy's own, ivan's blank notebook
    assert [g.size for g in groups] == [9, 1, 1]
    assert {s for g in groups[1:] for s in g.students} == {"ivan", "peggy"}


KILLED_MID_SAVE = """
import sys, time
from grader.review.store import ReviewStore
store = ReviewStore(sys.argv[1])
lines = [line.id for line in store.rubric("free_6_3")]
store.save("free_6_3", {"alice": 0}, lines=lines[:3], free_points=None, comment="kept", note="", grader="",
           max_points=4)
# a second save stopped half-way: its rows are written, its transaction never commits
store._conn.execute("BEGIN IMMEDIATE")
store._conn.execute("UPDATE manual SET points = 0, comment = 'half' WHERE student = 'alice'")
store._conn.execute("INSERT INTO manual(student, item, points, comment, updated_at) VALUES('carol', 'free_6_3', 4, 'half', 'now')")
print("in the transaction", flush=True)
time.sleep(60)
"""


def test_a_process_killed_mid_save_loses_only_that_save(store, out):
    import signal
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", KILLED_MID_SAVE, str(out / "gradebook.sqlite")], cwd=root,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "in the transaction"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    with Gradebook(out / "gradebook.sqlite") as gb:
        assert gb._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert gb.manual_entries() == [{"student": "alice", "item": ITEM, "points": 3.0, "comment": "kept"}]
    assert store.mark("alice", ITEM).lines == [line.id for line in store.rubric(ITEM)][:3]
