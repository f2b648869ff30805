"""Check each page's front matter (title, tags, date, uses, timeout) and name the line of every mistake; escape
the values the theme prints (MkDocs' templates do not escape), so a title cannot carry markup into every page."""

from __future__ import annotations

import logging

from mathwiki import build_context, frontmatter
from mathwiki.pages import is_topic
from mathwiki.report import report

log = logging.getLogger("mkdocs.hooks.front_matter")


def on_page_markdown(markdown: str, page, config, files) -> str:
    source = page.file.content_string  # in memory: hooks/sources.py read it
    path = build_context.page(page).path
    _, problems = frontmatter.read(source, path, topic=is_topic(page.file.src_uri))
    for problem in problems:
        report(problem, log)
    frontmatter.escape_for_templates(page.meta)
    return markdown
