"""What the search index reads of a page: its text, with each formula as its TeX source.

``pymdownx.arithmatex`` (generic mode) leaves each formula as ``<span class="arithmatex">\\(TeX\\)</span>`` (or a
``div`` with ``\\[TeX\\]``); before the maths is typeset, keeping the TeX and dropping the delimiters gives the
text a reader would type into the search box. Formulas typeset earlier (the claim tables of ``verify`` fences)
give the TeX of their ``<annotation encoding="application/x-tex">`` when the engine writes one (KaTeX does), else
the plain text of their MathML; KaTeX's visual copy (``katex-html``, hidden from screen readers) is dropped. The
search plugin then parses no element of typeset maths, whichever engine typeset it.
"""

from __future__ import annotations

import re

_FORMULA = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.DOTALL)
_DELIMITED = re.compile(r"^\s*\\[(\[](?P<tex>.*?)\\[)\]]\s*$", re.DOTALL)
_MATH = re.compile(r"<math\b[^>]*>(?P<body>.*?)</math>", re.DOTALL)
_TEX_ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">(?P<tex>.*?)</annotation>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_VISUAL_COPY = re.compile(r'<span class="katex-html"[^>]*>')
_SPAN = re.compile(r"<span\b|</span>")

# Material's search plugin strips these attributes from page.content once it has read them.
_SEARCH_ATTRIBUTE = re.compile(r'\s?data-search-\w+="[^"]+"')


def formulas_as_tex(html: str) -> str:
    """``html`` with each arithmatex formula replaced by its TeX, escaped as it was, without delimiters."""

    def tex(match: re.Match[str]) -> str:
        inner = _DELIMITED.match(match.group("body"))
        return f" {inner.group('tex').strip() if inner else match.group('body').strip()} "

    def typeset(match: re.Match[str]) -> str:
        annotation = _TEX_ANNOTATION.search(match.group("body"))
        text = annotation.group("tex") if annotation else _TAG.sub("", match.group("body"))
        return f" {text.strip()} "

    return _MATH.sub(typeset, _drop_visual_copies(_FORMULA.sub(tex, html)))


def _drop_visual_copies(html: str) -> str:
    """``html`` without KaTeX's ``<span class="katex-html">`` subtrees (spans nest: count them to the end)."""
    parts, at = [], 0
    while (start := _VISUAL_COPY.search(html, at)) is not None:
        parts.append(html[at : start.start()])
        depth, end = 1, len(html)
        for tag in _SPAN.finditer(html, start.end()):
            depth += 1 if tag.group() == "<span" else -1
            if depth == 0:
                end = tag.end()
                break
        at = end
    parts.append(html[at:])
    return "".join(parts)


def put_back(read: str, text: str, typeset: str) -> str | None:
    """The page as it must ship. ``text`` was handed to the search plugin in place of ``typeset``; ``read`` is
    what the plugin and later code left of it: search attributes stripped, HTML added before or after. Swap
    the text back for the typeset page, stripped the same way; ``None`` when the text is no longer in ``read``.
    """
    stripped = _SEARCH_ATTRIBUTE.sub("", text)
    for seen, shipped in ((stripped, _SEARCH_ATTRIBUTE.sub("", typeset)), (text, typeset)):
        at = read.find(seen)
        if at >= 0:
            return read[:at] + shipped + read[at + len(seen) :]
    return None
