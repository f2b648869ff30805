"""The surface fences of a page, resolved through a disk cache, so a warm build neither parses nor imports SymPy.

Resolving a fence (``plots.spec`` then ``plots.resolve``) parses LaTeX into SymPy objects and differentiates:
tens of milliseconds a fence, plus SymPy's import. Its result depends only on raw text, so it is cached under
the hash of that text: the fence body, the title of the page, ``figure_max_grid``, and the verify fences the
page defines its functions in, with the line each starts on (a parse error can name a definition's line). The
cache version holds ``RESOLVER_VERSION``, SymPy's version and a hash of the resolver's source, so a change in
the code or the library resolves again. An entry is the ``Figure`` as JSON, or the ``SpecError`` and its line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import mathwiki
from mathwiki import pagemodel
from mathwiki.cache import Cache, digest
from mathwiki.fences import Fence
from mathwiki.problems import Problem
from plots.figure import Figure

RESOLVER_VERSION = "1"
NAMESPACE = "figure-specs"
_PLOTS = Path(__file__).resolve().parent
_MATHWIKI = Path(mathwiki.__file__).resolve().parent
_SOURCES = (  # what the result of a resolution depends on, besides SymPy
    _PLOTS / "spec.py",
    _PLOTS / "resolve.py",
    _PLOTS / "exprjson.py",
    _PLOTS / "figure.py",
    _MATHWIKI / "latex" / "parser.py",
    _MATHWIKI / "latex" / "tokens.py",
)


@dataclass(frozen=True)
class Resolved:
    """What resolving one fence gave; its lines are 0-based in the fence body, as in ``SpecError``, ``RawSpec``."""

    figure: Figure | None
    error: str | None = None
    error_line: int | None = None  # None: the whole fence
    head_line: int = 0
    point_line: int | None = None

    def to_data(self) -> dict[str, Any]:
        if self.figure is None:
            return {"error": self.error, "line": self.error_line}
        return {"figure": self.figure.to_data(), "head_line": self.head_line, "point_line": self.point_line}

    @classmethod
    def from_data(cls, data: Any) -> Resolved:
        """The inverse of ``to_data``; raise ``KeyError``, ``TypeError`` or ``ValueError`` on another shape."""
        if not isinstance(data, dict):
            raise TypeError(f"expected an object, found {data!r}")
        if "figure" not in data:
            if not isinstance(data["error"], str):
                raise TypeError("the error is not a string")
            return cls(None, data["error"], _line(data["line"]))
        head_line = _line(data["head_line"])
        if head_line is None:
            raise TypeError("no head line")
        return cls(Figure.from_data(data["figure"]), None, None, head_line, _line(data["point_line"]))


def _line(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a line number, found {value!r}")
    return value


def resolver_version() -> str:
    """RESOLVER_VERSION, SymPy's version (``diff`` decides the derivatives) and the resolver's own source."""
    try:
        sympy = version("sympy")
    except PackageNotFoundError:
        sympy = "?"
    sources = []
    for path in _SOURCES:
        try:
            sources.append(path.read_bytes())
        except OSError:
            sources.append(b"?")
    return f"resolver={RESOLVER_VERSION};sympy={sympy};source={digest(*sources)[:16]}"


def open_cache(cache_dir: Path) -> Cache:
    return Cache(cache_dir, NAMESPACE, resolver_version())


def resolve_fence(body: str, definitions: Mapping[str, Any], title: str, max_grid: int) -> Resolved:
    """Resolve one fence body against the page's ``plots.resolve.page_definitions``; imports SymPy."""
    from plots.resolve import resolve
    from plots.spec import SpecError, parse_spec

    try:
        raw = parse_spec(body, max_grid)
        figure = resolve(raw, definitions, title)
    except SpecError as exc:
        return Resolved(None, exc.message, exc.line)
    return Resolved(figure, head_line=raw.head_line, point_line=raw.point_line)


def fence_key(cache: Cache, body: str, verify: str, title: str, max_grid: int) -> str:
    return cache.key(body, verify, title, str(max_grid))


def _cached(cache: Cache, key: str) -> Resolved | None:
    value = cache.get(key)
    if value is None:
        return None
    try:
        return Resolved.from_data(value)
    except (KeyError, TypeError, ValueError):
        return None  # an entry of another shape: resolve again


def resolve_page(text: str, title: str, max_grid: int, cache: Cache) -> list[tuple[Fence, Resolved]]:
    """Every surface fence of the page ``text`` with what it resolves to, from the cache where it can."""
    fences = pagemodel.read(text).fences
    verify = json.dumps([[f.line, f.body] for f in fences if f.lang == "verify"])
    definitions = None
    out = []
    for fence in fences:
        if fence.lang != "surface":
            continue
        key = fence_key(cache, fence.body, verify, title, max_grid)
        resolved = _cached(cache, key)
        if resolved is None:
            if definitions is None:
                from plots.resolve import page_definitions

                definitions = page_definitions(text)
            resolved = resolve_fence(fence.body, definitions, title, max_grid)
            cache.put(key, resolved.to_data())
        out.append((fence, resolved))
    return out


@dataclass(frozen=True)
class PageFigure:
    """One surface fence of a page as the build sees it: a figure to draw, or the problem that stops it.
    Lines are file lines."""

    body: str
    figure: Figure | None
    problem: Problem | None
    point_line: int | None = None
    head_line: int = 0
    line: int = 0  # the fence's opening line


def collect_page(path: str, text: str, title: str, max_grid: int, cache: Cache) -> list[PageFigure]:
    """Every surface fence of a page, resolved: the one code path of the build hook and the check command."""
    found = []
    for fence, resolved in resolve_page(text, title, max_grid, cache):
        if resolved.figure is None:
            line = fence.body_line(resolved.error_line) if resolved.error_line is not None else fence.line
            found.append(
                PageFigure(fence.body, None, Problem(path, line, f"surface: {resolved.error}"), line=fence.line)
            )
            continue
        point_line = fence.body_line(resolved.point_line) if resolved.point_line is not None else None
        head_line = fence.body_line(resolved.head_line)
        found.append(PageFigure(fence.body, resolved.figure, None, point_line, head_line, fence.line))
    return found


def draw_problem(path: str, entry: PageFigure, error: str, at_point: bool) -> Problem:
    line = entry.point_line if at_point and entry.point_line else entry.head_line
    return Problem(path, line, f"surface: {error}")


def page_title(text: str, path: str) -> str:
    """The page's title (the figures' caption): front matter ``title``, else the file name."""
    from mathwiki import frontmatter

    meta, _ = frontmatter.read(text, path, topic=False)
    title = meta.data.get("title")
    return title.strip() if isinstance(title, str) and title.strip() else Path(path).stem.replace("-", " ").title()
