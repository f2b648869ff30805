"""Pictures of the link graph, drawn at build time as inline SVG: a page's neighbourhood, and the whole wiki.

A page's local graph is layered: what it builds on to the left (two hops), the page in the centre, what uses
it and what links to it to the right (two hops for "uses"). Each layer is capped so the cost of one page does
not grow with the wiki: a root page that 500 pages use still reads at most ``cap`` entries and says
"and N more". Titles are page text, hence untrusted: every one is escaped. No script: each node is a plain SVG
link with a relative URL, written ``xlink:href`` (Material's link previews rewrite every ``[href]`` of a
fetched page by assignment, which throws on an SVG link's read-only ``href`` and kills the
preview); colours come from CSS (``currentColor`` and Material's variables).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from mathwiki.graph.model import Graph
from mathwiki.pages import is_topic

NODE_W, NODE_H, GAP_X, GAP_Y, PAD = 168, 30, 40, 12, 8
LOCAL_LEGEND = (
    "Left: what this page builds on (and what those build on). Right: the pages that use it, then the pages "
    "that use those; a dashed line is a page that only links here. Each box is a link."
)
LABEL_CHARS = 22  # a label longer than this is cut with "…"; the full title is the node's <title>


@dataclass(frozen=True)
class Node:
    src: str
    layer: int  # -2, -1: builds on; 0: the page; 1, 2: used in / links here
    kind: str  # "page", "uses", "used-in", "linked-from"


@dataclass(frozen=True)
class Edge:
    source: str  # the page that builds on / links to
    target: str
    kind: str  # "uses" or "link"


@dataclass(frozen=True)
class Neighbourhood:
    centre: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    more: Mapping[int, int]  # layer -> how many pages were left out of it


def _take(items: Sequence[str], room: int, seen: set[str]) -> tuple[list[str], int]:
    """The first ``room`` items not seen yet, and how many others there were. Reads at most ``room`` + the
    seen ones' worth of items, then counts the rest from the length (no scan)."""
    kept: list[str] = []
    read = 0
    for item in items:
        if len(kept) >= room:
            break
        read += 1
        if item not in seen:
            kept.append(item)
    rest = len(items) - read
    return kept, rest


def _uses_edge(page: str, prerequisite: str) -> Edge:
    return Edge(page, prerequisite, "uses")


def _used_edge(page: str, user: str) -> Edge:
    return Edge(user, page, "uses")


def neighbourhood(graph: Graph, src: str, *, cap: int = 24, per_layer: int = 6) -> Neighbourhood:
    """The pages around ``src``: at most ``per_layer`` in each of four layers and ``cap`` in all."""
    seen = {src}
    nodes = [Node(src, 0, "page")]
    edges: list[Edge] = []
    more: dict[int, int] = {}

    def room(layer_count: int) -> int:
        return max(0, min(per_layer - layer_count, cap - len(nodes)))

    def add(layer: int, kind: str, items: Sequence[str], edge: Callable[[str], Edge]) -> list[str]:
        count = sum(1 for n in nodes if n.layer == layer)
        kept, rest = _take(items, room(count), seen)
        for item in kept:
            seen.add(item)
            nodes.append(Node(item, layer, kind))
        if rest:
            more[layer] = more.get(layer, 0) + rest
        for item in kept:
            edges.append(edge(item))
        return kept

    builds_on = add(-1, "uses", graph.builds_on.get(src, ()), lambda p: Edge(src, p, "uses"))
    used_in = add(1, "used-in", graph.used_in.get(src, ()), lambda p: Edge(p, src, "uses"))
    used = set(graph.used_in.get(src, ())[: per_layer * 4])
    linkers = [p for p in graph.linked_from.get(src, ())[: per_layer * 4] if p not in used]
    add(1, "linked-from", linkers, lambda p: Edge(p, src, "link"))
    for first in builds_on:
        add(-2, "uses", graph.builds_on.get(first, ()), functools.partial(_uses_edge, first))
    for first in used_in:
        add(2, "used-in", graph.used_in.get(first, ()), functools.partial(_used_edge, first))
    # Edges between pages already shown (e.g. a prerequisite that also builds on another shown one).
    shown = {n.src for n in nodes}
    known = {(e.source, e.target) for e in edges}
    for node in nodes:
        for target in graph.builds_on.get(node.src, ())[:per_layer]:
            if target in shown and (node.src, target) not in known and target != node.src:
                edges.append(Edge(node.src, target, "uses"))
                known.add((node.src, target))
    return Neighbourhood(src, tuple(nodes), tuple(edges), more)


def _label(title: str) -> str:
    return title if len(title) <= LABEL_CHARS else title[: LABEL_CHARS - 1].rstrip() + "…"


def _node_svg(x: int, y: int, title: str, href: str | None, css: str) -> str:
    label = escape(_label(title))
    body = (
        f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6"/>'
        f'<text x="{x + NODE_W // 2}" y="{y + NODE_H // 2}">{label}</text>'
    )
    if href is None:
        return f'<g class="wiki-graph__node {css}" aria-current="page"><title>{escape(title)}</title>{body}</g>'
    return f'<a class="wiki-graph__node {css}" xlink:href="{escape(href)}"><title>{escape(title)}</title>{body}</a>'


def _edge_svg(x1: float, y1: float, x2: float, y2: float, kind: str) -> str:
    mid = (x1 + x2) / 2
    return (
        f'<path class="wiki-graph__edge wiki-graph__edge--{kind}" '
        f'd="M{x1:g},{y1:g} C{mid:g},{y1:g} {mid:g},{y2:g} {x2:g},{y2:g}"/>'
    )


def local_svg(graph: Graph, hood: Neighbourhood, url_for: Callable[[str], str], *, label: str | None = None) -> str:
    """The neighbourhood as ``<svg role="img">``: layers left to right, each column centred vertically."""
    layers = sorted({n.layer for n in hood.nodes} | set(hood.more))
    columns: dict[int, list[Node]] = {layer: [n for n in hood.nodes if n.layer == layer] for layer in layers}
    rows = max(len(columns[layer]) + (1 if hood.more.get(layer) else 0) for layer in layers)
    height = PAD * 2 + rows * NODE_H + (rows - 1) * GAP_Y
    col_x = {layer: PAD + i * (NODE_W + GAP_X) for i, layer in enumerate(layers)}
    width = PAD * 2 + len(layers) * NODE_W + (len(layers) - 1) * GAP_X
    place: dict[str, tuple[int, int]] = {}
    parts: list[str] = []
    extras: list[str] = []
    for layer in layers:
        entries = columns[layer]
        count = len(entries) + (1 if hood.more.get(layer) else 0)
        top = (height - (count * NODE_H + (count - 1) * GAP_Y)) // 2
        for i, node in enumerate(entries):
            y = top + i * (NODE_H + GAP_Y)
            place[node.src] = (col_x[layer], y)
        if hood.more.get(layer):
            y = top + len(entries) * (NODE_H + GAP_Y) + NODE_H // 2
            extras.append(
                f'<text class="wiki-graph__more" x="{col_x[layer] + NODE_W // 2}" y="{y}">'
                f"and {hood.more[layer]} more</text>"
            )
    for edge in hood.edges:
        if edge.source not in place or edge.target not in place:
            continue
        (sx, sy), (tx, ty) = place[edge.source], place[edge.target]
        # Arrows point from a prerequisite to the page that builds on it: left to right.
        if sx > tx:
            parts.append(_edge_svg(tx + NODE_W, ty + NODE_H / 2, sx, sy + NODE_H / 2, edge.kind))
        else:
            parts.append(_edge_svg(sx + NODE_W, sy + NODE_H / 2, tx, ty + NODE_H / 2, edge.kind))
    for node in hood.nodes:
        x, y = place[node.src]
        page = graph.pages[node.src]
        href = None if node.src == hood.centre else url_for(node.src)
        parts.append(_node_svg(x, y, page.title, href, f"wiki-graph__node--{node.kind}"))
    title = label or f"Graph around {graph.pages[hood.centre].title}"
    description = _describe(graph, hood)
    return (
        f'<svg class="wiki-graph wiki-graph--local" role="img" aria-labelledby="wiki-graph-title '
        f'wiki-graph-desc" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<title id="wiki-graph-title">{escape(title)}</title>'
        f'<desc id="wiki-graph-desc">{escape(description)}</desc>' + "".join(parts + extras) + "</svg>"
    )


def _describe(graph: Graph, hood: Neighbourhood) -> str:
    def names(kind: str, layers: tuple[int, ...]) -> str:
        found = [graph.pages[n.src].title for n in hood.nodes if n.kind == kind and n.layer in layers]
        return ", ".join(found) or "none"

    return (
        f"Builds on: {names('uses', (-1,))}. Used in: {names('used-in', (1,))}. "
        f"Linked from: {names('linked-from', (1,))}."
    )


def area_of(src: str) -> str:
    """The area a page belongs to: its first two folders under ``topics/`` (``topics/math/calculus``)."""
    parts = src.split("/")[:-1]
    return "/".join(parts[:3]) if parts[:1] == ["topics"] else "/".join(parts) or "."


def depth(graph: Graph) -> dict[str, int]:
    """Each page's level: 0 for a page that builds on nothing, else one more than its deepest prerequisite.
    Iterative; a cycle (already an error of the build) is cut."""
    level: dict[str, int] = {}
    for root in sorted(graph.pages):
        if root in level:
            continue
        stack = [(root, iter(graph.builds_on.get(root, ())))]
        inside = {root}
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                inside.discard(node)
                level[node] = 1 + max(
                    (level.get(c, -1) for c in graph.builds_on.get(node, ()) if c in level), default=-1
                )
            elif child not in level and child not in inside and child in graph.pages:
                inside.add(child)
                stack.append((child, iter(graph.builds_on.get(child, ()))))
    return level


def wiki_svg(graph: Graph, url_for: Callable[[str], str], area_titles: Mapping[str, str]) -> str:
    """Every page, one column per area (titled from ``area_titles``), each column ordered by level then
    title; ``uses`` edges drawn between them. Only topic pages are nodes; a section page titles its area."""
    level = depth(graph)
    areas: dict[str, list[str]] = {}
    for src in graph.pages:
        if not is_topic(src):
            continue
        areas.setdefault(area_of(src), []).append(src)
    order = sorted(areas)
    for area in order:
        areas[area].sort(key=lambda s: (level.get(s, 0), graph.pages[s].title.casefold(), s))
    head = 28
    rows = max((len(v) for v in areas.values()), default=0)
    width = PAD * 2 + len(order) * NODE_W + max(0, len(order) - 1) * GAP_X
    height = PAD * 2 + head + rows * NODE_H + max(0, rows - 1) * GAP_Y
    place: dict[str, tuple[int, int]] = {}
    heads: list[str] = []
    for i, area in enumerate(order):
        x = PAD + i * (NODE_W + GAP_X)
        title = area_titles.get(area, area)
        heads.append(f'<text class="wiki-graph__area" x="{x + NODE_W // 2}" y="{PAD + 14}">{escape(title)}</text>')
        for j, src in enumerate(areas[area]):
            place[src] = (x, PAD + head + j * (NODE_H + GAP_Y))
    edges: list[str] = []
    for src, targets in sorted(graph.builds_on.items()):
        for target in targets:
            if src in place and target in place:
                (sx, sy), (tx, ty) = place[src], place[target]
                if tx == sx:  # same column: a short loop on the right side
                    x = sx + NODE_W
                    edges.append(
                        f'<path class="wiki-graph__edge wiki-graph__edge--uses" d="M{x},{ty + NODE_H / 2:g} '
                        f"C{x + GAP_X * 0.6:g},{ty + NODE_H / 2:g} {x + GAP_X * 0.6:g},{sy + NODE_H / 2:g} "
                        f'{x},{sy + NODE_H / 2:g}"/>'
                    )
                elif tx < sx:
                    edges.append(_edge_svg(tx + NODE_W, ty + NODE_H / 2, sx, sy + NODE_H / 2, "uses"))
                else:
                    edges.append(_edge_svg(tx, ty + NODE_H / 2, sx + NODE_W, sy + NODE_H / 2, "uses"))
    nodes = [
        _node_svg(x, y, graph.pages[src].title, url_for(src), "wiki-graph__node--topic")
        for src, (x, y) in place.items()  # column by column, each in reading order
    ]
    count = len(place)
    return (
        f'<svg class="wiki-graph wiki-graph--wiki" role="img" aria-labelledby="wiki-graph-title" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<title id="wiki-graph-title">Every page of the wiki ({count}), by area; lines join a page to what '
        f"it builds on</title>" + "".join(heads + edges + nodes) + "</svg>"
    )
