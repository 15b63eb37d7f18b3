"""The rnn-step-by-step corpus is consistent: stored notebooks = generator, verdicts = behaviour.

These tests check the corpus, not the grader: each notebook's functions are run in a subprocess
and compared with an independent NumPy reference (verify_corpus.py), which itself is checked
against central finite differences.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_corpus  # noqa: E402
import verify_corpus  # noqa: E402
import verify_reference  # noqa: E402

EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
VERDICTS = {"correct", "wrong", "error", "unanswered", "cache_corrupted", "right_on_reference_cache"}


def test_reference_agrees_with_finite_differences():
    worst = verify_reference.check_against_finite_differences()
    assert set(worst) == {"rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward"}
    assert max(worst.values()) < 1e-6, worst


def test_expected_json_is_what_the_builder_declares():
    assert EXPECTED == json.loads(json.dumps(build_corpus.expected()))


def test_expected_json_shape():
    assert len(EXPECTED) >= 34
    assert sorted(EXPECTED) == sorted(p.name for p in HERE.glob("*.ipynb"))
    for entry in EXPECTED.values():
        assert entry["generation"] in ("current", "v3") and entry["note"]
        assert list(entry["functions"]) == list(verify_reference.FUNCTIONS)
        for item in entry["functions"].values():
            assert item["verdict"] in VERDICTS
            assert all(isinstance(m, str) for m in item["mistakes"])
    fully_correct = [n for n, e in EXPECTED.items()
                     if all(f["verdict"] == "correct" for f in e["functions"].values())]
    assert len(fully_correct) >= 6


@pytest.mark.parametrize("spec", build_corpus.NOTEBOOKS, ids=lambda s: s.name)
def test_stored_notebook_has_the_generated_cells(spec):
    stored = nbformat.read(HERE / spec.name, as_version=4)
    nbformat.validate(stored)
    generated = build_corpus.assemble(spec)   # cells only: no student code runs in this process
    assert [(c.cell_type, c.source) for c in stored.cells] == [(kind, src) for kind, src, _ in generated]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_verdicts_match_behaviour(name):
    proc = subprocess.run([sys.executable, verify_corpus.__file__, "--child", str(HERE / name)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    problems = []
    for fn, want in EXPECTED[name]["functions"].items():
        ok, why = verify_corpus.agrees(want, got["functions"][fn])
        if not ok:
            problems.append(f"{fn}: {why}")
    assert problems == []


def test_readme_counts_are_current():
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    table_lines = [line for line in build_corpus.summary().splitlines() if line.startswith("|")]
    assert [line for line in table_lines if line not in readme] == []
