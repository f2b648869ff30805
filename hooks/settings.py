"""First hook: check the order of the hooks and the build settings (``extra.mathwiki`` in mkdocs.yml), and start
the build context every later hook shares (``mathwiki.build_context``): settings parsed here once, the pages as
read, the page being rendered."""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from mathwiki import build_context
from mathwiki.hook_order import order_problem


def on_config(config):
    problem = order_problem(config.hooks or {})
    if problem:
        raise PluginError(f"{config.config_file_path}: {problem}")
    try:
        build_context.of(config)
    except ValueError as exc:
        raise PluginError(f"{config.config_file_path}: {exc}") from exc
    return config


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Every later hook's "current page": the first of the page hooks, so it runs before theirs."""
    build_context.page(page)
    return markdown


def on_post_build(config) -> None:
    build_context.active().end_pages()
