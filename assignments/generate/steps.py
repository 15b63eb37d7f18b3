"""The steps that build the student and solution notebooks, each a small callable on a Draft.

A step names the steps that must have run before it (``after``); :class:`Pipeline` refuses an order
that breaks this when it is built, so the order is enforced by code. ``StampVersion`` is always last.
"""
from __future__ import annotations

import nbformat
from nbformat import v4

from assignments.generate.draft import (CHECK_TAG, SOLUTION_FILE, Draft, SolutionSource, code_cell, exercise_key,
                                        markdown_cell, points_text)
from assignments.student_kit.rnngrade_expr import FUNCTIONS


class PipelineOrderError(ValueError):
    """Steps given in an order that breaks a step's ``after`` requirement."""


class Step:
    name = "Step"
    after: tuple = ()

    def __call__(self, draft: Draft) -> None:
        missing = [name for name in self.after if name not in draft.done]
        if missing:
            raise PipelineOrderError(f"{self.name} needs {', '.join(missing)} to run first")
        self.apply(draft)
        draft.done.append(self.name)

    def apply(self, draft: Draft) -> None:  # pragma: no cover - every subclass overrides it
        raise TypeError(f"{type(self).__name__} does not define apply()")


def returns_text(draft: Draft, output_spec: dict) -> str:
    """How the stub and its message describe what to return, e.g. ``a tuple (h_next, c_next, yt_pred)``."""
    ui = draft.texts["ui"]
    kind = output_spec["kind"]
    if kind == "tuple":
        return ui["returns_tuple"].format(names=", ".join(i["name"] for i in output_spec["items"]))
    if kind == "dict":
        keys = output_spec["keys"]
        return ui["returns_dict"].format(keys=", ".join(keys) if keys else "…")
    if kind == "scalar":
        return ui["returns_scalar"].format(name=output_spec["name"])
    return ui["returns_array"].format(name=output_spec["name"])


def output_names(output_spec: dict) -> list:
    kind = output_spec["kind"]
    if kind == "tuple":
        return [i["name"] for i in output_spec["items"]]
    if kind == "dict":
        return list(output_spec["keys"] or [])
    return [output_spec["name"]]


def stub_message(draft: Draft, item) -> str:
    """The text of the stub's NotImplementedError: what to implement and what to return."""
    return draft.texts["ui"]["stub_message"].format(
        name=item.id, title=draft.title(item), returns=returns_text(draft, item.output_spec))


class RenderStatements(Step):
    """Title, conventions and the helpers cell; one section per exercise, opened by its statement."""

    name = "RenderStatements"

    def apply(self, draft: Draft) -> None:
        title = draft.spec.title.get(draft.lang) or draft.spec.name
        draft.head.append(markdown_cell(draft.render("intro.md.j2", title=title), "intro"))
        draft.head.append(markdown_cell(draft.render("helpers.md.j2"), "helpers-md"))
        draft.head.append(code_cell(draft.render("helpers.py.j2"), "helpers"))
        exercises = sorted({it.exercise for it in draft.spec.items if it.exercise}, key=exercise_key)
        for exercise in exercises:
            texts = draft.texts["exercises"][exercise]
            equations = draft.equations.get("exercises", {}).get(exercise, {}).get("equations", "")
            source = draft.render("statement.md.j2", exercise=texts, equations=equations.strip())
            draft.sections[exercise] = [markdown_cell(source, "exercise", exercise)]


class AddCodeItems(Step):
    """Per code item: equations and shapes, the stub with the exact signature, a check cell."""

    name = "AddCodeItems"
    after = ("RenderStatements",)

    def apply(self, draft: Draft) -> None:
        for item in draft.spec.items_of("code"):
            eq = draft.equations[item.id]
            md = draft.render("code_item.md.j2", item=item, item_title=draft.title(item),
                              task=draft.item_text(item, "task"), points=points_text(item.points),
                              equations=eq["equations"].strip(), shapes=eq.get("shapes", {}),
                              outputs=output_names(item.output_spec))
            stub = draft.render("stub.py.j2", item=item, item_title=draft.title(item),
                                returns=returns_text(draft, item.output_spec), message=stub_message(draft, item))
            check = draft.render("check.py.j2", item=item, comment=draft.texts["ui"]["check_comment"])
            draft.section(item.exercise or "").extend([
                markdown_cell(md, item.id, "md"),
                code_cell(stub, item.id),
                code_cell(check, item.id, "check", tags=(CHECK_TAG,)),
            ])


class AddSymbolicItems(Step):
    """Per symbolic item: the question, the allowed names, ``answer_… = ""`` and a check cell."""

    name = "AddSymbolicItems"
    after = ("RenderStatements",)

    def apply(self, draft: Draft) -> None:
        for item in draft.spec.items_of("symbolic"):
            md = draft.render("symbolic.md.j2", item=item, item_title=draft.title(item),
                              task=draft.item_text(item, "task"), points=points_text(item.points),
                              functions=FUNCTIONS)
            answer = draft.render("symbolic.py.j2", item=item, functions=FUNCTIONS, answer="")
            check = draft.render("check.py.j2", item=item, comment=draft.texts["ui"]["check_symbolic_comment"])
            draft.section(item.exercise or "").extend([
                markdown_cell(md, item.id, "md"),
                code_cell(answer, item.id),
                code_cell(check, item.id, "check", tags=(CHECK_TAG,)),
            ])


class AddFreeItems(Step):
    """Per free item: the prompt, then a Markdown answer cell tagged with the item id."""

    name = "AddFreeItems"
    after = ("RenderStatements",)

    def apply(self, draft: Draft) -> None:
        for item in draft.spec.items_of("free"):
            md = draft.render("free_intro.md.j2", item=item, item_title=draft.title(item),
                              prompt=draft.item_text(item, "prompt"), points=points_text(item.points))
            draft.section(item.exercise or "").extend([
                markdown_cell(md, item.id, "md"),
                markdown_cell(draft.texts["ui"]["free_placeholder"], item.id, tags=(item.id,)),
            ])


class AddHowToCheck(Step):
    """A closing section on the local checks and what is graded after submission."""

    name = "AddHowToCheck"
    after = ("AddCodeItems", "AddSymbolicItems", "AddFreeItems")

    def apply(self, draft: Draft) -> None:
        draft.tail.append(markdown_cell(draft.render("howto.md.j2"), "how-to-check"))


class FillSolutions(Step):
    """Solution notebook: reference bodies, answer strings and model answers from ``solution.py``."""

    name = "FillSolutions"
    after = ("AddCodeItems", "AddSymbolicItems", "AddFreeItems")

    def apply(self, draft: Draft) -> None:
        path = draft.spec.base_dir / SOLUTION_FILE
        if not path.is_file():
            raise FileNotFoundError(f"{SOLUTION_FILE} is missing beside {draft.spec.path.name}: the solution "
                                    f"notebook is filled from it (see docs/adding-an-item.md)")
        source = draft.solution = SolutionSource.read(path)
        missing = [it.id for it in draft.spec.items if it.kind == "code" and it.id not in source.functions]
        missing += [it.id for it in draft.spec.items if it.kind != "code" and it.id not in source.strings]
        if missing:
            raise ValueError(f"{SOLUTION_FILE} has no definition of {', '.join(missing)}")
        for item in draft.spec.items_of("code"):
            draft.find_cell(item.id)["source"] = source.functions[item.id]
        for item in draft.spec.items_of("symbolic"):
            draft.find_cell(item.id)["source"] = draft.render(
                "symbolic.py.j2", item=item, functions=FUNCTIONS, answer=source.strings[item.id]).strip("\n")
        for item in draft.spec.items_of("free"):
            text = f"**{draft.texts['ui']['model_answer']}.**\n\n{source.strings[item.id].strip()}"
            draft.find_cell(item.id)["source"] = text


class AddDerivationAppendix(Step):
    """Solution notebook: the instructor-only derivations, one Markdown cell per section, for an
    assignment whose templates have ``appendix.md.j2`` (the derivations are nndl-ch6's)."""

    name = "AddDerivationAppendix"
    after = ("FillSolutions",)

    def apply(self, draft: Draft) -> None:
        # imported here: it loads SymPy (~0.2 s), which only an assignment with an appendix needs
        from solutions.derivation import derivation_markdown_sections

        if not (draft.spec.base_dir / "templates" / "appendix.md.j2").is_file():
            return

        draft.tail.append(markdown_cell(draft.render("appendix.md.j2"), "appendix"))
        for k, text in enumerate(derivation_markdown_sections(draft.lang)):
            draft.tail.append(markdown_cell(text, "appendix", str(k)))


class StampVersion(Step):
    """Assemble the cells into an nbformat 4.5 notebook, stamp ``rnngrade`` metadata, validate."""

    name = "StampVersion"
    after = ("AddHowToCheck",)

    def apply(self, draft: Draft) -> None:
        nb = v4.new_notebook()
        nb["nbformat"], nb["nbformat_minor"] = 4, 5
        nb["cells"] = draft.cells()
        nb["metadata"] = {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "rnngrade": {"assignment": draft.spec.name, "version": draft.spec.version, "lang": draft.lang,
                         **draft.metadata},
        }
        ids = [c["id"] for c in nb["cells"]]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate cell ids {duplicates}: item ids must differ after sanitising")
        nbformat.validate(nb)
        draft.notebook = nb


class Pipeline:
    """Steps in an order checked when the pipeline is built."""

    def __init__(self, steps: list):
        seen: list = []
        for step in steps:
            if step.name in seen:
                raise PipelineOrderError(f"{step.name} appears twice")
            missing = [name for name in step.after if name not in seen]
            if missing:
                raise PipelineOrderError(f"{step.name} must come after {', '.join(missing)}")
            seen.append(step.name)
        if not steps or steps[-1].name != StampVersion.name:
            raise PipelineOrderError("StampVersion must be the last step (it assembles and validates)")
        self.steps = list(steps)

    def run(self, draft: Draft) -> nbformat.NotebookNode:
        for step in self.steps:
            step(draft)
        return draft.notebook


class MarkSolution(Step):
    """Solution notebook: say so in the title and in the metadata."""

    name = "MarkSolution"
    after = ("FillSolutions",)

    def apply(self, draft: Draft) -> None:
        intro = draft.find_cell("intro")
        intro["source"] = f"> **{draft.texts['ui']['solution_title']}**\n\n" + intro["source"]
        draft.metadata["solution"] = True


STUDENT_STEPS = (RenderStatements, AddCodeItems, AddSymbolicItems, AddFreeItems, AddHowToCheck, StampVersion)
SOLUTION_STEPS = (RenderStatements, AddCodeItems, AddSymbolicItems, AddFreeItems, AddHowToCheck, FillSolutions,
                  MarkSolution, AddDerivationAppendix, StampVersion)
