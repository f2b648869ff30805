# ruff: noqa: E501  (API tables and LaTeX formulas read better on one line)
"""The claims worker process: ``python -m mathwiki.claims.worker`` run through ``mathwiki.isolation``.

Payloads (JSON):
- ``{"op": "check", "timeout_s": 5.0, "pages": [[fence body, ...], ...], "first_lines": [[12, ...], ...]}``
  -> ``{"pages": [[fence result as JSON, ...] or {"error": "..."}, ...]}`` (lines are body indexes)
- ``{"op": "expected_values", "fences": [...], "name": "f", "targets": [["x"], ["x", "y"]], "points": [{...}]}``
  -> ``{"values": [[...], ...]}`` or ``{"error": "..."}``
- ``{"op": "definition_symbols", "fences": [...], "name": "f"}`` -> ``{"symbols": [...]}`` or ``{"error": "..."}``
One process checks many pages, so SymPy is imported once per chunk of pages.
"""

from __future__ import annotations

from typing import Any


def handle(payload: dict[str, Any]) -> dict[str, Any]:
    op = payload.get("op", "check")
    if op == "check":
        from mathwiki.claims.check import check_fences
        from mathwiki.claims.model import fence_to_json

        pages: list[Any] = []
        lines = payload.get("first_lines") or [None] * len(payload["pages"])
        for bodies, first_lines in zip(payload["pages"], lines, strict=True):
            try:
                checked = check_fences(list(bodies), float(payload["timeout_s"]), first_lines)
                pages.append([fence_to_json(f) for f in checked])
            except Exception as exc:  # one broken page must not take the others with it
                pages.append({"error": f"the checker failed on this page: {type(exc).__name__}: {exc}"})
        return {"pages": pages}
    from mathwiki.claims import bindings

    try:
        if op == "expected_values":
            values = bindings.expected_values_local(
                payload["fences"], payload["name"], [tuple(t) for t in payload["targets"]], payload["points"]
            )
            return {"values": values}
        if op == "definition_symbols":
            return {"symbols": bindings.definition_symbols_local(payload["fences"], payload["name"])}
    except bindings.BindingError as exc:
        return {"error": str(exc)}
    return {"error": f"unknown operation {op!r}"}


if __name__ == "__main__":
    from mathwiki.isolation import serve

    serve(handle)
