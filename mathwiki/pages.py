"""Small facts about pages that every hook needs: how to name a page in a message, which pages are topics."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mathwiki.problems import Problem


def display_path(docs_dir: str | os.PathLike[str], src_uri: str, project_dir: str | os.PathLike[str]) -> str:
    """The path a message shows for a page: ``docs/topics/x.md``, relative to the project root."""
    docs = os.path.relpath(Path(docs_dir).resolve(), Path(project_dir).resolve())
    return Path(docs, src_uri).as_posix()


def is_topic(src_uri: str) -> bool:
    """Topic pages live under ``topics/``; the ``index.md`` of a folder is a section page, not a topic."""
    return src_uri.startswith("topics/") and not src_uri.endswith("index.md")


def line_offset(source: str, markdown: str) -> int:
    """How many lines of ``source`` (the file) come before ``markdown`` (what MkDocs passes to hooks,
    the file without its front matter): add it to a line number counted in ``markdown``."""
    stripped = markdown.lstrip("\n")
    if not stripped:
        return 0
    index = source.find(stripped[:200])
    if index < 0:
        return 0
    leading = len(markdown) - len(stripped)
    return source.count("\n", 0, index) - leading


@dataclass(frozen=True)
class Source:
    src_uri: str  # relative to docs/
    path: str  # as messages show it: docs/...
    text: str


_read: dict[str, tuple[int, int, str]] = {}  # absolute path -> (mtime_ns, size, text)


def read_sources(
    docs_dir: str | os.PathLike[str], project_dir: str | os.PathLike[str], src_uris: Iterable[str]
) -> tuple[list[Source], list[Problem]]:
    """The text of each page, for the hooks' pre-passes; an unreadable page is a problem at its line 1.

    Several hooks read every page before rendering; a file is read once and again only when it changes.
    """
    sources, problems = [], []
    for src_uri in src_uris:
        path = display_path(docs_dir, src_uri, project_dir)
        absolute = os.path.join(docs_dir, src_uri)
        try:
            stat = os.stat(absolute)
            known = _read.get(absolute)
            if known is not None and known[:2] == (stat.st_mtime_ns, stat.st_size):
                text = known[2]
            else:
                text = Path(absolute).read_text(encoding="utf-8-sig")
                _read[absolute] = (stat.st_mtime_ns, stat.st_size, text)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(path, 1, f"cannot read the page: {exc}"))
            continue
        sources.append(Source(src_uri, path, text))
    return sources, problems
