"""Dirty builds (``make serve``, ``mkdocs build --dirty``) render only the pages an edit changes, and the site stays
exactly what a full build would write (``mathwiki.incremental`` decides which pages).

MkDocs' own ``--dirty`` renders the files newer than their output and leaves every other page stale (its Used In,
Linked from, nav). Here a changed page is rendered with the pages that show what changed of it: the pages linking to
it when its headings changed; when its ``uses`` or links changed, the pages whose graph view changed, which
``hooks/link_graph.py`` finds once the graph is built and renders through ``render_also``. A title, tags or
other front matter, a page added or deleted, or a change outside the pages renders every page; the outputs of
deleted pages are removed. The pages not rendered get their front matter back, so the nav of the rendered ones
names them as a full build does.
"""

from __future__ import annotations

import copy
import logging
from functools import lru_cache
from pathlib import Path

from mkdocs.commands.build import _populate_page  # MkDocs 1.6 is final: this step of its build will not move
from mkdocs.utils.meta import get_data

from mathwiki import build_context, frontmatter, incremental, report

log = logging.getLogger("mkdocs.hooks.incremental")
_dirty = False
_now: dict[str, incremental.Facts] = {}
_plan: incremental.Plan | None = None
_outside_now = ""  # digest of mkdocs.yml, nav files, includes and overrides at this build


def on_startup(command: str, dirty: bool) -> None:
    global _dirty
    _dirty = dirty


def _outside(config) -> str:
    project = Path(config.config_file_path).parent
    docs = Path(config.docs_dir)
    files = [Path(config.config_file_path)]
    for folder in (docs, project / "snippets", project / "overrides"):
        if folder.is_dir():
            files.extend(f for f in folder.rglob("*") if f.is_file() and not (folder == docs and f.suffix == ".md"))
    return incremental.outside_digest(files)


def on_files(files, config):
    global _plan, _outside_now
    _outside_now = _outside(config)
    context = build_context.of(config)
    pages = {file.src_uri: file for file in files.documentation_pages()}
    _now.clear()
    for src, source in context.sources.items():
        _now[src] = incremental.facts(source.text, pages[src].dest_uri, src, source.path)
    _plan = None
    context.rendered = None
    if not _dirty:
        return files
    before = incremental.load(incremental.state_file(context.settings.cache_dir, config.site_dir, "pages"))
    texts = {src: source.text for src, source in context.sources.items()}
    _plan = incremental.plan(before, _now, _outside_now, texts)
    context.rendered = _plan.pages
    context.graph_changed = _plan.graph_changed
    for src, file in pages.items():
        render = _plan.pages is None or src in _plan.pages
        file.is_modified = (lambda: True) if render else (lambda: False)
    context.render_also = lambda srcs: _render_also(srcs, files, config)
    shown = "every page" if _plan.pages is None else f"{len(_plan.pages)} of {len(pages)} page(s)"
    log.info("incremental: rendering %s (%s)", shown, _plan.why)
    log.debug("incremental: %s", sorted(_plan.pages or ()))
    return files


def _render_also(srcs, files, config) -> None:
    """Render these pages too, after the other pages were read (``on_env``): their sources did not change, their
    generated parts did. MkDocs writes them with the others."""
    context = build_context.of(config)
    if context.rendered is None:
        return
    more = set(srcs) - context.rendered
    if not more:
        return
    context.rendered = context.rendered | more
    log.info("incremental: also rendering %d page(s) whose graph view changed", len(more))
    log.debug("incremental: also %s", sorted(more))
    for file in files.documentation_pages():
        if file.src_uri in more and file.page is not None:
            file.is_modified = lambda: True
            _populate_page(file.page, config, files, dirty=True)


def on_nav(nav, config, files):
    """The pages not rendered get their Markdown and front matter back, as MkDocs and the tags plugin read them
    from a rendered page: the nav names them by title and each rendered page links its tags to their listing."""
    context = build_context.of(config)
    if context.rendered is None:
        return nav
    tags = config.plugins.get("material/tags")
    for file in files.documentation_pages():
        page = file.page
        if page is None or file.src_uri in context.rendered or file.src_uri not in context.sources:
            continue
        markdown, meta = _front_matter(context.sources[file.src_uri].text)  # as MkDocs reads a page
        page.markdown, page.meta = markdown, copy.deepcopy(meta)  # each build escapes its own copy
        frontmatter.escape_for_templates(page.meta)  # as hooks/front_matter.py does for a rendered page
        if tags is not None:
            tags.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.content = ""  # not rendered: the tags plugin fills a listing page's placeholders into this
    return nav


def on_post_build(config) -> None:
    context = build_context.of(config)
    if _plan is not None:
        for dest in _plan.deleted:  # a page deleted since the last build: its old output must not stay
            (Path(config.site_dir) / dest).unlink(missing_ok=True)
    path = incremental.state_file(context.settings.cache_dir, config.site_dir, "pages")
    shown = {problem.path for problem in report.problems()}  # rendered again next time, so reported again
    again = [src for src in _now if context.path(src) in shown]
    incremental.save(path, incremental.state(_now, _outside_now, again))


@lru_cache(maxsize=8192)  # make serve asks again for every page it does not render
def _front_matter(text: str) -> tuple[str, dict]:
    return get_data(text)
