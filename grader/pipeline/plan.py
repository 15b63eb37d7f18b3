"""What to run for one submission: its cases and the sandbox calls that exercise them.

Cases come from the answer key on seeded inputs. Public cases are the same for every student and are
built once; hidden cases come from a per-student seed when a release gives a course secret, else from
the assignment's default seed (then they too are built once). The consistency checks of backward items
and the diagnosis probes add a few calls of the student's own functions.
"""
from __future__ import annotations

import copy
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from assignments.spec import ItemSpec
from grader.checking.consistency import ConsistencyPlan, plan_consistency
from grader.core.cases import Case, build_cases, producers_of, resolve_layout
from grader.core.generators import GENERATORS
from grader.diagnosis.probe import probe_calls
from grader.sandbox import Call

SEP = "::"
FLOOR_SECONDS = 0.25  # the least time a call gets; an item's `timeout`, the spec's `call_timeout` raise it
REFERENCE_FACTOR = 200.0  # a call gets this many times the answer key's time on the same case
REFERENCE_RUNS = 3  # the answer key's time on a case is the least of this many runs


def call_id(item: str, *parts: str) -> str:
    return SEP.join((item, *parts))


@dataclass
class ItemPlan:
    """Everything needed to run and then check one code item for one student."""

    item: ItemSpec
    cases: list[Case]
    timeout: float  # the longest of the item's per-case limits: for follow-up calls
    consistency: Optional[ConsistencyPlan] = None
    consistency_case: Optional[Case] = None  # the case whose backward output the plan checks
    probes: list = field(default_factory=list)  # [(suffix, args)]: does the output follow `parameters`?
    probe_case: Optional[object] = None
    # Cache-style items: the outputs that are caches, [{"index", "names", "layout"}] (the child
    # returns their extract by the layout instead of the cache), and the item's credit split.
    cache_outputs: list = field(default_factory=list)
    credit: Optional[dict] = None
    case_timeouts: dict = field(default_factory=dict)  # case id -> seconds (see CaseBook.case_timeouts)

    def timeout_of(self, case) -> float:
        """The time limit of a call on ``case``."""
        return self.case_timeouts.get(case.case_id, self.timeout)


class CaseBook:
    """Builds cases from the answer key, caching what students share.

    Thread-safe: the batch's worker threads ask for cases concurrently.
    """

    def __init__(self, spec, *, call_timeout: Optional[float] = None, public_only: bool = False):
        self.spec = spec
        self.call_timeout = call_timeout
        self.public_only = public_only
        self._lock = threading.Lock()
        self._cache: dict = {}
        self._public: dict = {}  # item id -> its public cases
        self._ref_seconds: dict = {}  # item id -> {case id: the answer key's seconds}
        self._limit_cache: dict = {}  # item id -> (case id -> limit, the item's longest limit)
        self._refs = {it.id: spec.resolve(it.reference) for it in spec.items_of("code")}
        self._gens = {it.id: _generator(spec, it.generator) for it in spec.items_of("code")}
        self._producers = {it.id: producers_of(spec, it, lambda by: self._refs[by.id])
                           for it in spec.items_of("code")}

    @property
    def public_seed(self) -> int:
        return int(self.spec.seed)

    @property
    def default_hidden_seed(self) -> int:
        return int(self.spec.seed) + 1

    def cases(self, item, hidden_seed: int) -> list:
        key = (item.id, hidden_seed, self.public_only)
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        # Build outside the lock: different students' hidden cases build in parallel. The public
        # cases are the same objects for every student, so what is remembered about them (checked
        # values, probes, consistency plans) serves the whole class.
        built = list(self.public_cases(item))
        if not self.public_only:
            built += build_cases(item, self._refs[item.id], self._gens[item.id], self.public_seed,
                                 hidden_seed, public=False, producers=self._producers[item.id])
        with self._lock:
            self._cache.setdefault(key, built)
            if len(self._cache) > 4096:  # per-student hidden cases: keep memory flat on big classes
                self._cache.pop(next(iter(self._cache)))
        return built

    def public_cases(self, item) -> list:
        """Built once per item and kept for the run (not in the bounded per-student cache)."""
        with self._lock:
            hit = self._public.get(item.id)
        if hit is None:
            hit = build_cases(item, self._refs[item.id], self._gens[item.id], self.public_seed, None,
                              producers=self._producers[item.id])
            with self._lock:
                hit = self._public.setdefault(item.id, hit)
        return hit

    def case_timeouts(self, item) -> dict:
        """case id -> the seconds a call of ``item`` on that case may take (empty with ``--timeout``,
        ``call_timeout`` here, which sets every limit).

        A case gets max(``FLOOR_SECONDS``, the item's ``timeout`` (default: the spec's
        ``call_timeout``), ``REFERENCE_FACTOR`` x the answer key's time on that case rounded up to
        two significant digits: a timeout message names the limit, "0.38 s", not "0.376532 s").
        The answer key is timed once per run (per process that plans: the batch process before it
        forks the workers), on the run's default cases; a case id stands for one shape of the spec
        (``public-k``, ``hidden-k``), so a student's own hidden case of that id gets the limit of
        its shape.
        """
        return self._limits(item)[0]

    def timeout_for(self, item) -> float:
        """The longest limit of ``item``'s calls (follow-up calls get it): see :meth:`case_timeouts`."""
        return self._limits(item)[1]

    def _limits(self, item) -> tuple:
        if self.call_timeout is not None:
            return {}, float(self.call_timeout)
        with self._lock:
            hit = self._limit_cache.get(item.id)
        if hit is None:
            floor = max(FLOOR_SECONDS, float(item.timeout))
            per_case = {cid: max(floor, _two_digits_up(REFERENCE_FACTOR * seconds))
                        for cid, seconds in self._reference_seconds(item).items()}
            hit = (per_case, max(per_case.values(), default=floor))
            with self._lock:
                hit = self._limit_cache.setdefault(item.id, hit)
        return hit

    def _reference_seconds(self, item) -> dict:
        """case id -> the answer key's wall time on that case (the least of ``REFERENCE_RUNS``),
        measured once per run."""
        with self._lock:
            hit = self._ref_seconds.get(item.id)
        if hit is not None:
            return hit
        reference = self._refs[item.id]
        cases = self.cases(item, self.default_hidden_seed)
        if cases:
            reference(*copy.deepcopy(cases[0].args))  # the first call pays for NumPy's first-use work
        measured = {}
        for case in cases:
            # The least of a few runs: a busy machine can pause one run for a scheduler tick (ms),
            # which would make the limit, and the message that names it, differ from run to run.
            best = float("inf")
            for _ in range(REFERENCE_RUNS):
                args = copy.deepcopy(case.args)
                t0 = time.perf_counter()
                reference(*args)
                best = min(best, time.perf_counter() - t0)
            measured[case.case_id] = best
        with self._lock:
            return self._ref_seconds.setdefault(item.id, measured)

    def plan(self, hidden_seed: int) -> list:
        """One ItemPlan per code item of the spec, in spec order."""
        plans = []
        for item in self.spec.items_of("code"):
            cases = self.cases(item, hidden_seed)
            p = ItemPlan(item=item, cases=cases, timeout=self.timeout_for(item),
                         cache_outputs=cache_outputs(self.spec, item), credit=item.credit,
                         case_timeouts=self.case_timeouts(item))
            first_public = next((c for c in cases if c.visibility == "public"), None)
            if first_public is not None:
                p.probe_case = first_public
                p.probes = probe_calls(item.id, first_public)
            if item.consistency:
                forward = self.spec.item(item.consistency["forward"])
                first = next((c for c in cases if c.visibility == "public"), cases[0] if cases else None)
                if first is not None:
                    p.consistency = self._consistency_plan(item, forward, first)
                    p.consistency_case = first
            plans.append(p)
        return plans

    @staticmethod
    def followup_seconds(plans: list) -> float:
        """The time limits of every follow-up call the plans could ask for (probes, consistency)."""
        return sum(p.timeout * (len(p.probes) + (len(p.consistency.calls) if p.consistency else 0))
                   for p in plans)

    def _consistency_plan(self, item, forward, case):
        # The case object is part of the key: a hidden case of one id differs between students.
        key = ("consistency", item.id, case.case_id, case.visibility)
        with self._lock:
            hit = self._cache.get(key)
        if hit is None or hit[0] is not case:
            hit = (case, plan_consistency(item, forward, case))
            with self._lock:
                self._cache[key] = hit
        return hit[1]


def cache_outputs(spec, item) -> list:
    """``[{"index", "names", "layout"}]`` of a code item's outputs declared as caches."""
    outputs = item.output_spec.get("items") or [] if item.output_spec.get("kind") == "tuple" else []
    names = [o.get("name") for o in outputs]
    return [{"index": k, "names": names, "layout": resolve_layout(spec.layouts, o["layout"])}
            for k, o in enumerate(outputs) if o.get("kind") == "cache"]


def case_calls(plan: ItemPlan, case) -> list:
    """The sandbox calls of one case: the call on the case's inputs (for a backward with a produced
    argument, the answer key's cache) and, for a produced argument, the call on the student's own
    chain (``<item>::<case>::own``: the child makes the cache with the student's producer)."""
    item = plan.item
    calls = [Call(call_id(item.id, case.case_id), item.id, list(case.args), plan.timeout_of(case),
                  arg_names=list(case.arg_names), caches=plan.cache_outputs or None)]
    if case.produced:
        args = list(case.args)
        produced = []
        for p in case.produced:
            args[p.position] = p.inputs
            produced.append({"pos": p.position, "function": p.by, "output": p.output,
                             "names": list(p.output_names), "layout": p.layout})
        calls.append(Call(call_id(item.id, case.case_id, OWN), item.id, args, plan.timeout_of(case),
                          arg_names=list(case.arg_names), produced=produced))
    return calls


OWN = "own"


def _two_digits_up(seconds: float) -> float:
    """``seconds`` rounded up to two significant digits: 0.37653 -> 0.38, 1.2 -> 1.2, 80.01 -> 81."""
    if not seconds > 0 or not math.isfinite(seconds):
        return 0.0
    step = 10.0 ** (math.floor(math.log10(seconds)) - 1)
    return round(math.ceil(seconds / step - 1e-9) * step, 12)


def _generator(spec, name: str) -> Callable:
    if name in GENERATORS:
        return GENERATORS[name]
    return spec.resolve(name)
