"""Clean each page's HTML with the allowlist sanitizer (``mathwiki.sanitize``); each removal is a problem at the
page line where the removed markup was written, so the strict build fails on it."""

from __future__ import annotations

import logging

from mathwiki import build_context, sanitize
from mathwiki.csp import add_policy
from mathwiki.report import report
from mathwiki.sanitize import clean_page

log = logging.getLogger("mkdocs.hooks.sanitize")


def on_pre_build(config) -> None:
    sanitize.open_cache(build_context.of(config).settings.cache_dir)


def on_page_content(html: str, page, config, files) -> str:
    path = build_context.page(page).path
    clean, problems = clean_page(html, page.file.content_string, path)  # the text hooks/sources.py read
    for problem in problems:
        report(problem, log)
    return clean


def on_post_page(output: str, page, config) -> str:
    """Every page carries a Content-Security-Policy: scripts only from the site and the theme's own."""
    return add_policy(output)
