"""The reference derivation page (HTML with MathML) and its markdown form, printed from SymPy."""
from solutions.derivation.mathml import to_latex, to_mathml
from solutions.derivation.render import derivation_markdown_sections, render_derivation_html

__all__ = ["render_derivation_html", "derivation_markdown_sections", "to_mathml", "to_latex"]
