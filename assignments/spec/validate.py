"""``validate_spec``: every error of an assignment folder, with its location, before anything is
generated (``rnngrade validate-spec PATH`` prints them and exits 1).

Beyond the structure (assignments/spec/schema.py) it checks what needs imports: generators exist,
references resolve and match the declared parameters, symbolic references use only the declared
symbols, abbreviations parse, and the message catalogues and equations cover every item.
"""
from __future__ import annotations

import dataclasses
import difflib
import inspect
import tomllib
from pathlib import Path

from assignments.generate.draft import SOLUTION_FILE, SolutionSource
from assignments.item_cases import code_item_parts
from assignments.resolve import UnresolvedReference, resolve_reference
from assignments.spec.loader import load_spec, locate_spec, read_toml
from assignments.spec.model import InvalidSpecError
from assignments.spec.schema import FUNCTION_NAMES, SpecError, item_location, structural_errors
from assignments.student_kit.rnngrade_expr import expression_problems
from grader.core.cases import build_cases, producers_of
from grader.core.generators import GENERATORS

EQUATIONS_FILE = "templates/equations.toml"


def validate_spec(path) -> list[SpecError]:
    """Return every error of the spec at ``path`` (a built-in name, a folder or a spec.toml)."""
    try:
        spec_path = locate_spec(path)
    except FileNotFoundError as exc:
        return [SpecError(str(path), str(exc))]
    try:
        data = read_toml(spec_path)
    except InvalidSpecError as exc:
        return exc.errors
    errors = structural_errors(data)
    items = data.get("items") if isinstance(data.get("items"), list) else []
    folder = spec_path.parent
    builtin, builtin_error = _builtin_generators()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        loc = item_location(index, item)
        kind = item.get("kind")
        if kind == "code":
            errors += _code_checks(item, loc, folder, builtin, builtin_error)
        elif kind == "symbolic":
            errors += _symbolic_checks(item, loc, folder)
    errors += support_module_errors(data, folder)
    if not errors:
        errors += produced_case_errors(spec_path, items)
    errors += catalogue_errors(data, folder)
    errors += solution_errors(items, folder)
    return errors


def produced_case_errors(spec_path: Path, items: list) -> list[SpecError]:
    """An item with produced arguments must make a case: its generator gives the producer's inputs
    (one tuple, or spliced in), the producer's reference returns the cache, its reference takes it."""
    spec = load_spec(spec_path)
    errors = []
    for index, raw in enumerate(items):
        if not isinstance(raw, dict) or "produced" not in raw:
            continue
        item = spec.item(raw["id"])
        try:
            reference, generator = code_item_parts(spec, item)
            producers = producers_of(spec, item, lambda by: spec.resolve(by.reference))
            build_cases(dataclasses.replace(item, public=1, hidden=0), reference, generator, spec.seed, None,
                        producers=producers)
        except Exception as exc:  # the instructor's code: any failure is worth saying, with its type
            errors.append(SpecError(f"{item_location(index, raw)}.generator",
                                    f"cannot make a case: {type(exc).__name__}: {exc}"))
    return errors


def support_module_errors(data: dict, folder: Path) -> list[SpecError]:
    """Every support module must be a file beside spec.toml (it is shipped to students)."""
    assignment = data.get("assignment") if isinstance(data.get("assignment"), dict) else {}
    names = assignment.get("support_modules", [])
    if not isinstance(names, list):
        return []
    return [SpecError(f"assignment.support_modules[{k}]", f"{name} not found beside spec.toml")
            for k, name in enumerate(names)
            if isinstance(name, str) and name.endswith(".py") and name[:-3].isidentifier()  # else a structural error
            and not (folder / name).is_file()]


def solution_errors(items: list, folder: Path) -> list[SpecError]:
    """solution.py must define every code item and hold a string for every symbolic and free item."""
    path = folder / SOLUTION_FILE
    if not path.is_file():
        return [SpecError(SOLUTION_FILE, "file missing; the solution notebook is filled from it "
                                         "(see docs/adding-an-item.md)")]
    try:
        source = SolutionSource.read(path)
    except SyntaxError as exc:
        return [SpecError(f"{SOLUTION_FILE}, line {exc.lineno}", f"not valid Python: {exc.msg}")]
    errors = []
    for item in items:
        ident, kind = item.get("id"), item.get("kind")
        if not isinstance(ident, str):
            continue
        if kind == "code" and ident not in source.functions:
            errors.append(SpecError(SOLUTION_FILE, f"no function {ident}(...) for code item {ident!r}"))
        elif kind in ("symbolic", "free") and ident not in source.strings:
            errors.append(SpecError(SOLUTION_FILE, f"no module-level string {ident} = \"…\" for {kind} item {ident!r}"))
    return errors


def _builtin_generators():
    return GENERATORS, None


def _resolve(ref, folder: Path, where: str) -> tuple[object, list[SpecError]]:
    try:
        return resolve_reference(ref, folder), []
    except UnresolvedReference as exc:
        return None, [SpecError(where, str(exc))]


def _code_checks(item: dict, loc: str, folder: Path, builtin: dict, builtin_error) -> list[SpecError]:
    errors = []
    generator = item.get("generator")
    if isinstance(generator, str) and generator:
        if ":" in generator:
            errors += _resolve(generator, folder, f"{loc}.generator")[1]
        elif builtin_error:
            errors.append(SpecError(f"{loc}.generator", builtin_error))
        elif generator not in builtin:
            close = difflib.get_close_matches(generator, sorted(builtin), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            errors.append(SpecError(f"{loc}.generator", f"unknown generator {generator!r}; {hint}built-in "
                                    f"generators: {', '.join(sorted(builtin))}; or give 'module:function'"))
    ref = item.get("reference")
    if isinstance(ref, str) and ref.count(":") == 1:
        func, errs = _resolve(ref, folder, f"{loc}.reference")
        errors += errs
        params = item.get("params")
        if func is not None and isinstance(params, list):
            errors += _signature_errors(func, params, f"{loc}.params")
    return errors


def _signature_errors(func, params: list, loc: str) -> list[SpecError]:
    try:
        names = [p.name for p in inspect.signature(func).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return []
    if names != list(params):
        return [SpecError(loc, f"{params} does not match the reference's parameters {names}")]
    return []


def _symbolic_checks(item: dict, loc: str, folder: Path) -> list[SpecError]:
    errors = []
    symbols = item.get("symbols") if isinstance(item.get("symbols"), list) else []
    abbreviations = item.get("abbreviations") if isinstance(item.get("abbreviations"), dict) else {}
    for name, text in abbreviations.items():
        if not isinstance(text, str):
            continue
        allowed = [s for s in symbols if isinstance(s, str)] + [a for a in abbreviations if a != name]
        for problem in expression_problems(text, allowed, FUNCTION_NAMES):
            errors.append(SpecError(f"{loc}.abbreviations.{name}", f"{text!r} does not parse: {problem}"))
    ref = item.get("reference")
    if isinstance(ref, str) and ref.count(":") == 1:
        func, errs = _resolve(ref, folder, f"{loc}.reference")
        errors += errs
        if func is not None:
            errors += _reference_symbol_errors(func, symbols, f"{loc}.reference")
    return errors


def _reference_symbol_errors(func, symbols: list, loc: str) -> list[SpecError]:
    try:
        expr = func()
        free = {str(s) for s in expr.free_symbols}
    except Exception as exc:
        return [SpecError(loc, f"calling the reference failed: {type(exc).__name__}: {exc}")]
    extra = sorted(free - set(symbols))
    if extra:
        return [SpecError(loc, f"the reference uses symbols not declared in symbols: {', '.join(extra)}")]
    return []


def catalogue_errors(data: dict, folder: Path) -> list[SpecError]:
    """Missing message catalogues (i18n/<lang>.toml) or entries, and missing equations of code items."""
    assignment = data.get("assignment") if isinstance(data.get("assignment"), dict) else {}
    languages = [x for x in assignment.get("languages", []) if isinstance(x, str)]
    items = [it for it in data.get("items", []) if isinstance(it, dict)] if isinstance(data.get("items"), list) else []
    errors = []
    for lang in languages:
        rel = f"i18n/{lang}.toml"
        catalogue, errs = _load_toml(folder / rel, rel)
        errors += errs
        if catalogue is None:
            continue
        texts = catalogue.get("items", {})
        exercises = catalogue.get("exercises", {})
        for item in items:
            ident, kind = item.get("id"), item.get("kind")
            needed = {"code": "task", "symbolic": "task", "free": "prompt"}.get(kind)
            if needed and isinstance(ident, str) and not isinstance(texts.get(ident, {}).get(needed), str):
                errors.append(SpecError(f"{rel}: items.{ident}.{needed}",
                                        f"missing; add [items.{ident}] {needed} = \"\"\"…\"\"\" for language {lang!r}"))
            exercise = item.get("exercise")
            if isinstance(exercise, str) and exercise and not isinstance(exercises.get(exercise, {}).get("statement"), str):
                errors.append(SpecError(f"{rel}: exercises.\"{exercise}\".statement",
                                        f"missing (item {ident!r} belongs to exercise {exercise})"))
    equations, errs = _load_toml(folder / EQUATIONS_FILE, EQUATIONS_FILE)
    errors += errs
    if equations is not None:
        for item in items:
            ident = item.get("id")
            if item.get("kind") != "code" or not isinstance(ident, str):
                continue
            entry = equations.get(ident)
            if not isinstance(entry, dict) or not isinstance(entry.get("equations"), str):
                errors.append(SpecError(f"{EQUATIONS_FILE}: {ident}", f"missing; add [{ident}] equations = '''…''' and shapes = {{ … }}"))
                continue
            shapes = entry.get("shapes", {})
            missing = [p for p in item.get("params", []) if isinstance(p, str) and p not in shapes]
            if missing:
                errors.append(SpecError(f"{EQUATIONS_FILE}: {ident}.shapes", f"no shape for {', '.join(missing)}"))
    # Errors are reported once per location (two languages missing the same exercise are two errors).
    return list(dict.fromkeys(errors))


def _load_toml(path: Path, rel: str):
    if not path.is_file():
        return None, [SpecError(rel, "file missing")]
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh), []
    except tomllib.TOMLDecodeError as exc:
        return None, [SpecError(rel, f"not valid TOML: {exc}")]
