"""Typeset every formula at build time: the site ships MathML, no maths script and no font CDN.

Converted formulas are kept in the build cache, so a warm build converts only the formulas that changed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mathwiki.maths import STORE, render_arithmatex
from mathwiki.pages import display_path
from mathwiki.problems import Problem
from mathwiki.report import report
from mathwiki.settings import Settings

log = logging.getLogger("mkdocs.hooks.maths")


def on_pre_build(config) -> None:
    project = Path(config.config_file_path).parent
    STORE.open(Settings.from_mapping(config.extra.get("mathwiki"), project).cache_dir)


def on_page_content(html: str, page, config, files) -> str:
    path = display_path(config.docs_dir, page.file.src_uri, Path(config.config_file_path).parent)
    source = page.file.content_string  # in memory: hooks/sources.py read it

    def on_error(latex: str, message: str) -> None:
        index = source.find(latex)
        line = source.count("\n", 0, index) + 1 if index >= 0 else 1
        report(Problem(path, line, message), log)

    return render_arithmatex(html, on_error)


def on_post_build(config) -> None:
    STORE.save()
