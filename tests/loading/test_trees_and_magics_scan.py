"""Is a piece of code parsed once per distinct text, and are the units the same as without the
cache? Also: does the magics pre-scan miss no line, and does the scanner keep its states?"""
import ast
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from grader.loading import magics, trees
from grader.loading.pyfile import python_submission
from grader.loading.trees import cached_tree

SOLUTION = (Path(__file__).resolve().parents[2] / "assignments" / "nndl_ch6" / "solution.py").read_text(
    encoding="utf-8")


def test_a_text_seen_before_is_not_parsed_again_and_its_tree_is_the_parse():
    trees.clear_cache()
    first = cached_tree(SOLUTION)
    assert cached_tree(SOLUTION) is first
    assert ast.dump(first, include_attributes=True) == ast.dump(ast.parse(SOLUTION), include_attributes=True)
    assert cached_tree(SOLUTION + "\n# another student\n") is not first
    assert cached_tree("x = (") is None and cached_tree("x = (") is None  # a failure is remembered too


def test_units_do_not_depend_on_the_cache():
    trees.clear_cache()
    cold = python_submission(SOLUTION)
    warm = python_submission(SOLUTION)
    assert [(u.label, u.source, u.first_line) for u in cold.units] == [
        (u.label, u.source, u.first_line) for u in warm.units]
    assert cold.answers == warm.answers and len(cold.units) > 20


# ----------------------------------------------------------------------------------- magics scan

MAGIC_PIECES = ["%", "%%", "!", "?", "=", " = ", "!=", "%time ", "%%time", "ls", "cd", "pwd", "time",
                "history", "pinfo2", " ", "\t", "\x0b", "\xa0", "\n", "\\", "#", "'", '"', "'''", '"""',
                "(", ")", "x", "np.zeros", "def f():", "    ", "..", "-la", "é", ",", "files", "a.b"]


class _ReferenceScanner(magics.LineScanner):
    """The scanner stepping through every character, as it was first written: the oracle."""

    def feed(self, line):
        self.continued = False
        i, n = 0, len(line)
        while i < n:
            ch = line[i]
            if self.quote is not None:
                if ch == "\\":
                    i += 2
                elif line.startswith(self.quote, i):
                    i += len(self.quote)
                    self.quote = None
                else:
                    i += 1
                continue
            if ch == "#":
                break
            if ch in "\"'":
                self.quote = line[i:i + 3] if line[i:i + 3] in ('"""', "'''") else ch
                i += len(self.quote)
                continue
            if ch in "([{":
                self.depth += 1
            elif ch in ")]}":
                self.depth = max(0, self.depth - 1)
            elif ch == "\\" and i == n - 1:
                self.continued = True
            i += 1
        if self.quote in ("'", '"') and not line.endswith("\\"):
            self.quote = None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MAGIC_PIECES), max_size=25))
def test_the_pre_scan_finds_every_line_a_magic_could_be_on(parts):
    source = "".join(parts)
    could_change = {k + 1 for k, line in enumerate(source.split("\n")) if magics._replacement(line) is not None}
    assert could_change <= magics._candidate_lines(source)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MAGIC_PIECES), max_size=25))
def test_the_scanner_keeps_the_states_of_the_character_by_character_one(parts):
    fast, slow = magics.LineScanner(), _ReferenceScanner()
    for line in "".join(parts).split("\n"):
        fast.feed(line)
        slow.feed(line)
        assert (fast.quote, fast.depth, fast.continued) == (slow.quote, slow.depth, slow.continued)


def test_code_without_magics_comes_back_unchanged_with_crlf_normalised():
    assert magics.strip_magics("x = 1\r\nif x != 2:\r\n    y = '%d' % x\r\n") == (
        "x = 1\nif x != 2:\n    y = '%d' % x\n", [])
    assert magics._candidate_lines("x = 1\ny = x + 2\n") == set()
    assert magics._candidate_lines("a = 1\n    history = []\nb = a?\nc = !ls\n") == {2, 3, 4}
