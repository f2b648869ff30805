"""One reading of a page: every checker and every fence formatter of the build asks this model, never the text.

A page is scanned once (the model is cached by its text) into:

- ``front_matter``: the lines of the YAML block, and where the body starts;
- ``fences``: every fenced block, as SuperFences reads them (in lists, admonitions and quotes, with tildes and
  longer fences), each with its language, options, body, first and last line and its ordinal among the page's
  fences of that language (``mathwiki.fences`` holds the rules of one fence);
- ``code``: for each line, whether it is code (a fenced block, fences included, or an indented code block);
- ``prose``: the text with code lines blanked and code spans and maths (``$...$``, ``$$...$$``, ``\\(...\\)``, as
  ``pymdownx.arithmatex`` reads them) replaced by spaces: same length, same lines, so an offset in ``prose`` is the
  same offset in the text;
- ``headings``, ``links`` (the raw targets, with lines) and ``wikilinks`` (spans of ``[[...]]`` with lines).

The scan is linear in the length of the page (lines are at most ``pages.MAX_LINE`` characters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mathwiki import frontmatter
from mathwiki.fences import Broken, Fence, scan
from mathwiki.problems import Problem

# A code span opens, or maths opens.
_START = re.compile(r"(?P<ticks>`+)|(?<!\\)(?P<dollars>\$\$?)|(?<!\\)(?P<paren>\\\()")
# Where maths that opened with these ends (a "$" right after a space does not close inline maths).
_MATHS_CLOSE = {
    "$$": re.compile(r"(?<!\\)\$\$"),
    "$": re.compile(r"(?<![\\\s])\$"),
    "\\(": re.compile(r"(?<!\\)\\\)"),
}
_CLOSERS: dict[int, re.Pattern[str]] = {}
_HEADING = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
# Lines that open a block whose indented continuation is content, not code: list items, admonitions, details,
# tabs, footnote and definition-list bodies.
_CONTAINER = re.compile(r"^ {0,3}(?:[*+-][ \t]|\d{1,9}[.)][ \t]|!!!|\?\?\?|===|\[\^[^\]]+\]:|:[ \t])")
_PLACEHOLDER = "\x00"  # stands for a fenced block's text while inline code and maths are looked for
_QUOTED = re.compile(r"^ {0,3}(?:> ?)+")
_WIKILINK = re.compile(r"(?<!!)\[\[(?P<inner>[^\[\]\n]+?)\]\]")
# Links: the target stops at "(": without the stop every unclosed "[t](" scans to the end of the text.
# The text holds characters other than brackets, or one bracketed piece without brackets inside: the two branches
# start differently, so the group cannot split the same text two ways (linear on a line of "[").
_INLINE_LINK = re.compile(r"(?<!\\)!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^()\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
_REFERENCE_LINK = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(frozen=True)
class RawLink:
    line: int
    target: str  # as written


@dataclass(frozen=True)
class WikiSpan:
    start: int  # offset in the text
    end: int
    inner: str  # between the brackets
    line: int


@dataclass(frozen=True)
class PageModel:
    text: str
    front_matter: tuple[str, ...] | None  # the YAML lines, or None when the page has none
    body_start: int  # 0-based index of the first line after the front matter
    fences: tuple[Fence, ...]
    broken: tuple[Broken, ...]  # openings SuperFences abandons: shown as text
    code: tuple[bool, ...]  # per line: inside a fenced or indented code block
    prose: str
    headings: tuple[Heading, ...]
    links: tuple[RawLink, ...]
    wikilinks: tuple[WikiSpan, ...]

    def fences_of(self, name: str) -> tuple[Fence, ...]:
        """The fences whose language is written ``name``, in order: fence ``k`` has ``ordinal == k``."""
        return tuple(fence for fence in self.fences if fence.name == name)

    def prose_lines(self) -> list[str]:
        return self.prose.split("\n")


def read(text: str, *, front_matter: bool = True) -> PageModel:
    """The model of a page. ``text`` is the whole file; ``front_matter=False`` for a body MkDocs already split."""
    return _read(text, front_matter)


def body_shift(model: PageModel, markdown: str) -> int | None:
    """How many file lines come before ``markdown`` when it is exactly the model's page after its front matter
    and the blank lines that follow it (what MkDocs passes the Markdown hooks); None when it is anything else.
    When it is, the model's links, headings, fences and code flags from ``body_start`` on are the body's (at file
    lines): the model reads nothing before ``body_start`` but the front matter."""
    text = model.text
    if model.front_matter is None or not text.endswith(markdown):
        return None
    head = text[: len(text) - len(markdown)].split("\n")
    if len(head) <= model.body_start or any(line for line in head[model.body_start :]):
        return None
    return len(head) - 1


def clear_cache() -> None:
    """Forget every model (the cache holds the last 4,096 pages read)."""
    _read.cache_clear()


@lru_cache(maxsize=4096)
def _read(text: str, front_matter: bool) -> PageModel:
    lines = text.split("\n")
    meta: tuple[str, ...] | None = None
    start = 0
    if front_matter:
        yaml_lines, closing, _ = frontmatter.split(text)
        if yaml_lines is not None:
            meta, start = tuple(yaml_lines), closing + 1
    found, broken = scan(text, start)
    fences = tuple(found)
    code, block = _blocks(lines, start, fences)
    fenced = {index for fence in fences for index in range(fence.line - 1, fence.end_line)}
    prose = _mask_inline(lines, code, block, fenced)
    prose_lines = prose.split("\n")
    headings = []
    links = []
    for index in range(start, len(lines)):
        if code[index]:
            continue
        line = prose_lines[index]
        heading = _HEADING.match(_unquote(lines[index]))
        if heading:
            title = (heading.group(2) or "").rstrip("#").strip()
            headings.append(Heading(len(heading.group(1)), title, index + 1))
        for match in _INLINE_LINK.finditer(line):
            links.append(RawLink(index + 1, match.group(1)))
        reference = _REFERENCE_LINK.match(line)
        if reference:
            links.append(RawLink(index + 1, reference.group(1)))
    wikilinks = []
    if "[[" in prose:
        line_starts = [0]
        for line in lines:
            line_starts.append(line_starts[-1] + len(line) + 1)
        for match in _WIKILINK.finditer(prose):
            number = _line_of(line_starts, match.start())
            inner = text[match.start("inner") : match.end("inner")]  # as written, code spans and all
            wikilinks.append(WikiSpan(match.start(), match.end(), inner, number))
    return PageModel(
        text, meta, start, fences, tuple(broken), tuple(code), prose, tuple(headings), tuple(links), tuple(wikilinks)
    )


# The fences whose text the build checks, runs or draws before rendering, and what would be lost.
CHECKED = {"verify": "checked", "python": "run", "surface": "drawn"}


def fence_problems(model: PageModel, path: str) -> list[Problem]:
    """A checked fence that SuperFences will not render as one (shown as text, never checked), or whose language
    differs from a checked one only in case (SuperFences hands only the exact name to the build)."""
    problems = []
    for broken in model.broken:
        lost = CHECKED.get(broken.name.lower())
        if lost:
            message = (
                f"this ```{broken.name} fence is not a fence to SuperFences: {broken.why}, "
                f"so it would be shown as text and never {lost}"
            )
            problems.append(Problem(path, broken.line, message))
    for fence in model.fences:
        lost = CHECKED.get(fence.lang)
        if lost and fence.name != fence.lang:
            message = (
                f"```{fence.name} is not ```{fence.lang}: the build hands only ```{fence.lang} fences to its "
                f"checks, so this one would be shown without being {lost}; write it in lower case"
            )
            problems.append(Problem(path, fence.line, message))
    return problems


def _unquote(line: str) -> str:
    """The line without its indent and blockquote markers."""
    return line.lstrip(" \t>")


def _line_of(line_starts: list[int], offset: int) -> int:
    low, high = 0, len(line_starts) - 1
    while low < high:  # the last start <= offset
        middle = (low + high + 1) // 2
        if line_starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low + 1


def _indent(line: str) -> int:
    """The columns of indent of a line, inside its quote (after ``>`` and one space) when it is quoted."""
    expanded = line.expandtabs(4)
    quoted = _QUOTED.match(expanded)
    if quoted:
        expanded = expanded[quoted.end() :]
    return len(expanded) - len(expanded.lstrip(" "))


def _blank(line: str) -> bool:
    """Blank, or blank inside a quote (``>``)."""
    return not line.strip(" \t>")


def _is_heading(line: str, content: int = 0) -> bool:
    """An ATX heading, in a container whose content starts at column ``content`` (0: at the margin)."""
    return _indent(line) < content + 4 and _HEADING.match(_unquote(line)) is not None


def _blocks(lines: list[str], start: int, fences: tuple[Fence, ...]) -> tuple[list[bool], list[int]]:
    """Per line: whether it is code (a fenced block, fences included, or indented code), and the number of the
    block it belongs to (-1 for blank lines), as Python-Markdown's block parser splits the page.

    A block runs to a blank line or a heading; inside a list item, an admonition, a details or tab block, a
    footnote or a definition (whose content is indented by four), it also ends before a line indented less than
    that content. A fenced block does not end a block: SuperFences leaves a placeholder line in its place. A block
    whose first line is indented four columns past its container's content is indented code, up to the first
    line indented less.
    """
    code = [False] * len(lines)
    block = [-1] * len(lines)
    fence_end: dict[int, int] = {}
    for fence in fences:
        fence_end[fence.line - 1] = fence.end_line - 1
        for index in range(fence.line - 1, fence.end_line):
            code[index] = True
    content = 0  # the column the content of the innermost open container starts at (0: none)
    number = 0
    index = start
    while index < len(lines):
        line = lines[index]
        if _blank(line) and index not in fence_end:
            index += 1
            continue
        number += 1
        indent = _indent(line)
        if index not in fence_end and indent >= content + 4:  # indented code
            while index < len(lines) and index not in fence_end:
                if not _blank(lines[index]) and _indent(lines[index]) < content + 4:
                    break
                code[index] = not _blank(lines[index])
                block[index] = number if code[index] else -1
                index += 1
            continue
        if index not in fence_end:
            base = min(content, indent // 4 * 4)
            content = base + 4 if _CONTAINER.match(line[len(line) - len(line.lstrip(" \t")) :]) else base
        inner = content if indent >= content else 0  # the block is the content of the open container
        heading = index not in fence_end and _is_heading(line, content)
        first = True
        while index < len(lines):
            if index in fence_end:
                for inside in range(index, fence_end[index] + 1):
                    block[inside] = number
                index = fence_end[index] + 1
                first = False
                continue
            current = lines[index]
            if not first and (_blank(current) or _is_heading(current, content) or (inner and _indent(current) < inner)):
                break
            block[index] = number
            index += 1
            first = False
            if heading:
                break
        if heading:
            content = min(content, indent // 4 * 4)
    return code, block


def _closer(ticks: int) -> re.Pattern[str]:
    if ticks not in _CLOSERS:
        _CLOSERS[ticks] = re.compile(f"(?<!`){'`' * ticks}(?!`)")
    return _CLOSERS[ticks]


def _mask_inline(lines: list[str], code: list[bool], block: list[int], fenced: set[int]) -> str:
    """The text with front matter and code lines blanked and code spans and maths replaced by spaces, looked for
    in each block (a fenced block inside stands for one placeholder)."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        if block[index] < 0 or (code[index] and index not in fenced):
            out.append(_spaces(lines[index]))
            index += 1
            continue
        end = index + 1
        while end < len(lines) and block[end] == block[index]:
            end += 1
        chunk = [_PLACEHOLDER * len(lines[i]) if i in fenced else lines[i] for i in range(index, end)]
        out.append(_mask_chunk("\n".join(chunk)).replace(_PLACEHOLDER, " "))
        index = end
    return "\n".join(out)


def _spaces(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _mask_chunk(chunk: str) -> str:
    if "`" not in chunk and "$" not in chunk and "\\(" not in chunk:
        return chunk
    out: list[str] = []
    done = 0
    pos = 0
    while (match := _START.search(chunk, pos)) is not None:
        if match.group("ticks"):  # a whole code span; an unclosed run of backticks is just text
            close = _closer(len(match.group("ticks"))).search(chunk, match.end())
        else:  # maths that closes within the paragraph; "$" then a space is a plain dollar
            opener = match.group("dollars") or match.group("paren")
            after = chunk[match.end() : match.end() + 1]
            close = (
                None
                if opener == "$" and (not after or after.isspace())
                else _MATHS_CLOSE[opener].search(chunk, match.end())
            )
        if close is not None:  # the chunk is one block: no blank line inside
            out.append(chunk[done : match.start()])
            out.append(_spaces(chunk[match.start() : close.end()]))
            done = pos = close.end()
        else:
            pos = match.end()
    out.append(chunk[done:])
    return "".join(out)
