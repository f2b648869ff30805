"""Find every Markdown link of a page with its line, so a broken one is reported as ``page.md:line``.

MkDocs itself warns about a missing target or anchor but does not say on which line; this module does.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# The target stops at "(": a target holding brackets is rare, and without the stop every unclosed "[t](" scans
# to the end of the text (quadratic on a line of them).
_INLINE = re.compile(r"(?<!\\)!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^()\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


@dataclass(frozen=True)
class Link:
    line: int  # line in the text given (add the front matter offset for a file line)
    target: str  # the target as written
    path: str  # the target document, resolved against the page, relative to docs/ ('' = the page itself)
    anchor: str


def find_links(markdown: str, page_uri: str) -> list[Link]:
    """Internal links (relative paths, with or without ``#anchor``) outside code blocks and code spans."""
    links: list[Link] = []
    fence: str | None = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        opening = _FENCE.match(line)
        if opening:
            marker = opening.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        targets = [m.group(1) for m in _INLINE.finditer(text)]
        reference = _REFERENCE.match(text)
        if reference:
            targets.append(reference.group(1))
        for target in targets:
            link = _resolve(target, page_uri, number)
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
