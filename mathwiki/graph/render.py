"""The HTML the graph adds to a page: the "Builds on" line and the learning path at the top, "Used In" and
"Linked from" at the end.

Every piece sits between ``links.GENERATED_START`` / ``GENERATED_END`` so link extraction skips it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from mathwiki.graph.links import GENERATED_END, GENERATED_START

USED_IN = ("used-in", "Used In", "No page uses this one yet.")
LINKED_FROM = ("linked-from", "Linked from", "No page links here yet.")
ALL_USED_IN = "Every page that links here is listed under Used In."


# ``relative(url, page_url)``: ``url`` relative to the page at ``page_url`` (both site-relative). The build passes
# MkDocs' own ``get_relative_url``; the core does not import MkDocs, so it does not choose.
Relative = Callable[[str, str], str]


def _link(title: str, url: str, page_url: str, relative: Relative) -> str:
    return f'<a href="{escape(relative(url, page_url))}">{escape(title)}</a>'


def builds_on(items: Sequence[tuple[str, str]], page_url: str, *, relative: Relative) -> str:
    """``<p class="builds-on">Builds on: <a>Derivatives</a>, <a>Gradient</a></p>``, or nothing."""
    if not items:
        return ""
    links = ", ".join(_link(title, url, page_url, relative) for title, url in items)
    return f'{GENERATED_START}<p class="builds-on">Builds on: {links}</p>{GENERATED_END}\n'


def learning_path(items: Sequence[tuple[str, str]], page_url: str, *, relative: Relative) -> str:
    """A folded ``<details class="learning-path">``: the prerequisites in reading order, ending at the page
    itself (not a link); nothing for a page that builds on nothing."""
    if len(items) < 2:
        return ""
    *before, (title, _) = items
    entries = "".join(f"<li>{_link(t, url, page_url, relative)}</li>" for t, url in before)
    entries += f'<li><strong aria-current="page">{escape(title)}</strong></li>'
    count = f"{len(before)} page{'s' if len(before) != 1 else ''}"
    return (
        f'{GENERATED_START}<details class="learning-path"><summary>Learning path: {count} to read first, '
        f'in order</summary><ol class="learning-path-list">{entries}</ol></details>{GENERATED_END}\n'
    )


def sections(
    used_in: Sequence[tuple[str, str]],
    linked_from: Sequence[tuple[str, str]],
    page_url: str,
    *,
    relative: Relative,
    permalink: str | None = None,
    all_used_in: bool = False,
) -> str:
    """The two last sections of a topic page; ``permalink`` is the toc extension's anchor text, if any.

    ``linked_from`` holds only the pages not already under "Used In"; ``all_used_in`` says that every page
    linking here is one of those, so the empty section says so rather than "no page links here".
    """
    parts = [GENERATED_START]
    for (anchor, heading, empty), items in ((USED_IN, used_in), (LINKED_FROM, linked_from)):
        link = ""
        if permalink:
            link = f'<a class="headerlink" href="#{anchor}" title="Permanent link">{permalink}</a>'
        parts.append(f'<h2 id="{anchor}">{heading}{link}</h2>')
        if items:
            entries = "".join(f"<li>{_link(title, url, page_url, relative)}</li>" for title, url in items)
            parts.append(f'<ul class="graph-list">{entries}</ul>')
        else:
            text = ALL_USED_IN if anchor == LINKED_FROM[0] and all_used_in else empty
            parts.append(f'<p class="graph-empty">{text}</p>')
    parts.append(GENERATED_END)
    return "\n" + "\n".join(parts) + "\n"
