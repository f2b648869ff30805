# ruff: noqa: E501  (API tables and LaTeX formulas read better on one line)
"""The verify fence: derivative claims checked with SymPy at build time.

API (importing this package does not import SymPy; checking happens in worker processes):

    runner.page_fences(path, text) -> PageFences                       # the page's verify fences
    runner.check_pages(pages, settings) -> dict[path, list[FenceResult]]  # cache, then workers in parallel
    runner.problems_of(path, fence_results) -> list[Problem]           # wrong/unreadable: error; unchecked: warning
    render.render_fence(fence_result, sympy_version) -> str            # HTML; render.render_plain(body) when off
    render.make_formatter(lookup, enabled, sympy_version) -> (format, validator)   # SuperFences custom fence
    model.summary(results) -> (verified, total)
    model.ClaimResult(line, verdict, message, computed_latex, counterexample, label, method)
        verdict: "verified" | "wrong" | "unchecked"; counterexample: ((name, value), ...) when wrong

    check.parse_fence(body, first_line, known) -> (items, problems)    # in a worker; adds definitions to known
    check.check_fences(bodies, timeout_s) -> list[FenceResult]         # in a worker; lines are body indexes

Bindings for code blocks (``bind="partials: df/dx, df/dy"``); names are Python names (``w_1``, ``sigma``):

    bindings.binding_points(symbols, seed, n=5) -> list[dict[str, float]]      # deterministic, values 0.3..2.5
    bindings.definition_symbols(fences, name) -> list[str]                      # variables, then constants
    bindings.expected_values(fences, name, targets, points) -> list[list[float | None]]
        fences: the bodies of the page's verify fences, in order; targets: [("x",), ("x", "y")] (first or
        second order); points: dicts giving every symbol of the definition; values[i][j] = target j at point i
        (None where not real/finite). Both run a claims worker; ``*_local`` variants run in-process.
        Raise bindings.BindingError with a readable message.
"""

from mathwiki.claims.model import CHECKER_VERSION, ClaimResult, FenceLine, FenceResult, summary

__all__ = ["CHECKER_VERSION", "ClaimResult", "FenceLine", "FenceResult", "summary"]
