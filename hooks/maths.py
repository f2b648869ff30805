"""Typeset every formula at build time with Temml: the site ships MathML, Temml's stylesheet and the STIX Two Math
font, and no maths script; nothing is loaded from another host.

Typeset formulas are kept in the build cache, so a warm build typesets only the formulas that changed. The work
is in ``mathwiki.maths`` (formulas, the cache) and ``mathwiki.typeset`` (the engine's Node process).
"""

from __future__ import annotations

import logging

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from mathwiki import build_context, pagemodel
from mathwiki import typeset as engine
from mathwiki.maths import ENGINE, ENGINE_OUTPUT, STORE, separate_display_maths, typeset_page
from mathwiki.report import report

log = logging.getLogger("mkdocs.hooks.maths")
ASSETS = "assets/maths"  # where the engine's stylesheet and fonts go in the site


def on_config(config):
    stylesheet, fonts = engine.assets(ENGINE)
    if not all(path.is_file() for path in (stylesheet, *fonts.values())):
        raise PluginError(_missing())
    css = f"{ASSETS}/{stylesheet.name}"
    if css not in config.extra_css:
        config.extra_css.insert(0, css)
    return config


def _missing() -> str:
    try:
        engine.installed_version(ENGINE)
    except engine.EngineMissing as exc:
        return str(exc)
    return "the maths engine's stylesheet or font is missing from node_modules: run `npm ci`"


def on_pre_build(config) -> None:
    ENGINE_OUTPUT.clear()
    STORE.open(build_context.of(config).settings.cache_dir)


def on_page_markdown(markdown: str, page, config, files) -> str:
    model = build_context.page(page).model
    shift = pagemodel.body_shift(model, markdown)  # the file's model stands for the body: no second reading
    return separate_display_maths(markdown, None if shift is None else model.code[shift:])


def on_page_content(html: str, page, config, files) -> str:
    path = build_context.page(page).path
    try:
        typeset, problems = typeset_page(html, page.file.content_string, path)  # the text hooks/sources.py read
    except engine.EngineMissing as exc:
        raise PluginError(str(exc)) from exc
    for problem in problems:
        report(problem, log)
    return typeset


def on_files(files, config):
    """The engine's stylesheet and fonts join MkDocs' files, copied from node_modules with the site's others."""
    stylesheet, fonts = engine.assets(ENGINE)
    for uri, source in ((f"{ASSETS}/{stylesheet.name}", stylesheet), *((f"{ASSETS}/{n}", f) for n, f in fonts.items())):
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=str(source)))
    return files


def on_post_build(config) -> None:
    STORE.save()
