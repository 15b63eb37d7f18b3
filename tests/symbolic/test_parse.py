"""Does the parser reject everything but formulas, with a message a student can act on?

Every hostile or mistaken answer is rejected before anything is built, with the verbatim message
below (column, problem, what was expected there); nothing is evaluated.
"""
import pytest
import sympy

from grader.symbolic.parse import MAX_LENGTH, ParseError, read_expression
from solutions.symbolic import sigmoid, symbol

NAMES = ["dh", "dc", "f", "i", "o", "g", "c_prev", "c"]
FORMULA_ONLY = ("is not allowed in an answer; write a formula with numbers, the item's symbols, "
                "+ - * / ** and the functions exp, log, sqrt, tanh, sigmoid, sinh, cosh. "
                "Expected here: a formula.")

REJECTED = [
    pytest.param("__import__('os').system('touch X')",
                 "Column 17: attribute access ('.') is not allowed in an answer; write a formula with numbers, the item's symbols, + - * / ** and the functions exp, log, sqrt, tanh, sigmoid, sinh, cosh. Expected here: an operator (+ - * / **) or ')'.",
                 id='attribute access (the classic escape)'),
    pytest.param('f.__class__',
                 "Column 2: attribute access ('.') is not allowed in an answer; write a formula with numbers, the item's symbols, + - * / ** and the functions exp, log, sqrt, tanh, sigmoid, sinh, cosh. Expected here: an operator (+ - * / **) or ')'.",
                 id='dunder attribute'),
    pytest.param('lambda: f',
                 'Column 1: a lambda' + " " + FORMULA_ONLY,
                 id='lambda'),
    pytest.param('[f for f in (g,)]',
                 'Column 1: a comprehension' + " " + FORMULA_ONLY,
                 id='comprehension'),
    pytest.param('9**9**9**9',
                 'Column 7: the exponent 9**9 is too large; a constant exponent must be a number between -100 and 100 (fractions with a denominator up to 100). Expected here: a smaller exponent.',
                 id='power tower of constants'),
    pytest.param("(" * 999 + "f" + ")" * 999,
                 'Column 51: brackets are nested more than 50 levels deep. Expected here: fewer nested brackets.',
                 id='999 nested parentheses'),
    pytest.param("f" * 10**6,
                 "Column 2001: the answer has 1000000 characters; at most 2000 are allowed. Write a shorter expression (the item's abbreviations help). Expected here: the end of the answer.",
                 id='a 1 MB string'),
    pytest.param('os',
                 "Column 1: 'os' is not a symbol of this item (did you mean 'o'?). Allowed names: dh, dc, f, i, o, g, c_prev, c. Expected here: one of the item's symbols.",
                 id='name not allowed'),
    pytest.param("open('x')",
                 "Column 1: 'open' is not an allowed function. Allowed: exp, log, sqrt, tanh, sigmoid, sinh, cosh. Expected here: one of exp, log, sqrt, tanh, sigmoid, sinh, cosh.",
                 id='builtin call'),
    pytest.param("eval('1')",
                 "Column 1: 'eval' is not an allowed function. Allowed: exp, log, sqrt, tanh, sigmoid, sinh, cosh. Expected here: one of exp, log, sqrt, tanh, sigmoid, sinh, cosh.",
                 id='eval is just an unknown function'),
    pytest.param("getattr(f, 'x')",
                 "Column 1: 'getattr' is not an allowed function. Allowed: exp, log, sqrt, tanh, sigmoid, sinh, cosh. Expected here: one of exp, log, sqrt, tanh, sigmoid, sinh, cosh.",
                 id='getattr'),
    pytest.param('exp(f, g)',
                 'Column 1: exp() takes exactly one argument, written without a name. Expected here: one argument.',
                 id='two arguments'),
    pytest.param('exp(x=1)',
                 'Column 5: exp() takes exactly one argument, written without a name. Expected here: one argument.',
                 id='keyword argument'),
    pytest.param('f^2',
                 "Column 2: '^' is not a power in Python: use ** for powers, e.g. x**2. Expected here: '**'.",
                 id='caret'),
    pytest.param('1 - tanh(c)^2',
                 "Column 12: '^' is not a power in Python: use ** for powers, e.g. x**2. Expected here: '**'.",
                 id='caret later'),
    pytest.param('(1-f)(dc+f)',
                 "Column 5: a product needs '*': write (...)*(...), not (...)(...). Expected here: an operator such as '*' before '('.",
                 id='implicit product of brackets'),
    pytest.param('2 f',
                 "Column 3: two terms follow each other without an operator; write * for a product, e.g. 2*x. Expected here: an operator (+ - * / **) or ')'.",
                 id='implicit product'),
    pytest.param('f +',
                 "Column 4: the formula cannot be read here. Expected here: a number, a symbol, a function call or '('.",
                 id='dangling operator'),
    pytest.param('tanhh(c)',
                 "Column 1: 'tanhh' is not an allowed function (did you mean 'tanh'?). Allowed: exp, log, sqrt, tanh, sigmoid, sinh, cosh. Expected here: one of exp, log, sqrt, tanh, sigmoid, sinh, cosh.",
                 id='misspelt function'),
    pytest.param('cprev',
                 "Column 1: 'cprev' is not a symbol of this item (did you mean 'c_prev'?). Allowed names: dh, dc, f, i, o, g, c_prev, c. Expected here: one of the item's symbols.",
                 id='misspelt symbol'),
    pytest.param('exp',
                 "Column 4: 'exp' is a function; call it with one argument, e.g. exp(x). Expected here: '(' after the name.",
                 id='bare function name'),
    pytest.param('f(2)',
                 "Column 2: 'f' is a symbol, not a function; write f*(...) for a product. Expected here: an operator such as '*' before '('.",
                 id='symbol called'),
    pytest.param('1/0',
                 'Column 1: this part is undefined (a division by zero, or the log or square root of a negative number or zero). Expected here: an expression that is defined.',
                 id='division by zero'),
    pytest.param('f−g',
                 "Column 2: the character '−' cannot be used in an answer; type - instead. Expected here: plain ASCII: letters, digits, + - * / ** ( ) and '.'.",
                 id='unicode minus'),
    pytest.param('(f',
                 "Column 1: this '(' is never closed. Expected here: a matching ')' later.",
                 id='unclosed bracket'),
    pytest.param('f)',
                 "Column 2: this ')' has no matching opening bracket. Expected here: an opening bracket earlier.",
                 id='unmatched bracket'),
    pytest.param("'f'",
                 'Column 1: a string' + " " + FORMULA_ONLY,
                 id='string'),
    pytest.param('f if g else o',
                 'Column 1: an if-expression' + " " + FORMULA_ONLY,
                 id='if-expression'),
    pytest.param('f**1000',
                 'Column 4: the exponent 1000 is too large; a constant exponent must be a number between -100 and 100 (fractions with a denominator up to 100). Expected here: a smaller exponent.',
                 id='huge exponent'),
    pytest.param('10**(1/1000)',
                 'Column 6: the exponent 1/1000 is too large; a constant exponent must be a number between -100 and 100 (fractions with a denominator up to 100). Expected here: a smaller exponent.',
                 id='huge root'),
    pytest.param('1e400',
                 'Column 1: the number 1e400 is out of range (its size must be between 1e-300 and 1e300). Expected here: a smaller number.',
                 id='too large a number'),
    pytest.param('1j',
                 'Column 1: imaginary numbers are not allowed. Expected here: a real number.',
                 id='imaginary'),
    pytest.param('f % 2',
                 "Column 2: the operator '%'" + " " + FORMULA_ONLY,
                 id='modulo'),
    pytest.param("-" * 300 + "f",
                 'The formula is nested more than 200 operations deep. Expected here: a simpler formula.',
                 id='300 unary minuses'),
    pytest.param('f[0]',
                 'Column 1: indexing with [ ]' + " " + FORMULA_ONLY,
                 id='subscript'),
    pytest.param('{f: g}',
                 'Column 1: a list, tuple, set or dict' + " " + FORMULA_ONLY,
                 id='dict'),
    pytest.param('(f := 1)',
                 "Column 2: ':='" + " " + FORMULA_ONLY,
                 id='walrus'),
    pytest.param("f'{1}'",
                 'Column 1: an f-string' + " " + FORMULA_ONLY,
                 id='f-string'),
    pytest.param('*f',
                 "Column 1: the formula cannot be read here. Expected here: a number, a symbol, a function call or '('.",
                 id='starred'),
    pytest.param('f and g',
                 "Column 1: 'and'/'or'" + " " + FORMULA_ONLY,
                 id='and'),
    pytest.param('f < g',
                 'Column 1: a comparison' + " " + FORMULA_ONLY,
                 id='comparison'),
    pytest.param('((f**99)**99)**99',
                 'Column 11: the exponent 9801 is too large; a constant exponent must be a number '
                 'between -100 and 100 (fractions with a denominator up to 100). Expected here: a '
                 'smaller exponent.',
                 id='exponents folded by sympy'),
    pytest.param('True',
                 'Column 1: a keyword' + " " + FORMULA_ONLY,
                 id='keyword constant'),
    pytest.param('not f',
                 "Column 1: the operator 'not'" + " " + FORMULA_ONLY,
                 id='not'),
]


@pytest.mark.parametrize("text, message", REJECTED)
def test_rejected_with_verbatim_message(text, message):
    with pytest.raises(ParseError) as err:
        read_expression(text, NAMES)
    assert err.value.message("en") == message


@pytest.mark.parametrize("text, message", [
    ("f^2", "第 2 列：在 Python 中“^”不是乘方：乘方请用 **，例如 x**2。此处应为：“**”。"),
    ("foo", "第 1 列：“foo”不是本题的符号。允许的名字：dh, dc, f, i, o, g, c_prev, c。此处应为：本题的符号之一。"),
    ("(f", "第 1 列：这个“(”没有闭合。此处应为：后面有对应的“)”。"),
], ids=["caret", "unknown name", "unclosed"])
def test_chinese_messages(text, message):
    with pytest.raises(ParseError) as err:
        read_expression(text, NAMES)
    assert err.value.message("zh") == message


def test_error_carries_column_and_expected_text():
    with pytest.raises(ParseError) as err:
        read_expression("dc + dh*o*(1 - tanh(c)^2)", NAMES)
    assert (err.value.code, err.value.column) == ("caret", 23)
    assert err.value.expected("en") == "'**'"
    assert err.value.expected("zh") == "“**”"


def test_import_trick_has_no_side_effect(tmp_path, monkeypatch):
    """Is code in an answer ever run? The file the answer tries to create must not appear."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "X"
    for text in (f"__import__('os').system('touch {target}')", "open('X', 'w')",
                 f"exec(\"open('{target}', 'w')\")"):
        with pytest.raises(ParseError):
            read_expression(text, NAMES)
    assert not target.exists() and not (tmp_path / "X").exists()


def test_length_is_checked_before_parsing():
    ok = "+".join(["f"] * 20)
    assert read_expression(ok, NAMES) == 20 * symbol("f")
    with pytest.raises(ParseError) as err:
        read_expression("f" + " " * MAX_LENGTH, NAMES)
    assert err.value.code == "too_long"


@pytest.mark.parametrize("text, expected", [
    ("(dc + dh*o*(1 - tanh(c)**2))*f",
     (symbol("dc") + symbol("dh") * symbol("o") * (1 - sympy.tanh(symbol("c")) ** 2)) * symbol("f")),
    ("  f*c_prev\n   + i*g  ", symbol("f") * symbol("c_prev") + symbol("i") * symbol("g")),
    ("0.5*f", sympy.Rational(1, 2) * symbol("f")),
    ("f**(1/2) - sqrt(f)", sympy.Integer(0)),
    ("-sigmoid(-f) + +1", 1 - sigmoid(-symbol("f"))),
    ("exp(log(g)) / cosh(i) * sinh(o)", symbol("g") / sympy.cosh(symbol("i")) * sympy.sinh(symbol("o"))),
    ("2**10 * f", 1024 * symbol("f")),
], ids=["dc_prev", "whitespace and line break", "decimal", "sqrt", "unary signs", "functions",
        "constant power"])
def test_formulas_build_the_expected_sympy_expression(text, expected):
    assert read_expression(text, NAMES) == expected
