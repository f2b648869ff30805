"""The finished page's whitespace between tags cut down (``mathwiki.compact_html``): the last hook that changes a
page, so every other one reads the page as the theme wrote it."""

from __future__ import annotations

from mathwiki.compact_html import compact, compact_around


def on_post_page(output: str, page, config) -> str:
    return compact_around(output, page.content or "")


def on_post_template(output_content: str, template_name: str, config) -> str:
    """The theme's own pages (404.html) too; the sitemap is XML and is left alone."""
    return compact(output_content) if template_name.endswith(".html") else output_content
