"""Clean each page's HTML after rendering with an allowlist sanitizer (nh3), and say what was removed, where.

Page text arrives by pull request: raw HTML in Markdown, ``attr_list`` attributes and maths could put a
``<script>``, an ``onerror=`` or a ``javascript:`` link in front of readers. Everything the wiki's pages use is
allowed — text markup, tables, footnotes, ``details``, ``kbd``, tabbed content, code highlighting, figures,
MathML and the typeset maths' markup, small SVG — and everything else (scripts, event handlers, iframes,
objects, forms, style elements, ``javascript:`` URLs) is removed. Each removal is a problem at the page line
where the removed text was written.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import nh3

from mathwiki import maths
from mathwiki.cache import PageSteps, code_version
from mathwiki.maths import without_engine_output
from mathwiki.problems import Problem

_TEXT = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "input", "ins", "kbd", "label", "li", "mark", "nav", "ol", "p", "picture", "pre", "q", "s", "samp", "small",
    "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "u", "ul", "var", "wbr", "article", "section", "aside", "header", "footer",
}  # fmt: skip
_MATHML = {
    "math", "semantics", "annotation", "annotation-xml", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
    "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr",
    "mtd", "mlabeledtr", "mstyle", "mpadded", "mphantom", "menclose", "merror", "mfenced", "mmultiscripts",
    "mprescripts", "none",
}  # fmt: skip
_SVG = {
    "svg",
    "path",
    "g",
    "line",
    "polyline",
    "polygon",
    "rect",
    "circle",
    "ellipse",
    "text",
    "tspan",
    "title",
    "desc",
}
TAGS = _TEXT | _MATHML | _SVG
_GLOBAL = {"class", "id", "title", "lang", "dir", "role", "style", "tabindex", "hidden"}
_GLOBAL |= {f"aria-{name}" for name in ("label", "hidden", "describedby", "labelledby", "current", "expanded")}
_GLOBAL |= {"data-md-component", "data-md-state", "data-search-exclude", "data-search-include"}
_MATHML_ATTRIBUTES = {
    "display", "xmlns", "mathvariant", "displaystyle", "scriptlevel", "stretchy", "fence", "separator", "form",
    "lspace", "rspace", "movablelimits", "accent", "accentunder", "columnalign", "columnspacing", "rowspacing",
    "columnlines", "rowlines", "frame", "width", "height", "depth", "linethickness", "encoding", "notation",
    "symmetric", "largeop", "minsize", "maxsize", "open", "close", "separators", "voffset", "columnspan",
    "rowspan", "align", "rowalign", "equalrows", "equalcolumns", "mathbackground", "mathcolor", "mathsize",
}  # fmt: skip
_SVG_ATTRIBUTES = {
    "viewbox", "xmlns", "d", "fill", "stroke", "stroke-width", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r",
    "rx", "ry", "points", "transform", "width", "height", "preserveaspectratio", "opacity", "font-size",
    "text-anchor", "dominant-baseline", "focusable",
    "viewBox", "preserveAspectRatio",  # as the HTML parser of nh3 spells them in SVG (the finder lowercases)
}  # fmt: skip
ATTRIBUTES: dict[str, set[str]] = {
    "*": _GLOBAL,
    "a": {"href", "name", "rel", "target"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "media", "type", "sizes"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "details": {"open"},
    "input": {"type", "name", "checked", "disabled"},
    "label": {"for"},
    "code": {"data-lang"},
    **{tag: _MATHML_ATTRIBUTES for tag in _MATHML},
    **{tag: _SVG_ATTRIBUTES for tag in _SVG},
}
URL_SCHEMES = {"http", "https", "mailto", "data"}
# What style="" may set: sizes and alignment the maths and tables need, nothing that can cover the page.
STYLE_PROPERTIES = {
    "height", "width", "min-width", "max-width", "vertical-align", "margin-left", "margin-right", "margin-top",
    "margin-bottom", "padding-left", "padding-right", "top", "bottom", "left", "text-align", "border-bottom-width",
    "border-top-width", "border-right-width", "border-left-width", "color", "background-color", "font-size",
    "right", "padding", "padding-top", "padding-bottom", "border", "border-top", "border-right", "border-bottom",
    "border-left", "font-weight", "white-space", "math-depth",  # the engine's boxes, frames and tags
    "position",  # only "position: relative" (the engine nudges a glyph with it): see _attribute_filter
}  # fmt: skip
_POSITION = re.compile(r"(?i)(^|;)\s*position\s*:\s*(?!relative\s*(;|$))[^;]*")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,30}):")
_INPUT_TYPES = {"radio", "checkbox"}  # tabbed content and task lists
_REMOVED_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "select"}


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "style":  # a fixed or absolute box could cover the page: only relative positions stay
        return _POSITION.sub(r"\1", value)
    if tag == "input" and name == "type" and value.lower() not in _INPUT_TYPES:
        return None
    if name in ("src", "srcset") and value.lower().startswith("data:") and not value.lower().startswith("data:image/"):
        return None
    return value


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=_REMOVED_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        filter_style_properties=STYLE_PROPERTIES,
    )


class _Finder(HTMLParser):
    """What the sanitizer will remove: tags outside the allowlist, attributes outside it, unsafe URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removed: list[tuple[str, str]] = []  # (what, text to find in the page source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.removed.append((f"the element <{tag}>", f"<{tag}"))
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            value = value or ""
            if name not in allowed:
                self.removed.append((f"the attribute {name}= on <{tag}>", name))
            elif name in ("href", "src", "srcset", "action", "formaction", "xlink:href"):
                found = _SCHEME.match(value.strip())
                scheme = found.group(1).lower() if found else ""
                if scheme and scheme not in URL_SCHEMES:
                    self.removed.append((f"the {scheme}: URL in {name}= on <{tag}>", f"{scheme}:"))
                elif _attribute_filter(tag, name, value) is None:
                    self.removed.append((f"the value of {name}= on <{tag}>", name))
            elif name == "style" and _POSITION.search(value):
                self.removed.append((f"a position other than relative in style= on <{tag}>", "position"))
            elif _attribute_filter(tag, name, value) is None:
                self.removed.append((f"the value of {name}= on <{tag}>", value))

    handle_startendtag = handle_starttag


def sanitize(html: str, on_removed: Callable[[str, str], None]) -> str:
    """The clean HTML; ``on_removed(what, needle)`` is called for each removal (``needle`` finds its line).

    Every tag is cleaned; the report of removals walks the page without the maths engine's exact output
    (``mathwiki.maths.without_engine_output``): markup the engine makes from a formula, which nh3 still cleans."""
    finder = _Finder()
    finder.feed(without_engine_output(html))
    finder.close()
    for what, needle in finder.removed:
        on_removed(what, needle)
    return clean(html)


def clean_page(page_html: str, source: str, path: str) -> tuple[str, list[Problem]]:
    """The clean HTML of a page, and one problem for each removal at the line of ``source`` (the whole page file)
    where the removed markup was written; used by the build's hook and by ``python -m mathwiki check``."""
    problems: list[Problem] = []

    def on_removed(what: str, needle: str) -> None:
        index = source.find(needle) if needle else -1
        if index < 0:
            index = source.lower().find(needle.lower()) if needle else -1
        line = source.count("\n", 0, index) + 1 if index >= 0 else 1
        problems.append(
            Problem(path, line, f"unsafe HTML removed: {what} (pages may not carry scripts or event handlers)")
        )

    known = CLEANED.get(page_html, source, path)
    if known is not None and known[0] is not None:
        return known[0], known[1]
    clean_html = sanitize(page_html, on_removed)
    CLEANED.put(clean_html, problems, page_html, source, path)
    return clean_html, problems


# Each page's clean HTML and its removals, by its HTML, source and path (nh3 and the report's walk were most of
# a warm build's time per page); ``open_cache`` names the folder, with nh3's version and this code as version.
CLEANED = PageSteps("sanitized-pages")


def open_cache(root: Path) -> None:
    CLEANED.open(root, f"nh3-{importlib.metadata.version('nh3')}-{code_version(__file__, maths.__file__)}")
