"""What a page may include with ``--8<--`` (pymdownx.snippets): only files of the project's ``snippets/`` folder.

Page text is untrusted: ``--8<-- ".env"`` or ``--8<-- "../.git/config"`` would copy workspace files into the
site and its search index. Every include of a page is checked before MkDocs renders it; a missing or refused
one is an error at its line, and the line is blanked in the text MkDocs gets, so nothing is read.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mathwiki import pagemodel
from mathwiki.problems import Problem

FOLDER = "snippets"
# The markers pymdownx.snippets reads, in linear time: a one-line include with a quoted name, or a block marker.
_MARKER = re.compile(r"^[ \t]*(?P<escape>;*)-+8<-+(?:[ \t]+(?P<quote>['\"])(?P<name>[^'\"\n]*)(?P=quote))?[ \t]*$")
_RANGE = re.compile(r":[0-9:,]*$|:[A-Za-z_][\w-]*$")  # "file.md:3:7" or "file.md:section"


def _refusal(name: str, root: Path) -> str | None:
    """Why ``name`` may not be included, or None."""
    base = _RANGE.sub("", name.strip())
    if not base:
        return "an include with no file name"
    if "://" in base:
        return f"'{base}': includes from the network are not allowed"
    if os.path.isabs(base) or base.startswith("~"):
        return f"'{base}': only files of the {FOLDER}/ folder can be included, by a path inside it"
    target = root / base
    try:
        real = target.resolve(strict=False)
        inside = real.is_relative_to(root.resolve(strict=False))
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        return f"'{base}' is outside the {FOLDER}/ folder; only its files can be included"
    for part in (target, *target.parents):
        if part.is_symlink():
            return f"'{base}' goes through a symbolic link; only plain files of the {FOLDER}/ folder can be included"
        if part == root:
            break
    if not target.is_file():
        return f"'{base}' does not exist in the {FOLDER}/ folder"
    return None


def _checked_fence_lines(text: str) -> dict[int, str]:
    """0-based line index -> language, for each body line of a fence the build checks before rendering."""
    inside: dict[int, str] = {}
    for fence in pagemodel.read(text).fences:
        if fence.lang in pagemodel.CHECKED and fence.body:  # an include there would be checked as the marker line
            for offset in range(fence.body.count("\n") + 1):
                inside[fence.line + offset] = fence.lang  # fence.line is the 1-based opening line
    return inside


def check(text: str, path: str, project_dir: str | os.PathLike[str]) -> tuple[str, list[Problem]]:
    """The page with refused includes blanked, and one problem per refused include at its line."""
    if "8<" not in text:
        return text, []
    root = Path(project_dir) / FOLDER
    lines = text.split("\n")
    problems: list[Problem] = []
    in_checked = _checked_fence_lines(text)
    block_start: int | None = None
    for index, line in enumerate(lines):
        if "8<" not in line and block_start is None:
            continue
        match = _MARKER.match(line)
        if index in in_checked:
            if match and not match.group("escape"):
                lang = in_checked[index]
                problems.append(
                    Problem(
                        path,
                        index + 1,
                        f"include refused: --8<-- inside a ```{lang} fence; the build checks the fence as the page "
                        "writes it, so write its text in the fence itself",
                    )
                )
                lines[index] = ""
            continue
        if block_start is not None:
            if match and not match.group("name"):
                block_start = None  # the closing marker
                continue
            name = line.strip()
            if name and not name.startswith(";"):
                why = _refusal(name, root)
                if why is not None:
                    problems.append(Problem(path, index + 1, f"include refused: {why}"))
                    lines[index] = ""
            continue
        if not match or match.group("escape"):
            continue
        if match.group("name") is None:
            block_start = index
            continue
        why = _refusal(match.group("name"), root)
        if why is not None:
            problems.append(Problem(path, index + 1, f"include refused: {why}"))
            lines[index] = ""
    return "\n".join(lines), problems
