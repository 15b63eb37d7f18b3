"""Remove IPython-only lines from notebook code so that plain Python can run it.

Jupyter and Colab accept lines that are not Python: line magics (``%matplotlib inline``), cell
magics (``%%time`` on the first line), shell escapes (``!pip install x``, ``files = !ls``), help
(``?obj``, ``obj??``) and automagics written without ``%`` (``cd '/content/drive/My Drive'``,
``pip install x``, ``pwd``). Each such line is replaced by a blank line (or ``pass`` at the same
indentation inside a block), so the line numbers of everything else stay true and error messages
point at the student's own lines.

Only lines that start a statement are considered: the scanner follows strings, brackets and
backslash continuations, so a docstring line that reads ``ls`` or ``% of the data`` is left alone.

This module is standard-library only and runs on Python >= 3.9: it is copied verbatim into the
students' local-check kit, so their local check and the grader strip exactly the same lines.
"""
from __future__ import annotations

import ast
import re
from typing import List, Optional, Tuple

__all__ = ["strip_magics", "cell_magic", "PYTHON_BODY_CELL_MAGICS", "LineScanner"]

# Cell magics whose body is ordinary Python that runs once (timed, captured or profiled): the body
# is kept and only the magic line goes. Any other cell magic (%%bash, %%writefile, %%html, ...)
# makes the whole cell something other than Python, and it is skipped.
PYTHON_BODY_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})

# Magic names IPython runs without the % prefix (automagic) and the shell aliases it defines on
# POSIX. A line starting with one of them is removed only when it is not Python at all
# (`cd ..`, `pip install x`) or is a bare name / flag expression with no effect (`pwd`, `ls -la`).
_AUTOMAGICS = frozenset(
    """
    aimport alias autoawait autocall autoreload bookmark cat cd clear colors conda config cp
    debug dhist dirs doctest_mode env gui history killbgscripts ldir less lf lk ll load_ext
    logoff logon logstart logstate logstop ls lsmagic lx macro magic mamba man matplotlib
    micromamba mkdir more mv notebook page pdb pdef pdoc pfile pinfo pinfo2 pip popd pprint
    precision prun psearch psource pushd pwd pycat pylab quickref recall reload_ext rehashx
    rerun reset reset_selective rm rmdir run save sc store sx system tb tensorflow_version time
    timeit unalias unload_ext who who_ls whos xdel xmode
    """.split()
)

# A line that `_replacement` could change: its text starts with % or !, it holds a `?` (help), an
# `=` followed by ! or % (`files = !ls`), or it starts with an automagic name followed by blank space
# or nothing. Blank space here is any but a newline, as str.lstrip sees it. Most files have no such
# line; then nothing needs the line-by-line scan. A superset of the lines changed is all it must be.
_RARE_CHARS = re.compile(r"[%!?]")  # every such line but an automagic one holds one of these
_MAYBE_CHANGED = re.compile(r"[^\S\n]*[%!]|[^\n]*\?|[^\n]*=[^\S\n]*[!%]")
_AUTOMAGIC_NAMES = "(?:" + "|".join(sorted(_AUTOMAGICS, key=len, reverse=True)) + r")(?=\s|\Z)"
_AUTOMAGIC_START = re.compile(r"[^\S\n]*" + _AUTOMAGIC_NAMES)
_AUTOMAGIC_LINE = re.compile(r"\n[^\S\n]*" + _AUTOMAGIC_NAMES)
# Characters the scanner acts on outside a string; all others only move it along.
_SCANNED = re.compile(r"[#\"'()\[\]{}\\]")
_IN_STRING = {q: re.compile(r"\\|" + re.escape(q)) for q in ('"', "'", '"""', "'''")}

_CELL_MAGIC = re.compile(r"^%%\s*(\w*)")
_HELP = re.compile(r"^(\?{1,2}\s*[\w.*\[\]]+(\(\))?|[\w.*\[\]]+\s*\?{1,2})\s*(#.*)?$")
_ASSIGN_ESCAPE = re.compile(r"^[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[!%]")
_AUTOMAGIC = re.compile(r"^([A-Za-z_]\w*)(?:\s+(.*))?$")
_TIMED_LINE = re.compile(r"^%(time|timeit)\s+(?!-)(.+)$")
# Node types of an expression that only names things (`pwd`, `ls -la`): dropping it loses nothing.
_INERT_NODES = (ast.Expression, ast.Name, ast.Constant, ast.BinOp, ast.UnaryOp, ast.Load,
                ast.operator, ast.unaryop)


def cell_magic(source: str) -> Optional[str]:
    """The name of the cell magic on the first non-blank line (``"time"`` for ``%%time``), or None."""
    for line in _split(source):
        if line.strip():
            m = _CELL_MAGIC.match(line.lstrip())
            return m.group(1) if m else None
    return None


def strip_magics(source: str, cell_magics: bool = True) -> Tuple[str, List[Tuple[int, str]]]:
    """Return ``(new_source, removed)``: the source with IPython-only lines blanked out.

    ``removed`` lists ``(line_no, original_line)`` (1-based) for every line that was changed. The
    new source has exactly as many lines as the old one. A ``%time stmt`` / ``%timeit stmt`` line
    keeps ``stmt`` (it runs once); a cell magic that does not hold Python blanks the whole cell and
    reports only its first line (see :func:`cell_magic`). With ``cell_magics=False`` (a whole .py
    file rather than a cell) a ``%%`` line is removed like any line magic and the rest stays.
    """
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    candidates = _candidate_lines(source)
    if not candidates:
        return source, []
    lines = source.split("\n")
    removed: List[Tuple[int, str]] = []
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if cell_magics and first is not None and lines[first].lstrip().startswith("%%"):
        removed.append((first + 1, lines[first]))
        if (cell_magic(source) or "") not in PYTHON_BODY_CELL_MAGICS:
            return "\n".join("" for _ in lines), removed
        lines[first] = ""  # the body stays; a blank line is still a statement start

    scanner = LineScanner()
    out: List[str] = []
    in_escape = False  # a removed line ended with a backslash: its continuation goes too
    for number, line in enumerate(lines, start=1):
        if in_escape:
            removed.append((number, line))
            out.append("")
            in_escape = line.rstrip().endswith("\\")
            continue
        if number in candidates and scanner.at_statement_start():
            replacement = _replacement(line)
            if replacement is not None:
                removed.append((number, line))
                out.append(replacement)
                in_escape = line.rstrip().endswith("\\")
                continue
        scanner.feed(line)
        out.append(line)
    return "\n".join(out), removed


def _split(source: str) -> List[str]:
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _candidate_lines(source: str) -> set:
    """Numbers (1-based) of the lines that might be IPython-only (see ``_MAYBE_CHANGED``)."""
    found: set = set()
    checked: set = set()  # each line is matched once, however many of the characters it holds
    line, pos = 1, 0

    def line_at(at: int) -> int:
        nonlocal line, pos
        line += source.count("\n", pos, at)
        pos = at
        return line

    for m in _RARE_CHARS.finditer(source):
        number = line_at(m.start())
        if number not in checked:
            checked.add(number)
            start = source.rfind("\n", 0, m.start()) + 1
            if _MAYBE_CHANGED.match(source, start):
                found.add(number)
    line, pos = 1, 0
    if _AUTOMAGIC_START.match(source):
        found.add(1)
    for m in _AUTOMAGIC_LINE.finditer(source):
        found.add(line_at(m.start() + 1))
    return found


def _replacement(line: str) -> Optional[str]:
    """What replaces ``line`` if it is IPython-only syntax, else None (the line is Python)."""
    stripped = line.lstrip()
    if not stripped:
        return None
    indent = line[: len(line) - len(stripped)]
    filler = indent + "pass" if indent else ""
    text = stripped.rstrip()
    if text.startswith("%"):
        timed = _TIMED_LINE.match(text)
        if timed and _parses(timed.group(2)):
            return indent + timed.group(2)
        return filler
    if text.startswith("!") or _HELP.match(text) or _ASSIGN_ESCAPE.match(text):
        return filler
    m = _AUTOMAGIC.match(text)
    if m and m.group(1) in _AUTOMAGICS and _is_automagic(text, m.group(2) or ""):
        return filler
    return None


def _is_automagic(text: str, rest: str) -> bool:
    """Would IPython run ``text`` as a magic? Yes if it is not Python, or Python that does nothing."""
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # Not an expression. A statement (`time = 3`, `ls += [1]`) or the start of one that spans
        # lines (`time = (`) is Python and stays; anything else (`cd ..`, `pip install x`) is a magic.
        if rest[:1] in tuple("=([{,:;") or re.match(r"^[-+*/%@&|^<>]{1,2}=", rest):
            return False
        try:
            ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return True
        return False
    return all(isinstance(node, _INERT_NODES) for node in ast.walk(tree))


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


class LineScanner:
    """Follows strings, brackets and backslash continuations across lines.

    Deliberately small: it only has to know whether the next line starts a new statement. Prefixes
    (r, b, f) do not matter for that, because a backslash before a quote never ends a string.
    """

    def __init__(self) -> None:
        self.quote: Optional[str] = None  # delimiter of a string still open at the end of a line
        self.depth = 0  # open brackets
        self.continued = False  # the last line ended with a backslash outside a string

    def reset(self) -> None:
        self.quote, self.depth, self.continued = None, 0, False

    def at_statement_start(self) -> bool:
        return self.quote is None and self.depth == 0 and not self.continued

    def feed(self, line: str) -> None:
        # Jumps from one character that matters to the next (a regular-expression search) instead
        # of stepping through every character: the same states, several times faster.
        self.continued = False
        i, n = 0, len(line)
        while i < n:
            if self.quote is not None:
                m = _IN_STRING[self.quote].search(line, i)
                if m is None:
                    break
                if m.group() == "\\":
                    i = m.start() + 2
                else:
                    i = m.end()
                    self.quote = None
                continue
            m = _SCANNED.search(line, i)
            if m is None:
                break
            i = m.start()
            ch = line[i]
            if ch == "#":
                break
            if ch in "\"'":
                self.quote = line[i:i + 3] if line[i:i + 3] in ('"""', "'''") else ch
                i += len(self.quote)
                continue
            if ch in "([{":
                self.depth += 1
            elif ch in ")]}":
                self.depth = max(0, self.depth - 1)
            elif ch == "\\" and i == n - 1:
                self.continued = True
            i += 1
        if self.quote in ("'", '"') and not line.endswith("\\"):
            self.quote = None  # an unterminated one-line string ends with its line
