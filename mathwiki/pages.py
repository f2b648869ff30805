"""Small facts about pages that every hook needs: how to name a page in a message, which pages are topics."""

from __future__ import annotations

import os
from pathlib import Path


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
