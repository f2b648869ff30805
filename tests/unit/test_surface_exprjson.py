"""Expressions cross to the drawing process as a whitelisted tree: round trip, and nothing else gets built."""

from __future__ import annotations

import pytest
import sympy

from plots.exprjson import UnsupportedExpression, from_json, to_json

x, y = sympy.symbols("x y")


@pytest.mark.parametrize(
    "expr",
    [
        x**2 * y + 3 * y,
        sympy.exp(-(x**2) - y**2) * sympy.sin(x) / (1 + sympy.Rational(1, 3) * y),
        sympy.log(1 + sympy.exp(x)) - sympy.tanh(y) + sympy.pi + sympy.E + sympy.Float(0.25),
        sympy.sqrt(x**2 + y**2) + sympy.Abs(x) + sympy.atan(y),
    ],
)
def test_round_trip(expr: sympy.Expr) -> None:
    assert sympy.simplify(from_json(to_json(expr)) - expr) == 0


def test_unknown_classes_are_refused_both_ways() -> None:
    with pytest.raises(UnsupportedExpression):
        to_json(sympy.Function("g")(x))
    for tree in (["eval", ["Symbol", "x"]], ["Symbol"], "x", [], ["Integer", "1", "2"]):
        with pytest.raises(UnsupportedExpression):
            from_json(tree)
