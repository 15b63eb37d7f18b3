"""Isolation never drops silently: which layers are missing here, which failed, and the one line that
stops ``rnngrade grade`` (through the batch: tests/grader/test_reduced_isolation.py)."""
from grader.sandbox.policy import classify, isolation_error, isolation_line

FULL = dict.fromkeys(["fork_server", "network_namespace", "mount_namespace", "process_list", "uid_drop",
                      "seccomp", "rlimits", "subreaper"], "on")
NO_SECCOMP = {"layers": dict(FULL, seccomp="off: pyseccomp (libseccomp) is not installed"),
              "summary": "partial: seccomp"}
NOT_ROOT = {"layers": dict(FULL, uid_drop="off: the grader does not run as root, so submissions run as its user",
                           process_list="off: needs the uid drop (a process sees every process of its own user)"),
            "summary": "partial: process_list, uid_drop"}


def test_a_layer_that_could_not_be_set_up_is_one_line_saying_which_why_and_how_to_fix():
    assert isolation_error(NO_SECCOMP, linux=True, root=True) == (
        "the sandbox layer seccomp could not be set up: pyseccomp (libseccomp) is not installed. Fix: "
        "install pyseccomp and libseccomp (`pip install pyseccomp`; Debian: `apt-get install libseccomp2`) "
        "in the environment that runs the grader; or pass --allow-reduced-isolation to grade with less "
        "isolation")
    assert isolation_error({"layers": FULL, "summary": "full"}, linux=True, root=True) is None


def test_layers_that_do_not_exist_here_are_no_error_and_the_summary_names_them():
    assert isolation_error(NOT_ROOT, linux=True, root=False) is None
    assert classify(NOT_ROOT["layers"], linux=True, root=False) == {
        "process_list": ("missing", NOT_ROOT["layers"]["process_list"]),
        "uid_drop": ("missing", NOT_ROOT["layers"]["uid_drop"])}
    assert isolation_line(NOT_ROOT, linux=True, root=False) == (
        "partial: process_list, uid_drop (not available here: process_list, uid_drop)")
    mac = {"layers": dict(FULL, network_namespace="off: not Linux", seccomp="off: not Linux"),
           "summary": "partial: network_namespace, seccomp"}
    assert isolation_error(mac, linux=False, root=False) is None
    assert isolation_line(mac, linux=False, root=False) == (
        "partial: network_namespace, seccomp (not available here: network_namespace, seccomp)")


def test_accepted_reduced_isolation_is_said_in_the_summary():
    assert isolation_line(NO_SECCOMP, True, linux=True, root=True) == (
        "partial: seccomp (could not be set up: seccomp (reduced isolation accepted with "
        "--allow-reduced-isolation))")
    assert isolation_line({"layers": FULL, "summary": "full"}) == "full"
