"""Read a student's symbolic answer into a SymPy expression without evaluating any of it.

The text goes through cheap checks first (length, characters, ``^``, bracket depth), then
``ast.parse(mode="eval")``, then an allowlist walk that builds the SymPy expression node by node:
numbers, the item's symbols and abbreviation names, ``+ - * / **``, unary ``±`` and calls of
``exp, log, sqrt, tanh, sigmoid, sinh, cosh`` with one positional argument. Nothing else is
accepted, and nothing is ever passed to ``eval``/``sympify``. Every problem is a :class:`ParseError`
with a 1-based column and what was expected there.
"""
from __future__ import annotations

import ast
import difflib
import math
import re
from fractions import Fraction

import sympy

import msgcat
from grader.symbolic import messages as M
from solutions.symbolic import sigmoid, symbol

MAX_LENGTH = 2000
MAX_BRACKET_DEPTH = 50
MAX_TREE_DEPTH = 200
MAX_EXPONENT = 100  # |constant exponent| and its denominator
MAX_DIGITS = 1000  # digits of a constant built from powers of numbers

FUNCTIONS = {
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "tanh": sympy.tanh,
    "sigmoid": sigmoid,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
}

_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _BRACKETS.items()}

_OPERATOR_TEXT = {
    ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitOr: "|", ast.BitAnd: "&",
    ast.LShift: "<<", ast.RShift: ">>", ast.Invert: "~", ast.Not: "not",
}
_CONSTRUCT_OF = {
    ast.Attribute: "attribute", ast.Lambda: "lambda", ast.ListComp: "comprehension",
    ast.SetComp: "comprehension", ast.DictComp: "comprehension", ast.GeneratorExp: "comprehension",
    ast.Subscript: "subscript", ast.Compare: "compare", ast.BoolOp: "boolop", ast.IfExp: "ifexp",
    ast.List: "container", ast.Tuple: "container", ast.Set: "container", ast.Dict: "container",
    ast.Starred: "starred", ast.NamedExpr: "walrus", ast.JoinedStr: "fstring",
}


class ParseError(ValueError):
    """A problem with an answer's text: ``code`` (see messages.PROBLEMS), 1-based ``column``,
    ``expected`` (a key of messages.EXPECTED) and the fields the messages need."""

    def __init__(self, code: str, column: int | None, expected: str, **fields):
        super().__init__(code)
        self.code = code
        self.column = column
        self.expected_key = expected
        self.fields = fields

    def expected(self, lang: str = "en") -> str:
        return M.texts(lang).render(self.expected_message(lang))

    def expected_message(self, lang: str = "en") -> dict:
        """What was expected here, as a message of the symbolic catalogue (``lang`` only reads the
        hints of an older cached verdict, stored as ``{"en", "zh"}`` texts)."""
        return msgcat.message(f"expected.{self.expected_key}", **self._fields(lang))

    def _fields(self, lang: str) -> dict:
        fields = dict(self.fields, functions=M.FUNCTIONS_TEXT)
        for key in ("suggestion", "hint"):
            value = fields.get(key) or ""
            if isinstance(value, dict) and "key" not in value:  # {"en", "zh"}: an older gradebook's
                value = value.get(lang) or value.get("en", "")
            fields[key] = value
        return fields

    def message(self, lang: str = "en") -> str:
        return M.texts(lang).render(self.as_message(lang))

    def as_message(self, lang: str = "en") -> dict:
        """The problem as a message of the symbolic catalogue, rendered where it is shown:
        "<where>: <problem> <expected>" (``line.at_column``), or "<Problem> <expected>"."""
        fields = self._fields(lang)
        if self.code == "not_allowed":
            fields["what"] = msgcat.message(f"construct.{fields['construct']}", **fields)
        problem = msgcat.message(f"problem.{self.code}", **fields)
        expected = msgcat.message("expected_line", expected=self.expected_message(lang))
        if self.column is None:
            return msgcat.message("line.no_column", problem=msgcat.capitalized(problem), expected=expected)
        return msgcat.message("line.at_column", where=msgcat.message("where", column=self.column),
                              problem=problem, expected=expected)

    def to_dict(self) -> dict:
        return {"code": self.code, "column": self.column, "expected": self.expected_key,
                "fields": self.fields}

    @classmethod
    def from_dict(cls, d: dict) -> "ParseError":
        return cls(d["code"], d["column"], d["expected"], **d["fields"])


# ---------------------------------------------------------------------------------------------
# Checks on the raw text (before ast.parse: deep nesting can crash the parser)
# ---------------------------------------------------------------------------------------------

def precheck(text: str) -> str:
    """Length, characters, ``^`` and brackets; returns the text without surrounding whitespace
    (columns stay those of the original text)."""
    if len(text) > MAX_LENGTH:
        raise ParseError("too_long", MAX_LENGTH + 1, "end", length=len(text), limit=MAX_LENGTH)
    for k, ch in enumerate(text):
        if not (ch.isascii() and (ch.isprintable() or ch in " \t\r\n")):
            hint = M.character_hint(ch) or ""
            raise ParseError("character", k + 1, "ascii", char=ch, hint=hint)
    if "^" in text:
        raise ParseError("caret", text.index("^") + 1, "power")
    stack: list[tuple[str, int]] = []
    for k, ch in enumerate(text):
        if ch in _BRACKETS:
            stack.append((ch, k + 1))
            if len(stack) > MAX_BRACKET_DEPTH:
                raise ParseError("too_deep", k + 1, "shallower", limit=MAX_BRACKET_DEPTH)
        elif ch in _CLOSERS:
            if not stack:
                raise ParseError("unmatched_close", k + 1, "opening", char=ch)
            opener, col = stack.pop()
            if _BRACKETS[opener] != ch:
                raise ParseError("mismatched", k + 1, "match", char=ch, open=opener,
                                 open_column=col, want=_BRACKETS[opener])
    if stack:
        opener, col = stack[-1]
        raise ParseError("unclosed", col, "closing", char=opener, want=_BRACKETS[opener])
    if not text.strip():
        raise ParseError("empty", None, "operand")
    return text


def parse_tree(text: str) -> ast.Expression:
    """precheck + ``ast.parse(mode="eval")`` + a depth limit.

    The text is parsed as ``"(" + text + ")"``, so that leading spaces and line breaks are fine;
    a node's index in that string is then the 1-based column in ``text``.
    """
    precheck(text)
    wrapped = "(" + text + ")"
    try:
        tree = ast.parse(wrapped, mode="eval")
    except SyntaxError as e:
        gap = _missing_operator(text)
        if gap is not None:
            raise ParseError("missing_operator", gap, "operator") from None
        col = _column_of_syntax_error(wrapped, e) - 1
        raise ParseError("syntax", col, _expected_at(text, col)) from None
    if _depth(tree) > MAX_TREE_DEPTH:
        raise ParseError("too_complex", None, "simpler", limit=MAX_TREE_DEPTH)
    return tree


def normalised_or_raise(text: str) -> str:
    """A key that identical answers share: ``ast.dump`` of the tree, without positions, so
    "x+1" and "x + 1" agree. Raises :class:`ParseError` like :func:`parse_tree`."""
    return ast.dump(parse_tree(text))


def _column_of_syntax_error(source: str, e: SyntaxError) -> int:
    """1-based position in ``source`` of a SyntaxError (which gives line and column)."""
    lines = source.split("\n")
    line = max(1, min(e.lineno or 1, len(lines)))
    offset = max(1, e.offset or 1)
    before = sum(len(s) + 1 for s in lines[: line - 1])
    return min(before + offset, len(source))


def _expected_at(text: str, column: int) -> str:
    """Guess what belonged at 1-based ``column``: after an operator or '(' an operand, else an
    operator. Good enough to tell "x +" from "x y"."""
    prefix = text[: column - 1].rstrip()
    if not prefix or prefix[-1] in "+-*/(,=":
        return "operand"
    return "operator"


_TOKEN = re.compile(r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_]\w*)"
                    r"|(?P<close>[)\]}])|(?P<other>\S))")


def _missing_operator(text: str) -> int | None:
    """Column of the first operand written right after another one ("2 x", "2x", "(a) b"),
    the most common reason for a syntax error in a formula; None when there is none."""
    previous, pos = None, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            return None
        kind = m.lastgroup
        start = m.start(kind)
        if kind in ("number", "name") and previous in ("number", "name", "close"):
            return start + 1
        previous, pos = kind, m.end()
    return None


def _depth(tree: ast.AST) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))
    return deepest


# ---------------------------------------------------------------------------------------------
# The allowlist walk
# ---------------------------------------------------------------------------------------------

class _Builder:
    def __init__(self, text: str, names: dict[str, sympy.Symbol]):
        self.text = text
        self.names = names
        self._line_starts = [0]
        for k, ch in enumerate(text):
            if ch == "\n":
                self._line_starts.append(k + 1)

    def column(self, lineno: int, col_offset: int) -> int:
        # col_offset counts UTF-8 bytes; the text is ASCII (precheck), so bytes are characters.
        # Index in the wrapped text "(" + answer + ")" = 1-based column in the answer.
        return self._line_starts[lineno - 1] + col_offset

    def col(self, node: ast.AST) -> int:
        return self.column(node.lineno, node.col_offset)

    def build(self, node: ast.AST) -> sympy.Expr:
        if isinstance(node, ast.Expression):
            return self.build(node.body)
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, (ast.UAdd, ast.USub)):
                value = self.build(node.operand)
                return value if isinstance(node.op, ast.UAdd) else -value
            return self.refuse(node, "operator", op=_OPERATOR_TEXT[type(node.op)])
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        construct = _CONSTRUCT_OF.get(type(node), "other")
        if isinstance(node, ast.Attribute):
            dot = self.column(node.value.end_lineno, node.value.end_col_offset)
            raise ParseError("not_allowed", dot, "operator", construct=construct)
        return self.refuse(node, construct)

    def refuse(self, node: ast.AST, construct: str, **fields):
        raise ParseError("not_allowed", self.col(node), "formula", construct=construct, **fields)

    def binop(self, node: ast.BinOp) -> sympy.Expr:
        op = type(node.op)
        if op is ast.BitXor:  # unreachable after precheck, kept for directly built trees
            raise ParseError("caret", self.col(node.right), "power")
        if op not in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow):
            op_col = self.column(node.left.end_lineno, node.left.end_col_offset)
            raise ParseError("not_allowed", op_col, "formula", construct="operator",
                             op=_OPERATOR_TEXT[op])
        left, right = self.build(node.left), self.build(node.right)
        if op is ast.Add:
            out = left + right
        elif op is ast.Sub:
            out = left - right
        elif op is ast.Mult:
            out = left * right
        elif op is ast.Div:
            out = left / right
        else:
            self.check_power(node, left, right)
            out = left ** right
            # SymPy folds (x**99)**99 into x**9801: each exponent was small, the result is not
            if (isinstance(out, sympy.Pow) and out.exp.is_Number
                    and abs(float(out.exp)) > MAX_EXPONENT):
                raise ParseError("exponent_too_large", self.col(node.right), "smaller_exponent",
                                 value=str(out.exp), limit=MAX_EXPONENT)
        if out.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I):
            raise ParseError("undefined", self.col(node), "defined")
        return out

    def check_power(self, node: ast.BinOp, base: sympy.Expr, exponent: sympy.Expr) -> None:
        if not exponent.is_number:
            return
        if not exponent.is_Rational and not exponent.is_Float:
            return  # e.g. exp(1): stays symbolic, nothing is computed
        value = Fraction(int(exponent.p), int(exponent.q)) if exponent.is_Rational \
            else Fraction(float(exponent))
        if abs(value) > MAX_EXPONENT or value.denominator > MAX_EXPONENT:
            raise ParseError("exponent_too_large", self.col(node.right), "smaller_exponent",
                             value=ast.get_source_segment(self.text, node.right) or str(exponent),
                             limit=MAX_EXPONENT)
        if base.is_number and (base.is_Rational or base.is_Float) and base != 0:
            if base.is_Float:
                size = abs(math.log10(abs(float(base))))
            else:  # math.log10 takes integers of any size
                size = abs(math.log10(abs(int(base.p))) - math.log10(int(base.q)))
            if size * abs(float(value)) > MAX_DIGITS:
                raise ParseError("number_too_large", self.col(node), "smaller_number",
                                 limit=MAX_DIGITS)

    def call(self, node: ast.Call) -> sympy.Expr:
        func = node.func
        if not isinstance(func, ast.Name):
            if isinstance(func, ast.Attribute):
                return self.build(func)
            paren = self.column(func.end_lineno, func.end_col_offset)
            raise ParseError("implicit_product", paren, "multiply")
        name = func.id
        if name not in FUNCTIONS:
            if name in self.names:
                paren = self.column(func.end_lineno, func.end_col_offset)
                raise ParseError("symbol_called", paren, "multiply", name=name)
            raise ParseError("unknown_function", self.col(func), "function", name=name,
                             suggestion=_suggest(name, FUNCTIONS))
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            where = node.keywords[0] if node.keywords else node
            raise ParseError("arguments", self.col(where), "one_argument", name=name)
        arg = self.build(node.args[0])
        out = FUNCTIONS[name](arg)
        if out.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I):
            raise ParseError("undefined", self.col(node), "defined")
        return out

    def name(self, node: ast.Name) -> sympy.Expr:
        if node.id in self.names:
            return self.names[node.id]
        if node.id in FUNCTIONS:
            raise ParseError("bare_function", self.column(node.end_lineno, node.end_col_offset),
                             "call", name=node.id)
        if node.id in ("True", "False", "None"):
            return self.refuse(node, "keyword")
        raise ParseError("unknown_name", self.col(node), "symbol", name=node.id,
                         suggestion=_suggest(node.id, self.names),
                         allowed=", ".join(self.names))

    def constant(self, node: ast.Constant) -> sympy.Expr:
        v = node.value
        if isinstance(v, bool) or v is None or v is Ellipsis:
            return self.refuse(node, "keyword")
        if isinstance(v, (str, bytes)):
            return self.refuse(node, "string")
        if isinstance(v, complex):
            raise ParseError("complex_number", self.col(node), "real_number")
        text = ast.get_source_segment(self.text, node) or repr(v)
        if isinstance(v, int):
            if len(str(abs(v))) > 300:
                raise ParseError("bad_number", self.col(node), "smaller_number", text=text[:20])
            return sympy.Integer(v)
        if not math.isfinite(v) or (v != 0 and not 1e-300 <= abs(v) <= 1e300):
            raise ParseError("bad_number", self.col(node), "smaller_number", text=text[:20])
        # repr(v) is the shortest decimal of the float, so 0.1 becomes exactly 1/10.
        frac = Fraction(repr(v))
        return sympy.Rational(frac.numerator, frac.denominator)


def _suggest(name: str, choices) -> dict | str:
    """ " (did you mean 'tanh'?)" as a message, or "" when no name is close."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return msgcat.message("suggestion", name=close[0]) if close else ""


def read_expression(text: str, names) -> sympy.Expr:
    """Parse ``text`` with the allowed names (symbols and abbreviation names, in this order).

    Raises :class:`ParseError`. Each name becomes ``solutions.symbolic.symbol(name)``.
    """
    allowed = {n: symbol(n) for n in names}
    tree = parse_tree(text)
    return _Builder("(" + text + ")", allowed).build(tree)
