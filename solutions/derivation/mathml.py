"""Print SymPy expressions for people: presentation MathML (HTML reports) and LaTeX (notebooks).

Two display-only node types fill gaps of SymPy's presentation-MathML printer: :class:`Partial`
(∂a/∂b with plain symbols) and :class:`ProductOver` (Π over an index range).
"""
from __future__ import annotations

import sympy
from sympy.printing.mathml import mathml


def to_mathml(expr: sympy.Basic) -> str:
    """Presentation MathML of ``expr`` wrapped in ``<math>`` (σ printed as σ, c_prev as c_prev)."""
    body = mathml(expr, printer="presentation")
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML">{body}</math>'


def to_latex(expr: sympy.Basic) -> str:
    """LaTeX of ``expr`` (for markdown cells of the instructor's notebook)."""
    return sympy.latex(expr)


class Partial(sympy.Expr):
    """∂num/∂den between two symbols, e.g. Partial(h_t, h_{t−1}); for display only."""

    def _latex(self, printer):
        num, den = (printer._print(a) for a in self.args)
        return r"\frac{\partial %s}{\partial %s}" % (num, den)

    def _mathml_presentation(self, printer):
        frac = printer.dom.createElement("mfrac")
        for arg in self.args:
            row = printer.dom.createElement("mrow")
            d = printer.dom.createElement("mo")
            d.appendChild(printer.dom.createTextNode("∂"))
            row.appendChild(d)
            row.appendChild(printer._print(arg))
            frac.appendChild(row)
        return frac


class ProductOver(sympy.Expr):
    """Π_{index = lo}^{hi} term, printed but never evaluated; for display only."""

    def _latex(self, printer):
        term, index, lo, hi = (printer._print(a) for a in self.args)
        return r"\prod_{%s=%s}^{%s} %s" % (index, lo, hi, term)

    def _mathml_presentation(self, printer):
        term, index, lo, hi = self.args
        dom = printer.dom
        under = dom.createElement("mrow")
        under.appendChild(printer._print(index))
        eq = dom.createElement("mo")
        eq.appendChild(dom.createTextNode("="))
        under.appendChild(eq)
        under.appendChild(printer._print(lo))
        op = dom.createElement("mo")
        op.appendChild(dom.createTextNode("∏"))
        uo = dom.createElement("munderover")
        uo.appendChild(op)
        uo.appendChild(under)
        uo.appendChild(printer._print(hi))
        row = dom.createElement("mrow")
        row.appendChild(uo)
        row.appendChild(printer._print(term))
        return row
