"""A ``.py`` file as a submission: one unit per top-level statement, so one failing statement does not
stop the rest. A file that does not parse as a whole is cut into top-level blocks first: every block
that parses still loads, and the broken one becomes a unit whose SyntaxError the sandbox reports."""
from __future__ import annotations

import ast
import re
from typing import Optional

from grader.loading.answers import StaticAnswers
from grader.loading.code_notes import parse_or_none, read_answers, shorten, strip_with_notes
from grader.loading.magics import LineScanner
from grader.core.places import place
from grader.loading.units import CodeUnit, FreeAnswer, LoadedSubmission
from msgcat import message

LOCAL_CHECK_MODULE = "rnngrade_local"  # statements using the students' local checker are skipped

# A column-0 line that continues the statement before it rather than starting a new one.
_CONTINUES = re.compile(r"^(else|elif|except|finally)\b|^[)\]}]")
# A column-0 line that always starts a block in a broken file, even after an unclosed bracket, so
# that one `foo(` does not swallow every function after it.
_FRESH_START = re.compile(r"^(async\s+def|def|class)\s|^@")
_MAX_JOINED = 30  # pieces tried together when re-joining a broken block (bounds the parse work)


def python_submission(text: str) -> LoadedSubmission:
    """Build the submission from the file's text (path and hash are filled in by the caller)."""
    source, notes = strip_with_notes(text, lambda n: place(line=n), cell_magics=False)
    lines = source.split("\n")
    collector = StaticAnswers(notes)
    units: list[CodeUnit] = []
    tree = parse_or_none(source)  # each student's file is their own: no cache (see trees.py)
    if tree is not None:
        units.extend(_statement_units(tree, lines, 1, notes, collector))
    else:
        notes.append(message("note.file_cut", error=_syntax_error(source)))
        for start, end, block_tree in _parsed_pieces(lines):
            block = "\n".join(lines[start - 1:end])
            if block_tree is not None:
                units.extend(_statement_units(block_tree, lines, start, notes, collector))
            elif LOCAL_CHECK_MODULE not in block:
                label = f"line {start}"
                read_answers(block, None, collector, lambda _l, start=start: place(line=start), label)
                units.append(CodeUnit(label=label, source=block.rstrip("\n"), cell_index=None,
                                      first_line=start))
    free = {name: FreeAnswer(text=value) for name, value in collector.free_strings.items()}
    return LoadedSubmission(path=None, kind="python", units=units, answers=dict(collector.answers),
                            free=free, notes=notes, error=None)


def _statement_units(tree: ast.Module, lines: list, offset: int, notes: list,
                     collector: StaticAnswers) -> list[CodeUnit]:
    """One unit per top-level statement of ``tree`` (parsed from the file's lines from ``offset``).

    Statements sharing a line (``a = 1; b = 2``) share a unit, since a unit is whole lines.
    """
    groups: list[list] = []  # [start, end, [stmts]] in file lines
    for stmt in tree.body:
        start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
        start, end = start + offset - 1, stmt.end_lineno + offset - 1
        if groups and start <= groups[-1][1]:
            groups[-1][1] = max(end, groups[-1][1])
            groups[-1][2].append(stmt)
        else:
            groups.append([start, end, [stmt]])
    units = []
    for start, end, stmts in groups:
        source = "\n".join(lines[start - 1:end])
        label = f"line {start}"
        if LOCAL_CHECK_MODULE in source:
            continue
        if all(_is_ipython_call(s) for s in stmts):
            notes.append(message("note.ipython_call_skipped", label=place(line=start), call=shorten(source)))
            continue
        module = ast.Module(body=stmts, type_ignores=[])
        read_answers(source, module, collector, lambda line, base=offset: place(line=line + base - 1), label)
        units.append(CodeUnit(label=label, source=source, cell_index=None, first_line=start, tree=module))
    return units


def _is_ipython_call(stmt: ast.stmt) -> bool:
    """`get_ipython().run_line_magic(...)` and the like, as Jupyter writes magics into an exported .py."""
    if not isinstance(stmt, (ast.Expr, ast.Assign)):
        return False
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
               and node.func.id == "get_ipython" for node in ast.walk(stmt.value))


def _parsed_pieces(lines: list) -> list[tuple]:
    """``(first_line, last_line, tree or None)`` covering a file that does not parse.

    The file is cut into top-level blocks; a block that does not parse is cut again at every
    column-0 statement line, even inside brackets (an unclosed ``def f(x:`` must not swallow the
    code after it), and the pieces are joined again greedily: the shortest run of pieces that
    parses becomes a block, a piece that parses with none of the next few stays alone, broken.
    """
    out = []
    for start, end in top_level_blocks(lines):
        tree = parse_or_none("\n".join(lines[start - 1:end]))
        if tree is not None:
            out.append((start, end, tree))
            continue
        pieces = top_level_blocks(lines[start - 1:end], inside_brackets=True)
        pieces = [(a + start - 1, b + start - 1) for a, b in pieces]
        i = 0
        while i < len(pieces):
            for j in range(i, min(len(pieces), i + _MAX_JOINED)):
                tree = parse_or_none("\n".join(lines[pieces[i][0] - 1:pieces[j][1]]))
                if tree is not None:
                    out.append((pieces[i][0], pieces[j][1], tree))
                    i = j + 1
                    break
            else:
                out.append((pieces[i][0], pieces[i][1], None))
                i += 1
    return out


def top_level_blocks(lines: list, inside_brackets: bool = False) -> list[tuple[int, int]]:
    """``(first_line, last_line)`` of each top-level block of a file that may not parse.

    A non-blank, non-comment line at column 0 that starts a statement (outside strings and
    brackets) begins a block, except continuation lines (``else:``, ``except``, a closing bracket);
    decorators stay with the definition that follows them. Blank and comment lines stay with the
    block before them. With ``inside_brackets``, open brackets do not hold a block together.
    """
    scanner = LineScanner()
    blocks: list[list[int]] = []
    in_decorators = False
    for number, line in enumerate(lines, start=1):
        column0 = line[:1] not in ("", " ", "\t", "#")
        if inside_brackets:
            scanner.depth = 0
        starts = column0 and scanner.at_statement_start() and not _CONTINUES.match(line)
        if column0 and not starts and scanner.quote is None and _FRESH_START.match(line):
            scanner.reset()
            starts = True
        if starts and in_decorators and (line.startswith("@") or _FRESH_START.match(line)):
            starts = False  # the decorated definition continues the decorators' block
            in_decorators = line.startswith("@")
        elif starts:
            in_decorators = line.startswith("@")
        if starts:
            blocks.append([number, number])
        elif blocks:
            blocks[-1][1] = number
        scanner.feed(line)
    return [(start, end) for start, end in blocks]


def _syntax_error(source: str) -> str:
    try:
        compile(source, "<submission>", "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
    except SyntaxError as exc:
        return f"SyntaxError at line {exc.lineno}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return "unknown error"


def decode_python(data: bytes) -> Optional[str]:
    """The file's text: UTF-8, UTF-8 with a byte-order mark, or a declared PEP 263 encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    else:
        candidates = ["utf-8"]
    declared = _declared_encoding(data)
    if declared:
        candidates.append(declared)
    for encoding in candidates:
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _declared_encoding(data: bytes) -> Optional[str]:
    for line in data.split(b"\n", 2)[:2]:
        m = re.match(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", line)
        if m:
            return m.group(1).decode("ascii")
    return None
