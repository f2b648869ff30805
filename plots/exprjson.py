"""Carry a SymPy expression to the drawing process as JSON, rebuilt from a whitelist, never from text.

The expression was built by the project's safe LaTeX parser; what crosses the process boundary is a tree of
class names and numbers. ``from_json`` only constructs the classes named in ``_FUNCTIONS`` and ``_CONSTANTS``,
so a tampered cache entry or payload can produce a wrong picture at worst, never run code.
"""

from __future__ import annotations

from typing import Any

import sympy

from mathwiki.vocabulary import BY_CLASS

_FUNCTIONS: dict[str, Any] = {"Add": sympy.Add, "Mul": sympy.Mul, "Pow": sympy.Pow, **BY_CLASS}
_CONSTANTS: dict[str, Any] = {
    "pi": sympy.pi,
    "E": sympy.E,
    "NaN": sympy.nan,
    "zoo": sympy.zoo,
    "oo": sympy.oo,
    "-oo": -sympy.oo,
}
MAX_NODES = 20000


class UnsupportedExpression(ValueError):
    """An expression with a part the drawing process does not know how to rebuild."""


def to_json(expr: sympy.Basic) -> Any:
    if expr is sympy.pi:
        return ["pi"]
    if expr is sympy.E:
        return ["E"]
    if expr is sympy.nan:
        return ["NaN"]
    if expr is sympy.zoo:
        return ["zoo"]
    if expr is sympy.oo:
        return ["oo"]
    if expr is -sympy.oo:
        return ["-oo"]
    if expr.is_Integer:
        return ["Integer", str(int(expr))]
    if expr.is_Rational:
        return ["Rational", str(expr.p), str(expr.q)]
    if expr.is_Float:
        return ["Float", repr(float(expr))]
    if expr.is_Symbol:
        return ["Symbol", expr.name]
    name = type(expr).__name__
    if name not in _FUNCTIONS:
        raise UnsupportedExpression(f"cannot draw a formula containing {name}")
    return [name, *[to_json(arg) for arg in expr.args]]


def from_json(tree: Any) -> sympy.Expr:
    count = [0]

    def build(node: Any) -> sympy.Expr:
        count[0] += 1
        if count[0] > MAX_NODES:
            raise UnsupportedExpression("the formula is too large to draw")
        if not isinstance(node, list) or not node or not isinstance(node[0], str):
            raise UnsupportedExpression(f"malformed expression node {node!r}")
        head, rest = node[0], node[1:]
        if head in _CONSTANTS and not rest:
            return _CONSTANTS[head]
        if head == "Integer" and len(rest) == 1:
            return sympy.Integer(int(rest[0]))
        if head == "Rational" and len(rest) == 2:
            return sympy.Rational(int(rest[0]), int(rest[1]))
        if head == "Float" and len(rest) == 1:
            return sympy.Float(float(rest[0]))
        if head == "Symbol" and len(rest) == 1 and isinstance(rest[0], str):
            return sympy.Symbol(rest[0])
        if head in _FUNCTIONS:
            return _FUNCTIONS[head](*[build(arg) for arg in rest])
        raise UnsupportedExpression(f"unknown expression node {head!r}")

    return build(tree)
