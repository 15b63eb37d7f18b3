"""Loading the spec: names and paths, the version hash, references, normalised items."""
import re

import pytest

from assignments.resolve import UnresolvedReference
from assignments.spec import InvalidSpecError, load_spec
from assignments.spec.schema import normalise_returns

CODE_ITEMS = ["lstm_cell_forward", "lstm_cell_backward", "lstm_forward", "lstm_backward", "gru_cell_forward",
              "gru_cell_backward", "gru_forward", "gru_backward", "residual_rnn_forward", "residual_rnn_backward",
              "residual_rnn_step_jacobian", "clip_by_global_norm"]
BACKWARD_OF = {"lstm_cell_backward": "lstm_cell_forward", "lstm_backward": "lstm_forward",
               "gru_cell_backward": "gru_cell_forward", "gru_backward": "gru_forward",
               "residual_rnn_backward": "residual_rnn_forward"}


def test_builtin_items_follow_the_design(spec):
    """Does nndl-ch6 hold the 12 code, 4 symbolic and 4 free items of the design, 100 points in all?"""
    assert spec.name == "nndl-ch6" and spec.default_lang == "zh" and spec.languages == ("zh", "en")
    assert [it.id for it in spec.items_of("code")] == CODE_ITEMS
    assert [it.id for it in spec.items_of("symbolic")] == [
        "answer_residual_dh", "answer_lstm_dc_prev", "answer_lstm_dforget", "answer_gru_dh_prev"]
    assert [it.id for it in spec.items_of("free")] == ["free_6_3", "free_6_4", "free_6_5", "free_6_1p"]
    assert sum(it.points for it in spec.items) == 100
    for it in spec.items_of("code"):
        assert (it.public, it.hidden) == (2, 3)
        assert it.reference == f"solutions:{it.id}" and it.generator == it.id
        assert any(s.get("m") == 1 for s in it.shapes) and any(s.get("scale") for s in it.shapes)
        assert any(s.get("n_h") == 1 for s in it.shapes)
        if "T" in it.shapes[0]:
            assert any(s.get("T") == 1 for s in it.shapes)
        expected = {"forward": BACKWARD_OF[it.id], "credit": 0.5} if it.id in BACKWARD_OF else None
        assert it.consistency == expected
    for it in spec.items_of("free"):
        assert set(it.rubric) == {"zh", "en"} and "1" in it.rubric["en"]


def test_symbolic_items_declare_the_designs_symbols(spec):
    """Are symbols, abbreviations and domains those of the design's table?"""
    lstm = spec.item("answer_lstm_dc_prev")
    assert lstm.symbols == ("dh", "dc", "f", "i", "o", "g", "c_prev")
    assert lstm.abbreviations == {"c": "f*c_prev + i*g"}
    assert lstm.domain["f"] == (0.05, 0.95)
    gru = spec.item("answer_gru_dh_prev")
    assert gru.symbols == ("h", "x", "wz", "uz", "bz", "wr", "ur", "br", "wh", "uh", "bh")
    assert set(gru.abbreviations) == {"z", "r", "n"}
    assert spec.item("answer_residual_dh").symbols == ("u", "w", "b", "h", "x")


@pytest.mark.parametrize("returns, expected", [
    ("h", {"kind": "array", "name": "h"}),
    (["h", "c"], {"kind": "tuple", "name": "return value",
                  "items": [{"kind": "array", "name": "h"}, {"kind": "array", "name": "c"}]}),
    ({"dict": ["dx"]}, {"kind": "dict", "name": "return value", "keys": {"dx": {"kind": "array", "name": "dx"}}}),
    ([{"name": "clipped", "dict": "same_keys"}, {"name": "global_norm", "kind": "scalar"}],
     {"kind": "tuple", "name": "return value",
      "items": [{"kind": "dict", "name": "clipped", "keys": None}, {"kind": "scalar", "name": "global_norm"}]}),
], ids=["array", "tuple", "dict", "dict-and-scalar"])
def test_returns_are_normalised(returns, expected):
    assert normalise_returns(returns) == expected


def test_load_by_name_folder_or_file(spec):
    """Is the same spec found by name, by folder and by spec.toml?"""
    assert load_spec(spec.base_dir).version == spec.version
    assert load_spec(spec.path).version == spec.version
    with pytest.raises(FileNotFoundError, match=r"no assignment 'nndl-ch7': not a built-in assignment \(nndl-ch6, rnn-step-by-step\)"):
        load_spec("nndl-ch7")


def test_version_hashes_the_folder(spec_copy, spec):
    """Does the version change with any file of the folder, but not with __pycache__?"""
    assert re.fullmatch(r"[0-9a-f]{12}", spec.version)
    assert load_spec(spec_copy).version == spec.version
    (spec_copy / "__pycache__").mkdir()
    (spec_copy / "__pycache__" / "x.pyc").write_bytes(b"junk")
    assert load_spec(spec_copy).version == spec.version
    catalogue = spec_copy / "i18n" / "en.toml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert load_spec(spec_copy).version != spec.version


def test_resolve_prefers_a_module_beside_the_spec(spec_copy):
    """Is `module:function` looked up beside the spec first, then among installed modules?"""
    (spec_copy / "json.py").write_text("def dumps(x):\n    return 'local'\n", encoding="utf-8")
    spec = load_spec(spec_copy)
    assert spec.resolve("json:dumps")(1) == "local"
    assert spec.resolve("solutions:lstm_forward").__module__ == "solutions.lstm"
    with pytest.raises(UnresolvedReference, match="has no function 'missing'"):
        spec.resolve("json:missing")
    with pytest.raises(UnresolvedReference, match="no nowhere_mod.py beside the spec and no installed module"):
        spec.resolve("nowhere_mod:f")


def test_load_refuses_a_broken_spec(spec_copy):
    """Does load_spec list every structural error instead of failing on the first?"""
    path = spec_copy / "spec.toml"
    text = path.read_text(encoding="utf-8").replace("points = 10", "points = -1", 1).replace("seed = 20201", 'seed = "x"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidSpecError) as info:
        load_spec(spec_copy)
    assert [str(e) for e in info.value.errors] == [
        "assignment.seed: must be a non-negative integer, got 'x'",
        "items[1] (lstm_cell_backward).points: must be a positive number, got -1",
    ]
