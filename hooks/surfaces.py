"""MkDocs adapter for surface fences: register the fence, draw every page's figures before rendering.

All the logic is in ``plots``; this file only translates MkDocs events into calls on it. The fences of
the whole site are resolved and their figures drawn in on_files (both cached, so a warm build imports neither
SymPy nor matplotlib; the drawing runs in parallel, out of process); the fence formatter only looks them up;
on_post_build writes the PNGs into ``site/assets/figures/``.
"""

from __future__ import annotations

import logging
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mathwiki.cache import Cache
from mathwiki.pages import display_path, read_sources
from mathwiki.problems import Problem
from mathwiki.report import report
from mathwiki.settings import Settings
from mathwiki.superfences import guarded, unseen
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
_project_dir = Path.cwd()
_fences: dict[tuple[str, str], _Fence] = {}  # (page path, fence body) -> what the pre-pass found
_drawn: dict[str, Drawn] = {}
_keys: dict[Figure, str] = {}
_current: tuple[str, str] | None = None  # (page path, page URL) of the page being rendered
_current_file: str | None = None  # its source file, to locate a fence the pre-pass missed


def _normalise(body: str) -> str:
    return "\n".join(line.rstrip() for line in body.strip().splitlines())


def _collect(path: str, text: str, max_grid: int, cache: Cache) -> None:
    for entry in collect_page(path, text, page_title(text, path), max_grid, cache):
        _fences[(path, _normalise(entry.body))] = _Fence(entry.figure, entry.problem, entry.point_line, entry.head_line)


def on_config(config: Any) -> Any:
    global _settings, _project_dir
    _project_dir = Path(config.config_file_path).resolve().parent
    _settings = Settings.from_mapping((config.extra or {}).get("mathwiki"), _project_dir)
    superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = superfences.setdefault("custom_fences", [])
    fences[:] = [f for f in fences if f.get("name") != "surface"]
    fences.append(custom_fence())
    return config


def custom_fence() -> dict[str, Any]:
    """The SuperFences registration of the ``surface`` fence."""
    return {
        "name": "surface",
        "class": "surface",
        "format": guarded(format_fence, "surface", lambda: _current[0] if _current else None),
        "validator": _validate,
    }


def on_files(files: Any, config: Any) -> Any:
    """The pre-pass: every surface fence of the site resolved, and the missing figures drawn at once."""
    sources, _ = read_sources(config.docs_dir, _project_dir, (f.src_uri for f in files.documentation_pages()))
    pages = {source.path: source.text for source in sources}  # the claims hook reports unreadable pages
    assert _settings is not None
    prepare(pages, _settings)
    return files


def prepare(pages: dict[str, str], settings: Settings) -> None:
    """Resolve the surface fences of ``pages`` (path -> text), draw what the cache lacks, report problems."""
    global _current, _settings
    _settings = settings
    _fences.clear()
    _drawn.clear()
    _keys.clear()
    _current = None
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


def set_page(path: str, url: str, source_file: str | None = None) -> None:
    """The page being rendered: its path names problems, its URL makes the image links relative."""
    global _current, _current_file
    _current = (path, url)
    _current_file = source_file


def _draw_problem(path: str, entry: _Fence, drawn: Drawn) -> Problem:
    line = entry.point_line if drawn.error_at_point and entry.point_line else entry.head_line
    return Problem(path, line, f"surface: {drawn.error}")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    set_page(display_path(config.docs_dir, page.file.src_uri, _project_dir), page.url, page.file.abs_src_path)
    return markdown


def _url(page_url: str, name: str) -> str:
    """``name`` in the figure folder, relative to the page (works offline and under any site path)."""
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    return posixpath.relpath(f"{FIGURE_DIR}/{name}", base.rstrip("/") or ".")


def _validate(language: str, inputs: dict, options: dict, attrs: dict, md: Any) -> bool:
    return True  # the fence takes no options: everything is in its body


def format_fence(source: str, language: str, css_class: str, options: dict, md: Any, **kwargs: Any) -> str:
    if _settings is not None and not _settings.figures:
        return html.placeholder_html(source)
    if _current is None:
        raise RuntimeError("a surface fence was rendered outside a page")
    path, page_url = _current
    entry = _fences.get((path, _normalise(source)))
    if entry is None:
        problem = unseen("surface", path, _current_file, source, "not drawn")
        report(problem, log)
        return html.error_html(str(problem))
    if entry.problem is not None:
        return html.error_html(str(entry.problem))
    assert entry.figure is not None
    drawn = _drawn[_keys[entry.figure]]
    if not drawn.ok:
        return html.error_html(str(_draw_problem(path, entry, drawn)))
    light, dark = html.file_names(drawn.key)
    return html.figure_html(entry.figure, drawn, _url(page_url, light), _url(page_url, dark))


def on_post_build(config: Any) -> None:
    folder = Path(config.site_dir) / FIGURE_DIR
    written = 0
    for drawn in _drawn.values():
        if not drawn.ok:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in zip(html.file_names(drawn.key), (drawn.light, drawn.dark), strict=True):
            target = folder / name
            if not target.exists() or target.read_bytes() != data:
                target.write_bytes(data)
                written += 1
    log.debug("surfaces: %d image file(s) written to %s", written, folder)
