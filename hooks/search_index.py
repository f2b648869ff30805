"""Search that scales: Pagefind indexes the built site in chunks, and Material's search box asks it through our
worker (``mathwiki.search_index``). Runs after MkDocs' search plugin has written its own index, which is then
cut down to its settings."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from mkdocs.exceptions import PluginError

from mathwiki import build_context, search_index
from mathwiki.problems import Problem
from mathwiki.report import report

log = logging.getLogger("mkdocs.hooks.search_index")
_indexing: threading.Thread | None = None  # Pagefind after a dirty build, while the served page is already new
_stop = threading.Event()  # set when the next build starts: the running Pagefind is stopped, not waited for
_last = threading.Event()  # set at shutdown: no build comes after, so index now
QUIET_S = 1.0  # a dirty build's Pagefind starts once no build has started for this long


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


def on_pre_build(config) -> None:
    _wait(stop=True)  # a dirty build's index may still be written: never two Pagefinds on one site


def on_post_build(config) -> None:
    global _indexing
    site = Path(config.site_dir)
    search_index.shrink_material_index(site)
    cache_dir = build_context.of(config).settings.cache_dir
    if build_context.of(config).rendered is None:
        try:
            summary = search_index.build(site, cache_dir)
        except search_index.SearchIndexError as exc:
            raise PluginError(f"search index: {exc}") from exc
        log.info(f"search: {summary or 'indexed'} (Pagefind, in chunks)")
        return
    # A dirty build (make serve): the edited page is shown now and its words are searchable a moment later. The
    # next edit's build stops this Pagefind rather than wait for it (it takes seconds on a large wiki, and the
    # two would share the cores), and its own Pagefind indexes the site as it is then.
    _stop.clear()
    _indexing = threading.Thread(target=_index_in_background, args=(site,), name="pagefind")
    _indexing.start()


def _index_in_background(site: Path) -> None:
    quiet_until = time.monotonic() + QUIET_S
    while time.monotonic() < quiet_until and not _last.is_set():
        if _stop.wait(0.05):
            return  # another build started: it indexes the site when it is done
    try:
        summary = search_index.build(site, stop=_stop)  # no cache: its key would read every page of the site
        if summary is not None:
            log.info(f"search: {summary or 'indexed'} (Pagefind, in chunks, after the dirty build)")
    except search_index.SearchIndexError as exc:
        log.error(f"search index: {exc}")


def _wait(stop: bool = False) -> None:
    if _indexing is not None:
        if stop:
            _stop.set()
        _indexing.join()


def on_shutdown() -> None:
    _last.set()
    _wait()
