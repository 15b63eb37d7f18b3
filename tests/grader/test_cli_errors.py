"""Every command's error paths, in one table: the arguments, the exact message, the exit code.

A user error (``grader.core.errors.UserError`` raised anywhere below a command) is click's ``Error: ...``
with exit code 1 and no traceback; a usage error (a value outside an option's choices or range, a
path that does not exist) is click's usage message with exit code 2. ``<W>`` in a row is the
workspace of wrong inputs built below, ``<OUT>`` a folder graded once for the whole table, ``<BUSY>`` a
port something else listens on.
"""
from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from grader.pipeline.batch import GradeOptions, grade_batch
from grader.cli import RnngradeGroup, main
from grader.core.errors import UserError

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "assignments" / "nndl_ch6" / "solution.py"
NO_SPEC = ("no assignment 'nosuch': not a built-in assignment (nndl-ch6, rnn-step-by-step) and no spec.toml at "
           "that path")
SPEC_ERRORS = ("<W>/badspec/spec.toml: 1 error(s) in the assignment spec:\n"
               "  items[5] (gru_cell_backward).points: must be a positive number, got -8")
NOT_A_GRADEBOOK = ("<W>/corrupt/gradebook.sqlite cannot be read as a gradebook (file is not a database); grade into "
                   "a new --out folder, or put back the gradebook.sqlite that `rnngrade grade` wrote.")
OTHER_SCHEMA = ("<W>/schema0/gradebook.sqlite was written by another version of rnngrade (schema 0, this one "
                "reads 1 and 2); grade into a new --out folder.")
NO_GRADEBOOK = "<W>/empty/gradebook.sqlite not found: run `rnngrade grade SUBMISSIONS --out <W>/empty` first."
UNDER_A_FILE = "cannot write <W>/file.txt/{}: <W>/file.txt is a file, not a folder; choose another path."
BAD_RELEASE_JSON = ("<W>/badrel/release.json is not the JSON `rnngrade assign` writes (Expecting property name "
                    "enclosed in double quotes: line 1 column 2 (char 1)); make the release again or restore the file")
ITEMS = ("lstm_cell_forward, lstm_cell_backward, lstm_forward, lstm_backward, gru_cell_forward, gru_cell_backward, "
         "gru_forward, gru_backward, residual_rnn_forward, residual_rnn_backward, residual_rnn_step_jacobian, "
         "clip_by_global_norm, answer_residual_dh, answer_lstm_dc_prev, answer_lstm_dforget, answer_gru_dh_prev, "
         "free_6_3, free_6_4, free_6_5, free_6_1p")
QUIET = ["--no-progress"]

# (command, arguments, exit code, the output's message: all of it for code 1, its last lines for code 2)
CASES = [
    # autograder (its own checks of a release that can serve a host: tests/hosted/test_hosted_units.py)
    ("autograder", ["gradescope", "--release", "<W>/empty", "--out", "<W>/a.zip"], 1,
     "Error: <W>/empty is not an instructor release: no release.json"),
    ("autograder", ["gradescope", "--release", "<W>/badrel", "--out", "<W>/a.zip"], 1, f"Error: {BAD_RELEASE_JSON}"),
    ("autograder", ["prairielearn", "--release", "<W>/empty", "--out", "<W>/pl"], 1,
     "Error: <W>/empty is not an instructor release: no release.json"),
    ("autograder", ["gradescope", "--release", "<W>/nosuch", "--out", "<W>/a.zip"], 2,
     "Error: Invalid value for '--release': Directory '<W>/nosuch' does not exist."),
    # grade
    ("grade", ["<W>/notzip.zip", "--out", "<W>/g", *QUIET], 1,
     "Error: notzip.zip is not a readable zip file (File is not a zip file); download it again from the LMS."),
    ("grade", ["<W>/subs", "--out", "<W>/g", "-a", "nosuch", *QUIET], 1, f"Error: {NO_SPEC}"),
    ("grade", ["<W>/subs", "--out", "<W>/g", "-a", "<W>/badspec", *QUIET], 1, f"Error: {SPEC_ERRORS}"),
    ("grade", ["<W>/subs", "--out", "<W>/g", "--release", "<W>/empty", *QUIET], 1,
     "Error: <W>/empty is not an instructor release: no release.json"),
    ("grade", ["<W>/subs", "--out", "<W>/g", "--release", "<W>/badrel", *QUIET], 1, f"Error: {BAD_RELEASE_JSON}"),
    ("grade", ["<W>/subs", "--out", "<W>/file.txt/g", *QUIET], 1, "Error: " + UNDER_A_FILE.format("g")),
    ("grade", ["<W>/subs", "--out", "<W>/corrupt", *QUIET], 1, f"Error: {NOT_A_GRADEBOOK}"),
    ("grade", ["<W>/subs", "--out", "<W>/schema0", *QUIET], 1, f"Error: {OTHER_SCHEMA}"),
    ("grade", ["<W>/subs", "--out", "<W>/g", "--roster", "<W>/logins.csv", *QUIET], 1,
     "Error: logins.csv: no 'student' column (columns found: login); a roster needs 'student' and any of name, "
     "sortable_name, login, email, lms_id."),
    ("grade", ["<W>/subs", "--out", "<W>/g", "--late-policy", "bogus", "--deadline", "2026-12-01T23:59:00+08:00",
               *QUIET], 1,
     "Error: --late-policy 'bogus': expected 'zero', 'none' or a rate such as '10%/day' or '10%/day, max 3 days'; "
     "could not read 'bogus'."),
    ("grade", ["<W>/subs", "--out", "<W>/g", "--deadline", "tomorrow", "--late-policy", "zero", *QUIET], 1,
     "Error: --deadline 'tomorrow' is not an ISO 8601 time; write it like 2026-12-01T23:59:00+08:00."),
    ("grade", ["<W>/nowhere", "--out", "<W>/g"], 2,
     "Error: Invalid value for 'SUBMISSIONS': Path '<W>/nowhere' does not exist."),
    ("grade", ["<W>/subs", "--out", "<W>/g", "--roster", "<W>/nowhere.csv"], 2,
     "Error: Invalid value for '--roster': File '<W>/nowhere.csv' does not exist."),
    ("grade", ["<W>/subs", "--out", "<W>/g", "--workers", "-3"], 2,
     "Error: Invalid value for '--workers' / '-j': -3 is not in the range x>=0."),
    ("grade", ["<W>/subs", "--out", "<W>/g", "--timeout", "0"], 2,
     "Error: Invalid value for '--timeout': 0.0 is not in the range x>0."),
    # check
    ("check", [SOLUTION, "-a", "nosuch"], 1, f"Error: {NO_SPEC}"),
    ("check", [SOLUTION, "-a", "<W>/badspec"], 1, f"Error: {SPEC_ERRORS}"),
    ("check", [SOLUTION, "--release", "<W>/empty"], 1,
     "Error: <W>/empty is not an instructor release: no release.json"),
    ("check", [SOLUTION, "--release", "<W>/badrel"], 1, f"Error: {BAD_RELEASE_JSON}"),
    ("check", ["<W>/nowhere.py"], 2, "Error: Invalid value for 'SUBMISSION': File '<W>/nowhere.py' does not exist."),
    ("check", [SOLUTION, "--lang", "fr"], 2, "Error: Invalid value for '--lang': 'fr' is not one of 'zh', 'en'."),
    # assign
    ("assign", ["nosuch", "--out", "<W>/r"], 1, f"Error: {NO_SPEC}"),
    ("assign", ["<W>/badspec", "--out", "<W>/r"], 1, f"Error: {SPEC_ERRORS}"),
    ("assign", ["nndl-ch6", "--out", "<W>/file.txt/r"], 1, "Error: " + UNDER_A_FILE.format("r")),
    ("assign", ["nndl-ch6", "--out", "<W>/r", "--roster", "<W>/latin1.csv"], 1,
     "Error: latin1.csv is not UTF-8 text; save it as 'CSV UTF-8' and run again."),
    ("assign", ["nndl-ch6", "--out", "<W>/r", "--secret-file", "<W>/file.txt"], 1,
     "Error: secret file <W>/file.txt holds 5 bytes; at least 16 are needed (create one with: python -c \"import "
     "secrets,sys; sys.stdout.buffer.write(secrets.token_bytes(32))\" > file.txt)"),
    ("assign", ["nndl-ch6", "--out", "<W>/r", "--secret-file", "<W>/file.txt/key"], 1,
     "Error: " + UNDER_A_FILE.format("key")),
    ("assign", ["nndl-ch6", "--out", "<W>/badrel"], 1,
     "Error: <W>/badrel is not empty; choose a new --out folder (an existing release keeps its secret: to rebuild "
     "it with the same hidden cases, pass --secret-file <W>/badrel/instructor/secret.key and a new --out)"),
    ("assign", ["nndl-ch6", "--out", "<W>/r", "--roster", "<W>/nowhere.csv"], 2,
     "Error: Invalid value for '--roster': File '<W>/nowhere.csv' does not exist."),
    # validate-spec: the errors it finds are its output, then click's error line
    ("validate-spec", ["<W>/badspec"], 1,
     "items[5] (gru_cell_backward).points: must be a positive number, got -8\nError: 1 error(s) in <W>/badspec"),
    ("validate-spec", ["<W>/nowhere"], 2, "Error: Invalid value for 'PATH': Path '<W>/nowhere' does not exist."),
    # report
    ("report", ["<W>/empty"], 1, f"Error: {NO_GRADEBOOK}"),
    ("report", ["<W>/corrupt"], 1, f"Error: {NOT_A_GRADEBOOK}"),
    ("report", ["<W>/schema0"], 1, f"Error: {OTHER_SCHEMA}"),
    ("report", ["<W>/nosuch-assignment"], 1, f"Error: {NO_SPEC}"),
    ("report", ["<W>/file.txt"], 2, "Error: Invalid value for 'OUT': Directory '<W>/file.txt' is a file."),
    # manual
    ("manual", ["<W>/empty", "--export", "<W>/m.csv"], 1, f"Error: {NO_GRADEBOOK}"),
    ("manual", ["<W>/corrupt", "--export", "<W>/m.csv"], 1, f"Error: {NOT_A_GRADEBOOK}"),
    ("manual", ["<W>/nosuch-assignment", "--export", "<W>/m.csv"], 1, f"Error: {NO_SPEC}"),
    ("manual", ["<OUT>", "--export", "<W>/file.txt/m.csv"], 1, "Error: " + UNDER_A_FILE.format("m.csv")),
    ("manual", ["<OUT>", "--import", "<W>/unknown-item.csv"], 1,
     f"Error: row 2: unknown item 'nosuch'; the items are {ITEMS}.\n"
     "Nothing was imported: fix the rows above in <W>/unknown-item.csv and run the import again."),
    ("manual", ["<OUT>", "--import", "<W>/bad-points.csv"], 1,
     "Error: row 2: points 'abc' is not a number; write a number such as 7.5, or leave the cell empty.\n"
     "Nothing was imported: fix the rows above in <W>/bad-points.csv and run the import again."),
    ("manual", ["<OUT>", "--import", "<W>/logins.csv"], 1,
     "Error: <W>/logins.csv: the header row has no column 'student', 'item', 'points', 'comment'; start from a file "
     "written by `rnngrade manual OUT --export FILE` and keep its header row."),
    ("manual", ["<OUT>", "--import", "<W>/latin1.csv"], 1,
     "Error: <W>/latin1.csv is not UTF-8 text: save it as 'CSV UTF-8' and import again."),
    ("manual", ["<W>/empty", "--import", "<W>/bad-points.csv"], 1, f"Error: {NO_GRADEBOOK}"),
    ("manual", ["<OUT>"], 2, "Error: give exactly one of --export FILE or --import FILE"),
    ("manual", ["<OUT>", "--import", "<W>/nowhere.csv"], 2,
     "Error: Invalid value for '--import': File '<W>/nowhere.csv' does not exist."),
    # export
    ("export", ["<W>/empty", "--to", "csv", "--out", "<W>/e.csv"], 1,
     "Error: <W>/empty/gradebook.sqlite not found: run `rnngrade grade DOWNLOAD --out <W>/empty` first."),
    ("export", ["<W>/corrupt", "--to", "csv", "--out", "<W>/e.csv"], 1, f"Error: {NOT_A_GRADEBOOK}"),
    ("export", ["<OUT>", "--to", "csv", "--out", "<W>/file.txt/e.csv"], 1, "Error: " + UNDER_A_FILE.format("e.csv")),
    ("export", ["<OUT>", "--to", "csv", "--out", "<W>/e.csv", "--roster", "<W>/logins.csv"], 1,
     "Error: logins.csv: no 'student' column (columns found: login); a roster needs 'student' and any of name, "
     "sortable_name, login, email, lms_id."),
    ("export", ["<OUT>", "--to", "csv", "--out", "<W>/e.csv", "--points", "-1"], 1,
     "Error: --points -1: give the LMS assignment's maximum, a number above 0."),
    ("export", ["<OUT>", "--to", "sakai", "--out", "<W>/e.csv"], 2,
     "Error: Invalid value for '--to': 'sakai' is not one of 'canvas', 'moodle', 'blackboard', 'csv'."),
    # derivation
    ("derivation", ["nosuch", "--out", "<W>/d.html"], 2,
     "Error: Invalid value for '[ASSIGNMENT]': 'nosuch' has no reference derivation; available: nndl-ch6."),
    ("derivation", ["rnn-step-by-step", "--out", "<W>/d.html"], 2,
     "Error: Invalid value for '[ASSIGNMENT]': 'rnn-step-by-step' has no reference derivation; available: nndl-ch6."),
    ("derivation", ["nndl-ch6", "--out", "<W>/file.txt/d.html"], 1, "Error: " + UNDER_A_FILE.format("d.html")),
    ("derivation", ["nndl-ch6", "--out", "<W>/empty"], 2,
     "Error: Invalid value for '--out' / '-o': File '<W>/empty' is a directory."),
    # demo
    ("demo", ["--out", "<W>/file.txt/demo"], 1, "Error: " + UNDER_A_FILE.format("demo")),
    ("demo", ["--out", "<W>/file.txt"], 2,
     "Error: Invalid value for '--out' / '-o': Directory '<W>/file.txt' is a file."),
    # review (refused before anything is served)
    ("review", ["<W>/empty"], 1, f"Error: {NO_GRADEBOOK}"),
    ("review", ["<W>/corrupt"], 1, f"Error: {NOT_A_GRADEBOOK}"),
    ("review", ["<W>/schema0"], 1, f"Error: {OTHER_SCHEMA}"),
    ("review", ["<OUT>", "--host", "0.0.0.0"], 1,
     "Error: --host 0.0.0.0 is not this machine only: anyone who reaches it and has the token can grade. Add "
     "--allow-remote if that is what you want."),
    ("review", ["<OUT>", "--port", "<BUSY>"], 1,
     "Error: cannot serve on 127.0.0.1 port <BUSY>: Address already in use; choose another --port (0 takes any free "
     "one) or --host."),
    ("review", ["<OUT>", "--host", "nosuch.invalid", "--allow-remote"], 1,
     "Error: cannot serve on nosuch.invalid: Invalid host/port specified. Give an address or a name of this machine "
     "as --host."),
    ("review", ["<OUT>", "--port", "99999"], 2,
     "Error: Invalid value for '--port': 99999 is not in the range 0<=x<=65535."),
]


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    """The wrong inputs (in W) and one graded folder (OUT) that the table's rows point at."""
    w = tmp_path_factory.mktemp("wrong")
    subs = w / "subs"
    subs.mkdir()
    (subs / "bob.py").write_text("free_6_3 = 'clipping'\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("graded") / "out"
    grade_batch(subs, "nndl-ch6", out, options=GradeOptions(workers=1, progress=False, lang="en"))

    (w / "empty").mkdir()
    (w / "file.txt").write_text("hello", encoding="utf-8")
    (w / "notzip.zip").write_text("x", encoding="utf-8")
    (w / "logins.csv").write_text("login\nx\n", encoding="utf-8")
    (w / "latin1.csv").write_bytes("student\nJosé\n".encode("latin-1"))
    (w / "unknown-item.csv").write_text("student,item,points,comment\nbob,nosuch,1,\n", encoding="utf-8")
    (w / "bad-points.csv").write_text("student,item,points,comment\nbob,free_6_3,abc,\n", encoding="utf-8")
    (w / "badrel").mkdir()
    (w / "badrel" / "release.json").write_text("{not json", encoding="utf-8")
    (w / "corrupt").mkdir()
    (w / "corrupt" / "gradebook.sqlite").write_text("garbage, not SQLite", encoding="utf-8")
    shutil.copytree(ROOT / "assignments" / "nndl_ch6", w / "badspec", ignore=shutil.ignore_patterns("__pycache__"))
    spec = w / "badspec" / "spec.toml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("points = 8", "points = -8", 1), encoding="utf-8")
    for name, key, value in [("schema0", "schema_version", "0"), ("nosuch-assignment", "assignment", '"nosuch"')]:
        shutil.copytree(out, w / name)
        with sqlite3.connect(w / name / "gradebook.sqlite") as db:
            db.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
        db.close()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        yield w, out, busy.getsockname()[1]


@pytest.mark.needs_layer()
@pytest.mark.parametrize("command, args, code, message", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_error_message_and_exit_code(places, command, args, code, message):
    w, out, busy = places
    fill = lambda s: str(s).replace("<W>", str(w)).replace("<OUT>", str(out)).replace("<BUSY>", str(busy))  # noqa: E731
    threads = threading.active_count()
    res = CliRunner().invoke(main, [command, *map(fill, args)])
    assert threading.active_count() == threads  # a refusal leaves nothing running (later batches fork)
    assert "Traceback" not in res.output
    assert isinstance(res.exception, SystemExit), res.exception  # an exception that escaped would be a bug
    assert res.exit_code == code, res.output
    if code == 1:
        assert res.output == fill(message) + "\n"
    else:  # click's usage block, then its error line
        assert res.output.startswith(f"Usage: main {command} ")
        assert res.output.endswith("\n\n" + fill(message) + "\n")


def test_every_command_has_a_row():
    assert {c[0] for c in CASES} == set(main.commands)


def test_a_command_needs_no_wrapper_for_user_errors():
    """A command added to the group gets the translation for free: a UserError subclass is click's error."""

    class Refused(UserError):
        pass

    group = RnngradeGroup()

    @group.command()
    def verb():
        raise Refused("the input must be fixed")

    res = CliRunner().invoke(group, ["verb"])
    assert (res.exit_code, res.output) == (1, "Error: the input must be fixed\n")


def test_a_bug_keeps_its_traceback(monkeypatch, tmp_path):
    """Only user errors are translated: anything else is rnngrade's fault and must show where it happened."""
    import grader.outputs.rerender

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(grader.outputs.rerender, "rerender", broken)
    with pytest.raises(KeyError, match="a bug"):
        CliRunner().invoke(main, ["report", str(tmp_path)], catch_exceptions=False)


def test_click_errors_raised_by_a_command_keep_their_exit_code():
    group = RnngradeGroup()

    @group.command()
    def verb():
        raise click.UsageError("wrong use")

    assert CliRunner().invoke(group, ["verb"]).exit_code == 2


def test_an_output_path_without_permission_says_so(tmp_path):
    """Tests may run as root, whom no folder refuses: the message is checked as built from the OSError."""
    from grader.core.errors import output_error

    err = output_error(tmp_path / "locked" / "grades.csv", PermissionError(13, "Permission denied"))
    assert str(err) == f"cannot write {tmp_path / 'locked' / 'grades.csv'}: Permission denied; choose another path."
    assert isinstance(err, UserError)
