"""Clean each page's HTML with the allowlist sanitizer (``mathwiki.sanitize``); each removal is a problem at the
page line where the removed markup was written, so the strict build fails on it."""

from __future__ import annotations

import logging
from pathlib import Path

from mathwiki.csp import add_policy
from mathwiki.pages import display_path
from mathwiki.problems import Problem
from mathwiki.report import report
from mathwiki.sanitize import sanitize

log = logging.getLogger("mkdocs.hooks.sanitize")


def on_page_content(html: str, page, config, files) -> str:
    path = display_path(config.docs_dir, page.file.src_uri, Path(config.config_file_path).parent)
    source = page.file.content_string  # in memory: hooks/sources.py read it

    def on_removed(what: str, needle: str) -> None:
        index = source.find(needle) if needle else -1
        if index < 0:
            index = source.lower().find(needle.lower()) if needle else -1
        line = source.count("\n", 0, index) + 1 if index >= 0 else 1
        report(Problem(path, line, f"unsafe HTML removed: {what} (pages may not carry scripts or event handlers)"), log)

    return sanitize(html, on_removed)


def on_post_page(output: str, page, config) -> str:
    """Every page carries a Content-Security-Policy: scripts only from the site and the theme's own."""
    return add_policy(output)
