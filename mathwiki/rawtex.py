"""No raw TeX reaches a reader: after the maths is typeset, find TeX left in a page's text.

A formula the Markdown did not hand to the engine -- ``$$`` glued to a paragraph, a ``$`` with no partner,
``\\alpha`` typed outside any formula, ``\\(`` ... ``\\)`` inside a link -- would reach the reader as its source.
This module walks the page's HTML after typesetting and reports each ``$``, ``\\(``, ``\\[`` or backslash
command left in text, outside code, keys, typeset maths, SVG and the build's own problem boxes. Text is read
with its character references kept, so ``&#36;`` is the way to write a literal dollar sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# A typeset formula (<math>) may show $ or \alpha on purpose (\text{\$5}, \textbackslash), and its annotation is
# its TeX source: neither is TeX left in the page text.
_SKIP = {"code", "pre", "kbd", "samp", "script", "style", "math", "svg", "textarea", "title"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# The build's own problem boxes quote the page's TeX on purpose, and are already reported as problems.
_PROBLEM_BOXES = {
    "math-error", "verify-message", "verify-source", "code-error", "code-not-run", "mathwiki-surface-error",
}  # fmt: skip
_TEX = re.compile(r"\$+|\\[()\[\]]|\\[A-Za-z]+")


@dataclass(frozen=True)
class Leftover:
    token: str  # what was found: "$", "\\(", "\\alpha"
    context: str  # the text around it, as the page shows it

    @property
    def message(self) -> str:
        if self.token.startswith("$"):
            return (
                f"raw TeX reaches the reader: '{self.token}' in \"{self.context}\" opens no formula (inline maths is "
                "$...$ on one line, display maths is $$ on lines of its own; write &#36; for a dollar sign)"
            )
        if self.token in ("\\(", "\\)", "\\[", "\\]"):
            return (
                f"raw TeX reaches the reader: '{self.token}' in \"{self.context}\" was not typeset (write maths "
                "as $...$ or $$...$$)"
            )
        return (
            f"raw TeX reaches the reader: '{self.token}' in \"{self.context}\" is outside any formula (put it "
            "inside $...$, or in `code` to show the command itself)"
        )


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[bool] = []  # per open element: does it hide its text from the check
        self.found: list[Leftover] = []

    def _hidden(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        classes = next((value or "" for name, value in attrs if name == "class"), "").split()
        hides = tag in _SKIP or any(c in _PROBLEM_BOXES for c in classes)
        self.stack.append(hides)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        return

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._hidden():
            return
        for match in _TEX.finditer(data):
            start, end = max(0, match.start() - 25), min(len(data), match.end() + 25)
            context = " ".join(data[start:end].split())
            self.found.append(Leftover(match.group(), context))


def leftovers(page_html: str) -> list[Leftover]:
    """Each piece of TeX left in the text of ``page_html`` (typeset maths, code and SVG are not text)."""
    walker = _Walker()
    walker.feed(page_html)
    walker.close()
    return walker.found


def source_line(source: str, item: Leftover) -> int:
    """The line of the page source where ``item`` was most likely written (1 when it cannot be found)."""
    at = item.context.find(item.token)
    for width in (20, 10, 4, 0):
        needle = item.context[max(0, at - width) : at + len(item.token) + width] if at >= 0 else item.token
        index = source.find(needle)
        if index >= 0:
            return source.count("\n", 0, index) + 1
    index = source.find(item.token)
    return source.count("\n", 0, index) + 1 if index >= 0 else 1
