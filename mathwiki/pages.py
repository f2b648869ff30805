"""Small facts about pages that every hook needs: how to name a page in a message, which pages are topics."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mathwiki import frontmatter, snippets
from mathwiki.problems import Problem


def display_path(docs_dir: str | os.PathLike[str], src_uri: str, project_dir: str | os.PathLike[str]) -> str:
    """The path a message shows for a page: ``docs/topics/x.md``, relative to the project root."""
    return Path(_docs_relative(str(docs_dir), str(project_dir)), src_uri).as_posix()


@lru_cache(maxsize=16)
def _docs_relative(docs_dir: str, project_dir: str) -> str:
    """Resolving both folders costs system calls; hooks ask for it several times per page, with the same two."""
    return os.path.relpath(Path(docs_dir).resolve(), Path(project_dir).resolve())


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
    readable: bool = True  # False: not UTF-8; ``text`` shows each bad byte as U+FFFD and a problem says where


# absolute path -> (mtime_ns, size, text, the problem of a page that is not UTF-8)
_read: dict[str, tuple[int, int, str, Problem | None]] = {}


MAX_LINE = 5000  # characters: Markdown's own inline patterns are not linear, so no page line may be longer


def limit_lines(text: str, path: str) -> tuple[str, list[Problem]]:
    """The page with every line over ``MAX_LINE`` characters blanked, and an error at each: a hostile line
    (thousands of '[') would otherwise cost Python-Markdown minutes."""
    if len(text) <= MAX_LINE:
        return text, []
    lines = text.split("\n")
    problems = []
    for index, line in enumerate(lines):
        if len(line) > MAX_LINE:
            problems.append(
                Problem(path, index + 1, f"line too long: {len(line):,} characters (at most {MAX_LINE:,}); break it up")
            )
            lines[index] = ""
    return ("\n".join(lines), problems) if problems else (text, [])


def link_problem(docs_dir: str | os.PathLike[str], src_uri: str, folders: dict[str, bool] | None = None) -> str | None:
    """Why a file under ``docs/`` is refused: it is a symbolic link, it sits in a linked folder, or its real path
    leaves ``docs/`` (a link to ``/proc/self/environ`` would copy the build's environment into the site).

    ``folders`` (one dict for one pass over the files) remembers which folders are links, so a folder shared by
    many pages is looked at once."""
    root = Path(docs_dir)
    target = root / src_uri
    for part in (target, *target.parents):
        if part == root:
            break
        if part == target or folders is None:
            linked = part.is_symlink()
        else:
            if str(part) not in folders:
                folders[str(part)] = part.is_symlink()
            linked = folders[str(part)]
        if linked:
            kind = "file" if part == target else "folder"
            return (
                f"docs/{part.relative_to(root).as_posix()} is a symbolic link ({kind}); links are refused and "
                "nothing of it is copied: put the file itself in docs/"
            )
    parts = src_uri.split("/")
    if not (os.path.isabs(src_uri) or ".." in parts or "" in parts):
        return None  # no link below docs/ and no way up: the real path is docs/'s own, plus src_uri
    try:
        inside = target.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        return f"docs/{src_uri} is outside docs/ once its links are followed; nothing of it is copied"
    return None


def decode_page(data: bytes, path: str) -> tuple[str, Problem | None]:
    """The text of a page file, as MkDocs reads it (UTF-8, a byte-order mark dropped).

    Bytes that are not UTF-8 are an error at the line and column of the first bad byte; the text comes back with
    U+FFFD in their place, so the rest of the build can still read the page and report its other problems.
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        message = (
            f"the page is not UTF-8 text: byte 0x{data[start]:02x} at column {column} cannot be read; "
            "save the file as UTF-8"
        )
        return data.decode("utf-8-sig", errors="replace"), Problem(path, line, message)


def prepare_text(
    text: str, path: str, project_dir: str | os.PathLike[str]
) -> tuple[str, list[Problem], Problem | None]:
    """A page's text as the build and ``check`` give it to every reader, its problems, and the first problem that
    changed the text (None when it is the text as written).

    Lines over ``MAX_LINE`` are blanked, refused includes blanked, front matter over its budget dropped; a
    checked fence that SuperFences would not render is an error at its line."""
    from mathwiki import pagemodel

    problems: list[Problem] = []
    changed: Problem | None = None
    text, long_lines = limit_lines(text, path)
    problems.extend(long_lines)
    changed = long_lines[0] if long_lines else None
    text, refused_includes = snippets.check(text, path, project_dir)
    problems.extend(refused_includes)
    if refused_includes:
        changed = changed or refused_includes[0]
    refused = frontmatter.budget_problem(text)
    if refused is not None:  # MkDocs and the theme must never build this data: give them the page without it
        problems.append(Problem(path, 1, refused))
        text, changed = frontmatter.neutralised(text), Problem(path, 1, refused)
    problems.extend(pagemodel.fence_problems(pagemodel.read(text), path))
    return text, problems, changed


def read_sources(
    docs_dir: str | os.PathLike[str], project_dir: str | os.PathLike[str], src_uris: Iterable[str]
) -> tuple[list[Source], list[Problem]]:
    """The text of each page, for the hooks' pre-passes, and the problems of the pages that cannot be read.

    Several hooks read every page before rendering; a file is read once and again only when it changes. A page
    that is not UTF-8 comes back with ``readable=False`` and the bad bytes replaced, and a problem at the line of
    the first bad byte; a page that cannot be opened is left out, with a problem at its line 1.
    """
    sources, problems = [], []
    for src_uri in src_uris:
        path = display_path(docs_dir, src_uri, project_dir)
        absolute = os.path.join(docs_dir, src_uri)
        try:
            stat = os.stat(absolute)
            known = _read.get(absolute)
            if known is None or known[:2] != (stat.st_mtime_ns, stat.st_size):
                known = (stat.st_mtime_ns, stat.st_size, *decode_page(Path(absolute).read_bytes(), path))
                _read[absolute] = known
        except OSError as exc:
            problems.append(Problem(path, 1, f"cannot read the page: {exc}"))
            continue
        _, _, text, problem = known
        if problem is not None:
            problems.append(Problem(path, problem.line, problem.message))
        text, found, changed = prepare_text(text, path, project_dir)
        problems.extend(found)
        if changed is not None:
            problem = problem or changed  # not as on disk: MkDocs must be given this text
        sources.append(Source(src_uri, path, text, readable=problem is None))
    return sources, problems
