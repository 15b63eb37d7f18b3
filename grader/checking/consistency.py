"""Is a submission's backward consistent with its own forward? Directional finite differences.

The check is independent of the answer key: it needs only the submission's two functions. For the
loss the backward item differentiates,

    L(θ) = Σ_out ⟨d<out>, out(θ)⟩          (⟨a, b⟩ = Σ a ⊙ b; dh_next ↔ h_next, dc_next ↔ c_next, dh ↔ h)

and each gradient tensor ``d<name>`` it returns (``dxt`` ↔ ``xt``, ``dWf`` ↔ ``parameters["Wf"]``), take
one random unit direction v of the shape of ``<name>`` and compare

    directional = ⟨d<name>, v⟩        with        numeric = (L(θ + ε v) − L(θ − ε v)) / (2ε)

where only ``<name>`` moves. Two forward calls per tensor, so the verdict names the tensors that
disagree. Outputs without an upstream gradient (``yt_pred``, ``y``, LSTM's ``c``) are not part of L,
and parameters L does not depend on (``Wy``, ``by``) have no gradient to check.

A tensor agrees when |directional − numeric| ≤ RTOL · max(|directional|, |numeric|) + floor, with
floor = ABS_FLOOR · (1 + |L(θ + εv)| + |L(θ − εv)|): the rounding noise of the central difference is
about 1e-16·|L|/ε = 1e-11·|L| at ε = 1e-5, so the floor sits two orders of magnitude above it.
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from msgcat import message

RTOL = 1e-5
ABS_FLOOR = 1e-9


@dataclass(frozen=True)
class Probe:
    """One gradient tensor under test: ``grad_key`` (e.g. ``dWf``) moves ``target`` (an argument name,
    or a key of the parameters dict when ``in_dict`` names that argument) along ``direction``."""

    grad_key: str
    target: str
    in_dict: Optional[str]
    direction: np.ndarray
    plus: str  # call suffixes of the two forward calls
    minus: str


@dataclass
class ConsistencyPlan:
    backward_item: str
    forward_item: str
    case_id: str
    eps: float
    probes: list[Probe]
    # (position of the output in the forward's tuple, or None for a single array; its name; upstream)
    loss_terms: list[tuple[Optional[int], str, np.ndarray]]
    n_outputs: Optional[int]  # length of the forward's tuple, None for a single array
    calls: list[tuple[str, str, tuple]] = field(default_factory=list)  # (call_suffix, function, args)
    unchecked: list[str] = field(default_factory=list)  # gradient keys with no forward input to move


def _output_names(spec: dict) -> tuple[Optional[int], list[str]]:
    if spec.get("kind") == "tuple":
        items = spec.get("items") or []
        return len(items), [str(it.get("name")) for it in items]
    return None, [str(spec.get("name"))]


def _direction_rng(backward_item: str, case_id: str) -> np.random.Generator:
    digest = hashlib.sha256(f"consistency:{backward_item}:{case_id}".encode()).digest()
    return np.random.default_rng(np.random.SeedSequence(int.from_bytes(digest[:8], "big")))


def plan_consistency(backward_item, forward_item, case, eps: float = 1e-5) -> ConsistencyPlan:
    """The forward calls that check ``backward_item`` against ``forward_item`` on ``case``.

    ``backward_item``/``forward_item`` are ItemSpecs; ``case`` a Case of the backward item (the first
    public case, normally). Returns a plan whose ``calls`` are ``(call_suffix, function_name, args)``
    with suffixes ``consistency:<grad_key>:+`` and ``consistency:<grad_key>:-``; directions are seeded
    by the item and case ids, so a plan is the same on every run.
    """
    inputs = dict(zip(case.arg_names, case.args))
    missing = [p for p in forward_item.params if p not in inputs]
    if missing:
        raise ValueError(
            f"consistency of {backward_item.id!r}: the forward {forward_item.id!r} takes "
            f"{', '.join(missing)}, which {backward_item.id!r} does not take"
        )
    n_outputs, out_names = _output_names(forward_item.output_spec or {})
    loss_terms = []
    for pos, name in enumerate(out_names):
        upstream = f"d{name}"
        if upstream in inputs:
            loss_terms.append((pos if n_outputs is not None else None, name, np.asarray(inputs[upstream])))
    if not loss_terms:
        raise ValueError(f"consistency of {backward_item.id!r}: no argument d<out> for any output of {forward_item.id!r}")

    grad_keys = list(((backward_item.output_spec or {}).get("keys") or {}).keys())
    dict_args = [p for p in forward_item.params if isinstance(inputs[p], dict)]
    rng = _direction_rng(backward_item.id, case.case_id)
    plan = ConsistencyPlan(backward_item.id, forward_item.id, case.case_id, eps, [], loss_terms, n_outputs)
    for key in grad_keys:
        name = key[1:] if key.startswith("d") else key
        if name in forward_item.params and not isinstance(inputs[name], dict):
            in_dict, base = None, inputs[name]
        else:
            holder = next((d for d in dict_args if name in inputs[d]), None)
            if holder is None:
                plan.unchecked.append(key)
                continue
            in_dict, base = holder, inputs[holder][name]
        v = rng.standard_normal(np.shape(base))
        v /= np.linalg.norm(v)
        probe = Probe(key, name, in_dict, v, f"consistency:{key}:+", f"consistency:{key}:-")
        plan.probes.append(probe)
        for suffix, sign in ((probe.plus, 1.0), (probe.minus, -1.0)):
            args = {p: copy.deepcopy(inputs[p]) for p in forward_item.params}
            if in_dict is None:
                args[name] = np.asarray(args[name], dtype=np.float64) + sign * eps * v
            else:
                args[in_dict][name] = np.asarray(args[in_dict][name], dtype=np.float64) + sign * eps * v
            plan.calls.append((suffix, forward_item.id, tuple(args[p] for p in forward_item.params)))
    return plan


# ---------------------------------------------------------------------------------------- evaluate

# The verdict carries its reason as a message (key and fields, msgcat.message): the texts are in the
# grader's catalogue (grader/i18n, keys "consistency.*" and "value.*"), rendered where it is shown.


def _describe(value: Any) -> dict:
    """What a returned value is, as a message ("a tuple of 2 values", "an array of shape (5, 4)")."""
    if value is None:
        return message("value.none")
    if isinstance(value, np.ndarray):
        return message("value.array", shape=str(value.shape))
    if isinstance(value, (tuple, list)):
        return message("value.sequence", type=type(value).__name__, n=len(value))
    if isinstance(value, dict):
        return message("value.dict")
    return message("value.other", type=getattr(value, "type_name", None) or type(value).__name__)


def _float_array(value: Any, shape: tuple) -> Optional[np.ndarray]:
    if not isinstance(value, np.ndarray) or value.shape != tuple(shape):
        return None
    if not (np.issubdtype(value.dtype, np.floating) or np.issubdtype(value.dtype, np.integer)):
        return None
    return value.astype(np.float64, copy=False)


def _loss(plan: ConsistencyPlan, value: Any) -> tuple[Optional[float], Optional[tuple]]:
    """L = Σ ⟨upstream, output⟩ for one forward value, or (None, (why-key, fields)) when it cannot be used."""
    expected_desc = (message("value.tuple_of_arrays", n=plan.n_outputs) if plan.n_outputs is not None
                     else message("value.one_array"))
    if plan.n_outputs is not None and (not isinstance(value, (tuple, list)) or len(value) != plan.n_outputs):
        return None, ("bad_output", {"got": _describe(value), "expected": expected_desc})
    total = 0.0
    for pos, name, upstream in plan.loss_terms:
        out = value if pos is None else value[pos]
        arr = _float_array(out, upstream.shape)
        if arr is None:
            return None, ("bad_output", {"got": message("value.named_as", name=name, what=_describe(out)),
                                         "expected": message("value.named_shape", name=name,
                                                             shape=str(upstream.shape))})
        total += float(np.sum(upstream * arr))
    return total, None


def _not_checked(which: str, why_key: str, fields: dict) -> dict:
    reason = message(f"consistency.{which}", why=message(f"consistency.{why_key}", **fields))
    return {"verdict": "not_checked", "reason": reason, "tensors": {}}


def evaluate_consistency(plan: ConsistencyPlan, backward_value: Any, forward_values: dict,
                         errors: Optional[dict] = None) -> dict:
    """The verdict for ``plan`` given what the submission returned.

    ``backward_value``: what the backward returned on the plan's case (None when it did not run);
    ``forward_values``: ``{call_suffix: value}`` for the plan's calls (a failed call is absent or None);
    ``errors``: optional ``{call_suffix or "backward": short reason}`` for the messages (a text, or
    the sandbox's coded message).
    Returns ``{"verdict", "reason", "tensors": {grad_key: {"ok", "directional", "numeric",
    "rel_err"}}}``, ``reason`` a message (``{"key", "fields"}``) that ``grader.messages.render``
    says in the reader's language. (Results of older graders have English ``message`` and
    ``message_zh`` texts instead; the reports still show them.)
    """
    errors = errors or {}
    if not plan.probes:
        return _not_checked("no_backward", "no_probes", {})
    if backward_value is None:
        why = (("failed", {"error": errors["backward"]}) if "backward" in errors
               else ("returned", {"got": message("value.none")}))
        return _not_checked("no_backward", *why)
    if not isinstance(backward_value, dict):
        return _not_checked("no_backward", "not_dict", {"got": _describe(backward_value)})
    absent = [p.grad_key for p in plan.probes if p.grad_key not in backward_value]
    if absent:
        return _not_checked("no_backward", "missing_keys", {"keys": ", ".join(absent)})
    grads = {}
    for p in plan.probes:
        g = _float_array(backward_value[p.grad_key], p.direction.shape)
        if g is None:
            return _not_checked("no_backward", "bad_grad", {"key": p.grad_key, "shape": str(p.direction.shape)})
        grads[p.grad_key] = g

    tensors = {}
    for p in plan.probes:
        losses = []
        for suffix in (p.plus, p.minus):
            value = forward_values.get(suffix)
            if value is None:
                reason = errors.get(suffix)
                why = ("failed", {"error": reason}) if reason else ("returned", {"got": message("value.none")})
                return _not_checked("no_forward", *why)
            loss, why = _loss(plan, value)
            if why is not None:
                return _not_checked("no_forward", why[0], why[1])
            losses.append(loss)
        if not all(np.isfinite(losses)):
            return _not_checked("no_forward", "not_finite", {})
        numeric = (losses[0] - losses[1]) / (2.0 * plan.eps)
        with np.errstate(invalid="ignore", over="ignore"):
            directional = float(np.sum(grads[p.grad_key] * p.direction))
        diff = abs(directional - numeric)
        floor = ABS_FLOOR * (1.0 + abs(losses[0]) + abs(losses[1]))
        ok = bool(np.isfinite(directional) and diff <= RTOL * max(abs(directional), abs(numeric)) + floor)
        rel = diff / max(abs(directional), abs(numeric), floor) if np.isfinite(diff) else float("inf")
        tensors[p.grad_key] = {"ok": ok, "directional": directional, "numeric": numeric, "rel_err": float(rel)}

    bad = [k for k, r in tensors.items() if not r["ok"]]
    if bad:
        details = [message("consistency.detail", name=k, directional=f"{tensors[k]['directional']:.6g}",
                           numeric=f"{tensors[k]['numeric']:.6g}") for k in bad]
        reason = message("consistency.inconsistent", details=details)
    else:
        reason = message("consistency.consistent", names=", ".join(tensors))
    return {"verdict": "inconsistent" if bad else "consistent", "reason": reason, "tensors": tensors}
