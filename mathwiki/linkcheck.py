"""Find every Markdown link of a page with its line, so a broken one is reported as ``page.md:line``.

MkDocs itself warns about a missing target or anchor but does not say on which line; this module does.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from mathwiki import pagemodel


@dataclass(frozen=True)
class Link:
    line: int  # line in the text given (add the front matter offset for a file line)
    target: str  # the target as written
    path: str  # the target document, resolved against the page, relative to docs/ ('' = the page itself)
    anchor: str


def find_links(markdown: str, page_uri: str) -> list[Link]:
    """Internal links (relative paths, with or without ``#anchor``) outside code and maths, as the page model
    (``mathwiki.pagemodel``) finds them in ``markdown`` (a page body, without its front matter)."""
    return links_of(pagemodel.read(markdown, front_matter=False), page_uri)


def links_of(model: pagemodel.PageModel, page_uri: str) -> list[Link]:
    """The internal links of a page model, resolved against the page ``page_uri``; lines are the model's."""
    links = []
    for raw in model.links:
        link = _resolve(raw.target, page_uri, raw.line)
        if link is not None:
            links.append(link)
    return links


def _resolve(target: str, page_uri: str, line: int) -> Link | None:
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith(("/", "mailto:")):
        return None
    path = unquote(parts.path)
    if path and not path.endswith(".md"):
        return None  # images, downloads and folder URLs: MkDocs checks those itself
    anchor = unquote(parts.fragment)  # a browser finds "#caf%C3%A9" at id="café"
    if not path:
        return Link(line, target, "", anchor)
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path))
    return Link(line, target, resolved, anchor)
