"""``make serve`` watches the files with the system's file events instead of MkDocs' half-second poll of the whole
tree (``mathwiki.serve_watch``); ``MATHWIKI_WATCH=poll`` keeps the poll, for folders where file events do not
arrive (some network and container mounts)."""

from __future__ import annotations

import logging
import os

from mkdocs.exceptions import PluginError

from mathwiki import serve_watch

log = logging.getLogger("mkdocs.hooks.serve_watch")


def on_serve(server, config, builder):
    try:
        mode = serve_watch.mode(os.environ)
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    if mode == "poll":
        log.info("make serve: polling the files every %s s (%s=poll)", serve_watch.POLL_INTERVAL_S, serve_watch.ENV)
        return server
    # MkDocs has scheduled its paths on its polling observer already: move them to the new one.
    watched = dict(server._watched_paths)
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = observer = serve_watch.FallbackObserver(warn=log.warning)
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)
    log.info("make serve: watching the files with %s", observer.kind)
    return server
