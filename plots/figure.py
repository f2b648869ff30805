"""``Figure``: one resolved surface fence, as plain data, without SymPy.

Kept apart from ``plots.resolve`` (which builds it with SymPy) so the build's warm path, the HTML writer and the
drawing pipeline can handle figures without importing SymPy. ``to_data``/``from_data`` carry a figure through the
resolution cache as JSON, exactly: ``Figure.from_data(json.loads(json.dumps(f.to_data()))) == f``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One figure to draw; ``identity()`` is what its cache key is made of."""

    name_tex: str  # LaTeX of the function's name: ``f``, ``\\sigma``, ``\\mathrm{LSE}``
    definition_tex: str  # the definition line: ``f(x, y) = x^2 y + 3y``
    var_names: tuple[str, str]  # SymPy names, in the order of the definition
    var_tex: tuple[str, str]  # LaTeX of the variables, as the fence wrote their ranges
    ranges: tuple[tuple[float, float], tuple[float, float]]
    range_tex: tuple[str, str]
    point: tuple[float, float] | None
    point_tex: str | None
    constants: tuple[tuple[str, float, str], ...]  # (LaTeX name, value, value as written)
    grid: int
    title: str
    f: list = field(hash=False)  # JSON trees (plots.exprjson), constants substituted
    fx: list = field(hash=False)
    fy: list = field(hash=False)

    def payload(self) -> dict:
        return {
            "name_tex": self.name_tex,
            "definition_tex": self.definition_tex,
            "var_names": list(self.var_names),
            "var_tex": list(self.var_tex),
            "ranges": [list(r) for r in self.ranges],
            "point": list(self.point) if self.point is not None else None,
            "constants": [list(c) for c in self.constants],
            "grid": self.grid,
            "title": self.title,
            "f": self.f,
            "fx": self.fx,
            "fy": self.fy,
        }

    def identity(self) -> str:
        return json.dumps(self.payload(), sort_keys=True, separators=(",", ":"))

    def to_data(self) -> dict[str, Any]:
        """Every field, as JSON-able data (``payload()`` leaves out what only the caption needs)."""
        return self.payload() | {"range_tex": list(self.range_tex), "point_tex": self.point_tex}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Figure:
        """The inverse of ``to_data``; raise ``KeyError``, ``TypeError`` or ``ValueError`` on another shape."""
        point = data["point"]
        point_tex = data["point_tex"]
        return cls(
            name_tex=_str(data["name_tex"]),
            definition_tex=_str(data["definition_tex"]),
            var_names=_pair(data["var_names"], _str),
            var_tex=_pair(data["var_tex"], _str),
            ranges=_pair(data["ranges"], lambda r: _pair(r, _float)),
            range_tex=_pair(data["range_tex"], _str),
            point=_pair(point, _float) if point is not None else None,
            point_tex=_str(point_tex) if point_tex is not None else None,
            constants=tuple((_str(tex), _float(value), _str(text)) for tex, value, text in data["constants"]),
            grid=_int(data["grid"]),
            title=_str(data["title"]),
            f=_list(data["f"]),
            fx=_list(data["fx"]),
            fy=_list(data["fy"]),
        )


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, found {value!r}")
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, found {value!r}")
    return float(value)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, found {value!r}")
    return value


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, found {value!r}")
    return value


def _pair(value: Any, item: Any) -> Any:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError(f"expected a pair, found {value!r}")
    return item(value[0]), item(value[1])
