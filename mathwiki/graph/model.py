"""The graph of pages: resolve ``uses`` entries, find prerequisite cycles, invert links into backlinks.

Every function takes and returns plain data, keyed by the page's path under ``docs/`` (its ``src_uri``).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from mathwiki import frontmatter
from mathwiki.graph.links import normalize_url
from mathwiki.pages import is_topic
from mathwiki.problems import Problem

# Which pages get the "Used In" / "Linked from" sections and the orphan check: topic pages, i.e. pages
# under ``topics/`` that are not a folder's ``index.md`` (``mathwiki.pages.is_topic``).
GETS_SECTIONS = is_topic

ORPHAN_MESSAGE = "no page links here; link it from a related topic"


@dataclass(frozen=True)
class Page:
    src_uri: str  # path under docs/: ``topics/math/calculus/gradient.md``
    url: str  # site-relative URL, as MkDocs computes it: ``topics/math/calculus/gradient/``
    title: str
    path: str = ""  # how messages name the file: ``docs/topics/math/calculus/gradient.md``
    tags: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()  # the entries as written
    uses_lines: tuple[int, ...] = ()  # the file line of each entry
    title_line: int = 1

    def uses_line(self, index: int) -> int:
        return self.uses_lines[index] if index < len(self.uses_lines) else self.title_line

    @property
    def where(self) -> str:
        return self.path or f"docs/{self.src_uri}"


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=8192)  # pure: make serve asks again for every page it did not edit
def page_from_source(src_uri: str, url: str, text: str, path: str, *, exact: bool = False) -> Page:
    """The graph's view of a page, from its file text.

    The quick read (libyaml, no line numbers) is what a build of thousands of pages can afford; ``exact``
    reads with ``mathwiki.frontmatter.read`` to know the line of each ``uses`` entry, for error messages.
    Front matter mistakes themselves are reported by the front matter check, not here.
    """
    data: object = None
    item_lines: list[int] = []
    title_line = 1
    block, _, _ = frontmatter.split(text)
    if not exact and block is not None:
        try:
            data = yaml.load("\n".join(block), Loader=_FAST_LOADER)  # noqa: S506 - a safe loader
        except Exception:  # anything odd: the exact read below copes and knows the line
            data = None
        title_line = next((i + 2 for i, line in enumerate(block) if line.startswith("title:")), 1)
    if exact or not isinstance(data, dict):
        meta, _ = frontmatter.read(text, path, topic=is_topic(src_uri))
        data, item_lines, title_line = meta.data, meta.item_lines.get("uses", []), meta.line_of("title")
    assert isinstance(data, dict)
    title = data.get("title")
    uses: list[Any] = data["uses"] if isinstance(data.get("uses"), list) else []
    tags: list[Any] = data["tags"] if isinstance(data.get("tags"), list) else []
    kept = [(i, entry) for i, entry in enumerate(uses) if isinstance(entry, str) and entry.strip()]
    return Page(
        src_uri=src_uri,
        url=url,
        title=title.strip() if isinstance(title, str) and title.strip() else fallback_title(src_uri),
        path=path,
        tags=tuple(str(tag) for tag in tags),
        uses=tuple(entry for _, entry in kept),
        uses_lines=tuple(item_lines[i] for i, _ in kept if i < len(item_lines)),
        title_line=title_line,
    )


def fallback_title(src_uri: str) -> str:
    """What to call a page without a usable title: its file name, as MkDocs would."""
    parts = src_uri.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    if stem in ("index", "README"):
        stem = parts[-2] if len(parts) > 1 else "Home"
    return stem.replace("-", " ").replace("_", " ").capitalize()


class Index:
    """Find pages by title (case-insensitive), by path under ``docs/`` and by URL."""

    def __init__(self, pages: Iterable[Page]) -> None:
        self.by_src: dict[str, Page] = {}
        self.by_title: dict[str, list[Page]] = defaultdict(list)
        self.by_url: dict[str, Page] = {}
        for page in pages:
            self.by_src[page.src_uri] = page
            self.by_title[_key(page.title)].append(page)
            self.by_url[normalize_url(page.url)] = page
        self._titles: dict[str, str] | None = None

    def page_at(self, url: str) -> Page | None:
        """The page a normalized URL names; a folder link without its trailing slash also counts."""
        page = self.by_url.get(url)
        if page is None and url and not url.endswith("/"):
            page = self.by_url.get(url + "/")
        return page

    def resolve(self, entry: str) -> tuple[Page | None, str]:
        """The page ``entry`` names (a title or a path under ``docs/``), or ``None`` and why not."""
        text = entry.strip()
        if text.lower().endswith(".md"):
            path = text.lstrip("/").removeprefix("docs/")
            page = self.by_src.get(path)
            if page is not None:
                return page, ""
            close = difflib.get_close_matches(path, list(self.by_src), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            return None, f"matches no page: there is no file docs/{path}{hint}"
        found = self.by_title.get(_key(text), [])
        if len(found) == 1:
            return found[0], ""
        if found:
            where = ", ".join(sorted(p.where for p in found))
            return None, f"matches {len(found)} pages with that title ({where}); name one by its path"
        if self._titles is None:
            self._titles = {_key(p.title): p.title for p in self.by_src.values()}
        close = difflib.get_close_matches(_key(text), list(self._titles), n=1)
        hint = f"; did you mean '{self._titles[close[0]]}'?" if close else ""
        return None, f"matches no page title{hint}"


def _key(title: str) -> str:
    return " ".join(title.split()).casefold()


Uses = dict[str, list[tuple[str, int]]]


def resolve_uses(pages: Sequence[Page], index: Index) -> tuple[Uses, list[Problem]]:
    """Each page's prerequisites as ``(src_uri, line of the entry)``, in the page's order, without repeats."""
    uses: dict[str, list[tuple[str, int]]] = {}
    problems: list[Problem] = []
    for page in pages:
        seen: set[str] = set()
        resolved: list[tuple[str, int]] = []
        for number, entry in enumerate(page.uses):
            target, why = index.resolve(entry)
            line = page.uses_line(number)
            if target is None:
                problems.append(Problem(page.where, line, f"uses entry '{entry}' {why}"))
            elif target.src_uri not in seen:
                seen.add(target.src_uri)
                resolved.append((target.src_uri, line))
        uses[page.src_uri] = resolved
    return uses, problems


def find_cycles(uses: Mapping[str, Sequence[tuple[str, int]]]) -> list[tuple[str, ...]]:
    """Prerequisite cycles, one per back edge of a depth-first search, each starting at its smallest page.

    ``("a.md", "b.md")`` means a uses b and b uses a. Iterative: a long chain cannot hit the recursion
    limit.
    """
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = defaultdict(int)
    found: list[tuple[str, ...]] = []
    seen: set[tuple[str, ...]] = set()
    for root in sorted(uses):
        if colour[root] != white:
            continue
        stack: list[tuple[str, Iterator[tuple[str, int]]]] = [(root, iter(uses.get(root, ())))]
        path = [root]
        colour[root] = grey
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = black
                stack.pop()
                path.pop()
                continue
            target = child[0]
            if colour[target] == grey:
                cycle = path[path.index(target) :]
                start = cycle.index(min(cycle))
                canonical = tuple(cycle[start:] + cycle[:start])
                if canonical not in seen:
                    seen.add(canonical)
                    found.append(canonical)
            elif colour[target] == white:
                colour[target] = grey
                path.append(target)
                stack.append((target, iter(uses.get(target, ()))))
    return found


def cycle_problems(
    cycles: Iterable[tuple[str, ...]], uses: Mapping[str, Sequence[tuple[str, int]]], index: Index
) -> list[Problem]:
    problems = []
    for cycle in cycles:
        first = index.by_src[cycle[0]]
        following = cycle[1] if len(cycle) > 1 else cycle[0]
        line = next((line for target, line in uses[first.src_uri] if target == following), first.title_line)
        chain = " -> ".join(index.by_src[src].title for src in (*cycle, cycle[0]))
        problems.append(
            Problem(
                first.where,
                line,
                f"prerequisite cycle in 'uses': {chain}; a page cannot build on itself, "
                "directly or through other pages: remove one of these entries",
            )
        )
    return problems


@dataclass(frozen=True)
class Graph:
    pages: dict[str, Page]  # by src_uri
    builds_on: dict[str, tuple[str, ...]]  # src_uri -> its prerequisites, in the order written
    used_in: dict[str, tuple[str, ...]]  # src_uri -> the pages that use it, sorted by title
    links: dict[str, tuple[str, ...]]  # src_uri -> the pages it links to, sorted by title
    linked_from: dict[str, tuple[str, ...]] = field(default_factory=dict)  # the inverse of links

    def titled(self, sources: Iterable[str]) -> list[tuple[str, str]]:
        """``(title, url)`` of each page, for rendering."""
        return [(self.pages[src].title, self.pages[src].url) for src in sources]


def build_graph(
    index: Index,
    uses: Mapping[str, Sequence[tuple[str, int]]],
    outgoing: Mapping[str, Iterable[str]],
) -> Graph:
    """Invert ``uses`` and the pages' outgoing link URLs (``links.extract_links``) once, for all pages."""
    pages = index.by_src

    def by_title(sources: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(set(sources), key=lambda src: (_key(pages[src].title), src)))

    used_in: dict[str, list[str]] = defaultdict(list)
    builds_on: dict[str, tuple[str, ...]] = {}
    for src, targets in uses.items():
        builds_on[src] = tuple(target for target, _ in targets)
        for target in builds_on[src]:
            if target != src:
                used_in[target].append(src)

    links: dict[str, tuple[str, ...]] = {}
    linked_from: dict[str, list[str]] = defaultdict(list)
    for src, urls in outgoing.items():
        if src not in pages:
            continue
        linked: set[str] = set()
        for url in urls:
            page = index.page_at(url)
            if page is not None and page.src_uri != src:
                linked.add(page.src_uri)
        links[src] = by_title(linked)
        for target in linked:
            linked_from[target].append(src)

    return Graph(
        pages=dict(pages),
        builds_on=builds_on,
        used_in={src: by_title(found) for src, found in used_in.items()},
        links=links,
        linked_from={src: by_title(found) for src, found in linked_from.items()},
    )


def linked_from_only(graph: Graph, src: str) -> tuple[str, ...]:
    """The pages that link to ``src`` and are not already under its "Used In", in title order."""
    used = set(graph.used_in.get(src, ()))
    return tuple(other for other in graph.linked_from.get(src, ()) if other not in used)


def learning_path(builds_on: Mapping[str, Sequence[str]], src: str) -> tuple[str, ...]:
    """Every page ``src`` builds on, directly or not, in an order to read them: each page after all of its own
    prerequisites, roots first, ending at ``src``.

    A depth-first walk in the order the ``uses`` entries are written, each page emitted once after its
    prerequisites, so the order is deterministic. Iterative (a long chain cannot hit the recursion limit); a
    cycle (already an error of the build) is cut where the walk meets a page it is still inside.
    """
    order: list[str] = []
    done: set[str] = set()
    inside: set[str] = {src}
    stack: list[tuple[str, Iterator[str]]] = [(src, iter(builds_on.get(src, ())))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            inside.discard(node)
            done.add(node)
            order.append(node)
        elif child not in done and child not in inside:
            inside.add(child)
            stack.append((child, iter(builds_on.get(child, ()))))
    return tuple(order)


def orphan_problems(graph: Graph) -> list[Problem]:
    """Topic pages whose "Linked from" is empty: no page's text links to them (being in another page's
    ``uses`` is not enough: a reader finds a topic through the prose). Warnings, so --strict fails on them."""
    problems = []
    for src in sorted(graph.pages):
        page = graph.pages[src]
        if GETS_SECTIONS(src) and not graph.linked_from.get(src):
            problems.append(Problem(page.where, page.title_line, ORPHAN_MESSAGE, "warning"))
    return problems


def to_json(graph: Graph) -> dict[str, Any]:
    """The graph as data (``graph.json``): nodes by URL, edges ``source`` -> ``target`` by URL, sorted."""
    pages = graph.pages
    nodes = [
        {"title": page.title, "url": page.url, "path": page.src_uri, "tags": list(page.tags)}
        for page in sorted(pages.values(), key=lambda p: (p.url, p.src_uri))
    ]
    edges = [
        {"source": pages[src].url, "target": pages[target].url, "kind": kind}
        for kind, table in (("uses", graph.builds_on), ("link", graph.links))
        for src, targets in table.items()
        for target in targets
    ]
    edges.sort(key=lambda e: (e["source"], e["target"], e["kind"]))
    return {"nodes": nodes, "edges": edges}
