"""What ``mkdocs serve`` keeps from one rebuild to the next, so an edit costs what it changes: the theme's
compiled templates, and the nav that awesome-nav derives from the folders (``mathwiki.rebuild_memo``).

MkDocs makes a new Jinja environment and runs every plugin again for each rebuild; the hooks stay loaded, so
what this module holds lives as long as the server. Both are keyed by what they are made from, so a memo can
only be reused when the result would be the same: Jinja checks each template's source, and the nav is keyed by
the page paths, the ``.nav.yml`` files and each page's front matter.
"""

from __future__ import annotations

import logging

from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import YAML_RE

from mathwiki import rebuild_memo as memo
from mathwiki import report

_TEMPLATES = memo.MemoryBytecodeCache()
_NAV = memo.NavMemo()


def on_config(config):
    """Wrap awesome-nav's nav event with the memo (the plugins were loaded anew with this configuration)."""
    plugin = config.plugins.get("awesome-nav")
    events = config.plugins.events["nav"]
    for index, method in enumerate(events):
        if getattr(method, "__self__", None) is plugin and plugin is not None:
            wrapped = _memoised(method)
            events[index] = wrapped
            config.plugins._event_origins[wrapped] = config.plugins._event_origins.get(method, "awesome-nav")
    return config


def on_env(env, config, files):
    env.bytecode_cache = _TEMPLATES
    return env


def _memoised(on_nav):
    def memoised_on_nav(nav, config, files):
        key = memo.key(
            ((f.src_uri, f.content_string) for f in files.documentation_pages(inclusion=InclusionLevel.is_in_nav)),
            ((f.src_uri, f.content_bytes) for f in files if f.src_uri.rsplit("/", 1)[-1] == ".nav.yml"),
            repr(on_nav.__self__.config),
            YAML_RE,
        )
        known = _NAV.get(key)
        if known is not None:
            for file in files.documentation_pages():  # what awesome-nav does first: drop MkDocs' own pages
                if type(file.page) is Page:
                    file.page = None
            listed, config.nav = config.nav, known
            try:
                return get_navigation(files, config)
            finally:
                config.nav = listed
        with report.said(logging.WARNING, "mkdocs.plugins.awesome-nav") as warned:
            made = on_nav(nav, config=config, files=files)
        if not warned:  # a nav that warned is made (and warns) again next time
            _NAV.put(key, memo.as_config(made))
        return made

    return memoised_on_nav
