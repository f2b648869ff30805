"""Read built HTML the way a test needs: the elements in order, their attributes, their text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self._skip = 0  # inside <pre>/<code>/<script>/<style>, for prose text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data


def elements(html: str) -> list[Element]:
    collector = _Collector()
    collector.feed(html)
    return collector.elements


def prose_text(html: str) -> str:
    """The text of the page outside code, scripts and styles: what a reader sees as prose and maths."""
    import re

    html = re.sub(r"<(pre|code|script|style|textarea)\b.*?</\1>", " ", html, flags=re.DOTALL | re.IGNORECASE)
    # a typeset formula keeps its TeX in the MathML's annotation, for screen readers and copy: not prose
    html = re.sub(r"<annotation\b.*?</annotation>", " ", html, flags=re.DOTALL)
    html = re.sub(r"<[^>]+>", " ", html)
    return html


def article(html: str) -> str:
    start = html.index('<article class="md-content__inner')
    return html[start : html.index("</article>", start)]
