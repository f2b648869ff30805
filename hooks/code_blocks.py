"""MkDocs adapter for ```` ```python ```` fences: run every page's code before rendering, show the results.

All the logic is in ``mathwiki.execution``. ``on_files`` is the pre-pass: every page's blocks run at once
(cached, in parallel, each page in its own sandboxed worker). The SuperFences formatter only highlights the
code and looks the result up. Figures are written into the site in ``on_post_build``.
"""

from __future__ import annotations

import base64
import logging
import os
import time
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url
from pymdownx.superfences import highlight_validator

from mathwiki.cache import Cache
from mathwiki.execution.jobs import page_job
from mathwiki.execution.render import figure_name, render, render_problem
from mathwiki.execution.runner import CACHE_VERSION, BlockResult, PageJob, PageResult, Runner
from mathwiki.execution.sandbox import probe, weak_sandbox_message
from mathwiki.pages import display_path, read_sources
from mathwiki.report import report
from mathwiki.settings import Settings
from mathwiki.superfences import guarded, unseen

log = logging.getLogger("mkdocs.hooks.code_blocks")

FIGURES = "assets/code-figures"
_OWN_OPTIONS = ("run", "bind")

_settings: Settings | None = None
_project_dir = Path.cwd()
_pages: dict[str, tuple[PageJob, PageResult]] = {}  # src_uri -> job and results
_used: dict[str, set[int]] = {}
_current: tuple[str, str] | None = None  # (src_uri, page url) of the page being rendered
_current_source: tuple[str, str] | None = None  # (docs/ path, source file) of that page, for messages
_figures: dict[str, str] = {}  # file name -> base64 PNG, written in on_post_build


def _validator(language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any], md: Any) -> bool:
    for name in _OWN_OPTIONS:
        if name in inputs:
            options[name] = inputs.pop(name)
    return highlight_validator(language, inputs, options, attrs, md)


def _lookup(source: str) -> tuple[BlockResult, list[str]] | None:
    """The result of the current page's python block whose code is ``source`` (identical blocks in order),
    and the other problems found at that block (a ``bind=`` that disagrees)."""
    if _current is None or _current[0] not in _pages:
        return None
    job, page = _pages[_current[0]]
    used = _used.setdefault(_current[0], set())
    wanted = source.strip("\n")
    for index, block in enumerate(job.blocks):
        if index not in used and block.source.strip("\n") == wanted:
            used.add(index)
            result = page.blocks[index]
            others = [p.message for p in page.problems if p.line == block.line and p.message != result.error]
            return result, others
    return None


def _figure_url(name: str) -> str:
    page_url = _current[1] if _current else ""
    return get_relative_url(f"{FIGURES}/{name}", page_url)


def _format(source: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any) -> str:
    own = {name: options.pop(name) for name in _OWN_OPTIONS if name in options}
    highlight = md.preprocessors["fenced_code_block"].extension.superfences[0]["formatter"]
    html = highlight(src=source, language=language, options=options, md=md, **kwargs)
    if _settings is None or not _settings.execute or own.get("run", "").lower() == "no":
        return html
    found = _lookup(source)
    if found is None:
        path, source_file = _current_source or ("?", None)
        problem = unseen("python", path, source_file, source, "shown without being run")
        report(problem, log)
        return f'<div class="code-block">{html}{render_problem(str(problem))}</div>'
    result, problems = found
    extra = render(result, _figure_url, problems)
    for png in result.figures:
        _figures[figure_name(png)] = png
    return f'<div class="code-block">{html}{extra}</div>' if extra else html


def on_config(config: Any) -> Any:
    global _settings, _project_dir
    _project_dir = Path(config.config_file_path).resolve().parent
    try:
        _settings = Settings.from_mapping((config.extra or {}).get("mathwiki"), _project_dir)
    except ValueError as exc:
        raise PluginError(f"{config.config_file_path}: {exc}") from exc
    if "pymdownx.superfences" not in config.markdown_extensions:
        config.markdown_extensions.append("pymdownx.superfences")
    superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = superfences.setdefault("custom_fences", [])
    fences[:] = [f for f in fences if f.get("name") != "python"]
    fences.append(
        {
            "name": "python",
            "class": "python",
            "format": guarded(_format, "python", lambda: _current[0] if _current else None),
            "validator": _validator,
        }
    )
    return config


def on_files(files: Any, config: Any) -> Any:
    """The pre-pass: every page's python blocks run at once, before any page is rendered."""
    global _current
    _pages.clear()
    _used.clear()
    _figures.clear()
    _current = None
    if _settings is None or not _settings.execute:
        return files
    settings = _settings
    jobs: dict[str, PageJob] = {}
    sources, unreadable = read_sources(config.docs_dir, _project_dir, (f.src_uri for f in files.documentation_pages()))
    for problem in unreadable:
        report(problem, log)
    for source in sources:
        job, problems = page_job(source.path, source.text, settings)
        for problem in problems:
            report(problem, log)
        if job is not None:
            jobs[source.src_uri] = job
    if not jobs:
        return files
    started = time.monotonic()
    sandbox = probe()
    weak = weak_sandbox_message(
        sandbox, allowed=settings.allow_weak_sandbox, ci=os.environ.get("CI", "").lower() == "true"
    )
    if weak is not None:
        level, text = weak
        if level == "error":
            raise PluginError(text)
        log.warning(text)
    runner = Runner(
        Cache(settings.cache_dir, "code", CACHE_VERSION),
        memory_mb=settings.code_memory_mb,
        output_limit=settings.output_limit_bytes,
        page_output_limit=settings.page_output_limit_bytes,
        workers=settings.workers,
        sandbox=sandbox,
        mpl_cache=settings.cache_dir / "matplotlib",
    )
    results = runner.run_pages(list(jobs.values()))
    for (src_uri, job), result in zip(jobs.items(), results, strict=True):
        _pages[src_uri] = (job, result)
        for problem in result.problems:
            report(problem, log)
    log.info(
        "code blocks: %d page(s), %d run in a worker, the rest from the cache (%.1f s)",
        len(jobs),
        runner.started,
        time.monotonic() - started,
    )
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    global _current, _current_source
    _current = (page.file.src_uri, page.url)
    _current_source = (display_path(config.docs_dir, page.file.src_uri, _project_dir), page.file.abs_src_path)
    _used.pop(page.file.src_uri, None)
    return markdown


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Write the figures of the pages: after the site folder was cleaned, before pages are written."""
    folder = Path(config.site_dir) / FIGURES
    for name, png in _figures.items():
        target = folder / name
        if not target.exists():
            folder.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(png))
    return env
