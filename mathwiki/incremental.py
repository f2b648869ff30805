"""Which pages a dirty build (``mkdocs serve --dirty``, ``mkdocs build --dirty``) must render again.

A page's generated parts (Used In, Linked from, the learning path, the local graph, the nav, the tags page)
depend on the other pages only through their *facts*, kept per page in three digests:

- ``site``: the front matter but ``uses`` (the title names the page in the nav, in every list and wikilink; the
  tags fill the tags page). A change renders every page.
- ``graph``: ``uses``, the targets of its links and wikilinks (HTML ``href=`` too). A change renders the page,
  and ``hooks/link_graph.py`` then renders every page whose graph view (Builds on, learning path, local graph,
  Used In, Linked from) came out different from the last build's.
- ``anchors``: its headings and explicit ids. A change renders the page and every page that links to it, whose
  anchors are checked again.

A change to anything else of a page renders it alone; a change outside the pages (``mkdocs.yml``, the nav files,
includes, the theme overrides), a page added or deleted renders every page. A page with a problem in the last
build is rendered again, so its problem is reported again. The state of the last build is kept on disk per site
folder, so it survives between processes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mathwiki import frontmatter, pagemodel
from mathwiki.cache import digest
from mathwiki.linkcheck import links_of
from mathwiki.pages import is_topic

STATE_VERSION = "2"


@dataclass(frozen=True)
class Facts:
    text: str  # digest of the whole page
    site: str  # digest of the front matter but ``uses``: every page shows some of it
    graph: str  # digest of ``uses`` and the link targets: the graph views of other pages read them
    anchors: str  # digest of the headings and explicit ids: the anchor checks of the pages linking here read them
    dest: str  # where the page is written in the site


# Links written as HTML (the link graph reads links from the rendered page) and anchors written as HTML or as
# attribute lists (other pages' anchors may point at an id).
_HTML_HREF = re.compile(r"""\bhref\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_HTML_ID = re.compile(r"""\bid\s*=\s*["']?([^"'\s>]*)|\{[^{}\n]*\}""", re.IGNORECASE)


@lru_cache(maxsize=8192)  # pure: a rebuild of mkdocs serve asks again for every page it did not edit
def facts(text: str, dest: str, src: str = "", path: str = "") -> Facts:
    """The facts of the page ``src`` (named ``path`` in messages): the front matter is read as the front matter
    check and the link graph read it, so the three share one parse."""
    model = pagemodel.read(text)
    meta, problems = frontmatter.read(text, path, topic=is_topic(src))
    data = dict(meta.data)
    uses = data.pop("uses", None)
    # A front matter with a problem counts as a site-wide change as written: the full build reports it.
    site = [sorted((str(k), v) for k, v in data.items()), list(model.front_matter or ()) if problems else None]
    graph = [
        uses,
        sorted(link.target for link in model.links),
        sorted(span.inner for span in model.wikilinks),
        sorted(match.group(0) for match in _HTML_HREF.finditer(model.prose)),
    ]
    anchors = [
        [[heading.level, heading.text] for heading in model.headings],
        sorted(match.group(0) for match in _HTML_ID.finditer(model.prose)),
    ]
    return Facts(digest(text), _digest(site), _digest(graph), _digest(anchors), dest)


def _digest(value: object) -> str:
    return digest(json.dumps(value, default=str, ensure_ascii=False))


def outside_digest(files: Iterable[str | os.PathLike[str]]) -> str:
    """A digest of the files outside the pages that change every page (by name, size and modification time)."""
    parts = []
    for name in sorted(str(f) for f in files):
        try:
            stat = os.stat(name)
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:missing")
    return digest(*parts)


@dataclass(frozen=True)
class Plan:
    pages: frozenset[str] | None  # the pages to render again; None: every page
    why: str
    deleted: tuple[str, ...] = ()  # site files of pages that are gone
    graph_changed: bool = False  # a page changed its uses or links: compare every page's graph view afterwards


_FIELDS = 5  # text, site, graph, anchors, dest


def plan(
    before: Mapping[str, object] | None, now: Mapping[str, Facts], outside: str, texts: Mapping[str, str] | None = None
) -> Plan:
    """What to render, from the state of the last build (``state`` of it) and the pages now; ``texts`` (src ->
    page text) finds the pages that link to a page whose anchors changed."""
    if not isinstance(before, dict) or before.get("version") != STATE_VERSION:
        return Plan(None, "no earlier build of this site to start from")
    if before.get("outside") != outside:
        return Plan(None, "mkdocs.yml, a nav file, an include or the theme changed")
    old = before.get("pages")
    if not isinstance(old, dict):
        return Plan(None, "no earlier build of this site to start from")
    gone = tuple(sorted(str(entry[-1]) for src, entry in old.items() if src not in now and isinstance(entry, list)))
    if old.keys() != now.keys():
        return Plan(None, "a page was added or deleted", gone)
    changed: set[str] = set()
    moved: set[str] = set()  # pages whose headings or ids changed
    graph_changed = False
    for src, page in now.items():
        entry = old[src]
        if not isinstance(entry, list) or len(entry) != _FIELDS:
            return Plan(None, "no earlier build of this site to start from")
        if entry[0] == page.text:
            continue
        if entry[1] != page.site:
            return Plan(None, f"docs/{src} changed its title, tags or other front matter")
        changed.add(src)
        graph_changed = graph_changed or entry[2] != page.graph
        if entry[3] != page.anchors:
            moved.add(src)
    linking = linkers(moved, texts or {}) - changed if moved else set()
    why = f"{len(changed)} changed page(s)"
    if linking:
        why += f" and {len(linking)} page(s) linking to changed headings"
    if graph_changed:
        why += "; changed uses or links: the pages whose graph view changed follow"
    return Plan(frozenset(changed | linking), why, graph_changed=graph_changed)


def linkers(targets: set[str], texts: Mapping[str, str]) -> set[str]:
    """The pages whose links point at one of ``targets`` (as the anchor check reads them)."""
    found = set()
    for src, text in texts.items():
        if any(link.path in targets for link in links_of(pagemodel.read(text), src)):
            found.add(src)
    return found


def state(now: Mapping[str, Facts], outside: str, again: Iterable[str] = ()) -> dict[str, object]:
    """The state to keep; the pages ``again`` (a problem was reported on them) count as changed next time."""
    again = set(again)
    return {
        "version": STATE_VERSION,
        "outside": outside,
        "pages": {src: ["" if src in again else f.text, f.site, f.graph, f.anchors, f.dest] for src, f in now.items()},
    }


def state_file(cache_dir: Path, site_dir: str | os.PathLike[str], name: str) -> Path:
    return Path(cache_dir) / "incremental" / f"{digest(str(Path(site_dir).resolve()))[:24]}-{name}.json"


def load(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save(path: Path, data: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # no state: the next dirty build renders every page
