"""What the graph adds to one page, as one value: "Builds on", the learning path, and for a topic the local graph,
"Used In" and "Linked from".

The build renders a page's graph parts from its ``PageView`` and nothing else of the graph, so two builds that
give a page equal views write equal graph parts. A dirty build uses that: when an edit changed a page's ``uses``
or links, it renders again exactly the pages whose view's digest differs from the last build's.
"""

from __future__ import annotations

from dataclasses import dataclass

from mathwiki.cache import digest
from mathwiki.graph import layout, model


@dataclass(frozen=True)
class PageView:
    builds_on: tuple[tuple[str, str], ...]  # (title, url) of each page it builds on
    path: tuple[tuple[str, str], ...]  # the learning path, ending at the page
    hood: layout.Neighbourhood | None  # the local graph (topics only)
    hood_titles: tuple[str, ...]  # the title of each page of ``hood``, in its order
    used_in: tuple[tuple[str, str], ...]
    linked_only: tuple[tuple[str, str], ...]  # linking here and not under Used In
    all_used_in: bool  # every page linking here is under Used In
    whole: str = ""  # the whole wiki's graph, for a page that shows it (docs/graph.md)


def page_view(graph: model.Graph, src: str, *, whole: str = "") -> PageView:
    builds_on = tuple(graph.titled(graph.builds_on.get(src, ())))
    path = tuple(graph.titled(model.learning_path(graph.builds_on, src)))
    if not model.GETS_SECTIONS(src):
        return PageView(builds_on, path, None, (), (), (), False, whole)
    hood = layout.neighbourhood(graph, src)
    only = model.linked_from_only(graph, src)
    return PageView(
        builds_on,
        path,
        hood,
        tuple(graph.pages[node.src].title for node in hood.nodes),
        tuple(graph.titled(graph.used_in.get(src, ()))),
        tuple(graph.titled(only)),
        not only and bool(graph.linked_from.get(src)),
        whole,
    )


def view_digest(view: PageView) -> str:
    """Equal for equal views (the dataclasses' ``repr`` holds every field, in a fixed order)."""
    return digest(repr(view))
