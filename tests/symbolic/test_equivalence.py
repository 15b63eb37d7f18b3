"""Are equivalent rewrites accepted and classic wrong derivations rejected with a counterexample?"""
import pytest
import sympy

from grader.symbolic.equivalence import SpecError, expand_abbreviations, verdict_message
from solutions import symbolic as S

from .items_support import ITEMS, check

DC_PREV = "(dc + dh*o*(1 - tanh(c)**2))*f"
DFORGET = "(dc + dh*o*(1 - tanh(c)**2))*c_prev*f*(1 - f)"
GRU = "z + (1-z)*(1-n**2)*uh*(r + h*r*(1-r)*ur) + (h-n)*z*(1-z)*uz"

EQUIVALENT = [
    ("answer_residual_dh", "1 + u*(1 - tanh(u*h + w*x + b)**2)"),
    ("answer_residual_dh", "1 + u/cosh(u*h + w*x + b)**2"),
    ("answer_residual_dh", "1 + u - u*tanh(b + w*x + u*h)**2"),
    ("answer_residual_dh", "1 + 4*u/(exp(u*h + w*x + b) + exp(-(u*h + w*x + b)))**2"),
    ("answer_lstm_dc_prev", DC_PREV),
    ("answer_lstm_dc_prev", "(dc + dh*o*(1 - tanh(f*c_prev + i*g)**2))*f"),
    ("answer_lstm_dc_prev", "dc*f + dh*o*f - dh*o*f*tanh(c)**2"),
    ("answer_lstm_dc_prev", "f*(dc + dh*o/cosh(c)**2)"),
    ("answer_lstm_dforget", DFORGET),
    ("answer_lstm_dforget", "c_prev*dc*f - c_prev*dc*f**2 + c_prev*dh*o*f*(1-f)*(1-tanh(c)**2)"),
    ("answer_lstm_dforget", "(dc + dh*o*(1 - tanh(f*c_prev + i*g)**2))*c_prev*f*(1 - f)"),
    ("answer_gru_dh_prev", GRU),
    ("answer_gru_dh_prev", GRU.replace("z", "sigmoid(wz*x + uz*h + bz)", 1)),
    ("answer_gru_dh_prev", GRU.replace("z", "1/(1 + exp(-(wz*x + uz*h + bz)))", 1)),
    ("answer_gru_dh_prev", "z + (1-z)*(1-tanh(wh*x + uh*r*h + bh)**2)*uh*r*(1 + h*(1-r)*ur)"
                           " + (h-n)*z*(1-z)*uz"),
]


@pytest.mark.parametrize("item, answer", EQUIVALENT,
                         ids=[f"{i}:{a[:30]}" for i, a in EQUIVALENT])
def test_equivalent_rewrites_are_accepted(item, answer):
    assert check(item, answer)["verdict"] == "equivalent"


WRONG = [
    ("answer_residual_dh", "u*(1 - tanh(u*h + w*x + b)**2)", "missing identity term"),
    ("answer_residual_dh", "1 + u*tanh(u*h + w*x + b)", "tanh instead of its derivative"),
    ("answer_lstm_dc_prev", "dc*f", "missing dh path"),
    ("answer_lstm_dc_prev", "(dc + dh*o*(1 - tanh(c)**2))", "missing factor f"),
    ("answer_lstm_dforget", "(dc + dh*o*(1 - tanh(c)**2))*c_prev", "missing sigma' factor"),
    ("answer_lstm_dforget", "(dc + dh*o*(1 - tanh(c)**2))*c_prev*f", "sigma instead of sigma'"),
    ("answer_gru_dh_prev", "z + (1-z)*(1-n**2)*uh*r + (h-n)*z*(1-z)*uz", "missing reset-gate path"),
    ("answer_gru_dh_prev", "z + (1-z)*(1-n**2)*uh*(r + h*r*(1-r)*ur) + (h-n)*uz",
     "missing sigma' of the update gate"),
]


@pytest.mark.parametrize("item, answer, label", WRONG, ids=[w[2] for w in WRONG])
def test_wrong_derivations_are_rejected_with_a_true_counterexample(item, answer, label):
    result = check(item, answer)
    assert result["verdict"] == "not_equivalent"
    point = result["counterexample"]
    assert list(point) == list(ITEMS[item].symbols)
    for name, (lo, hi) in ITEMS[item].domain.items():
        assert lo <= point[name] <= hi
    # Independent check of both values with SymPy's own evaluation (50 digits).
    subs = {S.symbol(k): sympy.Rational(str(v)) for k, v in point.items()}
    reference = getattr(S, ITEMS[item].reference.split(":")[1])()
    ref_value = float(reference.subs(subs).rewrite(sympy.exp).evalf(50))
    assert result["reference_value"] == pytest.approx(ref_value, rel=1e-12, abs=1e-12)
    assert abs(result["student_value"] - result["reference_value"]) > 1e-6


def test_not_equivalent_message_names_point_and_values():
    result = check("answer_lstm_dc_prev", "dc*f")
    p, s, r = result["counterexample"], result["student_value"], result["reference_value"]
    point = ", ".join(f"{k} = {v:.10g}" for k, v in p.items())
    assert verdict_message(result, "en") == (
        f"Not equal to the reference: at the point ({point}) your expression gives {s:.10g}, "
        f"but the correct value is {r:.10g}. Check your derivation, e.g. for a missing factor "
        "or term.")
    assert verdict_message(result, "zh").startswith(f"与参考答案不相等：在点（{point}）处")


@pytest.mark.parametrize("answer, verdict, message", [
    ("", "unanswered",
     "No answer: the answer string is empty. Write your expression between the quotes."),
    ("   \n", "unanswered",
     "No answer: the answer string is empty. Write your expression between the quotes."),
    ("dc*f^2", "unparsable",
     "Your answer could not be read. Column 5: '^' is not a power in Python: use ** for powers, "
     "e.g. x**2. Expected here: '**'. Fix the expression and check it again."),
], ids=["empty", "blank", "caret"])
def test_unanswered_and_unparsable(answer, verdict, message):
    result = check("answer_lstm_dc_prev", answer)
    assert result["verdict"] == verdict
    assert verdict_message(result, "en") == message


def test_expression_undefined_where_reference_is_defined_is_not_equivalent():
    # Equal wherever x > 0; for x < 0, sqrt(x**3) has no real value.
    result = check("answer_residual_dh", "1 + u*(1 - tanh(u*h + w*x + b)**2) + sqrt(x**3) - x*sqrt(x)")
    assert result["verdict"] == "not_equivalent"
    assert result["student_value"] is None and result["counterexample"]["x"] <= 0
    assert "your expression is undefined" in verdict_message(result, "en")


def test_tiny_constant_difference_is_borderline_and_large_one_is_not():
    assert check("answer_lstm_dc_prev", DC_PREV + " + 1e-12")["verdict"] == "equivalent"
    assert check("answer_lstm_dc_prev", DC_PREV + " + 1e-5")["verdict"] == "not_equivalent"


def test_hostile_growth_is_cut_short_not_computed():
    result = check("answer_residual_dh", "exp(exp(exp(exp(exp(u)))))")
    assert result["verdict"] == "not_equivalent"


def test_abbreviations_may_use_each_other_but_not_in_a_cycle():
    out = expand_abbreviations(("a", "b"), {"n": "tanh(r*a)", "r": "sigmoid(b)"})
    assert out[S.symbol("n")] == sympy.tanh(S.sigmoid(S.symbol("b")) * S.symbol("a"))
    with pytest.raises(SpecError, match="cycle"):
        expand_abbreviations(("a",), {"p": "q + a", "q": "p*a"})
