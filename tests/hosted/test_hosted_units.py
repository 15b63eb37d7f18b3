"""The pieces of the hosted graders without a sandbox run: CLI errors, file picking, identity, scores."""
import shutil

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.hosted import texts
from grader.hosted.common import SubmissionFileError, others_can_read, pick_submission, protection
from grader.hosted.identity import gradescope_identity, read_roster_table
from grader.hosted.results import split_item
from grader.model import CaseResult, ItemResult


def _cli(*args):
    return CliRunner().invoke(main, ["autograder", *map(str, args)])


# ------------------------------------------------------------------------------------------- CLI
def test_release_without_secret_is_one_actionable_line(release, tmp_path):
    copy = tmp_path / "instructor"
    shutil.copytree(release, copy)
    (copy / "secret.key").unlink()
    r = _cli("gradescope", "--release", copy, "--out", tmp_path / "a.zip")
    assert r.exit_code == 1
    assert r.output == (f"Error: {copy} has no course secret ({copy / 'secret.key'} is missing): the autograder "
                        f"derives every student's hidden cases from it; restore the secret file or make a new "
                        f"release with `rnngrade assign`\n")
    r = _cli("prairielearn", "--release", copy, "--out", tmp_path / "pl")
    assert r.exit_code == 1 and r.output.startswith(f"Error: {copy} has no course secret")
    assert not (tmp_path / "a.zip").exists() and not (tmp_path / "pl").exists()


def test_release_root_instead_of_instructor_folder(release, tmp_path):
    r = _cli("gradescope", "--release", release.parent, "--out", tmp_path / "a.zip")
    assert r.exit_code == 1
    assert r.output == (f"Error: {release.parent} is not an instructor release: no release.json "
                        f"(did you mean its instructor/ folder?)\n")


def test_gradescope_out_must_be_a_zip(release, tmp_path):
    r = _cli("gradescope", "--release", release, "--out", tmp_path / "autograder")
    assert r.exit_code == 1
    assert r.output == (f"Error: --out {tmp_path / 'autograder'}: Gradescope takes a .zip file; "
                        f"name it e.g. autograder.zip\n")


def test_prairielearn_out_must_be_new_and_timeout_in_range(release, tmp_path):
    (tmp_path / "pl").mkdir()
    (tmp_path / "pl" / "keep.txt").write_text("x")
    r = _cli("prairielearn", "--release", release, "--out", tmp_path / "pl")
    assert r.exit_code == 1
    assert r.output == f"Error: {tmp_path / 'pl'} is not empty; choose a new --out folder\n"
    r = _cli("prairielearn", "--release", release, "--out", tmp_path / "pl2", "--timeout", "601")
    assert r.output == "Error: --timeout 601: PrairieLearn allows 1 to 600 seconds\n"


def test_damaged_release_json(release, tmp_path):
    copy = tmp_path / "instructor"
    shutil.copytree(release, copy)
    (copy / "release.json").write_text("{not json", encoding="utf-8")
    r = _cli("gradescope", "--release", copy, "--out", tmp_path / "a.zip")
    assert r.output == (f"Error: {copy / 'release.json'} is not the JSON `rnngrade assign` writes (Expecting property "
                        "name enclosed in double quotes: line 1 column 2 (char 1)); make the release again or restore "
                        "the file\n")


# ---------------------------------------------------------------------------------- file picking
def test_release_notebook_wins_among_several(tmp_path):
    (tmp_path / "nndl-ch6.ipynb").write_text("{}")
    (tmp_path / "scratch.py").write_text("x = 1")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "nndl-ch6-checkpoint.ipynb").write_text("{}")
    assert pick_submission(tmp_path, "nndl-ch6.ipynb", "en") == tmp_path / "nndl-ch6.ipynb"


def test_files_inside_a_folder_are_found_and_messages_are_bilingual(tmp_path):
    (tmp_path / "repo" / "hw").mkdir(parents=True)
    (tmp_path / "repo" / "hw" / "mine.PY").write_text("x = 1")
    assert pick_submission(tmp_path, "nndl-ch6.ipynb", "en").name == "mine.PY"
    with pytest.raises(SubmissionFileError) as e:
        pick_submission(tmp_path / "nothing", "nndl-ch6.ipynb", "zh")
    assert str(e.value) == "你的提交中没有找到 notebook（.ipynb）或 Python 文件（.py）。请上传完成的 nndl-ch6.ipynb。"


def test_every_text_exists_in_english_and_chinese():
    for key in texts.keys():
        assert texts.languages(key) == {"en", "zh"}, key


# -------------------------------------------------------------------------------------- identity
TABLE_CSV = "student,email,sid,login\nalice,alice@uni.edu,1001,al\nbob,Bob@Uni.edu,,bobby\n"


@pytest.fixture
def table(tmp_path):
    p = tmp_path / "roster.csv"
    p.write_text(TABLE_CSV, encoding="utf-8")
    return read_roster_table(p)


@pytest.mark.parametrize("user, student", [
    ({"sid": "1001", "email": "x@y.z"}, "alice"),            # sid first
    ({"email": "BOB@uni.edu"}, "bob"),                        # email, case-insensitive
    ({"email": "bobby@elsewhere.org"}, "bob"),                # email's local part against login
    ({"email": "alice@uni.edu", "sid": None}, "alice"),       # a null sid is skipped
])
def test_gradescope_users_map_to_roster_ids(table, user, student):
    who = gradescope_identity({"users": [user]}, ["alice", "bob"], table)
    assert (who.student, who.on_roster) == (student, True)


def test_roster_ids_alone_match_the_sid(table):
    who = gradescope_identity({"users": [{"sid": "carol", "email": "c@u.edu"}]}, ["carol"], [])
    assert (who.student, who.on_roster) == ("carol", True)


def test_stranger_keeps_a_sanitised_id_and_groups_use_the_member_on_the_roster(table):
    who = gradescope_identity({"users": [{"email": "eve/../x@else.org"}]}, ["alice", "bob"], table)
    assert (who.student, who.on_roster) == ("eve_.._x_else.org", False)
    who = gradescope_identity({"users": [{"email": "eve@else.org"}, {"sid": "1001"}]}, ["alice", "bob"], table)
    assert (who.student, who.on_roster, who.group_of) == ("alice", True, 2)
    assert gradescope_identity({"users": []}, None, []) is None
    who = gradescope_identity({"users": [{"email": "dan@u.edu", "sid": "77"}]}, None, [])
    assert (who.student, who.on_roster) == ("77", True)  # no roster: nobody is "not on" it


# ------------------------------------------------------------------------------- split and score
def _case(cid, vis, passed):
    return CaseResult(case_id=cid, visibility=vis, passed=passed, status="passed" if passed else "failed")


def test_split_parts_add_up_to_the_items_score_with_consistency_credit():
    cases = [_case("p0", "public", True), _case("p1", "public", False),
             _case("h0", "hidden", True), _case("h1", "hidden", False), _case("h2", "hidden", False)]
    item = ItemResult(item="lstm_cell_backward", kind="code", max_score=10.0, status="partial", cases=cases,
                      consistency={"verdict": "consistent"}, consistency_credit=0.5, diagnoses=["m1"])
    parts = dict(split_item(item))
    pub, hid = parts["public"], parts["hidden"]
    # points × (passed + credit × failed) / n over each part's cases, n = 5
    assert pub.max_score == pytest.approx(4.0) and pub.score == pytest.approx(10 * (1 + 0.5 * 1) / 5)
    assert hid.max_score == pytest.approx(6.0) and hid.score == pytest.approx(10 * (1 + 0.5 * 2) / 5)
    assert pub.score + hid.score == pytest.approx(item.score)
    assert pub.diagnoses == ["m1"] and hid.diagnoses == []  # said once, on the visible part
    assert (pub.status, hid.status) == ("partial", "partial")


def test_a_hidden_only_failure_leaves_the_public_part_clean():
    cases = [_case("p0", "public", True), _case("h0", "hidden", False)]
    item = ItemResult(item="gru_forward", kind="code", max_score=4.0, status="partial", cases=cases,
                      diagnoses=["z_swapped"], consistency={"verdict": "inconsistent"})
    parts = dict(split_item(item))
    assert parts["public"].status == "passed" and parts["public"].diagnoses == []
    assert parts["public"].consistency is None
    assert parts["hidden"].diagnoses == ["z_swapped"] and parts["hidden"].status == "failed"


def test_items_without_hidden_cases_stay_whole():
    item = ItemResult(item="answer_x", kind="symbolic", max_score=3.0, status="passed")
    assert split_item(item) == [("all", item)]
    item = ItemResult(item="f", kind="code", max_score=2.0, status="passed", cases=[_case("p0", "public", True)])
    assert split_item(item) == [("all", item)]


# ---------------------------------------------------------------------------------- protection
def test_protection_is_reported_from_the_layers_and_the_file_modes():
    import tempfile
    from pathlib import Path

    base = Path(tempfile.mkdtemp())  # in the system's temporary folder, searchable by others once 0755
    try:
        base.chmod(0o755)
        secret = base / "release" / "secret.key"
        secret.parent.mkdir()
        secret.write_bytes(b"x" * 32)
        secret.chmod(0o644)
        searchable = all(p.stat().st_mode & 0o001 for p in base.parents)
        assert others_can_read(secret) is searchable
        off = {"layers": {"mount_namespace": "off: refused", "uid_drop": "on"}}
        if searchable:
            assert protection(off, [secret]).startswith("NOT protected")
        secret.parent.chmod(0o700)
        assert others_can_read(secret) is False
        assert protection(off, [secret]).startswith("not hidden (no mount namespace): protected by file permissions")
        on = {"layers": {"mount_namespace": "on", "uid_drop": "on"}}
        assert protection(on, [secret]) == "hidden by the mount namespace"
        no_uid = {"layers": {"mount_namespace": "off: refused", "uid_drop": "off: not root"}}
        assert protection(no_uid, [secret]).startswith("NOT protected")
    finally:
        shutil.rmtree(base)


def test_long_texts_are_cut_with_the_reports_marker():
    from grader.hosted.results import TEST_OUTPUT_LIMIT, _cap

    body = "x" * (TEST_OUTPUT_LIMIT + 5)
    assert _cap(body, "en") == "x" * TEST_OUTPUT_LIMIT + "\n… [5 more characters not shown]"
    assert _cap("short", "zh") == "short"


def test_links_to_folders_are_not_walked(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "nndl-ch6.py").write_text("x = 1")
    sub = tmp_path / "submission"
    sub.mkdir()
    (sub / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(SubmissionFileError):
        pick_submission(sub, "nndl-ch6.ipynb", "en")


@pytest.mark.parametrize("lang,line", [
    ("en", "- cell 4, line 2: NameError: name 'x' is not defined"),
    ("zh", "- 第 4 个单元格第 2 行：NameError: name 'x' is not defined"),
])
def test_a_cell_that_failed_is_named_in_the_students_language(lang, line):
    from grader.hosted.results import overview
    from grader.messages import localized
    from grader.model import SubmissionResult

    result = SubmissionResult(student="ana", status="graded", assignment="nndl-ch6", version="1", lang=lang,
                              path="ana.ipynb",
                              load_errors=[{"where": "cell 4, line 2", "message": "NameError: name 'x' is not defined"}])
    shown = overview(localized(result, lang), {"assignment": "nndl-ch6", "version": "1"}, lang)
    assert line in shown.splitlines()
