"""A time limit on rendering each page (``mathwiki.time_limit``): armed once the page's Markdown hooks have run,
lifted after ``hooks/sanitize.py`` has cleaned its HTML, so no page can hang the build."""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from mathwiki import build_context, time_limit
from mathwiki.problems import Problem


def on_page_markdown(markdown: str, page, config, files) -> str:
    path, seconds = build_context.page(page).path, build_context.active().settings.page_render_timeout_s

    def expire() -> None:
        raise PluginError(str(Problem(path, 1, time_limit.render_message(seconds))))

    time_limit.arm(seconds, expire)
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    time_limit.disarm()
    return html


def on_build_error(error) -> None:
    time_limit.disarm()


def on_post_build(config) -> None:
    time_limit.disarm()
