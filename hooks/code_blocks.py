"""MkDocs adapter for ```` ```python ```` fences: run every page's code before rendering, show the results.

All the logic is in ``mathwiki.execution``. ``on_files`` is the pre-pass: every page's blocks run at once
(cached, in parallel, each page in its own sandboxed worker). The SuperFences formatter only highlights the
code and looks the result up. Figures join MkDocs' files (``File.generated``) in the pre-pass.
"""

from __future__ import annotations

import base64
import logging
import os
import time
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from pymdownx.superfences import highlight_validator

from mathwiki import build_context, superfences
from mathwiki.execution.jobs import page_job
from mathwiki.execution.render import figure_name, render, render_problem
from mathwiki.execution.runner import BlockResult, PageJob, PageResult, Runner
from mathwiki.execution.sandbox import probe, weak_sandbox_message
from mathwiki.fences import Fence
from mathwiki.report import report
from mathwiki.superfences import unseen

log = logging.getLogger("mkdocs.hooks.code_blocks")

FIGURES = "assets/code-figures"
_OWN_OPTIONS = ("run", "bind")


def _pages() -> dict[str, tuple[PageJob, PageResult]]:
    """src_uri -> the page's job and its results, for this build."""
    return build_context.active().results_of("code")


def _validator(language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any], md: Any) -> bool:
    for name in _OWN_OPTIONS:
        if name in inputs:
            options[name] = inputs.pop(name)
    return highlight_validator(language, inputs, options, attrs, md)


def _result(fence: Fence | None) -> tuple[BlockResult, list[str]] | None:
    """The pre-pass result of ``fence`` of the current page and the other problems found at that block (a
    ``bind=`` that disagrees); None when the pre-pass has none."""
    page = build_context.active().current
    if fence is None or page is None or page.src_uri not in _pages():
        return None
    job, results = _pages()[page.src_uri]
    for index, block in enumerate(job.blocks):
        if block.line == fence.line:
            result = results.blocks[index]
            others = [p.message for p in results.problems if p.line == block.line and p.message != result.error]
            return result, others
    return None


def _figure_url(name: str) -> str:
    page = build_context.active().current
    return get_relative_url(f"{FIGURES}/{name}", page.url if page is not None else "")


def _format(source: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any) -> str:
    own = {name: options.pop(name) for name in _OWN_OPTIONS if name in options}
    highlight = md.preprocessors["fenced_code_block"].extension.superfences[0]["formatter"]
    html = highlight(src=source, language=language, options=options, md=md, **kwargs)
    context = build_context.active()
    if not context.settings.execute:
        return html
    fence, line = context.next_fence("python", source)
    if own.get("run", "").lower() == "no":
        return html
    found = _result(fence)
    if found is None:
        page = context.current
        problem = unseen("python", page.path if page is not None else "?", line, "shown without being run")
        report(problem, log)
        return f'<div class="code-block">{html}{render_problem(str(problem))}</div>'
    result, problems = found
    extra = render(result, _figure_url, problems)
    return f'<div class="code-block">{html}{extra}</div>' if extra else html


def on_config(config: Any) -> Any:
    try:
        build_context.of(config)
    except ValueError as exc:
        raise PluginError(f"{config.config_file_path}: {exc}") from exc
    if "pymdownx.superfences" not in config.markdown_extensions:
        config.markdown_extensions.append("pymdownx.superfences")
    superfences.register(config.mdx_configs, superfences.custom_fence("python", _format, _validator))
    return config


def on_files(files: Any, config: Any) -> Any:
    """The pre-pass: every page's python blocks run at once, before any page is rendered; their figures join
    MkDocs' files."""
    context = build_context.of(config)
    settings = context.settings
    if not settings.execute:
        return files
    jobs: dict[str, PageJob] = {}
    sources, unreadable = context.pages(f.src_uri for f in files.documentation_pages())
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
    runner = Runner.for_settings(settings, sandbox)
    results = runner.run_pages(list(jobs.values()))
    for (src_uri, job), result in zip(jobs.items(), results, strict=True):
        _pages()[src_uri] = (job, result)
        context.note_render_input(context.path(src_uri), "code", (job, result.blocks, result.problems))
        for problem in result.problems:
            report(problem, log)
        for block in result.blocks:
            for png in block.figures:
                name = f"{FIGURES}/{figure_name(png)}"
                if files.get_file_from_path(name) is None:
                    files.append(File.generated(config, name, content=base64.b64decode(png)))
    log.info(
        "code blocks: %d page(s), %d run in a worker, the rest from the cache (%.1f s)",
        len(jobs),
        runner.started,
        time.monotonic() - started,
    )
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    build_context.page(page)  # the page whose fences the formatter is about to see
    return markdown
