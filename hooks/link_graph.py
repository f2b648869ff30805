"""The link graph in the build: ``uses:``, ``[[wikilinks]]``, "Builds on", "Used In", "Linked from".

Data flows one way: read every page's front matter in ``on_files``; rewrite wikilinks in ``on_page_markdown``;
record each page's outgoing links from its HTML in ``on_page_content``; invert once in ``on_env``; add the
HTML in ``on_page_context``; add ``graph.json`` to the site's files in ``on_env``. The work is in ``mathwiki.graph``.
"""

from __future__ import annotations

import json
import logging
import re

from mkdocs.structure.files import File
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

from mathwiki import build_context, frontmatter, incremental
from mathwiki.cache import digest
from mathwiki.graph import layout, links, model, render, views, wikilinks
from mathwiki.pages import line_offset
from mathwiki.problems import Problem
from mathwiki.report import report

log = logging.getLogger("mkdocs.hooks.link_graph")
GRAPH_JSON = "graph.json"  # the whole wiki's graph, read by the /graph/ page
# A cheap first look for hand-written "Used In" / "Linked from"; frontmatter.reserved_sections decides.
_RESERVED = re.compile(r"^[ \t]*#{1,6}[ \t]+(used in|linked from)\b", re.IGNORECASE | re.MULTILINE)


def _relative(url: str, page_url: str) -> str:
    """MkDocs' own relative URL, with the home page ("") named as the site's root folder ("./")."""
    return get_relative_url(url or "./", page_url)


class _State:
    """What one build knows; replaced at the start of each build (``mkdocs serve`` keeps hooks loaded)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.index = model.Index(())
        self.uses: dict[str, list[tuple[str, int]]] = {}
        self.outgoing: dict[str, set[str]] = {}
        self.views: dict[str, str] = {}  # src -> digest of the graph view its page shows (``graph.views``)
        self.whole = ""  # digest of graph.json: the view of a page that shows the whole graph
        self.graph: model.Graph | None = None
        self.slugify: wikilinks.Slugify = wikilinks.slugify
        self.permalink: str | None = None

    def _carry(self, old: _State) -> _State:
        # `mkdocs serve --dirty` renders only the changed pages: the others' links are still what they were.
        # A full build renders every page and replaces each entry; build_graph ignores pages that are gone.
        self.outgoing, self.views = old.outgoing, old.views
        return self


_state = _State()


def on_config(config):
    global _state
    _state = _State(build_context.of(config).settings.graph)._carry(_state)
    toc = config.mdx_configs.get("toc", {})
    if callable(toc.get("slugify")):
        _state.slugify = toc["slugify"]
    permalink = toc.get("permalink")
    _state.permalink = ("&para;" if permalink is True else str(permalink)) if permalink else None
    return config


def on_pre_build(config) -> None:
    global _state
    old = _state
    _state = _State(old.enabled)._carry(old)
    _state.slugify, _state.permalink = old.slugify, old.permalink
    context = build_context.of(config)
    if not _state.outgoing:  # a new process: the links as last rendered (a dirty build renders only some pages)
        saved = incremental.load(incremental.state_file(context.settings.cache_dir, config.site_dir, "links"))
        if isinstance(saved, dict) and isinstance(saved.get("outgoing"), dict) and isinstance(saved.get("views"), dict):
            outgoing, shown = saved["outgoing"], saved["views"]
            _state.outgoing = {src: set(targets) for src, targets in outgoing.items() if isinstance(targets, list)}
            _state.views = {src: view for src, view in shown.items() if isinstance(view, str)}


def on_files(files, config):
    if not _state.enabled:
        return files
    urls = {file.src_uri: links.normalize_url(file.url) for file in files.documentation_pages()}
    context = build_context.of(config)
    sources, unreadable = context.pages(urls)
    for problem in unreadable:
        report(problem, log)
    pages: list[model.Page] = []
    for source in sources:
        if source.src_uri not in urls:
            continue
        text, path = source.text, source.path
        if _RESERVED.search(text):
            for problem in frontmatter.reserved_sections(text, path):
                report(problem, log)
        pages.append(model.page_from_source(source.src_uri, urls[source.src_uri], text, path))
    problems = _resolve(pages)
    wrong = {problem.path for problem in problems}
    if wrong:  # name the line of each wrong entry: read those pages again, with line numbers
        pages = [
            model.page_from_source(p.src_uri, p.url, context.sources[p.src_uri].text, p.path, exact=True)
            if p.path in wrong
            else p
            for p in pages
        ]
        problems = _resolve(pages)
    for problem in problems:
        report(problem, log)
    return files


def _resolve(pages: list[model.Page]) -> list[Problem]:
    _state.index = model.Index(pages)
    _state.uses, problems = model.resolve_uses(pages, _state.index)
    return problems + model.cycle_problems(model.find_cycles(_state.uses), _state.uses, _state.index)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not _state.enabled or "[[" not in markdown:
        return markdown
    src = page.file.src_uri

    def resolve(title: str) -> tuple[str | None, str]:
        target, why = _state.index.resolve(title)
        if target is None:
            return None, why
        return _relative(target.src_uri, src), ""

    rewritten, unresolved = wikilinks.rewrite(markdown, resolve, slug=_state.slugify)
    if unresolved:
        context = build_context.of(config)
        source = context.sources.get(src)
        offset = line_offset(source.text if source is not None else markdown, markdown)
        path = context.path(src)
        for item in unresolved:
            report(Problem(path, offset + item.link.line, f"wikilink {item.raw} {item.why}"), log)
    return rewritten


def on_page_content(html: str, page, config, files) -> str:
    if _state.enabled:
        _state.outgoing[page.file.src_uri] = links.extract_links(html, page.url)
    return html


def on_env(env, config, files):
    """Invert the links once every page is rendered; ``graph.json`` joins MkDocs' files (written with the others)."""
    if _state.enabled:
        _state.graph = model.build_graph(_state.index, _state.uses, _state.outgoing)
        for problem in model.orphan_problems(_state.graph):
            report(problem, log)
        data = json.dumps(model.to_json(_state.graph), ensure_ascii=False, separators=(",", ":")) + "\n"
        written = files.get_file_from_path(GRAPH_JSON)
        if written is not None and not written.generated_by:
            report(Problem(build_context.of(config).path(GRAPH_JSON), 1, f"{GRAPH_JSON} is written by the build"), log)
            files.remove(written)
        elif written is not None:
            files.remove(written)
        files.append(File.generated(config, GRAPH_JSON, content=data))
        _state.whole = digest(data)
        _render_changed_views(build_context.of(config))
    return env


def _view(graph: model.Graph, src: str, context: build_context.BuildContext) -> views.PageView:
    source = context.sources.get(src)
    shows_whole = source is not None and WIKI_GRAPH_MARK in source.text
    return views.page_view(graph, src, whole=_state.whole if shows_whole else "")


def _render_changed_views(context: build_context.BuildContext) -> None:
    """A dirty build where a page changed its uses or links: render every page whose graph view changed too."""
    graph = _state.graph
    if graph is None or context.rendered is None or not context.graph_changed or context.render_also is None:
        return
    changed = []
    for src in graph.pages:
        shown = views.view_digest(_view(graph, src, context))
        if _state.views.get(src) != shown:
            changed.append(src)
    context.render_also(changed)


def on_page_context(context, page, config, nav):
    graph = _state.graph
    src = page.file.src_uri
    if graph is None or src not in graph.pages:
        return context
    url = graph.pages[src].url
    view = _view(graph, src, build_context.of(config))  # the page's graph parts come from this alone
    _state.views[src] = views.view_digest(view)
    parts = [
        render.builds_on(view.builds_on, url, relative=_relative),
        render.learning_path(view.path, url, relative=_relative),
        page.content or "",
    ]
    if view.hood is not None:
        parts.append(_local_graph(graph, view.hood, url))
        parts.append(
            render.sections(
                view.used_in,
                view.linked_only,
                url,
                relative=_relative,
                permalink=_state.permalink,
                all_used_in=view.all_used_in,
            )
        )
        _add_to_toc(page)
    # one newline between the parts: the compaction does not read a page's content that holds no blank run
    page.content = "\n".join(part.strip("\n") for part in parts if part.strip("\n")) + "\n"
    return context


def on_post_page(output: str, page, config) -> str:
    """Fill the whole wiki's graph in the finished HTML (after the search index read the page: the search
    hooks expect page.content to change only around its edges)."""
    graph = _state.graph
    if graph is None or WIKI_GRAPH_MARK not in output or page.file.src_uri not in graph.pages:
        return output
    return output.replace(WIKI_GRAPH_MARK, _wiki_graph(graph, graph.pages[page.file.src_uri].url), 1)


# Where the whole wiki's graph goes: a page (docs/graph.md) holds this empty element on a line of its own
# (an element, not a comment: the sanitizer drops comments).
WIKI_GRAPH_MARK = '<div class="wiki-graph-slot"></div>'
LOCAL_GRAPH = ("page-graph", "Around this page")


def _local_graph(graph: model.Graph, hood: layout.Neighbourhood, url: str) -> str:
    svg = layout.local_svg(graph, hood, lambda other: _relative(graph.pages[other].url, url))
    anchor, heading = LOCAL_GRAPH
    link = ""
    if _state.permalink:
        link = f'<a class="headerlink" href="#{anchor}" title="Permanent link">{_state.permalink}</a>'
    return (
        f'{links.GENERATED_START}<h2 id="{anchor}">{heading}{link}</h2>'
        f'<figure class="wiki-graph-figure"><div class="wiki-graph-scroll">{svg}</div>'
        f"<figcaption>{layout.LOCAL_LEGEND}</figcaption></figure>{links.GENERATED_END}\n"
    )


def _wiki_graph(graph: model.Graph, url: str) -> str:
    areas = {layout.area_of(src): page.title for src, page in graph.pages.items() if src.endswith("/index.md")}
    svg = layout.wiki_svg(graph, lambda other: _relative(graph.pages[other].url, url), areas)
    return (
        f'{links.GENERATED_START}<figure class="wiki-graph-figure wiki-graph-figure--wiki">'
        f'<div class="wiki-graph-scroll">{svg}</div></figure>{links.GENERATED_END}'
    )


def _add_to_toc(page) -> None:
    """List the two sections in the page's table of contents (the right sidebar)."""
    toc = page.toc
    items = getattr(toc, "items", None)
    if items is None:
        return
    if len(items) == 1 and items[0].level < 2:  # a page with an h1: its sections hang under it
        items = items[0].children
    items.append(AnchorLink(LOCAL_GRAPH[1], LOCAL_GRAPH[0], 2))
    for anchor, heading, _ in (render.USED_IN, render.LINKED_FROM):
        items.append(AnchorLink(heading, anchor, 2))


def on_post_build(config) -> None:
    """Each page's links as rendered, for the next dirty build (which renders only some pages)."""
    context = build_context.of(config)
    path = incremental.state_file(context.settings.cache_dir, config.site_dir, "links")
    outgoing = {src: sorted(targets) for src, targets in _state.outgoing.items()}
    incremental.save(path, {"outgoing": outgoing, "views": _state.views})
