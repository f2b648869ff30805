"""MkDocs adapter for verify fences: register the fence, check every page's claims before rendering.

All the logic is in ``mathwiki.claims``; this file only translates MkDocs events into calls on it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mathwiki.claims.model import FenceResult, tally
from mathwiki.claims.render import make_formatter, normalise
from mathwiki.claims.runner import check_pages, page_fences, problems_of, sympy_version
from mathwiki.pages import display_path, read_sources
from mathwiki.report import report
from mathwiki.settings import Settings
from mathwiki.superfences import guarded, unseen

log = logging.getLogger("mkdocs.hooks.claims")

_settings: Settings | None = None
_project_dir = Path.cwd()
_results: dict[str, list[FenceResult]] = {}  # page path ("docs/x.md") -> its fences' results
_used: dict[str, set[int]] = {}
_current: str | None = None
_current_file: str | None = None  # the current page's source file, to locate a fence the pre-pass missed


def _lookup(source: str) -> FenceResult | None:
    """The results of the fence of the current page whose body is ``source`` (identical fences in order)."""
    if _current is None:
        return None
    body = normalise(source)
    used = _used.setdefault(_current, set())
    candidates = [(i, f) for i, f in enumerate(_results.get(_current, [])) if normalise(f.body) == body]
    for index, fence in candidates:
        if index not in used:
            used.add(index)
            return fence
    if not candidates:
        report(unseen("verify", _current, _current_file, source, "shown without being checked"), log)
        return None
    return candidates[0][1]


def _enabled() -> bool:
    return _settings is not None and _settings.claims


def on_config(config: Any) -> Any:
    global _settings, _project_dir
    _project_dir = Path(config.config_file_path).resolve().parent
    _settings = Settings.from_mapping((config.extra or {}).get("mathwiki"), _project_dir)
    formatter, validator = make_formatter(_lookup, _enabled, sympy_version())
    superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = superfences.setdefault("custom_fences", [])
    fences[:] = [f for f in fences if f.get("name") != "verify"]
    fences.append(
        {
            "name": "verify",
            "class": "verify",
            "format": guarded(formatter, "verify", lambda: _current),
            "validator": validator,
        }
    )
    return config


def on_files(files: Any, config: Any) -> Any:
    """The pre-pass: every page's verify fences checked at once (cached, in parallel, out of process)."""
    global _current
    _results.clear()
    _used.clear()
    _current = None
    if not _enabled():
        return files
    assert _settings is not None
    sources, unreadable = read_sources(config.docs_dir, _project_dir, (f.src_uri for f in files.documentation_pages()))
    for problem in unreadable:
        report(problem, log)
    pages = [page for page in (page_fences(s.path, s.text) for s in sources) if page.fences]
    _results.update(check_pages(pages, _settings))
    for path, fences in _results.items():
        for problem in problems_of(path, fences, _settings.numeric_claims_fail):
            report(problem, log)
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    global _current, _current_file
    _current = display_path(config.docs_dir, page.file.src_uri, _project_dir)
    _current_file = page.file.abs_src_path
    _used.pop(_current, None)
    counts = tally(_results.get(_current, []))
    if counts["total"]:
        page.meta["claims"] = counts
    return markdown
