"""MkDocs adapter for verify fences: register the fence, check every page's claims before rendering.

All the logic is in ``mathwiki.claims``; this file only translates MkDocs events into calls on it.
"""

from __future__ import annotations

import logging
from typing import Any

from mathwiki import build_context, superfences
from mathwiki.claims.model import FenceResult, tally
from mathwiki.claims.render import make_formatter
from mathwiki.claims.runner import check_pages, page_fences, problems_of, sympy_version
from mathwiki.report import report
from mathwiki.superfences import unseen

log = logging.getLogger("mkdocs.hooks.claims")


def _results() -> dict[str, dict[int, FenceResult]]:
    """Page path ("docs/x.md") -> the opening line of each verify fence -> its results."""
    return build_context.active().results_of("claims")


def _lookup(source: str) -> FenceResult | None:
    """The results of the fence being formatted: the page's next ```verify fence, whose body must be ``source``."""
    context = build_context.active()
    page = context.current
    fence, line = context.next_fence("verify", source)
    found = _results().get(page.path, {}).get(fence.line) if page is not None and fence is not None else None
    if found is None and page is not None:
        report(unseen("verify", page.path, line, "shown without being checked"), log)
    return found


def _enabled() -> bool:
    return build_context.active().settings.claims


def on_config(config: Any) -> Any:
    formatter, validator = make_formatter(_lookup, _enabled, sympy_version())
    superfences.register(config.mdx_configs, superfences.custom_fence("verify", formatter, validator))
    return config


def on_files(files: Any, config: Any) -> Any:
    """The pre-pass: every page's verify fences checked at once (cached, in parallel, out of process)."""
    if not _enabled():
        return files
    context = build_context.of(config)
    sources, unreadable = context.pages(f.src_uri for f in files.documentation_pages())
    for problem in unreadable:
        report(problem, log)
    pages = [page for page in (page_fences(s.path, s.text) for s in sources) if page.fences]
    checked = check_pages(pages, context.settings)
    for page in pages:
        fences = checked.get(page.path, [])
        _results()[page.path] = {fence.line: result for fence, result in zip(page.fences, fences, strict=True)}
        context.note_render_input(page.path, "claims", _results()[page.path])  # what the formatter shows
        for problem in problems_of(page.path, fences, context.settings.numeric_claims_fail):
            report(problem, log)
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    current = build_context.page(page)
    counts = tally(list(_results().get(current.path, {}).values()))
    if counts["total"]:
        page.meta["claims"] = counts
    return markdown
