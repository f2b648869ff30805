"""Formulas typeset at build time: LaTeX in, MathML out.

The browser renders MathML natively, so the site needs no maths script, no font from a CDN, and nothing that
can break with Material's instant navigation. latex2mathml is a maintained, pure-Python converter.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache

from latex2mathml.converter import convert

_ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>',
    re.DOTALL,
)
_INLINE = re.compile(r"^\\\((?P<tex>.*)\\\)$", re.DOTALL)
_BLOCK = re.compile(r"^\\\[(?P<tex>.*)\\\]$", re.DOTALL)


class MathError(ValueError):
    """LaTeX that the converter cannot typeset."""


# Environments latex2mathml lays out as a table; the others it knows only by these names.
_ENVIRONMENTS = {"aligned": "align*", "align": "align*", "gathered": "gather*", "alignedat": "align*"}
_ENVIRONMENT = re.compile(r"\\(begin|end)\{(aligned|align|gathered|alignedat)\}")
_LOOSE_AMPERSAND = re.compile(r"<mi>&(amp;)?</mi>")


def _normalise(latex: str) -> str:
    return _ENVIRONMENT.sub(lambda m: f"\\{m.group(1)}{{{_ENVIRONMENTS[m.group(2)]}}}", latex)


@lru_cache(maxsize=8192)
def to_mathml(latex: str, display: bool) -> str:
    try:
        mathml = convert(_normalise(latex), display="block" if display else "inline")
    except Exception as exc:  # the converter raises many kinds; all mean "cannot typeset this"
        raise MathError(f"cannot typeset formula {latex.strip()!r}: {exc}") from exc
    if _LOOSE_AMPERSAND.search(mathml):
        raise MathError(
            f"cannot typeset formula {latex.strip()!r}: '&' outside an alignment environment "
            "(use \\begin{aligned} ... \\end{aligned})"
        )
    return mathml


def render_arithmatex(page_html: str, on_error: Callable[[str, str], None]) -> str:
    """Replace every formula that ``pymdownx.arithmatex`` (generic mode) left in ``page_html`` with MathML.

    ``on_error(latex, message)`` is called for a formula that cannot be typeset; the formula then stays
    visible as its source in an error box.
    """

    def replace(match: re.Match[str]) -> str:
        body = html.unescape(match.group("body").strip())
        display = match.group("tag") == "div"
        inner = (_BLOCK if display else _INLINE).match(body)
        latex = inner.group("tex") if inner else body
        try:
            mathml = to_mathml(latex, display)
        except MathError as exc:
            on_error(latex, str(exc))
            return f'<code class="math-error" title="{html.escape(str(exc))}">{html.escape(latex)}</code>'
        if display:
            return f'<div class="math-display">{mathml}</div>'
        return f'<span class="math-inline">{mathml}</span>'

    return _ARITHMATEX.sub(replace, page_html)
