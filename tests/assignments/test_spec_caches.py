"""Cache-style items in the spec: layouts, cache outputs, produced arguments, credit, support and
inert modules; every mistake reported verbatim with its location."""
import shutil
from pathlib import Path

import pytest

from assignments.spec import InvalidSpecError, load_spec, validate_spec

CACHE_SPEC = Path(__file__).resolve().parents[1] / "cache_spec"


@pytest.fixture
def cache_copy(tmp_path):
    folder = tmp_path / "cache_course"
    shutil.copytree(CACHE_SPEC, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _edit(folder, *edits):
    path = folder / "spec.toml"
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_the_test_spec_is_valid_and_loads_its_cache_fields():
    """Does a cache-style spec validate and load its layouts, produced arguments and modules?"""
    assert validate_spec(CACHE_SPEC) == []
    spec = load_spec(CACHE_SPEC)
    assert spec.layouts["seq_caches"] == {"kind": "tuple", "entries": [
        {"name": "caches", "list_of": "step_cache"}, {"name": "x"}]}
    assert spec.support_modules == ("cache_helpers.py",)
    assert spec.inert_modules == ("public_tests", "google", "google.colab")
    back = spec.item("seq_backward")
    assert back.produced == {"caches": {"by": "seq_forward", "output": "caches"}}
    assert back.credit == {"reference_cache": 0.8, "own_cache": 0.2}
    assert spec.item("seq_forward").output_spec["items"][1] == {"kind": "cache", "name": "caches",
                                                                "layout": "seq_caches"}


def test_every_cache_mistake_is_reported_with_its_location(cache_copy):
    """Unknown producer, an output that is no cache, credit not summing to 1, unknown layouts, a
    misnamed argument, bad module lists: is each reported, verbatim?"""
    _edit(cache_copy,
          ('produced = { cache = { by = "step_forward", output = "cache" } }',
           'produced = { cache = { by = "step_forwrd", output = "cache" } }'),
          ('produced = { caches = { by = "seq_forward", output = "caches" } }\n'
           'credit = { reference_cache = 0.8, own_cache = 0.2 }',
           'produced = { caches = { by = "seq_forward", output = "h" }, cachez = { by = "seq_forward", output = "caches" } }\n'
           'credit = { reference_cache = 0.7, own_cache = 0.2 }'),
          ('entries = [ { name = "caches", list_of = "step_cache" }, "x" ]',
           'entries = [ { name = "caches", list_of = "step_cach" }, "x", "x" ]'),
          ('returns = ["h_next", { name = "cache", cache = "step_cache" }]',
           'returns = ["h_next", { name = "cache", cache = "stepcache" }]'),
          ('support_modules = ["cache_helpers.py"]', 'support_modules = ["cache_helpers.py", "missing.py", "a/b.py"]'),
          ('inert_modules = ["public_tests", "google", "google.colab"]',
           'inert_modules = ["public_tests", "google..colab", "cache_helpers"]'))
    assert [str(e) for e in validate_spec(cache_copy)] == [
        "assignment.support_modules[2]: must be a .py file name beside spec.toml (a Python name + .py), got 'a/b.py'",
        "assignment.inert_modules[1]: must be a dotted module name like \"google.colab\", got 'google..colab'",
        "assignment.inert_modules: cache_helpers is also a support module",
        "layouts.seq_caches.entries[0].list_of: unknown layout 'step_cach'; did you mean 'step_cache'?",
        "layouts.seq_caches.entries: entry names repeat: x",
        "items[0] (step_forward).returns: unknown layout 'stepcache' for output 'cache'; did you mean 'step_cache'?",
        "items[2] (step_backward).produced.cache.by: 'step_forwrd' is not a code item of this spec; did you mean "
        "'step_forward'?",
        "items[3] (seq_backward).produced.caches.output: 'h' is not a cache output of seq_forward (its cache "
        "outputs: caches); declare it in its returns as { name = \"h\", cache = \"<layout>\" }",
        "items[3] (seq_backward).produced.cachez: 'cachez' is not a parameter of seq_backward (params: dh, caches)",
        "items[3] (seq_backward).credit: reference_cache + own_cache must be 1, got 0.9",
        "assignment.support_modules[1]: missing.py not found beside spec.toml",
    ]
    with pytest.raises(InvalidSpecError):
        load_spec(cache_copy)


def test_cycles_and_missing_credit(cache_copy):
    """A producer chain that loops, a layout that contains itself, credit without produced arguments."""
    _edit(cache_copy,
          ('returns = ["h", { name = "caches", cache = "seq_caches" }]',
           'returns = ["h", { name = "caches", cache = "seq_caches" }]\n'
           'produced = { x = { by = "seq_backward", output = "back" } }\n'
           'credit = { reference_cache = 0.5, own_cache = 0.5 }'),
          ('returns = { dict = ["dx", "dh0", "dW", "dU", "db"] }\nreference = "cache_refs:seq_backward"',
           'returns = [{ name = "back", cache = "loop" }]\nreference = "cache_refs:seq_backward"'),
          ('produced = { cache = { by = "step_forward", output = "cache" } }\n'
           'credit = { reference_cache = 0.8, own_cache = 0.2 }',
           'produced = { cache = { by = "step_forward", output = "cache" } }'),
          ('[layouts.seq_caches]', '[layouts.loop]\nentries = [ { name = "again", list_of = "loop" } ]\n\n'
                                   '[layouts.seq_caches]'))
    errors = [str(e) for e in validate_spec(cache_copy)]
    assert "layouts.loop: a layout cannot contain itself: loop -> loop" in errors
    assert ("items[2] (step_backward).credit: missing; an item with produced arguments needs "
            "credit = { reference_cache = 0.8, own_cache = 0.2 }") in errors
    assert "items[1] (seq_forward).produced: produced arguments form a cycle: seq_forward -> seq_backward -> seq_forward" in errors
    assert "items[3] (seq_backward).produced: produced arguments form a cycle: seq_backward -> seq_forward -> seq_backward" in errors


def test_credit_needs_produced_arguments(cache_copy):
    _edit(cache_copy, ('generator = "cache_refs:step_inputs"',
                       'generator = "cache_refs:step_inputs"\ncredit = { reference_cache = 1.0, own_cache = 0.0 }'))
    assert [str(e) for e in validate_spec(cache_copy)] == [
        "items[0] (step_forward).credit: only an item with produced arguments splits its credit"]


def test_builtin_spec_is_unchanged_by_the_new_keys():
    spec = load_spec("nndl-ch6")
    assert spec.layouts == {} and spec.support_modules == () and spec.inert_modules == ()
    assert all(it.produced == {} and it.credit is None for it in spec.items)


def test_a_generator_that_gives_the_wrong_inputs_is_reported(cache_copy):
    """Is a generator whose producer inputs do not fit caught before anything is generated?"""
    refs = cache_copy / "cache_refs.py"
    refs.write_text(refs.read_text(encoding="utf-8").replace(
        "    return (rng.standard_normal((shape[\"n_h\"], shape[\"m\"], shape[\"T\"])), x, h0, parameters)",
        "    return (rng.standard_normal((shape[\"n_h\"], shape[\"m\"], shape[\"T\"])), x, h0)"), encoding="utf-8")
    assert [str(e) for e in validate_spec(cache_copy)] == [
        "items[3] (seq_backward).generator: cannot make a case: ValueError: generator for 'seq_backward' "
        "returned 3 arguments; with the produced arguments' inputs spliced in it should return 4"]
