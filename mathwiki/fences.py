"""The rules of one fenced block, as SuperFences reads them, and the scanner that finds every fence of a page.

The page model (``mathwiki.pagemodel``) calls ``scan`` once per page; every other reader asks the model. The rules
are SuperFences' own (it runs before Python-Markdown's block parser), not CommonMark's:

- a fence opens after any run of spaces, tabs and ``>`` (so in lists, admonitions and quotes, at any depth), with
  three or more backticks or tildes, then an optional language (``python``, ``.python``), then either options
  (``key`` or ``key="value"``, quoted) or ``{.python attrs}``; any other header (``run=no``, unquoted) is no fence;
- the body lines keep the opener's indent; a non-blank line indented less, or in a quote a line of a deeper
  quote, abandons the fence: it is then no fence at all, and neither is one that never closes;
- the fence closes on a line that is exactly the opening marker (same character, same length) at the opener's
  indent, trailing spaces allowed: a longer or shorter run of the same character is body text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PREFIX = " \t>"
_MARKER = re.compile(r"(?P<fence>`{3,}|~{3,})")
# The header after the marker. Linear: a quoted value is the shortest text closed by its quote and then a space
# or the end, each option must be followed by a space or the end, so no two quantifiers can split the same text.
_HEADER = re.compile(
    r"[ \t]*(?:\.?(?P<lang>[\w#.+-]+)(?=[ \t]|$))?"
    r"(?:[ \t]*\{(?P<attrs>[^\n]*)\}"
    r"|(?P<options>(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*"
    r"""(?:=(?:"(?:[^"]|"(?![ \t]|$))*"|'(?:[^']|'(?![ \t]|$))*'))?(?=[ \t]|$))*))"""
    r"[ \t]*$"
)
_OPTION = re.compile(
    r"""(?P<key>[a-zA-Z][a-zA-Z0-9_]*)(?:=(?:"(?P<dq>(?:[^"]|"(?![ \t]|$))*)"|'(?P<sq>(?:[^']|'(?![ \t]|$))*)'))?"""
)
_ATTR_CLASS = re.compile(r"(?:^|[ \t])\.([\w#.+-]+)")
_ATTR_VALUE = re.compile(r"""([a-zA-Z][\w-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"'}]+))""")
TAB = 4  # Python-Markdown's tab length


@dataclass(frozen=True)
class Fence:
    lang: str  # the language in lower case, as the checks compare it
    options: dict[str, str] = field(hash=False)
    body: str
    line: int  # 1-based line of the opening fence in the text scanned
    end_line: int = 0  # 1-based line of the closing fence
    ordinal: int = 0  # 0-based: this is the page's ``ordinal``-th fence of its name, as SuperFences meets them
    name: str = ""  # the language as written: SuperFences hands a custom fence only the fences of its exact name

    def body_line(self, index: int) -> int:
        """The file line of line ``index`` (0-based) of the body."""
        return self.line + 1 + index


@dataclass(frozen=True)
class Broken:
    """A fence opening that SuperFences will not render as a fence: shown as text, never checked or run."""

    line: int
    name: str
    why: str


def _header(text: str) -> tuple[str, dict[str, str]] | None:
    """The language as written and the options of a fence header, or None when SuperFences refuses it."""
    match = _HEADER.match(text)
    if match is None:
        return None
    lang = match.group("lang") or ""
    options: dict[str, str] = {}
    if match.group("attrs") is not None:
        attrs = match.group("attrs")
        classes = _ATTR_CLASS.findall(attrs)
        if not lang and classes:
            lang = classes[0]
        for key, *values in _ATTR_VALUE.findall(attrs):
            options[key] = next((v for v in values if v), "")
    else:
        for option in _OPTION.finditer(match.group("options") or ""):
            value = option.group("dq") if option.group("dq") is not None else option.group("sq")
            options[option.group("key")] = option.group("key") if value is None else value
    return lang, options


def _prefix(line: str) -> tuple[str, int]:
    """The leading spaces, tabs and quote markers of ``line`` (tabs expanded) and how many characters they take."""
    count = 0
    while count < len(line) and line[count] in _PREFIX:
        count += 1
    return line[:count].expandtabs(TAB), count


def _split(line: str, width: int) -> tuple[str, str]:
    """The line's prefix, taken up to ``width`` columns, and the rest (as SuperFences reads a body line)."""
    taken, column, count = [], 0, 0
    for char in line:
        if column >= width or char not in _PREFIX:
            break
        step = TAB - column % TAB if char == "\t" else 1
        taken.append(" " * step if char == "\t" else char)
        column += step
        count += 1
    return "".join(taken), line[count:]


def scan(text: str, first: int = 0) -> tuple[list[Fence], list[Broken]]:
    """Every fence of ``text`` from line index ``first`` on (0-based: after the front matter), in order, and the
    openings SuperFences abandons."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]  # lines as Python-Markdown counts them
    fences: list[Fence] = []
    broken: list[Broken] = []
    seen: dict[str, int] = {}
    i = first
    while i < len(lines):
        indent, count = _prefix(lines[i])
        marker = _MARKER.match(lines[i], count)
        parsed = _header(lines[i][marker.end() :]) if marker else None
        if marker is None:
            i += 1
            continue
        if parsed is None:
            header = lines[i][marker.end() :].strip()
            why = f"its header '{header}' is not one it reads (options are written key=\"value\", quoted)"
            broken.append(Broken(i + 1, header.split(None, 1)[0].lstrip(".{"), why))
            i += 1
            continue
        name, options = parsed
        fence, width, quotes = marker.group("fence"), len(indent), indent.count(">")
        closing = re.compile(re.escape(fence) + r"[ \t]*$")
        body: list[str] = []
        blank_run = 0
        j, why = i + 1, ""
        while j < len(lines):
            ws, content = _split(lines[j], width)
            level = ws.count(">")
            if quotes:
                if level > quotes:
                    why = f"line {j + 1} is quoted deeper than the fence's opening"
                elif content == "":
                    body.append("")
                    blank_run += 1
                    j += 1
                    continue
                elif len(ws) < width:
                    why = f"line {j + 1} is indented less than the fence's opening"
                elif blank_run and level < quotes:
                    why = f"line {j + 1} leaves the quote the fence opened in"
                elif closing.match(content):
                    break
                if why:
                    break
            elif level:
                why = f"line {j + 1} is quoted but the fence's opening is not"
                break
            else:
                if (ws + content).strip() == "":
                    body.append("")
                    j += 1
                    continue
                if len(ws) != width:
                    why = f"line {j + 1} is not indented like the fence's opening"
                    break
                if closing.match(content) and not content.startswith((" ", "\t")):
                    break
            blank_run = 0
            body.append(content)
            j += 1
        if why or j >= len(lines):  # SuperFences goes on after the line that broke the fence, or stops at the end
            broken.append(Broken(i + 1, name, why or f"it is never closed with {fence}"))
            i = j + 1
            continue
        ordinal = seen.get(name, 0)
        seen[name] = ordinal + 1
        fences.append(Fence(name.lower(), options, "\n".join(body), i + 1, j + 1, ordinal, name))
        i = j + 1
    return fences, broken


def scan_fences(text: str, first: int = 0) -> list[Fence]:
    """Every fence of ``text`` that SuperFences renders, in order (``scan`` without the abandoned openings)."""
    return scan(text, first)[0]


def same_body(formatted: str, scanned: str) -> bool:
    """Whether the ``source`` SuperFences hands a formatter is the body the scanner read.

    Python-Markdown normalises whitespace before SuperFences sees the text (tabs expanded, lines of only spaces
    emptied, ``\\r\\n`` read as ``\\n``); SuperFences drops the blank lines that end a body. This is the one place
    that says so.
    """

    def norm(body: str) -> str:
        lines = body.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")
        return "\n".join(line.rstrip() for line in lines).strip("\n")

    return norm(formatted) == norm(scanned)


def locate(text: str, body: str) -> int:
    """The file line of the fence whose body is ``body`` (its opening line), or 1 when it cannot be found.

    For messages about a fence that reached a formatter without the page model having read it there.
    """
    wanted = next((line.strip() for line in body.splitlines() if line.strip()), "")
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if wanted and line.strip().lstrip(">").strip() == wanted:
            for opening in range(number - 1, 0, -1):
                if _MARKER.match(lines[opening - 1], _prefix(lines[opening - 1])[1]):
                    return opening
            return number
    return 1
