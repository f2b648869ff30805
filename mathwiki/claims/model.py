"""The results of checking verify fences, as plain data: they travel as JSON from the worker and the cache.

This module imports no SymPy, so the MkDocs process can render and report without loading it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

CHECKER_VERSION = "4"  # bump when the checker changes: it invalidates every cached verdict

Verdict = Literal["verified", "numeric", "wrong", "unchecked"]  # numeric: agrees at points, not proved
LineKind = Literal["definition", "claim", "error", "comment"]


@dataclass(frozen=True)
class ClaimResult:
    line: int  # file line once relocated (an index in the fence body before that)
    verdict: Verdict
    message: str = ""
    computed_latex: str = ""  # sympy.latex of the derivative SymPy computed
    counterexample: tuple[tuple[str, float], ...] | None = None  # a point where claim and derivative differ
    label: str = ""  # "∂f/∂x"
    method: str = ""  # "symbolic" (proved) or "numeric" (agrees at points, not proved)
    points: tuple[tuple[tuple[str, str], ...], ...] = ()  # numeric: points where both sides agree
    claimed_latex: str = ""  # wrong: the claim as SymPy simplifies it


@dataclass(frozen=True)
class FenceLine:
    line: int
    kind: LineKind
    source: str
    result: ClaimResult | None = None  # for claims
    error: str = ""  # for lines that could not be read


@dataclass(frozen=True)
class FenceResult:
    line: int  # opening fence line in the file (0 before relocation)
    body: str
    lines: tuple[FenceLine, ...] = field(default=())
    error: str = ""  # the fence as a whole could not be checked (worker crashed or timed out)

    def claims(self) -> list[ClaimResult]:
        return [item.result for item in self.lines if item.result is not None]


def relocate(fence: FenceResult, fence_line: int) -> FenceResult:
    """Body indexes -> file lines: body line k is at file line ``fence_line + 1 + k``."""

    def move(item: FenceLine) -> FenceLine:
        line = fence_line + 1 + item.line
        result = replace(item.result, line=line) if item.result else None
        return replace(item, line=line, result=result)

    return replace(fence, line=fence_line, lines=tuple(move(item) for item in fence.lines))


def summary(results: list[FenceResult] | list[ClaimResult]) -> tuple[int, int]:
    """(verified, total) claims, for the "N of M claims verified" page header."""
    counts = tally(results)
    return counts["verified"], counts["total"]


def tally(results: list[FenceResult] | list[ClaimResult]) -> dict[str, int]:
    """Claims by verdict, definitions and unreadable lines: what was checked on a page, and what was not."""
    counts = {"verified": 0, "numeric": 0, "wrong": 0, "unchecked": 0, "unread": 0, "definitions": 0, "total": 0}
    for item in results:
        if isinstance(item, FenceResult):
            for line in item.lines:
                if line.kind == "definition":
                    counts["definitions"] += 1
                elif line.kind == "error":
                    counts["unread"] += 1
                elif line.result is not None:
                    counts[line.result.verdict] += 1
                    counts["total"] += 1
        else:
            counts[item.verdict] += 1
            counts["total"] += 1
    return counts


def fence_to_json(fence: FenceResult) -> dict[str, Any]:
    def line(item: FenceLine) -> dict[str, Any]:
        data: dict[str, Any] = {
            "line": item.line,
            "kind": item.kind,
            "source": item.source,
            "error": item.error,
        }
        if item.result is not None:
            r = item.result
            data["result"] = {
                "verdict": r.verdict,
                "message": r.message,
                "computed_latex": r.computed_latex,
                "counterexample": [list(pair) for pair in r.counterexample] if r.counterexample else None,
                "label": r.label,
                "method": r.method,
                "points": [[list(pair) for pair in point] for point in r.points],
                "claimed_latex": r.claimed_latex,
            }
        return data

    return {
        "line": fence.line,
        "body": fence.body,
        "error": fence.error,
        "lines": [line(i) for i in fence.lines],
    }


def fence_from_json(data: dict[str, Any]) -> FenceResult:
    lines = []
    for item in data["lines"]:
        result = None
        if item.get("result"):
            r = item["result"]
            counter = tuple((str(k), float(v)) for k, v in r["counterexample"]) if r.get("counterexample") else None
            result = ClaimResult(
                line=item["line"],
                verdict=r["verdict"],
                message=r["message"],
                computed_latex=r["computed_latex"],
                counterexample=counter,
                label=r.get("label", ""),
                method=r.get("method", ""),
                points=tuple(tuple((str(k), str(v)) for k, v in point) for point in r.get("points") or ()),
                claimed_latex=r.get("claimed_latex", ""),
            )
        lines.append(FenceLine(item["line"], item["kind"], item["source"], result, item.get("error", "")))
    return FenceResult(data["line"], data["body"], tuple(lines), data.get("error", ""))
