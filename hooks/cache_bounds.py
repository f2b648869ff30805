"""Keep the build cache bounded: after each full build, drop the entries no recent full build used.

Only a full build sweeps: not `mkdocs serve --dirty` (it builds some pages) and not a build with a check
switched off (it reads none of that check's entries). Listed after every hook that writes the cache.
"""

from __future__ import annotations

import logging

from mathwiki import build_context
from mathwiki.cache import sweep

log = logging.getLogger("mkdocs.hooks.cache_bounds")
_dirty = False


def on_startup(command: str, dirty: bool) -> None:
    global _dirty
    _dirty = dirty


def on_post_build(config) -> None:
    settings = build_context.of(config).settings
    if _dirty or not settings.every_check_on:
        return
    deleted = sweep(settings.cache_dir, settings.cache_keep_builds)
    if deleted:
        log.info("cache: %d entr(y/ies) no build of the last %d used, deleted", deleted, settings.cache_keep_builds)
