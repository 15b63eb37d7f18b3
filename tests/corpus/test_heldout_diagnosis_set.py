"""The held-out diagnosis set says the truth about itself.

Each student file of ``tests/corpus/heldout_diagnosis/`` runs in its own subprocess; every function
labelled ``"correct"`` must equal an independent reference of the nndl-ch6 contract, every function
labelled with a mistake must differ from it. The reference is checked against central finite
differences first. None of this uses the grader: the set measures the grader, so it must not be
checked by it.
"""

import importlib.util
import json
from pathlib import Path

import pytest

SET_DIR = Path(__file__).resolve().parent / "heldout_diagnosis"
_spec = importlib.util.spec_from_file_location("heldout_verify_set", SET_DIR / "verify_set.py")
verify_set = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(verify_set)
LABELS = json.loads((SET_DIR / "labels.json").read_text())


def test_reference_agrees_with_central_differences():
    assert verify_set.check_reference() < 1e-7


def test_every_file_is_labelled_and_the_set_has_the_promised_size():
    files = {p.name for p in SET_DIR.glob("*.py") if p.name != "verify_set.py"}
    assert files == set(LABELS)
    with_mistakes = [f for f, funcs in LABELS.items() if any(v != "correct" for v in funcs.values())]
    fully_correct = [f for f, funcs in LABELS.items() if all(v == "correct" for v in funcs.values())]
    assert len(files) >= 45 and len(with_mistakes) >= 35 and len(fully_correct) >= 10
    used = {m for funcs in LABELS.values() for v in funcs.values() for m in verify_set.mistakes_of(v)
            if not m.startswith("calls_buggy:")}
    # σ′ left out of *every* gate is not in the set: the functions first labelled so leave it out of one
    # gate (missing_gate_derivative), see the README's note on the relabelling.
    assert used == verify_set.MISTAKE_IDS - {"missing_sigmoid_derivative"}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LABELS))
def test_labels_agree_with_the_numbers(name, tmp_path):
    problems, _ = verify_set.check_file(name, LABELS[name], str(tmp_path))
    assert problems == []


@pytest.mark.parametrize("name", sorted(verify_set.CONSISTENT_BACKWARDS))
def test_backwards_of_a_wrong_convention_are_exact_for_their_own_forward(name):
    assert verify_set.consistency_gap(name) < 1e-7
