"""Which pages a dirty build (``mkdocs serve --dirty``, ``mkdocs build --dirty``) must render again.

A page's generated parts (Used In, Linked from, the learning path, the local graph, the nav, the tags page)
depend on the other pages only through their *graph facts*: front matter, the targets of their links and
wikilinks (HTML ``href=`` too), their headings and explicit ids. So when every page that changed since the last
build kept its graph facts, and nothing outside the pages changed (``mkdocs.yml``, the nav files, includes, the
theme overrides), only those pages are rendered again; every other page would come out byte for byte as it is.
Anything else (a page added, deleted or retitled, a ``uses:``, a link or a heading changed) renders every page.
The state of the last build is kept on disk per site folder, so it survives between processes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from mathwiki import pagemodel
from mathwiki.cache import digest

STATE_VERSION = "1"


@dataclass(frozen=True)
class Facts:
    text: str  # digest of the whole page
    graph: str  # digest of what other pages' generated parts read of it
    dest: str  # where the page is written in the site


# Links and anchors written as HTML or attributes: the link graph reads links from the rendered page, and other
# pages' anchors may point at an id.
_HTML_TARGET = re.compile(r"""\b(?:href|id)\s*=\s*["']?([^"'\s>]*)|\{[^{}\n]*\}""", re.IGNORECASE)


def facts(text: str, dest: str) -> Facts:
    model = pagemodel.read(text)
    graph = json.dumps(
        [
            list(model.front_matter or ()),
            sorted(link.target for link in model.links),
            sorted(span.inner for span in model.wikilinks),
            [[heading.level, heading.text] for heading in model.headings],
            sorted(match.group(0) for match in _HTML_TARGET.finditer(model.prose)),
        ]
    )
    return Facts(digest(text), digest(graph), dest)


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


def plan(before: Mapping[str, object] | None, now: Mapping[str, Facts], outside: str) -> Plan:
    """What to render, from the state of the last build (``state`` of it) and the pages now."""
    if not isinstance(before, dict) or before.get("version") != STATE_VERSION:
        return Plan(None, "no earlier build of this site to start from")
    if before.get("outside") != outside:
        return Plan(None, "mkdocs.yml, a nav file, an include or the theme changed")
    old = before.get("pages")
    if not isinstance(old, dict):
        return Plan(None, "no earlier build of this site to start from")
    gone = tuple(sorted(str(entry[2]) for src, entry in old.items() if src not in now and isinstance(entry, list)))
    if old.keys() != now.keys():
        return Plan(None, "a page was added or deleted", gone)
    changed = set()
    for src, page in now.items():
        entry = old[src]
        if not isinstance(entry, list) or len(entry) != 3:
            return Plan(None, "no earlier build of this site to start from")
        if entry[0] != page.text:
            if entry[1] != page.graph:
                return Plan(None, f"docs/{src} changed its front matter, links or headings")
            changed.add(src)
    return Plan(frozenset(changed), f"{len(changed)} changed page(s) kept their front matter, links and headings")


def state(now: Mapping[str, Facts], outside: str) -> dict[str, object]:
    return {
        "version": STATE_VERSION,
        "outside": outside,
        "pages": {src: [f.text, f.graph, f.dest] for src, f in now.items()},
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
