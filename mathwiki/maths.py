"""Formulas typeset at build time with Temml: the site ships MathML Core, which the reader's browser lays out
with the STIX Two Math font that ships with the site, and which screen readers read. Each formula keeps its TeX
source as an annotation. No maths script runs in the reader's browser and nothing comes from another host.
The engine runs in one long-lived Node process (:mod:`mathwiki.typeset`); formulas are asked for a page at a
time, and kept in the build cache by their text, so a warm build typesets only the formulas that changed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mathwiki import rawtex
from mathwiki import typeset as typeset_engine
from mathwiki.cache import Cache, PageSteps, code_version
from mathwiki.problems import Problem

ENGINE = "temml"
_ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>',
    re.DOTALL,
)
_INLINE = re.compile(r"^\\\((?P<tex>.*)\\\)$", re.DOTALL)
_BLOCK = re.compile(r"^\\\[(?P<tex>.*)\\\]$", re.DOTALL)
# LaTeX's eqnarray (three columns, "&=&"), which the engine does not have, read as the array it lays out.
_EQNARRAY = re.compile(r"\\(begin|end)\{eqnarray\*?\}")


class MathError(ValueError):
    """LaTeX that the engine cannot typeset (the message is the engine's)."""


def _normalise(latex: str) -> str:
    return _EQNARRAY.sub(lambda m: r"\begin{array}{rcl}" if m.group(1) == "begin" else r"\end{array}", latex)


MATHS_VERSION = "4"  # bump when the conversion below changes, so stored formulas are typeset again


class FormulaStore:
    """Converted formulas kept on disk between builds: a warm build converts only new formulas.

    A formula no build has used for ``KEEP_BUILDS`` builds in a row is dropped, so the store does not grow
    forever, and builds that alternate settings (claims on and off) do not evict each other's formulas.
    """

    KEEP_BUILDS = 10

    def __init__(self) -> None:
        self._cache: Cache | None = None
        self._known: dict[str, list[Any]] = {}  # key -> [html, builds since last used]
        self._used: set[str] = set()
        self._added = False

    def open(self, root: Path) -> None:
        version = f"{MATHS_VERSION}-{typeset_engine.fingerprint(ENGINE)}"
        self._cache = Cache(root, "maths", version)
        RAW_TEX_CHECKED.open(root, f"{version}-{code_version(__file__, rawtex.__file__)}")
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

    def add(self, key: str, typeset: str) -> None:
        self._known[key] = [typeset, 0]
        self._used.add(key)
        self._added = True

    def save(self) -> None:
        if self._cache is None:
            return
        kept = {}
        for key, (typeset, age) in self._known.items():
            age = 0 if key in self._used else age + 1
            if age <= self.KEEP_BUILDS:
                kept[key] = [typeset, age]
        if self._added or any(age for _, age in kept.values()) or len(kept) != len(self._known):
            self._cache.put(self._cache.key("formulas"), kept)
        self._known, self._used, self._added = kept, set(), False


STORE = FormulaStore()
# The raw-TeX check of each page (its tag-by-tag walk is most of a warm page's maths time), by the page's HTML
# before typesetting, its source and path; opened with the formula store, with the engine and this code as version.
RAW_TEX_CHECKED = PageSteps("maths-pages")

# Every piece of HTML the engine gave this process (typeset now or taken from the cache). The checks that walk a
# page's HTML tag by tag (raw TeX, the sanitizer's report) skip these exact strings: they are the engine's own
# markup for a formula, most of a page's tags, and walking them made those checks most of a warm build.
# Only exact engine output is skipped, so markup an author writes to look like it is still walked.
ENGINE_OUTPUT: set[str] = set()
_ENGINE_ROOT = re.compile(r"<math\b")
_MATH_TAG = re.compile(r"<math\b|</math>")


def without_engine_output(page_html: str) -> str:
    """``page_html`` with each formula the engine typeset in this process left out (``<math>`` tags counted to its
    end)."""
    if not ENGINE_OUTPUT:
        return page_html
    parts, at = [], 0
    for start in _ENGINE_ROOT.finditer(page_html):
        if start.start() < at:
            continue  # inside a formula already left out
        depth, end = 0, -1
        for tag in _MATH_TAG.finditer(page_html, start.start()):
            depth += 1 if tag.group() == "<math" else -1
            if depth == 0:
                end = tag.end()
                break
        if end < 0 or page_html[start.start() : end] not in ENGINE_OUTPUT:
            continue
        parts.append(page_html[at : start.start()])
        at = end
    parts.append(page_html[at:])
    return "".join(parts)


def _key(latex: str, display: bool) -> str:
    return ("block:" if display else "inline:") + latex


def typeset_many(formulas: list[tuple[str, bool]]) -> list[str | MathError]:
    """The typeset HTML of each ``(latex, display)``, or the engine's error; one engine round trip for the misses."""
    found: list[str | MathError | None] = [STORE.get(_key(latex, display)) for latex, display in formulas]
    missing = sorted({(latex, display) for (latex, display), got in zip(formulas, found, strict=True) if got is None})
    if missing:
        results = typeset_engine.engine(ENGINE).typeset([(_normalise(latex), display) for latex, display in missing])
        done: dict[tuple[str, bool], str | MathError] = {}
        for (latex, display), result in zip(missing, results, strict=True):
            if result.error:
                done[(latex, display)] = MathError(
                    f"cannot typeset formula {latex.strip()!r}: {_readable(result.error)}"
                )
            else:
                done[(latex, display)] = result.html
                STORE.add(_key(latex, display), result.html)
        found = [done[f] if got is None else got for f, got in zip(formulas, found, strict=True)]
    ENGINE_OUTPUT.update(got for got in found if isinstance(got, str))
    return [got if got is not None else MathError("internal: formula not typeset") for got in found]


def _readable(error: str) -> str:
    """The engine's message on one line: Temml underlines the place it stopped with combining low lines (U+0332),
    which a terminal draws as noise."""
    return " ".join(part.strip() for part in error.replace("\u0332", "").splitlines() if part.strip())


def typeset(latex: str, display: bool) -> str:
    """The typeset HTML of one formula; raises ``MathError`` for LaTeX the engine cannot typeset."""
    (result,) = typeset_many([(latex, display)])
    if isinstance(result, MathError):
        raise result
    return result


def render_arithmatex(page_html: str, on_error: Callable[[str, str], None]) -> str:
    """Replace every formula that ``pymdownx.arithmatex`` (generic mode) left in ``page_html`` with typeset maths.

    ``on_error(latex, message)`` is called for a formula that cannot be typeset; the formula then stays
    visible as its source in an error box.
    """
    matches = list(_ARITHMATEX.finditer(page_html))
    formulas = []
    for match in matches:
        body = html.unescape(match.group("body").strip())
        display = match.group("tag") == "div"
        inner = (_BLOCK if display else _INLINE).match(body)
        formulas.append((inner.group("tex") if inner else body, display))
    results = typeset_many(formulas)
    parts, at = [], 0
    for match, (latex, display), result in zip(matches, formulas, results, strict=True):
        parts.append(page_html[at : match.start()])
        at = match.end()
        if isinstance(result, MathError):
            on_error(latex, str(result))
            parts.append(f'<code class="math-error" title="{html.escape(str(result))}">{html.escape(latex)}</code>')
        elif display:
            parts.append(f'<div class="math-display">{result}</div>')
        else:
            parts.append(f'<span class="math-inline">{result}</span>')
    parts.append(page_html[at:])
    return "".join(parts)


def typeset_page(page_html: str, source: str, path: str) -> tuple[str, list[Problem]]:
    """``page_html`` with every formula typeset, and the problems: each formula the engine refuses, and each piece
    of raw TeX left in the text afterwards, at the line of ``source`` (the whole page file) where it was written.
    The build's hook and ``python -m mathwiki check`` both call this, so they report the same lines."""
    problems: list[Problem] = []

    def on_error(latex: str, message: str) -> None:
        index = source.find(latex)
        problems.append(Problem(path, source.count("\n", 0, index) + 1 if index >= 0 else 1, message))

    typeset_html = render_arithmatex(page_html, on_error)
    known = RAW_TEX_CHECKED.get(page_html, source, path)
    if known is not None:
        return typeset_html, problems + known[1]
    raw = [
        Problem(path, rawtex.source_line(source, item), item.message)
        for item in rawtex.leftovers(without_engine_output(typeset_html))
    ]
    RAW_TEX_CHECKED.put(None, raw, page_html, source, path)
    return typeset_html, problems + raw


_DISPLAY_OPEN = re.compile(r"^ {0,3}\$\$")


def separate_display_maths(markdown: str, code: Sequence[bool] | None = None) -> str:
    """Give every ``$$`` block a blank line before and after it, so a display formula right under a line of
    text (or right above one) is display maths rather than a literal ``$$`` squeezed into the paragraph.
    Code (as the page model reads it; ``code`` is its per-line flags when the caller has them) is left alone.
    The page's line numbers are not used after this point."""
    from mathwiki import pagemodel

    out: list[str] = []
    lines = markdown.split("\n")
    if code is None:
        code = pagemodel.read(markdown, front_matter=False).code
    in_maths = False
    for index, line in enumerate(lines):
        if code[index] and not in_maths:
            out.append(line)
            continue
        stripped = line.strip()
        if not in_maths and _DISPLAY_OPEN.match(line) and not line.lstrip().startswith(">"):
            if out and out[-1].strip():
                out.append("")
            rest = stripped[2:]
            in_maths = not rest.endswith("$$") or rest == ""
            if rest.endswith("$$") and rest != "":
                out.append(line)
                if index + 1 < len(lines) and lines[index + 1].strip():
                    out.append("")
                continue
            out.append(line)
            continue
        if in_maths and stripped.endswith("$$"):
            in_maths = False
            out.append(line)
            if index + 1 < len(lines) and lines[index + 1].strip():
                out.append("")
            continue
        out.append(line)
    return "\n".join(out)
