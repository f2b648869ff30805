"""What the search index reads of a page: its text, with each formula as its TeX source.

``pymdownx.arithmatex`` (generic mode) leaves each formula as ``<span class="arithmatex">\\(TeX\\)</span>`` (or a
``div`` with ``\\[TeX\\]``); before the maths is typeset, keeping the TeX and dropping the delimiters gives the
text a reader would type into the search box.
"""

from __future__ import annotations

import re

_FORMULA = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.DOTALL)
_DELIMITED = re.compile(r"^\s*\\[(\[](?P<tex>.*?)\\[)\]]\s*$", re.DOTALL)

# Material's search plugin strips these attributes from page.content once it has read them.
_SEARCH_ATTRIBUTE = re.compile(r'\s?data-search-\w+="[^"]+"')


def formulas_as_tex(html: str) -> str:
    """``html`` with each arithmatex formula replaced by its TeX, escaped as it was, without delimiters."""

    def tex(match: re.Match[str]) -> str:
        inner = _DELIMITED.match(match.group("body"))
        return f" {inner.group('tex').strip() if inner else match.group('body').strip()} "

    return _FORMULA.sub(tex, html)


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
