"""``[[Title]]``, ``[[Title|text]]``, ``[[Title#Heading]]``: rewritten into ordinary Markdown links before
rendering, so MkDocs checks and converts them like every other link and they count for "Linked from".

Wikilinks inside fenced code blocks, inline code and maths (``$...$``, ``$$...$$``, ``\\(...\\)``, as
``pymdownx.arithmatex`` reads them) are left alone: ``$R[[x]]$`` is a ring of power series, not a link.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown.extensions.toc import slugify as _toc_slugify

Slugify = Callable[[str, str], str]

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# A code span opens, maths opens, or a wikilink.
_START = re.compile(
    r"(?P<ticks>`+)|(?<!\\)(?P<dollars>\$\$?)|(?<!\\)(?P<paren>\\\()|(?<!!)\[\[(?P<inner>[^\[\]\n]+?)\]\]"
)
# Where maths that opened with these ends (a "$" right after a space does not close inline maths).
_MATHS_CLOSE = {
    "$$": re.compile(r"(?<!\\)\$\$"),
    "$": re.compile(r"(?<![\\\s])\$"),
    "\\(": re.compile(r"(?<!\\)\\\)"),
}
_BLANK_LINE = re.compile(r"\n[ \t]*\n")  # a code span never crosses a paragraph
_CLOSERS: dict[int, re.Pattern[str]] = {}


def _closer(ticks: int) -> re.Pattern[str]:
    if ticks not in _CLOSERS:
        _CLOSERS[ticks] = re.compile(f"(?<!`){'`' * ticks}(?!`)")
    return _CLOSERS[ticks]


@dataclass(frozen=True)
class WikiLink:
    target: str  # the title as written ("" for a link to a heading of the same page)
    anchor: str  # the heading as written, or ""
    text: str  # what the reader sees
    line: int  # line in the text that was scanned (1-based)


@dataclass(frozen=True)
class Unresolved:
    link: WikiLink
    raw: str  # the whole ``[[...]]``
    why: str


def slugify(heading: str, separator: str = "-") -> str:
    """The anchor MkDocs' default toc extension gives a heading: "The Math Inside" -> "the-math-inside"."""
    return _toc_slugify(heading, separator)


def parse(inner: str, line: int) -> WikiLink:
    target, bar, alias = inner.partition("|")
    target = target.removesuffix("\\")  # [[A\|b]] inside a table cell
    name, _, anchor = target.partition("#")
    name, anchor = name.strip(), anchor.strip()
    text = alias.strip() if bar and alias.strip() else (name or anchor)
    return WikiLink(name, anchor, text, line)


def _code_lines(lines: list[str]) -> list[bool]:
    """Which lines belong to a fenced code block (fences included), following the opening marker's rules."""
    inside: list[bool] = []
    marker = ""
    for line in lines:
        match = _FENCE.match(line)
        if marker:
            inside.append(True)
            stripped = line.strip()
            if stripped and set(stripped) == {marker[0]} and len(stripped) >= len(marker):
                marker = ""
        elif match and not (match.group(1)[0] == "`" and "`" in line[match.end() :]):
            marker = match.group(1)
            inside.append(True)
        else:
            inside.append(False)
    return inside


def rewrite(
    markdown: str,
    resolve: Callable[[str], tuple[str | None, str]],
    *,
    slug: Slugify = slugify,
) -> tuple[str, list[Unresolved]]:
    """Replace each wikilink by ``[text](path#anchor)``.

    ``resolve(title)`` returns the link target (a path relative to the current page, usually ``x.md``) or
    ``None`` and the reason. A wikilink that resolves to nothing is returned, and shown in the page as it was
    written, marked (``<span class="wikilink-broken">``) so ``mkdocs serve`` shows the author where.
    """
    if "[[" not in markdown:
        return markdown, []
    lines = markdown.split("\n")
    code = _code_lines(lines)
    out: list[str] = []
    unresolved: list[Unresolved] = []
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and code[end] == code[start]:
            end += 1
        chunk = "\n".join(lines[start:end])
        if code[start] or "[[" not in chunk:
            out.append(chunk)
        else:
            out.append(_rewrite_prose(chunk, start + 1, resolve, slug, unresolved))
        start = end
    return "\n".join(out), unresolved


def _rewrite_prose(
    chunk: str,
    first_line: int,
    resolve: Callable[[str], tuple[str | None, str]],
    slug: Slugify,
    unresolved: list[Unresolved],
) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group("inner") is None:
            return match.group(0)
        link = parse(match.group("inner"), first_line + chunk.count("\n", 0, match.start()))
        fragment = f"#{slug(link.anchor, '-')}" if link.anchor else ""
        if not link.target:
            if not fragment:
                return match.group(0)
            return f"[{link.text}]({fragment})"
        href, why = resolve(link.target)
        if href is None:
            unresolved.append(Unresolved(link, match.group(0), why))
            shown = html.escape(match.group(0)).replace("[", "&#91;").replace("]", "&#93;")
            return f'<span class="wikilink-broken" title="{html.escape(why)}">{shown}</span>'
        href += fragment
        return f"[{link.text}](<{href}>)" if " " in href else f"[{link.text}]({href})"

    out: list[str] = []
    done = 0  # chunk[:done] is in out
    pos = 0
    while (match := _START.search(chunk, pos)) is not None:
        if match.group("ticks"):  # skip a whole code span; an unclosed run of backticks is just text
            close = _closer(len(match.group("ticks"))).search(chunk, match.end())
            closed = close is not None and not _BLANK_LINE.search(chunk, match.end(), close.start())
            pos = close.end() if close is not None and closed else match.end()
            continue
        opener = match.group("dollars") or match.group("paren")
        if opener:  # skip maths that closes within the paragraph; "$" then a space is a plain dollar
            after = chunk[match.end() : match.end() + 1]
            close = (
                None
                if opener == "$" and (not after or after.isspace())
                else _MATHS_CLOSE[opener].search(chunk, match.end())
            )
            closed = close is not None and not _BLANK_LINE.search(chunk, match.end(), close.start())
            pos = close.end() if close is not None and closed else match.end()
            continue
        out.append(chunk[done : match.start()])
        out.append(replace(match))
        done = pos = match.end()
    out.append(chunk[done:])
    return "".join(out)
