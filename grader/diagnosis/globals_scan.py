"""Finding `uses_notebook_globals` in the code: a graded function that reads weights it was not given.

The student's sources are parsed with ``ast`` and never run. The function ``item_id`` (its last
module-level definition wins) reads a notebook global when a name it loads is bound neither in its own
scopes (parameters, locals, nested functions and their closures) nor as a builtin, a module imported at
top level, or a function or class defined at module level, and that name is a weight of the contract
(Wf, bf, …, Wz, …, U, W, b, Wy, by) or a module-level variable assigned an array-like value. Module-level
functions the item calls are followed, so a backward that calls a cell reading globals is found too.

Names are not the only way into the notebook's namespace: a function that reads it by reflection
(``globals()[name]``, ``globals().get("Wf")``, a frame's ``f_globals``) or through the module object
(``import __main__``, ``sys.modules[__name__]``, ``importlib.import_module("__main__")``, then an
attribute or ``getattr`` on it) reads notebook globals too, whatever the names it asks for.
"""
from __future__ import annotations

import ast
import builtins
import functools
from dataclasses import dataclass, field
from typing import Iterable, Optional, Union

from grader.loading.trees import cached_tree

CONTRACT_PARAMETER_NAMES = frozenset({
    "Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo",
    "Wz", "bz", "Wr", "br", "Wh", "bh",
    "Wy", "by", "U", "W", "b",
    "Wax", "Waa", "Wya", "ba",  # the cache-style RNN (rnn-step-by-step)
})
_BUILTINS = frozenset(dir(builtins))
_SHAPE_ATTRIBUTES = frozenset({"shape", "size", "ndim", "dtype"})
_Scope = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]


@dataclass
class _Module:
    """What the top level of the student's code binds."""

    imports: set = field(default_factory=set)
    functions: dict = field(default_factory=dict)  # name -> last FunctionDef
    classes: set = field(default_factory=set)
    arrays: set = field(default_factory=set)  # names assigned an array-like value at top level
    main_aliases: set = field(default_factory=set)  # names bound to the notebook's own module object
    # Whether the text names anything a reflective read starts from (_REFLECTION_NAMES): most
    # submissions do not, and then no function's tree is walked for one.
    reflective: bool = False


def _top_level_statements(body: list) -> Iterable[ast.stmt]:
    """Statements that run at module level, including those inside top-level if/try/with/for."""
    for stmt in body:
        yield stmt
        for attr in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, attr, None)
            if isinstance(inner, list) and not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                yield from _top_level_statements(inner)
        for handler in getattr(stmt, "handlers", []) or []:
            yield from _top_level_statements(handler.body)


def _root_name(node: ast.AST) -> Optional[str]:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _array_like(node: ast.AST, module: _Module) -> bool:
    """An expression that plausibly evaluates to an array (or a dict of arrays)."""
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Attribute) or _root_name(node.func) in module.imports
    if isinstance(node, ast.Subscript):
        return not (isinstance(node.value, ast.Attribute) and node.value.attr in _SHAPE_ATTRIBUTES)
    if isinstance(node, ast.ListComp):
        return True
    if isinstance(node, ast.List):  # numbers or nested lists; a list of names ("f", "i", ...) is not
        return any(not (isinstance(e, ast.Constant) and isinstance(e.value, str)) for e in node.elts)
    if isinstance(node, ast.BinOp):
        return _array_like(node.left, module) or _array_like(node.right, module)
    if isinstance(node, ast.Name):
        return node.id in module.arrays
    if isinstance(node, ast.Attribute):
        return node.attr == "T" or node.attr not in _SHAPE_ATTRIBUTES and _root_name(node) in module.arrays
    if isinstance(node, ast.Dict):
        return any(v is not None and _array_like(v, module) for v in node.values)
    return False


def _bind_targets(target: ast.AST, value: Optional[ast.AST], module: _Module) -> None:
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
        # `parameters_tmp['Wf'] = np.random.randn(...)`: a dict of arrays filled key by key
        if value is not None and _array_like(value, module):
            module.arrays.add(target.value.id)
        return
    if isinstance(target, ast.Name):
        if value is not None and _array_like(value, module):
            module.arrays.add(target.id)
        else:
            module.arrays.discard(target.id)
    elif isinstance(target, (ast.Tuple, ast.List)):
        pairs = value.elts if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts) else None
        for k, sub in enumerate(target.elts):
            _bind_targets(sub, pairs[k] if pairs else value, module)


@functools.lru_cache(maxsize=8)  # a few submissions: each one's trees stay alive while cached
def _read_module(sources: tuple, trees: tuple) -> _Module:
    """The top level of the student's code (cached: the grader asks once per item of a submission;
    callers must not modify the result). ``trees``: the loader's parse of each source, or None."""
    module = _Module(reflective=any(name in source for source in sources for name in _REFLECTION_NAMES))
    for source, given in zip(sources, trees):
        # shared with the loader and other students: read only
        tree = given if given is not None else cached_tree(source)
        if tree is None:
            continue  # a cell that does not parse binds nothing (the loader reports it)
        for stmt in _top_level_statements(tree.body):
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    module.imports.add(alias.asname or alias.name.split(".")[0])
                    if isinstance(stmt, ast.Import) and alias.name == "__main__":
                        module.main_aliases.add(alias.asname or alias.name)
            elif isinstance(stmt, ast.Assign) and _is_module_object(stmt.value, module.main_aliases):
                module.main_aliases.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                module.functions[stmt.name] = stmt
                module.arrays.discard(stmt.name)
            elif isinstance(stmt, ast.ClassDef):
                module.classes.add(stmt.name)
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    _bind_targets(target, stmt.value, module)
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                _bind_targets(stmt.target, stmt.value, module)
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                if _array_like(stmt.value, module):
                    module.arrays.add(stmt.target.id)
    return module


def _is_module_object(node: ast.AST, aliases) -> bool:
    """``node`` evaluates to the notebook's module: an alias of ``__main__``, ``sys.modules[…]``,
    ``importlib.import_module("__main__")`` or ``__import__("__main__")``."""
    if isinstance(node, ast.Name):
        return node.id in aliases
    if isinstance(node, ast.Subscript):
        return isinstance(node.value, ast.Attribute) and node.value.attr == "modules"
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        return called in ("import_module", "__import__") and node.args[0].value == "__main__"
    return False


def _constant_key(node: Optional[ast.AST]) -> Optional[str]:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


# Every way _reflective_reads finds starts from one of these names (a call of `globals`, an
# attribute `f_globals`, `sys.modules[…]`, `import_module`/`__import__("__main__")`, `import __main__`)
# or from an alias of the notebook's module.
_REFLECTION_NAMES = frozenset({"globals", "f_globals", "modules", "import_module", "__import__", "__main__"})


def _mentions_reflection(node: ast.AST, main_aliases: frozenset) -> bool:
    """Whether ``node`` names anything a reflective read needs (one walk; most functions do not,
    and the three walks of :func:`_reflective_reads` are then skipped)."""
    watched = _REFLECTION_NAMES | main_aliases
    for inner in ast.walk(node):
        kind = type(inner)
        if kind is ast.Name:
            if inner.id in watched:
                return True
        elif kind is ast.Attribute:
            if inner.attr in watched:
                return True
        elif kind is ast.alias and inner.name.split(".")[0] in watched:
            return True
    return False


@functools.lru_cache(maxsize=256)
def _reflective_reads(node: ast.AST, main_aliases: frozenset) -> frozenset:
    """What a function reads from the notebook's namespace by reflection or through its module object:
    the names when they are written out (``globals()["Wf"]`` -> ``Wf``), else the expression
    (``globals()[name]``). Cached per tree node, like :func:`_function_free_names`."""
    if not _mentions_reflection(node, main_aliases):
        return frozenset()
    aliases = set(main_aliases)
    for inner in ast.walk(node):  # `import __main__` inside the function binds an alias too
        if isinstance(inner, ast.Import):
            aliases.update(a.asname or a.name for a in inner.names if a.name == "__main__")
        elif isinstance(inner, ast.Assign) and _is_module_object(inner.value, aliases):
            aliases.update(t.id for t in inner.targets if isinstance(t, ast.Name))
    parents = {child: parent for parent in ast.walk(node) for child in ast.iter_child_nodes(parent)}
    found = set()
    for inner in ast.walk(node):
        parent = parents.get(inner)
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "globals":
            if isinstance(parent, ast.Subscript) and parent.value is inner:
                if isinstance(parent.ctx, ast.Load):
                    found.add(_constant_key(parent.slice) or ast.unparse(parent))
            elif isinstance(parent, ast.Attribute) and isinstance(parents.get(parent), ast.Call):
                call = parents[parent]
                found.add(_constant_key(call.args[0] if call.args else None) or ast.unparse(call))
            else:
                found.add("globals()")
        elif isinstance(inner, ast.Attribute) and inner.attr == "f_globals":
            found.add(ast.unparse(inner))
        elif isinstance(inner, ast.Attribute) and isinstance(inner.ctx, ast.Load) \
                and _is_module_object(inner.value, aliases):
            found.add(inner.attr)
        elif isinstance(inner, ast.Call) and getattr(inner.func, "id", None) == "getattr" and inner.args \
                and _is_module_object(inner.args[0], aliases):
            found.add(_constant_key(inner.args[1] if len(inner.args) > 1 else None) or ast.unparse(inner))
    return frozenset(found)


class _ScopeReader(ast.NodeVisitor):
    """Names one scope binds and loads, not descending into nested scopes (collected apart)."""

    def __init__(self):
        self.bound: set = set()
        self.loaded: set = set()
        self.declared_global: set = set()
        self.nested: list = []

    def visit_Name(self, node: ast.Name) -> None:
        (self.loaded if isinstance(node.ctx, ast.Load) else self.bound).add(node.id)

    def visit_Global(self, node: ast.Global) -> None:
        self.declared_global.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.bound.update(node.names)

    def visit_Import(self, node) -> None:
        for alias in node.names:
            self.bound.add(alias.asname or alias.name.split(".")[0])

    visit_ImportFrom = visit_Import

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.bound.add(node.name)
        self.generic_visit(node)

    def _nested_def(self, node) -> None:
        self.bound.add(node.name)
        for expr in node.decorator_list + node.args.defaults + [d for d in node.args.kw_defaults if d]:
            self.visit(expr)
        self.nested.append(node)

    visit_FunctionDef = visit_AsyncFunctionDef = _nested_def

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.bound.add(node.name)
        for expr in node.decorator_list + node.bases:
            self.visit(expr)
        self.nested.append(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for expr in node.args.defaults + [d for d in node.args.kw_defaults if d]:
            self.visit(expr)
        self.nested.append(node)

    def _comprehension(self, node) -> None:
        self.visit(node.generators[0].iter)  # evaluated in the enclosing scope
        self.nested.append(node)

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension


def _parameters(args: ast.arguments) -> set:
    names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return set(names)


def _free_names(node: ast.AST) -> set:
    """Names ``node`` (a function, lambda, class body or comprehension) reads from outside itself."""
    reader = _ScopeReader()
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        reader.bound |= _parameters(node.args)
        body = node.body if isinstance(node.body, list) else [node.body]
    elif isinstance(node, ast.ClassDef):
        body = node.body
    else:  # comprehension: targets bound inside, the first iterable was read by the enclosing scope
        for k, gen in enumerate(node.generators):
            reader.visit(gen.target)
            if k:
                reader.visit(gen.iter)
            for cond in gen.ifs:
                reader.visit(cond)
        body = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
    for stmt in body:
        reader.visit(stmt)
    local = reader.bound - reader.declared_global
    free = reader.loaded - local
    for inner in reader.nested:
        free |= _free_names(inner) - local
    return free


@functools.lru_cache(maxsize=256)
def _function_free_names(node: ast.AST) -> frozenset:
    """``_free_names`` of a module-level function, once per tree node (trees of code that students
    share are shared too, see ``grader.loading.trees``; nodes hash by identity)."""
    return frozenset(_free_names(node))


def notebook_globals_read(item_id: str, units: Iterable) -> list[str]:
    """The notebook globals (weights or module-level arrays) that ``item_id`` reads, sorted; empty when
    the function is not defined. ``units`` are ``CodeUnit``s (``.source``, and ``.tree`` when the
    loader parsed it)."""
    units = list(units)
    module = _read_module(tuple(u.source for u in units), tuple(getattr(u, "tree", None) for u in units))
    if item_id not in module.functions:
        return []
    harmless = _BUILTINS | module.imports | set(module.functions) | module.classes | module.main_aliases
    found, seen, todo = set(), set(), [item_id]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        free = _function_free_names(module.functions[name])
        found |= {n for n in free - harmless if n in CONTRACT_PARAMETER_NAMES or n in module.arrays}
        if module.reflective:
            found |= _reflective_reads(module.functions[name], frozenset(module.main_aliases))
        todo.extend(n for n in free if n in module.functions)
    return sorted(found)


def diagnose_source(item_id: str, units: Iterable) -> list[str]:
    """``["uses_notebook_globals"]`` when :func:`notebook_globals_read` finds a global, else ``[]``."""
    return ["uses_notebook_globals"] if notebook_globals_read(item_id, list(units)) else []
