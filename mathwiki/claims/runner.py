"""Check the verify fences of many pages: cache first, then worker processes in parallel for the rest.

This is the one code path of the build hook, the check command and the benchmark. It imports no SymPy: the
work happens in ``mathwiki.claims.worker`` processes, each handling a chunk of pages so that starting Python
and importing SymPy is paid once per chunk.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mathwiki import pagemodel
from mathwiki.cache import Cache
from mathwiki.claims.model import (
    CHECKER_VERSION,
    ClaimResult,
    FenceLine,
    FenceResult,
    fence_from_json,
    relocate,
)
from mathwiki.fences import Fence
from mathwiki.isolation import Limits, Outcome, run_parallel, run_worker
from mathwiki.problems import Problem
from mathwiki.settings import Settings

WORKER = "mathwiki.claims.worker"
STARTUP_MARGIN_S = 30.0  # starting Python and importing SymPy, on a loaded machine


@dataclass(frozen=True)
class PageFences:
    path: str  # "docs/topics/x.md"
    fences: tuple[Fence, ...]  # the page's verify fences, in order

    @property
    def bodies(self) -> list[str]:
        return [f.body for f in self.fences]

    @property
    def first_lines(self) -> list[int]:
        """The file line of each fence's first body line (messages name definitions by file line)."""
        return [f.line + 1 for f in self.fences]


def page_fences(path: str, text: str) -> PageFences:
    return PageFences(path, tuple(f for f in pagemodel.read(text).fences if f.lang == "verify"))


def sympy_version() -> str:
    return importlib.metadata.version("sympy")


def cache_version() -> str:
    return f"sympy-{sympy_version()}+checker-{CHECKER_VERSION}"


def _claim_count(bodies: Sequence[str]) -> int:
    return sum(1 for body in bodies for line in body.split("\n") if _looks_like_claim(line))


def _looks_like_claim(line: str) -> bool:
    """A cheap guess used only to size chunks and to mark lines when the worker failed."""
    source = line.strip()
    head = source.split("=", 1)[0]
    return (
        bool(source)
        and not source.startswith("%")
        and (
            source.startswith(("\\frac", "\\dfrac", "\\tfrac", "\\partial", "\\nabla", "{", "d", "="))
            or "'" in head
            or "\\prime" in head
            or ("_" in head and "(" not in head)
        )
    )


def _chunks(pages: list[PageFences], count: int) -> list[list[PageFences]]:
    """About ``count`` chunks of similar work (largest pages first, each to the lightest chunk)."""
    count = max(1, min(count, len(pages)))
    chunks: list[list[PageFences]] = [[] for _ in range(count)]
    loads = [0] * count
    for page in sorted(pages, key=lambda p: -_claim_count(p.bodies)):
        lightest = loads.index(min(loads))
        chunks[lightest].append(page)
        loads[lightest] += _claim_count(page.bodies) + 1
    return [c for c in chunks if c]


def _run_chunk(pages: list[PageFences], settings: Settings) -> Outcome:
    claims = sum(_claim_count(p.bodies) for p in pages)
    limits = Limits(timeout_s=claims * settings.claim_timeout_s + STARTUP_MARGIN_S, memory_mb=2048)
    payload = {
        "op": "check",
        "timeout_s": settings.claim_timeout_s,
        "pages": [p.bodies for p in pages],
        "first_lines": [p.first_lines for p in pages],
    }
    return run_worker(WORKER, payload, limits)


def _failed(page: PageFences, reason: str) -> list[FenceResult]:
    """Every claim of the page unchecked, with the reason (lines starting with \\frac are taken as claims)."""
    results = []
    for fence in page.fences:
        lines = []
        for index, raw in enumerate(fence.body.split("\n")):
            source = raw.strip()
            if _looks_like_claim(raw):
                result = ClaimResult(index, "unchecked", f"cannot check this claim: {reason}")
                lines.append(FenceLine(index, "claim", raw, result))
            else:
                lines.append(
                    FenceLine(index, "definition" if source and not source.startswith("%") else "comment", raw)
                )
        results.append(relocate(FenceResult(0, fence.body, tuple(lines)), fence.line))
    return results


def _cacheable(value: object) -> bool:
    if not isinstance(value, list):
        return False
    return not any(
        (line.get("result") or {}).get("verdict") == "unchecked" and "time limit" in line["result"]["message"]
        for fence in value
        for line in fence["lines"]
    )


def check_pages(pages: Sequence[PageFences], settings: Settings) -> dict[str, list[FenceResult]]:
    """The results of every page's verify fences, with file lines, keyed by page path."""
    cache = Cache(Path(settings.cache_dir), "claims", cache_version())
    results: dict[str, list[FenceResult]] = {}
    todo: list[tuple[PageFences, str]] = []
    for page in pages:
        if not page.fences:
            results[page.path] = []
            continue
        key = cache.key(*page.bodies, *map(str, page.first_lines))
        cached = cache.get(key)
        if isinstance(cached, list) and len(cached) == len(page.fences):
            results[page.path] = _decode(page, cached)
        else:
            todo.append((page, key))
    if not todo:
        return results

    def finish(page: PageFences, key: str, value: object) -> None:
        results[page.path] = _decode(page, value)  # type: ignore[arg-type]
        if _cacheable(value):
            cache.put(key, value)

    chunks = _chunks([p for p, _ in todo], 2 * settings.workers)
    keys = {id(p): k for p, k in todo}
    outcomes = run_parallel(lambda chunk: _run_chunk(chunk, settings), chunks, settings.workers)
    retry: list[tuple[PageFences, str]] = []
    for chunk, outcome in zip(chunks, outcomes, strict=True):
        if outcome.ok and len(outcome.value.get("pages", [])) == len(chunk):
            for page, value in zip(chunk, outcome.value["pages"], strict=True):
                if isinstance(value, dict):
                    results[page.path] = _failed(page, value.get("error", "the checker failed"))
                else:
                    finish(page, keys[id(page)], value)
        else:
            retry.extend((page, f"the claims worker {outcome.status}: {outcome.detail}") for page in chunk)
    if retry:  # each page of a failed chunk once more on its own, so one bad page cannot sink the others
        alone = run_parallel(lambda item: _run_chunk([item[0]], settings), retry, settings.workers)
        for (page, first_reason), outcome in zip(retry, alone, strict=True):
            if outcome.ok and isinstance(outcome.value.get("pages", [None])[0], list):
                finish(page, keys[id(page)], outcome.value["pages"][0])
            else:
                reason = outcome.detail if not outcome.ok else first_reason
                results[page.path] = _failed(page, f"the claims worker failed ({reason})")
    return results


def _decode(page: PageFences, value: list[dict]) -> list[FenceResult]:
    return [relocate(fence_from_json(data), fence.line) for data, fence in zip(value, page.fences, strict=True)]


def problems_of(path: str, fences: Sequence[FenceResult], numeric_fails: bool = False) -> list[Problem]:
    """Wrong claims and unreadable lines are errors; claims that could not be checked are warnings. A claim
    that only agrees numerically is shown as such on the page; it is an error only with ``numeric_fails``."""
    problems = []
    for fence in fences:
        if fence.error:
            problems.append(Problem(path, fence.line, fence.error, "warning"))
        for item in fence.lines:
            if item.kind == "error":
                problems.append(Problem(path, item.line, item.error))
            elif item.result is not None and item.result.verdict == "wrong":
                problems.append(Problem(path, item.line, item.result.message))
            elif item.result is not None and item.result.verdict == "numeric" and numeric_fails:
                problems.append(Problem(path, item.line, item.result.message + " (numeric_claims_fail is on)"))
            elif item.result is not None and item.result.verdict == "unchecked":
                problems.append(Problem(path, item.line, item.result.message, "warning"))
    return problems
