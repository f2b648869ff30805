"""What every hook of one build shares: the settings (parsed once), the pages as read, and the page being rendered.

The first hook (``hooks/settings.py``) starts the context; every later hook asks ``active()`` for it. No hook keeps
its own copy of the settings or its own idea of "the current page". A fence formatter asks ``next_fence`` for the
fence it is formatting: SuperFences calls a formatter once per fence of its name, in page order, so the ``k``-th
call is the page model's ``k``-th fence of that name, and its body must be the one SuperFences hands over. A
formatter that cannot be matched so gets a problem naming the page and line, never another fence's result.

This module never imports MkDocs: ``python -m mathwiki check`` uses the same objects.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mathwiki import pagemodel
from mathwiki.fences import Fence, locate, same_body
from mathwiki.pagemodel import PageModel
from mathwiki.pages import Source, display_path, read_sources
from mathwiki.problems import Problem
from mathwiki.settings import Settings


@dataclass
class CurrentPage:
    src_uri: str
    path: str  # as messages name it: docs/...
    url: str  # the page's URL, relative to the site root
    model: PageModel
    calls: Counter[str] = field(default_factory=Counter)  # formatter calls so far, per fence name


@dataclass
class BuildContext:
    settings: Settings
    project_dir: Path
    docs_dir: Path
    sources: dict[str, Source] = field(default_factory=dict)  # src_uri -> the page as read (hooks/sources.py)
    current: CurrentPage | None = None
    owner: Any = None  # the build's configuration object: a new one is a new build
    read_all: bool = False  # ``sources`` holds every page of the build
    rendered: frozenset[str] | None = None  # a dirty build renders only these pages (``hooks/incremental.py``)
    graph_changed: bool = False  # a dirty build: a page changed its uses or links, other graph views may follow
    render_also: Any = None  # a dirty build: render these pages too (src_uris), once the graph is known
    results: dict[str, dict] = field(default_factory=dict)  # concern ("claims", "code", ...) -> its pre-pass results
    # page path (docs/...) -> concern -> what its fence formatter will look up for the page (mathwiki.render_cache)
    render_inputs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def results_of(self, concern: str) -> dict:
        """The pre-pass results of one concern, kept for this build only."""
        return self.results.setdefault(concern, {})

    def note_render_input(self, path: str, concern: str, value: Any) -> None:
        """What a fence formatter of ``concern`` will read for page ``path`` (docs/...) besides the fence itself:
        a page's conversion is reused only while this stays the same (``mathwiki.render_cache``). Every concern
        whose formatter looks anything up must note it, in its pre-pass."""
        self.render_inputs.setdefault(path, {})[concern] = value

    def path(self, src_uri: str) -> str:
        """How messages name the page ``src_uri``: ``docs/topics/x.md``."""
        return display_path(self.docs_dir, src_uri, self.project_dir)

    def remember(self, sources: Iterable[Source]) -> None:
        self.sources = {source.src_uri: source for source in sources}
        self.read_all = True

    def pages(self, src_uris: Iterable[str]) -> tuple[list[Source], list[Problem]]:
        """The pages as ``hooks/sources.py`` read them, or read now (and kept) when a build lists a subset of the
        hooks without it (the tests of one concern do), with the problems of the pages that cannot be read."""
        if self.read_all:
            return list(self.sources.values()), []
        sources, problems = read_sources(self.docs_dir, self.project_dir, src_uris)
        self.remember(sources)
        return sources, problems

    def enter(self, src_uri: str, url: str) -> CurrentPage:
        """The page being rendered: the first page hook to ask begins it, the later ones get the same object."""
        page = self.current
        if page is not None and page.src_uri == src_uri and page.url == url:
            return page
        return self.begin_page(src_uri, url)

    def model(self, src_uri: str) -> PageModel | None:
        source = self.sources.get(src_uri)
        return pagemodel.read(source.text) if source is not None else None

    def begin_page(self, src_uri: str, url: str, text: str | None = None, *, path: str | None = None) -> CurrentPage:
        """The page about to be rendered; ``text`` and ``path`` when the context did not read it (a test)."""
        source = self.sources.get(src_uri)
        if text is None:
            text = source.text if source is not None else ""
        self.current = CurrentPage(src_uri, path or self.path(src_uri), url, pagemodel.read(text))
        return self.current

    def end_pages(self) -> None:
        self.current = None

    def next_fence(self, name: str, body: str) -> tuple[Fence | None, int]:
        """The fence a formatter of ``name`` is called on now, and its line; ``None`` and the line the body is found
        at (1 when nowhere) when it is not the fence the page model read at that place (an include added a fence,
        or the fence sits in a construct the model does not know)."""
        page = self.current
        if page is None:
            return None, 1
        ordinal = page.calls[name]
        page.calls[name] += 1
        fences = page.model.fences_of(name)
        if ordinal < len(fences) and same_body(body, fences[ordinal].body):
            return fences[ordinal], fences[ordinal].line
        return None, locate(page.model.text, body)


_active: BuildContext | None = None


def start(
    settings: Settings, project_dir: str | os.PathLike[str], docs_dir: str | os.PathLike[str], owner: Any = None
) -> BuildContext:
    """A new context for a build (``mkdocs serve`` starts one per rebuild)."""
    global _active
    _active = BuildContext(settings, Path(project_dir), Path(docs_dir), owner=owner)
    return _active


def of(config: Any) -> BuildContext:
    """The context of the build whose configuration is ``config`` (MkDocs' object, read by its attributes): the
    one ``hooks/settings.py`` started, or a new one when this is a new build. Raises ``ValueError`` for settings
    that are wrong."""
    if _active is not None and _active.owner is config:
        return _active
    project = Path(config.config_file_path).resolve().parent
    settings = Settings.from_mapping((config.extra or {}).get("mathwiki"), project)
    return start(settings, project, config.docs_dir, owner=config)


def page(page: Any) -> CurrentPage:
    """The current page, for a hook given MkDocs' ``page`` object."""
    return active().enter(page.file.src_uri, page.url)


def active() -> BuildContext:
    """The context of the build running now."""
    if _active is None:
        raise RuntimeError("no build context: hooks/settings.py must be the first hook mkdocs.yml lists")
    return _active
