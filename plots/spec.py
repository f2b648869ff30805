"""Read the text of a ```` ```surface ```` fence into plain data, naming the line of every mistake.

This step knows nothing about the formula: it splits lines into the definition (or ``function: NAME``), the
``key: value`` entries, the point, the grid and the title, and reads numbers. Which keys are variables and
which are constants is decided later, against the parsed definition (``plots.resolve``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_DEFINITION = re.compile(r"^[^=:]*\([^=]*\)\s*=(?!=)")
_KEY = re.compile(r"^(?P<key>[^:=]+):(?P<value>.*)$")  # both parts stripped in code: linear time
_NUMBER = re.compile(
    r"""^(?P<sign>[-+\u2212]?)\s*
        (?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)?\s*
        (?P<pi>\\pi|pi|\u03c0)?\s*
        (?:/\s*(?P<den>\d+(?:\.\d*)?))?$""",
    re.VERBOSE,
)
_RESERVED = {"function", "at", "title", "grid"}
DEFAULT_GRID = 60
MIN_GRID = 5


class SpecError(ValueError):
    """A mistake in a surface fence; ``line`` is 0-based in the fence body (``None``: the whole fence)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Entry:
    key: str  # as written: ``x``, ``\sigma``, ``w_1``
    value: str
    line: int  # 0-based in the body


@dataclass(frozen=True)
class RawSpec:
    definition: str | None  # the definition line, when the fence defines its function
    function: str | None  # the name after ``function:``, when it names a verify-fence definition
    head_line: int  # line of the definition or of ``function:``
    entries: tuple[Entry, ...] = ()  # variables and constants, in order
    point: tuple[float, float] | None = None
    point_line: int | None = None
    point_text: str | None = None
    title: str | None = None
    grid: int = DEFAULT_GRID
    grid_line: int | None = None


def parse_number(text: str) -> float:
    """``-2``, ``0.5``, ``1e-3``, ``\\pi``, ``-\\pi/2``, ``2\\pi``; raise ``ValueError`` otherwise."""
    match = _NUMBER.match(text.strip())
    if not match or not (match.group("num") or match.group("pi")):
        raise ValueError(f"expected a number like 2, -0.5 or \\pi/2, found {text.strip()!r}")
    value = float(match.group("num")) if match.group("num") else 1.0
    if match.group("pi"):
        value *= math.pi
    if match.group("den"):
        denominator = float(match.group("den"))
        if denominator == 0:
            raise ValueError(f"division by zero in {text.strip()!r}")
        value /= denominator
    if match.group("sign") in ("-", "\u2212"):
        value = -value
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, found {text.strip()!r}")
    return value


def parse_pair(text: str, opening: str, closing: str, what: str, example: str) -> tuple[float, float]:
    stripped = text.strip()
    if not (stripped[:1] in opening and stripped[-1:] in closing):
        raise ValueError(f"expected {what} like {example}, found {stripped!r}")
    parts = stripped[1:-1].split(",")
    if len(parts) != 2:
        raise ValueError(f"expected {what} of two numbers like {example}, found {stripped!r}")
    return parse_number(parts[0]), parse_number(parts[1])


def parse_range(text: str) -> tuple[float, float]:
    return parse_pair(text, "[", "]", "a range", "[-2, 2]")


def parse_spec(body: str, max_grid: int) -> RawSpec:
    """Split the fence ``body``; raise ``SpecError`` at the first mistake."""
    definition: str | None = None
    function: str | None = None
    head_line: int | None = None
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    point = point_line = point_text = title = grid_line = None
    grid = DEFAULT_GRID

    for index, raw in enumerate(body.splitlines()):
        line = raw.strip()
        if not line:
            continue
        if _DEFINITION.match(line):
            if head_line is not None:
                raise SpecError(
                    f"a surface fence draws one function: found a second definition (the first is on fence "
                    f"line {head_line + 1})",
                    index,
                )
            definition, head_line = line, index
            continue
        match = _KEY.match(line)
        if not match:
            raise SpecError(
                f"cannot read {line!r}: expected a definition like 'f(x, y) = x^2 y', 'function: f', "
                "a range like 'x: [-2, 2]', 'at: (1, 1)' or a constant like 'c: 0.5'",
                index,
            )
        key, value = match.group("key").strip(), match.group("value").strip()
        norm = normalise_name(key)
        if norm in seen:
            raise SpecError(f"'{key}' is given twice (also on fence line {seen[norm] + 1})", index)
        seen[norm] = index
        if not value:
            raise SpecError(f"'{key}:' has no value", index)
        if key == "function":
            if head_line is not None:
                raise SpecError("give either a definition or 'function: NAME', not both", index)
            function, head_line = value, index
        elif key == "at":
            try:
                point = parse_pair(value, "([", ")]", "a point", "(1, 1)")
            except ValueError as exc:
                raise SpecError(f"'at': {exc}", index) from None
            point_line, point_text = index, value.strip()
        elif key == "title":
            title = value
        elif key == "grid":
            if not re.fullmatch(r"\d+", value):
                raise SpecError(f"'grid' must be a whole number of points per axis, found {value!r}", index)
            grid, grid_line = int(value), index
            if grid < MIN_GRID or grid > max_grid:
                raise SpecError(
                    f"'grid: {grid}' is out of bounds: use between {MIN_GRID} and {max_grid} points per axis",
                    index,
                )
        else:
            entries.append(Entry(key, value, index))

    if head_line is None:
        raise SpecError(
            "the surface fence has no function: start it with a definition like 'f(x, y) = x^2 y + 3y' "
            "or name one defined in a verify fence on this page, like 'function: f'",
            0,
        )
    return RawSpec(
        definition=definition,
        function=function,
        head_line=head_line,
        entries=tuple(entries),
        point=point,
        point_line=point_line,
        point_text=point_text,
        title=title,
        grid=grid,
        grid_line=grid_line,
    )


def normalise_name(text: str) -> str:
    """How names compare: ``\\sigma`` -> ``sigma``, ``w_{1}`` -> ``w_1``, ``\\mathrm{LSE}`` -> ``LSE``."""
    text = re.sub(r"\\(?:mathrm|operatorname|text|mathit)\s*", "", text)
    return re.sub(r"[\\{}\s]", "", text)
