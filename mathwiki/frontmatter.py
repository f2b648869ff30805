"""Front matter is the page's data: read it with line numbers and check it.

MkDocs drops front matter it cannot parse and renders it as text; this module catches that and every other
mistake in the data, and names the line.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from mathwiki.problems import Problem

_OPEN = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_RESERVED_SECTIONS = ("used in", "linked from")


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when installed: same result, faster


class _Loader(_Base):
    """A safe loader that keeps an impossible date (2026-13-01) as text, so the check can name its line."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


MAX_BYTES = 64 * 1024  # front matter larger than this is refused
MAX_NODES = 10_000  # values in the front matter once every alias is expanded (a YAML "billion laughs" has 10^9)


def budget_problem(text: str) -> str | None:
    """Why the page's front matter is refused before anything builds its data (too large, or aliases that
    expand past the node budget), or None. Composing the node tree is linear: aliases share their nodes."""
    block, _, _ = split(text)
    if block is None:
        return None
    source = "\n".join(block)
    size = len(source.encode("utf-8"))
    if size > MAX_BYTES:
        return f"front matter too large: {size:,} bytes (at most {MAX_BYTES:,})"
    if "*" not in source and "<<" not in source:
        return None  # no alias: the node count is bounded by the size
    loader = _Loader(source)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return None  # malformed: read() names the line
    finally:
        loader.dispose()
    if root is None:
        return None
    expanded: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in expanded:
            continue
        children = _children(node)
        if done:
            expanded[id(node)] = 1 + sum(expanded[id(c)] for c in children)
            if expanded[id(node)] > MAX_NODES:
                return (
                    f"front matter too large: its aliases expand to more than {MAX_NODES:,} values; write the "
                    "values out"
                )
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in expanded)
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _parse(source: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data, from one parse."""
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)  # file line of each top-level key
    item_lines: dict[str, list[int]] = field(default_factory=dict)  # file line of each list item, by key
    end_line: int = 0  # file line of the closing ``---`` (0 when there is no front matter)

    def line_of(self, key: str, index: int | None = None) -> int:
        if index is not None and key in self.item_lines and index < len(self.item_lines[key]):
            return self.item_lines[key][index]
        return self.key_lines.get(key, 1)


PRINTED = ("title", "description", "tags", "date", "author", "summary")  # values the theme writes into pages


def escape_for_templates(meta: dict[str, Any]) -> None:
    """HTML-escape, in place, every front matter value a template prints. Jinja in MkDocs does not escape, and
    the title is printed in ``<title>``, the header, the nav and the tags index of every page."""
    for key in PRINTED:
        value = meta.get(key)
        if isinstance(value, str):
            meta[key] = html.escape(value, quote=True)
        elif isinstance(value, list):
            meta[key] = [html.escape(item, quote=True) if isinstance(item, str) else item for item in value]
        elif value is not None and not isinstance(value, int | float | dt.date):
            meta[key] = html.escape(str(value), quote=True)


def neutralised(text: str) -> str:
    """The page with its front matter lines blanked (same line count), for a page whose front matter is
    refused: MkDocs and the theme then never build its data."""
    block, closing, _ = split(text)
    if block is None:
        return text
    lines = text.split("\n")
    return "\n".join(["---", *([""] * (closing - 1)), *lines[closing:]])


def split(text: str) -> tuple[list[str] | None, int, list[Problem]]:
    """The front matter lines and the index of the closing line, or ``None`` when the page has none."""
    lines = text.splitlines()
    if not lines or not _OPEN.match(lines[0]):
        return None, 0, []
    for index in range(1, len(lines)):
        if _CLOSE.match(lines[index]):
            return lines[1:index], index, []
    return None, 0, [Problem("", 1, "front matter opened with '---' on line 1 is never closed")]


@lru_cache(maxsize=4096)
def read(text: str, path: str, *, topic: bool) -> tuple[FrontMatter, list[Problem]]:
    """Parse and check the front matter of a page whose source is ``text`` (several hooks ask: parsed once)."""
    refused = budget_problem(text)
    if refused is not None:
        return FrontMatter(), [Problem(path, 1, refused)]
    block, closing, problems = split(text)
    problems = [Problem(path, p.line, p.message) for p in problems]
    if block is None:
        if not problems:
            problems.append(
                Problem(path, 1, "missing front matter: a page starts with '---', a 'title:' line and '---'")
            )
        return FrontMatter(), problems
    source = "\n".join(block)
    try:
        node, data = _parse(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return FrontMatter(), [Problem(path, line, f"malformed YAML in front matter: {reason}")]
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict) or (node is not None and not isinstance(node, yaml.MappingNode)):
        return FrontMatter(), [Problem(path, 2, "front matter must be a mapping of 'key: value' lines")]

    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    if node is not None:
        for key_node, value_node in node.value:
            key_lines[str(key_node.value)] = 2 + key_node.start_mark.line
            if isinstance(value_node, yaml.SequenceNode):
                item_lines[str(key_node.value)] = [2 + item.start_mark.line for item in value_node.value]
    meta = FrontMatter(data, key_lines, item_lines, closing + 1)
    problems.extend(_check(meta, path, topic))
    return meta, problems


def _check(meta: FrontMatter, path: str, topic: bool) -> list[Problem]:
    data, problems = meta.data, []

    def bad(key: str, message: str, index: int | None = None) -> None:
        problems.append(Problem(path, meta.line_of(key, index), message))

    title = data.get("title")
    if title is None:
        problems.append(Problem(path, 1, "front matter has no 'title'"))
    elif not isinstance(title, str) or not title.strip():
        bad("title", f"'title' must be non-empty text, found {title!r}")

    for key in ("tags", "uses"):
        if key not in data:
            if key == "tags" and topic:
                problems.append(Problem(path, 1, "a topic page needs 'tags' (a list of words)"))
            continue
        value = data[key]
        if not isinstance(value, list):
            bad(
                key, f"'{key}' must be a list, like [{'calculus' if key == 'tags' else 'Derivatives'}], found {value!r}"
            )
            continue
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                bad(key, f"'{key}' entry {index + 1} must be text, found {item!r}", index)

    if "date" in data:
        value = data["date"]
        if isinstance(value, dt.datetime):
            pass
        elif isinstance(value, dt.date):
            pass
        else:
            bad("date", f"'date' must be an ISO date like 2026-04-08, found {value!r}")
    elif topic:
        problems.append(Problem(path, 1, "a topic page needs a 'date' (ISO, like 2026-04-08)"))

    if "timeout" in data:
        value = data["timeout"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 600:
            bad("timeout", f"'timeout' must be a number of seconds between 0 and 600, found {value!r}")
    return problems


def reserved_sections(text: str, path: str) -> list[Problem]:
    """Hand-written "Used In" / "Linked from" sections: the build writes those, the author does not."""
    from mathwiki import pagemodel  # the model reads front matter lines with this module's rules: import late

    return [
        Problem(
            path,
            heading.line,
            f"the section '{heading.text}' is written by the build from the other pages; remove it from the page",
        )
        for heading in pagemodel.read(text).headings
        if heading.text.lower() in _RESERVED_SECTIONS
    ]
