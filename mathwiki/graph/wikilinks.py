"""``[[Title]]``, ``[[Title|text]]``, ``[[Title#Heading]]``: rewritten into ordinary Markdown links before
rendering, so MkDocs checks and converts them like every other link and they count for "Linked from".

Wikilinks inside fenced code blocks, inline code and maths (``$...$``, ``$$...$$``, ``\\(...\\)``, as
``pymdownx.arithmatex`` reads them) are left alone: ``$R[[x]]$`` is a ring of power series, not a link.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from markdown.extensions.toc import slugify as _toc_slugify

from mathwiki import pagemodel

Slugify = Callable[[str, str], str]


@dataclass(frozen=True)
class WikiLink:
    target: str  # the title as written ("" for a link to a heading of the same page)
    anchor: str  # the heading as written, or ""
    text: str  # what the reader sees
    line: int  # line in the text that was scanned (1-based)


@dataclass(frozen=True)
class Unresolved:
    link: WikiLink
    raw: str  # the whole ``[[...]]``
    why: str


def slugify(heading: str, separator: str = "-") -> str:
    """The anchor MkDocs' default toc extension gives a heading: "The Math Inside" -> "the-math-inside"."""
    return _toc_slugify(heading, separator)


def parse(inner: str, line: int) -> WikiLink:
    target, bar, alias = inner.partition("|")
    target = target.removesuffix("\\")  # [[A\|b]] inside a table cell
    name, _, anchor = target.partition("#")
    name, anchor = name.strip(), anchor.strip()
    text = alias.strip() if bar and alias.strip() else (name or anchor)
    return WikiLink(name, anchor, text, line)


def rewrite(
    markdown: str,
    resolve: Callable[[str], tuple[str | None, str]],
    *,
    slug: Slugify = slugify,
) -> tuple[str, list[Unresolved]]:
    """Replace each wikilink by ``[text](path#anchor)``.

    ``resolve(title)`` returns the link target (a path relative to the current page, usually ``x.md``) or
    ``None`` and the reason. A wikilink that resolves to nothing is returned, and shown in the page as it was
    written, marked (``<span class="wikilink-broken">``) so ``mkdocs serve`` shows the author where. The
    wikilinks are the page model's (``mathwiki.pagemodel``): none inside code or maths.
    """
    if "[[" not in markdown:
        return markdown, []
    out: list[str] = []
    unresolved: list[Unresolved] = []
    done = 0
    for span in pagemodel.read(markdown, front_matter=False).wikilinks:
        out.append(markdown[done : span.start])
        out.append(_replace(markdown[span.start : span.end], parse(span.inner, span.line), resolve, slug, unresolved))
        done = span.end
    out.append(markdown[done:])
    return "".join(out), unresolved


def _replace(
    raw: str,
    link: WikiLink,
    resolve: Callable[[str], tuple[str | None, str]],
    slug: Slugify,
    unresolved: list[Unresolved],
) -> str:
    fragment = f"#{slug(link.anchor, '-')}" if link.anchor else ""
    if not link.target:
        return f"[{link.text}]({fragment})" if fragment else raw
    href, why = resolve(link.target)
    if href is None:
        unresolved.append(Unresolved(link, raw, why))
        shown = html.escape(raw).replace("[", "&#91;").replace("]", "&#93;")
        return f'<span class="wikilink-broken" title="{html.escape(why)}">{shown}</span>'
    href += fragment
    return f"[{link.text}](<{href}>)" if " " in href else f"[{link.text}]({href})"
