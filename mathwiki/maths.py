"""Formulas typeset at build time: LaTeX in, MathML out.

The browser renders MathML natively, so the site needs no maths script, no font from a CDN, and nothing that
can break with Material's instant navigation. latex2mathml is a maintained, pure-Python converter.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from latex2mathml import __version__ as _converter_version
from latex2mathml.converter import convert

from mathwiki.cache import Cache

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


MATHS_VERSION = "2"  # bump when the conversion below changes, so stored formulas are converted again


class FormulaStore:
    """Converted formulas kept on disk between builds: a warm build converts only new formulas.

    A formula no build has used for ``KEEP_BUILDS`` builds in a row is dropped, so the store does not grow
    forever, and builds that alternate settings (claims on and off) do not evict each other's formulas.
    """

    KEEP_BUILDS = 10

    def __init__(self) -> None:
        self._cache: Cache | None = None
        self._known: dict[str, list[Any]] = {}  # key -> [mathml, builds since last used]
        self._used: set[str] = set()
        self._added = False

    def open(self, root: Path) -> None:
        self._cache = Cache(root, "maths", f"{MATHS_VERSION}-{_converter_version}")
        stored = self._cache.get(self._cache.key("formulas"))
        self._known = stored if isinstance(stored, dict) else {}
        self._used = set()
        self._added = False

    def get(self, key: str) -> str | None:
        found = self._known.get(key)
        if not isinstance(found, list) or len(found) != 2 or not isinstance(found[0], str):
            return None
        self._used.add(key)
        return found[0]

    def add(self, key: str, mathml: str) -> None:
        self._known[key] = [mathml, 0]
        self._used.add(key)
        self._added = True

    def save(self) -> None:
        if self._cache is None:
            return
        kept = {}
        for key, (mathml, age) in self._known.items():
            age = 0 if key in self._used else age + 1
            if age <= self.KEEP_BUILDS:
                kept[key] = [mathml, age]
        if self._added or any(age for _, age in kept.values()) or len(kept) != len(self._known):
            self._cache.put(self._cache.key("formulas"), kept)
        self._known, self._used, self._added = kept, set(), False


STORE = FormulaStore()


def to_mathml(latex: str, display: bool) -> str:
    """MathML for ``latex``; raises ``MathError`` for LaTeX it cannot typeset."""
    key = ("block:" if display else "inline:") + latex
    found = STORE.get(key)
    if found is None:
        found = _convert(latex, display)
        STORE.add(key, found)
    return found


@lru_cache(maxsize=8192)
def _convert(latex: str, display: bool) -> str:
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
