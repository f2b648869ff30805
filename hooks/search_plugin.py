"""Material's search plugin reads a placeholder, not the page: its index is not used (``hooks/search_index.py``
cuts it to its settings; readers search Pagefind's index), so parsing every page's HTML for it, which grows with
the wiki, would be time for nothing. The search plugin is kept because Material shows its search box only with
it. The page is put back once the plugin has read the placeholder (``mathwiki.search_index.put_back``)."""

from __future__ import annotations

import logging

from mkdocs.plugins import CombinedEvent, event_priority

from mathwiki import build_context
from mathwiki.problems import Problem
from mathwiki.report import report
from mathwiki.search_index import PLACEHOLDER, put_back

log = logging.getLogger("mkdocs.hooks.search_plugin")

_held: dict[str, str] = {}  # src_uri -> the page's HTML while the search plugin reads the placeholder


def on_pre_build(config) -> None:
    _held.clear()


@event_priority(10)  # before the search plugin (0) reads page.content
def _hand_placeholder(context, page, config, nav):
    if page.content is not None:
        _held[page.file.src_uri] = page.content
        page.content = PLACEHOLDER
    return context


@event_priority(-10)  # after the search plugin and the hooks that add around page.content (0)
def _put_page_back(context, page, config, nav):
    src = page.file.src_uri
    held = _held.pop(src, None)
    if held is None:
        return context
    restored = put_back(page.content or "", held)
    if restored is None:
        path = build_context.of(config).path(src)
        report(Problem(path, 1, "internal: the page changed while the search plugin read it; not restored"), log)
        return context
    page.content = restored
    return context


on_page_context = CombinedEvent(_hand_placeholder, _put_page_back)
