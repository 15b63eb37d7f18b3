"""validate_spec: every error of a spec, with its location, in words an instructor can act on."""
from assignments.spec import validate_spec


def break_spec(folder):
    """Seven deliberate mistakes in a copy of nndl-ch6 (one per kind of check)."""
    path = folder / "spec.toml"
    text = path.read_text(encoding="utf-8")
    edits = [
        ('public = 2\nhidden = 3\n\n[[items]]\nid = "lstm_cell_backward"',
         'pubic = 2\nhidden = 3\n\n[[items]]\nid = "lstm_cell_backward"'),              # unknown key
        ('points = 10\ntitle = { zh = "LSTM 的随时间反向传播（BPTT）"',
         'points = -1\ntitle = { zh = "LSTM 的随时间反向传播（BPTT）"'),                  # bad points
        ('generator = "gru_cell_forward"', 'generator = "gru_cel_forward"'),           # unknown generator
        ('reference = "solutions:residual_rnn_forward"', 'reference = "solutions:residual_forward"'),  # bad ref
        ('id = "clip_by_global_norm"', 'id = "clip-by-global-norm"'),                   # not an identifier
        ('abbreviations = { c = "f*c_prev + i*g" }\nreference = "solutions.symbolic:lstm_dc_prev"',
         'abbreviations = { c = "f*c_prev + i*g)" }\nreference = "solutions.symbolic:lstm_dc_prev"'),  # parse
        ('id = "free_6_5"', 'id = "free_6_4"'),                                          # duplicate id
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_builtin_spec_is_valid():
    """Does the shipped assignment validate without a single error?"""
    assert validate_spec("nndl-ch6") == []


def test_every_error_is_reported_with_its_location(spec_copy):
    """Are all seven mistakes reported, each once, verbatim, before anything is generated?"""
    break_spec(spec_copy)
    from grader.core.generators import GENERATORS

    builtin = ", ".join(sorted(GENERATORS))
    assert [str(e) for e in validate_spec(spec_copy)] == [
        "items[0] (lstm_cell_forward).pubic: unknown key; did you mean 'public'?",
        "items[3] (lstm_backward).points: must be a positive number, got -1",
        "items[11] (clip-by-global-norm).id: 'clip-by-global-norm' is not a valid Python identifier "
        "(it is a function name in the notebook)",
        "items[18] (free_6_4).id: duplicate id 'free_6_4' (first used by items[17])",
        "items[4] (gru_cell_forward).generator: unknown generator 'gru_cel_forward'; did you mean "
        f"'gru_cell_forward'? built-in generators: {builtin}; or give 'module:function'",
        "items[8] (residual_rnn_forward).reference: installed module solutions has no function "
        "'residual_forward' (reference 'solutions:residual_forward')",
        "items[13] (answer_lstm_dc_prev).abbreviations.c: 'f*c_prev + i*g)' does not parse: it is not a valid "
        "expression at column 15 (unmatched ')'); write products with * and powers with **",
        "i18n/zh.toml: items.clip-by-global-norm.task: missing; add [items.clip-by-global-norm] task = \"\"\"…\"\"\" "
        "for language 'zh'",
        "i18n/en.toml: items.clip-by-global-norm.task: missing; add [items.clip-by-global-norm] task = \"\"\"…\"\"\" "
        "for language 'en'",
        "templates/equations.toml: clip-by-global-norm: missing; add [clip-by-global-norm] equations = '''…''' "
        "and shapes = { … }",
        "solution.py: no function clip-by-global-norm(...) for code item 'clip-by-global-norm'",
    ]


def test_missing_spec_and_bad_toml(tmp_path):
    """Is a path without a spec, or a spec that is not TOML, one clear error?"""
    errors = validate_spec(tmp_path / "nowhere")
    assert len(errors) == 1 and "no spec.toml at that path" in errors[0].message
    (tmp_path / "spec.toml").write_text("[assignment\nname = 1\n", encoding="utf-8")
    (error,) = validate_spec(tmp_path)
    assert error.location == "spec.toml" and error.message.startswith("not valid TOML: ")


def test_structural_mistakes_of_each_kind(spec_copy):
    """Are consistency, shapes, symbolic domains and free rubrics checked too?"""
    path = spec_copy / "spec.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('consistency = { forward = "lstm_cell_forward", credit = 0.5 }',
                        'consistency = { forward = "lstm_cell_forwrd", credit = 1.5 }')
    text = text.replace('{ n_x = 1, n_h = 1, n_y = 1, m = 1, label = "m=1, n_h=1" },\n  { n_x = 4, n_h = 3, n_y = 2, m = 6, scale = 30.0, label = "saturated gates" },\n]\npublic = 2\nhidden = 3\n\n[[items]]\nid = "lstm_cell_backward"',
                        '{ n_x = 0, n_h = 1, n_y = 1, m = 1, label = "m=1, n_h=1" },\n]\npublic = 2\nhidden = 3\n\n[[items]]\nid = "lstm_cell_backward"')
    text = text.replace('domain = { f = [0.05, 0.95], i = [0.05, 0.95], o = [0.05, 0.95], g = [-0.95, 0.95] }\n\n[[items]]\nid = "answer_lstm_dforget"',
                        'domain = { q = [0.95, 0.05] }\n\n[[items]]\nid = "answer_lstm_dforget"')
    text = text.replace('rubric.zh = """\n- 1 分：正确比较结构', 'rubrc = """\n- 1 分：正确比较结构')
    path.write_text(text, encoding="utf-8")
    assert [str(e) for e in validate_spec(spec_copy)] == [
        "items[0] (lstm_cell_forward).shapes[1].n_x: must be a positive integer, got 0",
        "items[1] (lstm_cell_backward).consistency.forward: 'lstm_cell_forwrd' is not a code item of this spec; "
        "did you mean 'lstm_cell_forward'?",
        "items[1] (lstm_cell_backward).consistency.credit: must be a number in [0, 1], got 1.5",
        "items[13] (answer_lstm_dc_prev).domain.q: is not one of the symbols (dh, dc, f, i, o, g, c_prev)",
        "items[13] (answer_lstm_dc_prev).domain.q: must be [low, high] with low < high, got [0.95, 0.05]",
        "items[19] (free_6_1p).rubrc: unknown key; did you mean 'rubric'?",
        "items[19] (free_6_1p).rubric: missing the 'zh' text",
    ]


def test_solution_file_must_cover_every_item(spec_copy):
    """Is a model solution that lacks an item reported before the release is generated?"""
    path = spec_copy / "solution.py"
    text = path.read_text(encoding="utf-8").replace("def gru_forward(", "def gru_fwd(").replace("free_6_5 = ", "free_65 = ")
    path.write_text(text, encoding="utf-8")
    assert [str(e) for e in validate_spec(spec_copy)] == [
        "solution.py: no function gru_forward(...) for code item 'gru_forward'",
        "solution.py: no module-level string free_6_5 = \"…\" for free item 'free_6_5'",
    ]
    path.unlink()
    assert [str(e) for e in validate_spec(spec_copy)] == [
        "solution.py: file missing; the solution notebook is filled from it (see docs/adding-an-item.md)"]


def test_user_facing_errors_are_user_errors(spec_copy, tmp_path):
    """Does the CLI get errors it prints without a traceback (grader.core.errors.UserError)?"""
    import pytest

    from assignments.release import assign
    from assignments.spec import load_spec
    from grader.core.errors import UserError

    (spec_copy / "solution.py").unlink()
    with pytest.raises(UserError, match="solution.py: file missing"):
        assign(spec_copy, tmp_path / "out")
    with pytest.raises(UserError, match="no assignment 'nope'"):
        load_spec("nope")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(UserError, match="is not empty"):
        assign("nndl-ch6", tmp_path / "used")
