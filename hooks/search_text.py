"""The search index gets each formula's TeX, not its typeset markup.

Material's search plugin parses every page's HTML in ``on_page_context``. Typeset maths is a deep tree of
elements per formula (MathML, or KaTeX's HTML), which made indexing several times slower than on plain Material,
and filled the index with glyph runs nobody types. So this hook keeps each page's HTML as it is just before
``hooks/maths.py`` typesets it (listed right before it: formulas are still ``pymdownx.arithmatex`` spans holding
their TeX), hands that to the search plugin, and puts the typeset page back once the plugin has read it. It does
not depend on the maths engine. The work is in ``mathwiki.search_text``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.plugins import CombinedEvent, event_priority

from mathwiki import search_text
from mathwiki.pages import display_path
from mathwiki.problems import Problem
from mathwiki.report import report

log = logging.getLogger("mkdocs.hooks.search_text")

_before_maths: dict[str, str] = {}  # src_uri -> the page's HTML with formulas as TeX
_swapped: dict[str, tuple[str, str]] = {}  # src_uri -> (text handed to search, typeset HTML) while it reads


def on_pre_build(config) -> None:
    _before_maths.clear()
    _swapped.clear()


def on_page_content(html: str, page, config, files) -> str:
    _before_maths[page.file.src_uri] = search_text.formulas_as_tex(html)
    return html


@event_priority(10)  # before the search plugin (0) reads page.content
def _hand_tex_to_search(context, page, config, nav):
    src = page.file.src_uri
    text = _before_maths.pop(src, None)
    if text is not None and page.content is not None:
        _swapped[src] = (text, page.content)
        page.content = text
    return context


@event_priority(-10)  # after the search plugin and the hooks that add around page.content (0)
def _put_typeset_back(context, page, config, nav):
    src = page.file.src_uri
    swapped = _swapped.pop(src, None)
    if swapped is None:
        return context
    restored = search_text.put_back(page.content or "", *swapped)
    if restored is None:
        path = display_path(config.docs_dir, src, Path(config.config_file_path).parent)
        report(Problem(path, 1, "internal: the page changed while the search index read it; maths not restored"), log)
        return context
    page.content = restored
    return context


on_page_context = CombinedEvent(_hand_tex_to_search, _put_typeset_back)
