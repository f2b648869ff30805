"""Find the fenced code blocks of a page, with the file line each one starts on.

The build looks at fences twice: once before rendering, to collect all the work of the whole site and run it
in parallel (claims, code, figures), and once while SuperFences renders each fence. This scanner is the first
look; it follows the same rules as SuperFences for what opens and closes a fence, including fences nested in
lists and admonitions by indentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The indent may include blockquote markers ("> "): SuperFences renders fences inside quotes too.
# Linear time: no two quantifiers can split the same text (the header is stripped in code, not by the pattern).
_OPEN = re.compile(r"^(?P<indent>[ \t]*(?:>[ \t]*)*)(?P<fence>`{3,}|~{3,})(?P<header>[^`\n]*)$")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_OPTION = re.compile(r"""([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))""")


@dataclass(frozen=True)
class Fence:
    lang: str
    options: dict[str, str] = field(hash=False)
    body: str
    line: int  # 1-based line of the opening fence in the file

    def body_line(self, index: int) -> int:
        """The file line of line ``index`` (0-based) of the body."""
        return self.line + 1 + index


def parse_header(header: str) -> tuple[str, dict[str, str]]:
    """Split ``python run="no"`` or ``{.python run="no"}`` into the language and its options."""
    text = header.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
        match = re.match(r"\.([\w+-]+)", text)
        lang = match.group(1) if match else ""
        rest = text[match.end() :] if match else text
    else:
        parts = text.split(None, 1)
        lang = parts[0] if parts else ""
        rest = parts[1] if len(parts) > 1 else ""
    options = {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in _OPTION.finditer(rest)}
    return lang.lower(), options


def _dedent(line: str, indent: str) -> str:
    if line.startswith(indent):
        return line[len(indent) :]
    if ">" in indent:
        return _QUOTE.sub("", line, count=1).lstrip(" \t")
    return line.lstrip(" \t")


def scan_fences(text: str) -> list[Fence]:
    """Every fenced block of ``text`` (a whole file), in order."""
    lines = text.splitlines()
    fences: list[Fence] = []
    i = 0
    while i < len(lines):
        match = _OPEN.match(lines[i])
        if not match:
            i += 1
            continue
        indent, marker, header = match.group("indent"), match.group("fence"), match.group("header").strip(" \t")
        if marker[0] == "~" and "~" in header:
            i += 1
            continue
        body: list[str] = []
        j = i + 1
        closed = False
        while j < len(lines):
            stripped = _dedent(lines[j], indent).strip()
            if stripped and set(stripped) == {marker[0]} and len(stripped) >= len(marker):
                closed = True
                break
            body.append(_dedent(lines[j], indent))
            j += 1
        lang, options = parse_header(header)
        fences.append(Fence(lang=lang, options=options, body="\n".join(body), line=i + 1))
        i = j + 1 if closed else j
    return fences


def locate(text: str, body: str) -> int:
    """The file line of the fence whose body is ``body`` (its opening line), or 1 when it cannot be found.

    For messages about a fence that reached a formatter without passing through ``scan_fences``.
    """
    wanted = next((line.strip() for line in body.splitlines() if line.strip()), "")
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if wanted and line.strip().lstrip(">").strip() == wanted:
            for opening in range(number - 1, 0, -1):
                if _OPEN.match(lines[opening - 1]):
                    return opening
            return number
    return 1
