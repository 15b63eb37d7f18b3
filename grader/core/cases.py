"""Cases: one call of one graded function on one set of inputs, with the answer key's output.

Case ``k`` of an item draws its inputs with ``numpy.random.default_rng(case_seed(seed, item_id, k))``
from the item's generator. Public cases (``public-0`` …) use the assignment's public seed and are the
same for every student; hidden cases (``hidden-0`` …) use a per-student (or per-release) seed.

Shapes: public case k uses ``shapes[k % S]``; hidden case k uses ``shapes[(k + public) % S]``, so that
the hidden cases start where the public ones stopped and also reach the edge shapes (m=1, n_h=1, T=1,
saturated gates) that the public cases may not cover.
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional

import numpy as np

from grader.core.generators import GENERATORS


@dataclass(frozen=True)
class Case:
    item: str  # function name
    case_id: str  # "public-0", "hidden-2"
    visibility: str  # "public" | "hidden"
    label: str  # "m=1, n_h=1", "saturated gates", or the sizes when the spec gives no label
    args: tuple  # positional inputs, signature order
    arg_names: tuple
    expected: Any  # reference output: ndarray, tuple, dict, or (dict, float)
    rtol: float
    atol: float
    # Cache-style items: the arguments made by another function of the student (``Produced``). At
    # their positions ``args`` holds the cache the answer key's producer made on the same inputs.
    produced: tuple = ()

    @property
    def kwargs(self) -> dict:
        """The inputs by parameter name."""
        return dict(zip(self.arg_names, self.args))


@dataclass(frozen=True)
class Produced:
    """Argument ``arg`` (at ``position``) is output ``output`` of ``by(*inputs)``: the sandbox calls
    the student's ``by`` on ``inputs`` and passes that output on; the grader's reference call gets the
    answer key's. ``layout`` is the resolved layout of that cache (``resolve_layout``)."""

    position: int
    arg: str
    by: str
    output: int  # index of the cache in the producer's returned tuple
    output_name: str
    inputs: tuple  # the producer's inputs, in its params order
    input_names: tuple
    layout: Any
    output_names: tuple = ()  # the producer's output names (to name arrays a cache entry shares memory with)


@dataclass(frozen=True)
class Producer:
    """What ``build_cases`` needs to know of an argument's producer."""

    item: Any  # the producer's assignments.spec.ItemSpec (duck-typed: the core sits below assignments)
    reference: Callable
    output: int
    output_name: str
    layout: Any
    output_names: tuple = ()


def resolve_layout(layouts: Mapping, name: str) -> dict:
    """A layout with its ``list_of`` entries replaced by the layouts they name (a plain JSON tree):
    ``{"name": L, "entries": [{"name": "a_next"}, {"name": "caches", "list_of": {...}}]}``."""
    entries = []
    for e in layouts[name]["entries"]:
        if "list_of" in e:
            entries.append({"name": e["name"], "list_of": resolve_layout(layouts, e["list_of"])})
        else:
            entries.append({"name": e["name"]})
    return {"name": name, "entries": entries}


def producers_of(spec, item, resolve: Callable) -> dict:
    """``{arg: Producer}`` of a code item's produced arguments (``resolve(item)`` gives a reference)."""
    out = {}
    for arg, src in (getattr(item, "produced", None) or {}).items():
        by = spec.item(src["by"])
        outputs = by.output_spec.get("items") or [by.output_spec]
        index = next(k for k, o in enumerate(outputs) if o.get("name") == src["output"])
        out[arg] = Producer(by, resolve(by), index, src["output"],
                            resolve_layout(spec.layouts, outputs[index]["layout"]),
                            tuple(o.get("name") for o in outputs))
    return out


def _split_produced(item, args: tuple, producers: Mapping) -> tuple:
    """The generator's arguments with each produced argument's producer inputs taken out.

    A generator gives, for a produced argument, the producer's inputs: either as one tuple at that
    position, or spliced in its place (``(da, x, a0, parameters)`` for ``(da, caches)``).
    Returns ``(args with None at produced positions, {arg: inputs})``.
    """
    params = list(item.params)
    if len(args) == len(params) and all(isinstance(args[params.index(a)], tuple)
                                        and len(args[params.index(a)]) == len(p.item.params)
                                        for a, p in producers.items()):
        inputs = {a: tuple(args[params.index(a)]) for a in producers}
        return tuple(None if n in producers else v for n, v in zip(params, args)), inputs
    out, inputs, k = [], {}, 0
    for name in params:
        if name in producers:
            n = len(producers[name].item.params)
            inputs[name] = tuple(args[k:k + n])
            out.append(None)
            k += n
        else:
            out.append(args[k] if k < len(args) else None)
            k += 1
    if k != len(args):
        expected = sum(len(producers[n].item.params) if n in producers else 1 for n in params)
        raise ValueError(f"generator for {item.id!r} returned {len(args)} arguments; with the produced "
                         f"arguments' inputs spliced in it should return {expected}")
    return tuple(out), inputs


def case_seed(seed: int, item_id: str, k: int) -> int:
    """A 64-bit seed for case ``k`` of ``item_id``, stable across processes, platforms and numpy versions.

    ``SeedSequence((seed, h(item_id), k))`` with h the first 8 bytes of SHA-256 of the item id; the
    per-student seeds are HMAC integers of any size, which SeedSequence takes as they are.
    """
    if seed < 0 or k < 0:
        raise ValueError(f"case_seed needs non-negative seed and k, got seed={seed}, k={k}")
    item_hash = int.from_bytes(hashlib.sha256(item_id.encode("utf-8")).digest()[:8], "big")
    state = np.random.SeedSequence([int(seed), item_hash, int(k)]).generate_state(1, np.uint64)
    return int(state[0])


def shape_label(shape: Mapping) -> str:
    """The spec's label, or the sizes: ``"n_x=3, n_h=5, m=10"``."""
    if shape.get("label"):
        return str(shape["label"])
    return ", ".join(f"{k}={v}" for k, v in shape.items() if k != "label")


def resolve_generator(name: str) -> Callable:
    """A built-in generator by name; raises a KeyError that lists the names there are."""
    try:
        return GENERATORS[name]
    except KeyError:
        raise KeyError(
            f"no built-in generator {name!r}; built-in generators: {', '.join(sorted(GENERATORS))} "
            f"(or name one as module:function)"
        ) from None


def build_cases(
    item,
    reference: Callable,
    generator: Optional[Callable],
    public_seed: int,
    hidden_seed: Optional[int],
    *,
    public: bool = True,
    producers: Optional[Mapping] = None,
) -> list[Case]:
    """All cases of a code item: ``item.public`` public cases, then ``item.hidden`` hidden ones
    (``public=False``: the hidden ones only, for a caller that keeps the public ones).

    ``item`` is an ``assignments.spec.ItemSpec``; ``reference`` the answer-key function; ``generator``
    ``f(shape, rng) -> tuple`` (None: the built-in one named ``item.generator``). ``hidden_seed`` None
    builds public cases only (the student kit). The reference runs on deep copies of the inputs, so a
    reference that wrote into its inputs could not change the stored case; expected values are stored
    as the reference returns them.
    """
    if not item.shapes:
        raise ValueError(f"item {item.id!r} has no shapes to draw cases from")
    gen = generator if generator is not None else resolve_generator(item.generator or item.id)
    shapes = list(item.shapes)
    plan = [("public", public_seed, k, shapes[k % len(shapes)]) for k in range(item.public if public else 0)]
    if hidden_seed is not None:
        plan += [("hidden", hidden_seed, k, shapes[(k + item.public) % len(shapes)]) for k in range(item.hidden)]
    cases = []
    for visibility, seed, k, shape in plan:
        rng = np.random.default_rng(case_seed(seed, item.id, k))
        args = tuple(gen(dict(shape), rng))
        produced = ()
        if producers:
            args, produced = _produce(item, args, producers)
        if len(args) != len(item.params):
            raise ValueError(
                f"generator for {item.id!r} returned {len(args)} arguments, the item has {len(item.params)} "
                f"parameters ({', '.join(item.params)})"
            )
        expected = reference(*copy.deepcopy(args))
        cases.append(
            Case(
                item=item.id,
                case_id=f"{visibility}-{k}",
                visibility=visibility,
                label=shape_label(shape),
                args=args,
                arg_names=tuple(item.params),
                expected=expected,
                rtol=float(item.rtol),
                atol=float(item.atol),
                produced=produced,
            )
        )
    return cases


def _produce(item, args: tuple, producers: Mapping) -> tuple:
    """``(args with the answer key's caches in place, (Produced, ...))``."""
    args, inputs = _split_produced(item, args, producers)
    args = list(args)
    produced = []
    for name, p in producers.items():
        pos = list(item.params).index(name)
        ins = inputs[name]
        if len(ins) != len(p.item.params):
            raise ValueError(f"generator for {item.id!r} gave {len(ins)} inputs for {p.item.id} "
                             f"({', '.join(p.item.params)})")
        args[pos] = p.reference(*copy.deepcopy(ins))[p.output]
        produced.append(Produced(pos, name, p.item.id, p.output, p.output_name, ins, tuple(p.item.params),
                                 p.layout, p.output_names))
    return tuple(args), tuple(produced)
