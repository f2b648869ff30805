"""Typeset every formula at build time with KaTeX: the site ships HTML and MathML, KaTeX's stylesheet and fonts,
and no maths script; nothing is loaded from another host.

Typeset formulas are kept in the build cache, so a warm build typesets only the formulas that changed. The work
is in ``mathwiki.maths`` (formulas, the cache) and ``mathwiki.typeset`` (the engine's Node process).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

from mathwiki import typeset as engine
from mathwiki.maths import ENGINE, ENGINE_OUTPUT, STORE, separate_display_maths, typeset_page
from mathwiki.pages import display_path
from mathwiki.report import report
from mathwiki.settings import Settings

log = logging.getLogger("mkdocs.hooks.maths")
ASSETS = "assets/katex"  # where the engine's stylesheet and fonts go in the site


def on_config(config):
    stylesheet, _ = engine.assets(ENGINE)
    if not stylesheet.is_file():
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
    return "the maths engine's stylesheet is missing from node_modules: run `npm ci`"


def on_pre_build(config) -> None:
    ENGINE_OUTPUT.clear()
    project = Path(config.config_file_path).parent
    STORE.open(Settings.from_mapping(config.extra.get("mathwiki"), project).cache_dir)


def on_page_markdown(markdown: str, page, config, files) -> str:
    return separate_display_maths(markdown)


def on_page_content(html: str, page, config, files) -> str:
    path = display_path(config.docs_dir, page.file.src_uri, Path(config.config_file_path).parent)
    try:
        typeset, problems = typeset_page(html, page.file.content_string, path)  # the text hooks/sources.py read
    except engine.EngineMissing as exc:
        raise PluginError(str(exc)) from exc
    for problem in problems:
        report(problem, log)
    return typeset


def on_post_build(config) -> None:
    STORE.save()
    stylesheet, fonts = engine.assets(ENGINE)
    target = Path(config.site_dir) / ASSETS
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(stylesheet, target / stylesheet.name)
    for font in fonts:
        shutil.copyfile(font, target / "fonts" / font.name)
