"""Values of verified derivatives, for checking a code block's ``bind="partials: df/dx, df/dy"`` against them.

``*_local`` functions import SymPy and run in the calling process (use them inside a worker);
``expected_values`` and ``definition_symbols`` run them in a claims worker through ``mathwiki.isolation``.
Names are Python names (``mathwiki.latex.python_name``): LaTeX ``w_1`` -> ``w_1``, ``\\sigma`` -> ``sigma``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from mathwiki.isolation import Limits, run_worker


class BindingError(ValueError):
    """The name or a target is not defined by the page's verify fences."""


def binding_points(symbols: Sequence[str], seed: int, n: int = 5) -> list[dict[str, float]]:
    """``n`` deterministic points: every symbol gets a distinct value in 0.30..2.50 (two decimals)."""
    rng = random.Random(seed)
    points = []
    for _ in range(n):
        picks = (
            rng.sample(range(30, 251), len(symbols)) if len(symbols) <= 221 else [rng.randint(30, 250) for _ in symbols]
        )
        points.append({name: value / 100 for name, value in zip(symbols, picks, strict=True)})
    return points


def _function(fences: Sequence[str], name: str) -> Any:
    from mathwiki.claims.check import parse_fence
    from mathwiki.latex import python_name

    known: dict[str, Any] = {}
    for body in fences:
        parse_fence(body, 0, known)
    by_python = {python_name(k): v for k, v in known.items()}
    if name not in by_python:
        defined = ", ".join(sorted(by_python)) or "none"
        raise BindingError(f"no verify fence on the page defines '{name}' (defined: {defined})")
    return by_python[name]


def definition_symbols_local(fences: Sequence[str], name: str) -> list[str]:
    """Python names of the definition's variables (in order), then of its constants (sorted)."""
    from mathwiki.latex import python_name

    function = _function(fences, name)
    return [python_name(s.name) for s in (*function.params, *function.constants())]


def expected_values_local(
    fences: Sequence[str], name: str, targets: Sequence[Sequence[str]], points: Sequence[Mapping[str, float]]
) -> list[list[float | None]]:
    """``values[i][j]``: derivative of ``name`` w.r.t. ``targets[j]`` (1 or 2 variables) at ``points[i]``.

    A point maps the Python names of ALL symbols of the definition to numbers. ``None`` where the derivative
    is not real or not finite.
    """
    import mpmath
    import sympy

    from mathwiki.claims.check import DPS, _real
    from mathwiki.latex import python_name

    function = _function(fences, name)
    params = {python_name(p.name): p for p in function.params}
    symbols = {python_name(s.name): s for s in (*function.params, *function.constants())}
    derivatives = []
    for target in targets:
        if not 1 <= len(target) <= 2 or any(v not in params for v in target):
            raise BindingError(
                f"cannot bind d/{'/'.join(target)}: the variables of {name} are {', '.join(params)} "
                "(first or second order only)"
            )
        derivatives.append(sympy.diff(function.expr, *(params[v] for v in target)))
    values: list[list[float | None]] = []
    for point in points:
        missing = sorted(set(symbols) - set(point))
        if missing:
            raise BindingError(f"no value for {', '.join(missing)} at point {dict(point)}")
        row: list[float | None] = []
        with mpmath.workdps(DPS):
            at = {symbols[k]: mpmath.mpf(repr(float(v))) for k, v in point.items() if k in symbols}
            for derivative in derivatives:
                value = _real(derivative, at)
                row.append(float(value) if value is not None else None)
        values.append(row)
    return values


def _ask(payload: dict[str, Any], timeout_s: float) -> Any:
    outcome = run_worker("mathwiki.claims.worker", payload, Limits(timeout_s=timeout_s))
    if not outcome.ok:
        raise BindingError(f"the claims worker failed: {outcome.status}: {outcome.detail}")
    if "error" in outcome.value:
        raise BindingError(outcome.value["error"])
    return outcome.value


def expected_values(
    fences: Sequence[str],
    name: str,
    targets: Sequence[Sequence[str]],
    points: Sequence[Mapping[str, float]],
    timeout_s: float = 60.0,
) -> list[list[float | None]]:
    """``expected_values_local`` in a claims worker process."""
    payload = {
        "op": "expected_values",
        "fences": list(fences),
        "name": name,
        "targets": [list(t) for t in targets],
        "points": [dict(p) for p in points],
    }
    return _ask(payload, timeout_s)["values"]


def definition_symbols(fences: Sequence[str], name: str, timeout_s: float = 60.0) -> list[str]:
    """``definition_symbols_local`` in a claims worker process."""
    return _ask({"op": "definition_symbols", "fences": list(fences), "name": name}, timeout_s)["symbols"]
