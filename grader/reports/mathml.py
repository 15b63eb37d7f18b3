"""MathML for symbolic answers: made from SymPy expressions, and re-checked before it enters HTML.

``expr_to_mathml`` prints a SymPy expression as presentation MathML inside ``<math>``.
``safe_mathml`` is the only way MathML reaches a report: it parses the markup as XML, keeps only
presentation elements and attributes on an allow-list, rewrites ``mfenced`` (not part of MathML
Core, which browsers render) as an ``mrow`` with explicit parentheses, and serialises it again with
every text node escaped. Anything else (a tag outside the list, a DOCTYPE, broken XML) yields
``None`` and the report shows the plain-text answer instead.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

from markupsafe import Markup, escape

_ELEMENTS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup", "mfrac",
    "msqrt", "mroot", "mstyle", "mpadded", "mphantom", "munder", "mover", "munderover", "mtable",
    "mtr", "mtd", "semantics", "mfenced",
}
_ATTRIBUTES = {
    "display", "mathvariant", "stretchy", "fence", "separator", "form", "lspace", "rspace",
    "linethickness", "displaystyle", "scriptlevel", "open", "close", "separators", "xmlns",
}
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
MATHML_NS = "http://www.w3.org/1998/Math/MathML"


def expr_to_mathml(expr) -> str:
    """Presentation MathML of a SymPy expression, wrapped in ``<math>``."""
    from sympy.printing.mathml import mathml

    return f'<math xmlns="{MATHML_NS}">{mathml(expr, printer="presentation")}</math>'


def _named_entities_to_chars(text: str) -> str | None:
    # SymPy writes HTML named entities (&InvisibleTimes;, &ExponentialE;) that XML does not know.
    unknown = []

    def repl(m: re.Match) -> str:
        name = m.group(1)
        if name in ("amp", "lt", "gt", "quot", "apos"):
            return m.group(0)
        ch = html.entities.html5.get(name + ";")
        if ch is None:
            unknown.append(name)
            return ""
        return ch

    out = _ENTITY.sub(repl, text)
    return None if unknown else out


def _clean(el: ET.Element) -> str | None:
    tag = el.tag.split("}", 1)[-1]
    if tag not in _ELEMENTS:
        return None
    attrs = {}
    for k, v in el.attrib.items():
        k = k.split("}", 1)[-1]
        if k not in _ATTRIBUTES:
            return None
        attrs[k] = v
    children = []
    for child in el:
        c = _clean(child)
        if c is None:
            return None
        children.append(c)
    text = str(escape(el.text or ""))
    if tag == "mfenced":
        open_, close = attrs.get("open", "("), attrs.get("close", ")")
        sep = attrs.get("separators", ",")[:1]
        joined = f"<mo>{escape(sep)}</mo>".join(children) if sep else "".join(children)
        return f"<mrow><mo>{escape(open_)}</mo>{joined}<mo>{escape(close)}</mo></mrow>"
    if tag == "math":
        attrs = {k: v for k, v in attrs.items() if k == "display"}
        attrs["xmlns"] = MATHML_NS
    attr_text = "".join(f' {k}="{escape(v)}"' for k, v in sorted(attrs.items()))
    inner = text + "".join(c + str(escape(ch.tail or "")) for c, ch in zip(children, el))
    return f"<{tag}{attr_text}>{inner}</{tag}>"


_CACHED_LENGTH = 20_000  # longer markup is checked each time: the cache must stay small


def safe_mathml(markup: str | None, *, display: str = "inline") -> Markup | None:
    """Allow-listed MathML as ``Markup``, or ``None`` when the input is not clean MathML."""
    if not markup or not isinstance(markup, str) or len(markup) > 200_000 or "<!" in markup:
        return None
    if type(markup) is str and type(display) is str and len(markup) <= _CACHED_LENGTH:
        # A class shares its reference expressions and most spellings of the answers.
        return _safe_mathml_cached(markup, display)
    return _safe_mathml(markup, display)


@lru_cache(maxsize=1024)
def _safe_mathml_cached(markup: str, display: str) -> Markup | None:
    return _safe_mathml(markup, display)


def _safe_mathml(markup: str, display: str) -> Markup | None:
    text = _named_entities_to_chars(markup.strip())
    if text is None:
        return None
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    if root.tag.split("}", 1)[-1] != "math":
        wrapper = ET.Element("math")
        wrapper.append(root)
        root = wrapper
    root.attrib.pop("display", None)
    root.set("display", display)
    cleaned = _clean(root)
    return Markup(cleaned) if cleaned is not None else None
