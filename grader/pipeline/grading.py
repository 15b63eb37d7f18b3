"""Grade one submission: load it, run it in the sandbox, check what came back, build its result.

``GradingContext`` holds what every submission of a run shares (the spec, the case book, the sandbox
pool, the symbolic grader, the release's roster and secret). ``grade_entry`` never raises for anything
a student did: a bad file becomes a ``load_error`` row, a failing function costs that function.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Union

from assignments import variants
from assignments.spec import Spec
from grader.diagnosis import diagnose
from grader.diagnosis.cache_style import diagnose_cache_style_case, diagnose_cache_style_returned
from grader.diagnosis.mistakes import MISTAKES
from grader.pipeline.evaluate import evaluate_code_item, load_failure_of
from grader.loading import load_submission
from grader.loading.failed_defs import failed_definitions
from grader.loading.placeholders import called_undefined, placeholder_functions
from grader.messages import coded
from msgcat import message
from grader.model import ItemResult, SubmissionResult
from grader.pipeline.plan import CaseBook, call_id, case_calls
from grader.sandbox import Call, Job, SandboxPool
from grader.symbolic.hub import SymbolicClient

if TYPE_CHECKING:  # importing it at run time would load SymPy into every worker
    from grader.symbolic.service import SymbolicGrader


class _Diagnoser:
    """Adapter over the mistake library (grader.diagnosis)."""

    def __init__(self):
        self._d = diagnose

    def case(self, item_id, case, value, output_spec):
        """The matcher's detail for one failing case (matched and applicable mistakes)."""
        if getattr(case, "produced", ()) or _has_cache(output_spec):
            return diagnose_cache_style_case(self._d, item_id, case, value, output_spec)
        return self._d.diagnose_case_detail(item_id, case, value, output_spec)

    def item(self, item_id, case_results):
        return self._d.diagnose_item(item_id, case_results)

    def returned(self, item_id, returned, remembered=None, output_spec=None):
        """The item's diagnosis and each failing case's matched mistakes (see diagnose_returned)."""
        returned = list(returned)
        if _has_cache(output_spec) or any(getattr(r[0], "produced", ()) for r in returned):
            return diagnose_cache_style_returned(self._d, item_id, returned, remembered, output_spec)
        return self._d.diagnose_returned(item_id, returned, remembered)

    def source(self, item_id, units):
        return self._d.diagnose_source(item_id, units)

    def probe(self, item_id, case, value, probe_value):
        return self._d.diagnose_probe(item_id, case, value, probe_value)


def _has_cache(output_spec) -> bool:
    return any(o.get("kind") == "cache" for o in (output_spec or {}).get("items") or ())


@dataclass
class GradingContext:
    spec: Spec
    pool: Optional[SandboxPool]  # None in the batch process, which runs no submission
    symbolic: Union[SymbolicGrader, SymbolicClient, None]  # a worker asks the batch's hub
    lang: str
    casebook: CaseBook
    load_timeout: float = 10.0
    secret: Optional[bytes] = None
    roster: Optional[list] = None
    release_fingerprint: str = "none"
    diagnoser: Optional[_Diagnoser] = field(default_factory=_Diagnoser)

    def hidden_seed(self, student: str) -> int:
        if self.secret is None:
            return self.casebook.default_hidden_seed
        return variants.hidden_seed(self.secret, student, self.spec)

    def grading_key(self, content_hash: str) -> str:
        """Same file, same assignment version, same release and language: the stored result stands."""
        return f"{content_hash}:{self.spec.version}:{self.release_fingerprint}:{self.lang}"

    # ---------------------------------------------------------------------------------------
    def empty_items(self, status: str, message: str) -> list:
        return [ItemResult(item=it.id, kind=it.kind, max_score=float(it.points), status=status, message=message)
                for it in self.spec.items]

    def missing(self, student: str, note: str) -> SubmissionResult:
        return SubmissionResult(student=student, status="missing", assignment=self.spec.name,
                                version=self.spec.version, lang=self.lang,
                                items=self.empty_items("unanswered", message("no_submission")),
                                message=note or message("no_submission"))

    def grade_entry(self, student: str, path: Optional[Path], notes: list, rel_path: Optional[str] = None) -> SubmissionResult:
        loaded = load_submission(path)
        base = dict(student=student, assignment=self.spec.name, version=self.spec.version, lang=self.lang,
                    path=rel_path or (path.name if path else None), content_hash=loaded.content_hash,
                    notes=list(notes) + list(loaded.notes))
        flags = []
        if self.roster is not None and student not in self.roster:
            flags.append("not_on_roster")
            base["notes"].append(message("note.not_on_roster", student=student))
        if loaded.kind == "invalid":
            return SubmissionResult(status="load_error", message=loaded.error or message("note.could_not_read"),
                                    items=self.empty_items("error", message("unreadable")),
                                    flags=flags, **base)
        if loaded.release_version and loaded.release_version != self.spec.version:
            flags.append("other_release_version")
            base["notes"].append(message("note.other_release", release=loaded.release_version,
                                         version=self.spec.version))
        plans = self.casebook.plan(self.hidden_seed(student))
        templated = placeholder_functions(loaded.units)
        # The cases run first. Only items that fail need the follow-up calls (diagnosis probes, the
        # backward's consistency with its own forward): the sandbox asks for them once the cases
        # are done and runs them in the same process, so a correct submission skips them.
        first: dict = {}
        failing: list = []

        def followup(outcomes: dict) -> list:
            first.update({p.item.id: evaluate_code_item(p, outcomes, consistency=False,
                                                        placeholders=p.item.id in templated)
                          for p in plans})
            failing[:] = [p for p in plans if first[p.item.id].status in ("failed", "partial", "error")]
            return self._followup_calls(failing)

        run = self.pool.run(self._job(loaded.units, self._case_calls(plans), followup,
                                      self.casebook.followup_seconds(plans)))
        outcomes = dict(run.calls)
        if not first:  # the process gave up before the cases were done: no follow-up calls
            followup(outcomes)
        verdicts = self._symbolic_verdicts(loaded.answers)
        items = []
        by_id = {p.item.id: p for p in plans}
        failing_ids = {p.item.id for p in failing}
        failed_defs = failed_definitions(loaded.units, run.units)
        for it in self.spec.items:
            if it.kind == "code":
                plan = by_id[it.id]
                load_failure = load_failure_of(plan, outcomes, failed_defs) if failed_defs else None
                if load_failure is not None:  # missing because its cell failed: not "not implemented"
                    items.append(evaluate_code_item(plan, outcomes, load_failure=load_failure))
                    continue
                if it.id not in failing_ids:
                    items.append(first[it.id])
                    continue
                items.append(evaluate_code_item(
                    plan, outcomes, diagnose=self.diagnoser, placeholders=it.id in templated,
                    source_diagnoses=lambda plan=plan: self._source_diagnoses(plan, loaded.units, outcomes)))
            elif it.kind == "symbolic":
                items.append(self._symbolic(it, loaded.answers.get(it.id, ""), verdicts.get(it.id)))
            else:
                items.append(self._free(it, loaded.free.get(it.id)))
        _prefer_uncontradicted(items)
        load_errors = [{"where": _where(u), "status": u.status, "message": coded(u)}
                       for u in run.units if u.status != "ok"]
        if run.isolation.get("summary", "full") != "full":  # the row says so, as the report does
            flags.append("reduced_isolation")
        return SubmissionResult(status="graded", items=items, isolation=run.isolation, flags=flags,
                                load_errors=load_errors, stdout=run.stdout, **base)

    def _source_diagnoses(self, plan, units, outcomes) -> list:
        """Mistakes seen in the code, or in how the output follows the parameters (not in the values)."""
        if self.diagnoser is None:
            return []
        found = list(self.diagnoser.source(plan.item.id, units))
        if plan.probe_case is not None:
            first = outcomes.get(call_id(plan.item.id, plan.probe_case.case_id))
            for suffix, _args in plan.probes:
                probe = outcomes.get(call_id(plan.item.id, plan.probe_case.case_id, suffix))
                if first is not None and probe is not None and first.status == probe.status == "ok":
                    for d in self.diagnoser.probe(plan.item.id, plan.probe_case, first.value, probe.value):
                        if d not in found:
                            found.append(d)
        return found

    def _case_calls(self, plans) -> list:
        return [call for p in plans for c in p.cases for call in case_calls(p, c)]

    def _followup_calls(self, plans) -> list:
        calls = []
        for p in plans:
            for suffix, args in p.probes:
                calls.append(Call(call_id(p.item.id, p.probe_case.case_id, suffix), p.item.id, list(args),
                                  p.timeout, caches=p.cache_outputs or None))
            if p.consistency is not None:
                for suffix, fn, args in p.consistency.calls:
                    calls.append(Call(call_id(p.item.id, suffix), fn, list(args), p.timeout))
        return calls

    def _job(self, units, calls, followup=None, followup_seconds: float = 0.0):
        job = Job(units=list(units), calls=calls, load_timeout=self.load_timeout, followup=followup,
                  followup_seconds=followup_seconds)
        spec = self.spec
        if getattr(spec, "support_modules", ()) or getattr(spec, "inert_modules", ()):
            job.support_modules = support_sources(spec)
            job.inert_modules = tuple(spec.inert_modules)
            graded = {it.id for it in spec.items}
            job.inert_names = tuple(n for n in called_undefined(units) if n not in graded) if spec.inert_modules else ()
        return job

    def _symbolic_verdicts(self, answers: dict) -> dict:
        """The checker's verdicts of the submission's symbolic answers, asked together where the
        checker takes them together (the batch's hub: one round trip per student); else {}."""
        grade_many = getattr(self.symbolic, "grade_many", None)
        asked = [it for it in self.spec.items if it.kind == "symbolic"
                 and (answers.get(it.id) or "").strip()]
        if grade_many is None or not asked:
            return {}
        replies = grade_many([(it, answers[it.id]) for it in asked], self.lang, self.spec.resolve)
        return {it.id: reply for it, reply in zip(asked, replies)}

    def _symbolic(self, item, answer: str, verdict: Optional[dict] = None) -> ItemResult:
        if not answer or not answer.strip():
            return ItemResult(item=item.id, kind="symbolic", max_score=float(item.points), status="unanswered",
                              message=message("symbolic_empty", item=item.id), symbolic={"verdict": "unanswered", "answer": ""})
        if verdict is None:
            verdict = self.symbolic.grade(item, answer, self.lang, self.spec.resolve)
        status = {"equivalent": "passed", "not_equivalent": "failed", "unparsable": "failed",
                  "timeout": "timeout"}.get(verdict.get("verdict"), "error")
        return ItemResult(item=item.id, kind="symbolic", max_score=float(item.points), status=status,
                          message=verdict.get("message", ""), symbolic=verdict)

    def _free(self, item, answer) -> ItemResult:
        rubric = item.rubric.get(self.lang) or next(iter(item.rubric.values()), "")
        if answer is None or (not answer.text.strip() and not answer.attachments):
            return ItemResult(item=item.id, kind="free", max_score=float(item.points), status="unanswered",
                              message=message("free_missing", item=item.id),
                              free={"text": "", "attachments": [], "rubric": rubric})
        return ItemResult(item=item.id, kind="free", max_score=float(item.points), status="pending_manual",
                          message=message("free_pending"),
                          free={"text": answer.text, "attachments": list(answer.attachments), "rubric": rubric})


_SUPPORT: dict = {}


def support_sources(spec) -> dict:
    """``{module name: source}`` of the spec's support modules (read once per spec version)."""
    key = (str(spec.base_dir), spec.version)
    if key not in _SUPPORT:
        _SUPPORT[key] = {name[:-3]: (spec.base_dir / name).read_text(encoding="utf-8")
                         for name in spec.support_modules}
    return _SUPPORT[key]


def _prefer_uncontradicted(items: list) -> None:
    """Between mistakes the numbers cannot tell apart on one item, keep those that the student's
    other functions do not rule out: a mistake that would also break a function which passed (e.g.
    ``dc_missing_dh_path`` with a correct ``lstm_cell_backward``) is not the likely one."""
    passed = {i.item for i in items if i.status == "passed"}

    def plausible(ids: list, item_id: str) -> list:
        keep = [m for m in ids if m not in MISTAKES
                or not any(o in passed for o in MISTAKES[m].items if o != item_id)]
        return keep if keep else ids  # never leave a failing item without its candidates

    for it in items:
        if len(it.diagnoses) > 1:
            it.diagnoses = plausible(it.diagnoses, it.item)
            groups = [[m for m in g if m in it.diagnoses] for g in it.diagnosis_candidates]
            it.diagnosis_candidates = [g for g in groups if len(g) > 1]
        for c in it.cases:
            if len(c.diagnoses) > 1:
                c.diagnoses = plausible(c.diagnoses, it.item)


def _where(unit_outcome) -> str:
    """"cell 4, line 2", or "line 12" for a .py statement (whose label already is its line)."""
    label, line = unit_outcome.label, getattr(unit_outcome, "line", None)
    if not line or label.startswith("line "):
        return label
    return f"{label}, line {line}"


def file_hash(path: Optional[Path]) -> str:
    if path is None:
        return "missing"
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError as e:
        return f"unreadable:{e.errno}"
    return h.hexdigest()
