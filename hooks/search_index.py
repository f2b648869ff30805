"""Search that scales: Pagefind indexes the built site in chunks, and Material's search box asks it through our
worker (``mathwiki.search_index``). Runs after MkDocs' search plugin has written its own index, which is then
cut down to its settings."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

from mathwiki import build_context, search_index
from mathwiki.problems import Problem
from mathwiki.report import report

log = logging.getLogger("mkdocs.hooks.search_index")


def on_config(config):
    if search_index.COUNT not in config.extra_javascript:
        config.extra_javascript.append(search_index.COUNT)
    return config


def on_files(files, config):
    for file in files:
        why = search_index.reserved_problem(file.dest_uri)
        if why is not None and file.abs_src_path and file.abs_src_path.startswith(str(Path(config.docs_dir))):
            report(Problem(build_context.of(config).path(file.src_uri), 1, why), log)
    return files


def on_post_page(output: str, page, config) -> str:
    return search_index.point_config_at_worker(output)


def on_post_build(config) -> None:
    site = Path(config.site_dir)
    try:
        summary = search_index.build(site, build_context.of(config).settings.cache_dir)
    except search_index.SearchIndexError as exc:
        raise PluginError(f"search index: {exc}") from exc
    search_index.shrink_material_index(site)
    log.info(f"search: {summary or 'indexed'} (Pagefind, in chunks)")
