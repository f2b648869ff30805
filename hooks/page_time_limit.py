"""A time limit on rendering each page (``mathwiki.time_limit``): armed once the page's Markdown hooks have run,
lifted after ``hooks/sanitize.py`` has cleaned its HTML, so no page can hang the build."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from mathwiki import time_limit
from mathwiki.pages import display_path
from mathwiki.problems import Problem
from mathwiki.settings import Settings

_seconds = Settings.page_render_timeout_s  # the default, until on_config reads mkdocs.yml


def on_config(config):
    global _seconds
    project = Path(config.config_file_path).parent
    _seconds = Settings.from_mapping((config.extra or {}).get("mathwiki"), project).page_render_timeout_s
    return config


def on_page_markdown(markdown: str, page, config, files) -> str:
    path = display_path(config.docs_dir, page.file.src_uri, Path(config.config_file_path).parent)

    def expire() -> None:
        raise PluginError(str(Problem(path, 1, time_limit.render_message(_seconds))))

    time_limit.arm(_seconds, expire)
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    time_limit.disarm()
    return html


def on_build_error(error) -> None:
    time_limit.disarm()


def on_post_build(config) -> None:
    time_limit.disarm()
