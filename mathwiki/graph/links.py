"""A page's outgoing links, read from its rendered HTML.

By the time a page is HTML, MkDocs has turned every ``.md`` link into a URL relative to the page, and code
blocks and inline code hold no ``<a>``: one regex pass over the ``href`` attributes finds the links a reader
can follow, whatever Markdown form the author used.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

# Everything the build generates (the two lists, the "Builds on" line) sits between these markers, so the
# graph never counts its own output, even when asked to read a finished page.
GENERATED_START = "<!-- mathwiki:graph -->"
GENERATED_END = "<!-- /mathwiki:graph -->"

_GENERATED = re.compile(re.escape(GENERATED_START) + r".*?" + re.escape(GENERATED_END), re.DOTALL)
_HREF = re.compile(r"""<a\s[^<>]{0,2000}?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_INDEX = "index.html"


def normalize_url(url: str) -> str:
    """One spelling per page: site-relative, unquoted, no fragment or query, ``d/index.html`` -> ``d/``."""
    path = unquote(url.split("#", 1)[0].split("?", 1)[0]).lstrip("/")
    while path.startswith("./"):  # MkDocs calls the home page ``./``
        path = path[2:]
    if path == ".":
        path = ""
    if path == _INDEX or path.endswith("/" + _INDEX):
        path = path[: -len(_INDEX)]
    return path


def resolve_href(href: str, page_url: str) -> str | None:
    """The site-relative URL ``href`` leads to from the page at ``page_url``; ``None`` off the site.

    Plain string work, not ``urljoin``: it runs for every link of every page.
    """
    href = html.unescape(href.strip())
    if not href or href.startswith("#"):
        return normalize_url(page_url)
    if href.startswith("//") or _SCHEME.match(href):
        return None  # another origin, or mailto:, javascript:, data: ...
    path = href.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return normalize_url(page_url)  # ``?x=1``: this page
    if path.startswith("/"):
        base: list[str] = []
    else:
        base = page_url.lstrip("/").split("/")[:-1]  # the folder of the page: drop what follows the last /
    parts = base + path.split("/")
    resolved: list[str] = []
    for part in parts[:-1]:
        if part == "..":
            if resolved:
                resolved.pop()
        elif part and part != ".":
            resolved.append(part)
    last = parts[-1]
    if last == "..":
        if resolved:
            resolved.pop()
        last = ""
    elif last == ".":
        last = ""
    return normalize_url("/".join([*resolved, last]))


def extract_links(content_html: str, page_url: str) -> set[str]:
    """The normalized URLs the page's ``<a href>`` lead to inside the site, without the page itself.

    The result may name assets or missing pages: the graph keeps only the URLs that are pages.
    """
    if GENERATED_START in content_html:
        content_html = _GENERATED.sub("", content_html)
    own = normalize_url(page_url)
    targets: set[str] = set()
    for match in _HREF.finditer(content_html):
        href = match.group(1) or match.group(2) or match.group(3) or ""
        if not href or href[0] == "#" or "://" in href:  # this page (permalinks, footnotes), another site
            continue
        target = resolve_href(href, page_url)
        if target is not None and target != own:
            targets.add(target)
    return targets
