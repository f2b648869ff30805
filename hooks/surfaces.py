"""MkDocs adapter for surface fences: register the fence, draw every page's figures before rendering.

All the logic is in ``plots``; this file only translates MkDocs events into calls on it. The fences of
the whole site are resolved and their figures drawn in on_files (both cached, so a warm build imports neither
SymPy nor matplotlib; the drawing runs in parallel, out of process); the fence formatter only looks them up;
each PNG joins MkDocs' files (``File.generated``) under ``assets/figures/``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from mathwiki import build_context, superfences
from mathwiki.cache import Cache
from mathwiki.problems import Problem
from mathwiki.report import report
from mathwiki.settings import Settings
from mathwiki.superfences import unseen
from plots import html
from plots.figure import Figure
from plots.pipeline import Drawn, draw_all
from plots.specs import collect_page, open_cache, page_title

log = logging.getLogger("mkdocs.hooks.surfaces")

FIGURE_DIR = "assets/figures"


@dataclass(frozen=True)
class _Fence:
    figure: Figure | None
    problem: Problem | None
    point_line: int | None = None
    head_line: int = 0


_settings: Settings | None = None
_fences: dict[tuple[str, int], _Fence] = {}  # (page path, opening line) -> what the pre-pass found
_drawn: dict[str, Drawn] = {}
_keys: dict[Figure, str] = {}
_texts: dict[str, str] = {}  # page path -> the text the pre-pass read


def _collect(path: str, text: str, max_grid: int, cache: Cache) -> None:
    for entry in collect_page(path, text, page_title(text, path), max_grid, cache):
        _fences[(path, entry.line)] = _Fence(entry.figure, entry.problem, entry.point_line, entry.head_line)


def on_config(config: Any) -> Any:
    build_context.of(config)
    superfences.register(config.mdx_configs, custom_fence())
    return config


def custom_fence() -> dict[str, Any]:
    """The SuperFences registration of the ``surface`` fence."""
    return superfences.custom_fence("surface", format_fence, _validate)


def on_files(files: Any, config: Any) -> Any:
    """The pre-pass: every surface fence of the site resolved, the missing figures drawn at once, and every
    figure added to MkDocs' files."""
    context = build_context.of(config)
    sources, _ = context.pages(f.src_uri for f in files.documentation_pages())  # claims reports unreadable pages
    prepare({source.path: source.text for source in sources}, context.settings)
    shown: dict[str, dict[int, tuple[_Fence, Drawn | None]]] = {}  # what the formatter shows, per page
    for (path, line), entry in _fences.items():
        drawn = _drawn.get(_keys[entry.figure]) if entry.figure is not None and entry.figure in _keys else None
        # whether the figure came from the cache is not shown, and differs from the build that drew it
        shown.setdefault(path, {})[line] = (entry, drawn if drawn is None else replace(drawn, cached=False))
    for path, fences in shown.items():
        context.note_render_input(path, "surfaces", fences)
    for drawn in _drawn.values():
        if drawn.ok:
            for name, data in zip(html.file_names(drawn.key), (drawn.light, drawn.dark), strict=True):
                if files.get_file_from_path(f"{FIGURE_DIR}/{name}") is None:
                    files.append(File.generated(config, f"{FIGURE_DIR}/{name}", content=data))
    return files


def prepare(pages: dict[str, str], settings: Settings) -> None:
    """Resolve the surface fences of ``pages`` (path -> text), draw what the cache lacks, report problems."""
    global _settings
    _settings = settings
    _fences.clear()
    _drawn.clear()
    _keys.clear()
    _texts.clear()
    _texts.update(pages)
    cache = open_cache(settings.cache_dir)
    for path, text in pages.items():
        if "surface" in text:
            _collect(path, text, settings.figure_max_grid, cache)
    for entry in _fences.values():
        if entry.problem is not None:
            report(entry.problem, log)
    if not settings.figures:
        return
    figures = [entry.figure for entry in _fences.values() if entry.figure is not None]
    drawn, keys, _ = draw_all(figures, settings, log=log)
    _drawn.update(drawn)
    _keys.update(keys)
    for (path, _), entry in _fences.items():
        if entry.figure is not None and not _drawn[_keys[entry.figure]].ok:
            report(_draw_problem(path, entry, _drawn[_keys[entry.figure]]), log)


def set_page(path: str, url: str, text: str | None = None) -> None:
    """Outside a build (tests): the page being rendered, named ``path``, at ``url``, whose source is ``text`` (by
    default the text ``prepare`` was given). In a build, ``hooks/settings.py`` sets the page for every hook."""
    source = text if text is not None else _texts.get(path, "")
    build_context.active().begin_page(path.removeprefix("docs/"), url, source, path=path)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    build_context.page(page)  # the page whose fences the formatter is about to see
    return markdown


def _draw_problem(path: str, entry: _Fence, drawn: Drawn) -> Problem:
    line = entry.point_line if drawn.error_at_point and entry.point_line else entry.head_line
    return Problem(path, line, f"surface: {drawn.error}")


def _validate(language: str, inputs: dict, options: dict, attrs: dict, md: Any) -> bool:
    return True  # the fence takes no options: everything is in its body


def format_fence(source: str, language: str, css_class: str, options: dict, md: Any, **kwargs: Any) -> str:
    context = build_context.active()
    if not context.settings.figures:
        return html.placeholder_html(source)
    page = context.current
    if page is None:
        raise RuntimeError("a surface fence was rendered outside a page")
    fence, line = context.next_fence("surface", source)
    entry = _fences.get((page.path, fence.line)) if fence is not None else None
    if entry is None:
        problem = unseen("surface", page.path, line, "not drawn")
        report(problem, log)
        return html.error_html(str(problem))
    if entry.problem is not None:
        return html.error_html(str(entry.problem))
    assert entry.figure is not None
    drawn = _drawn[_keys[entry.figure]]
    if not drawn.ok:
        return html.error_html(str(_draw_problem(page.path, entry, drawn)))
    light, dark = (get_relative_url(f"{FIGURE_DIR}/{name}", page.url) for name in html.file_names(drawn.key))
    return html.figure_html(entry.figure, drawn, light, dark)
