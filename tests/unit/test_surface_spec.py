"""The surface fence's spec: good specs resolve to the expected figure, bad ones name their line."""

from __future__ import annotations

import math

import pytest
import sympy

from plots.exprjson import from_json
from plots.resolve import page_definitions, resolve
from plots.spec import SpecError, parse_number, parse_spec

PAGE = """\
---
title: Linear Regression
---

```verify
L(w, b) = (y - (wx + b))^2
\\frac{\\partial L}{\\partial w} = -2x (y - (wx + b))
\\sigma(z) = \\frac{1}{1 + e^{-z}}
g(x) = x^2
```
"""


def _figure(body: str, page: str = PAGE):
    return resolve(parse_spec(body, 400), page_definitions(page), "Page Title")


def test_definition_in_the_fence() -> None:
    figure = _figure("f(x, y) = x^2 y + 3y\nx: [-2, 2]\ny: [-2, 2]\nat: (1, 1)")
    x, y = sympy.symbols("x y")
    assert sympy.simplify(from_json(figure.f) - (x**2 * y + 3 * y)) == 0
    assert sympy.simplify(from_json(figure.fx) - 2 * x * y) == 0
    assert sympy.simplify(from_json(figure.fy) - (x**2 + 3)) == 0
    assert figure.var_names == ("x", "y")
    assert figure.ranges == ((-2.0, 2.0), (-2.0, 2.0))
    assert figure.point == (1.0, 1.0)
    assert figure.title == "Page Title"
    assert figure.grid == 60


def test_function_named_from_a_verify_fence_with_constants() -> None:
    figure = _figure("function: L\nw: [-1, 2]\nb: [-1, 1]\nx: 2\ny: 3\nat: (0.5, 0)\ngrid: 30\ntitle: Loss")
    w, b = sympy.symbols("w b")
    assert figure.var_names == ("w", "b")
    assert sympy.simplify(from_json(figure.f) - (3 - (2 * w + b)) ** 2) == 0
    assert sympy.simplify(from_json(figure.fx) + 4 * (3 - (2 * w + b))) == 0
    assert figure.constants == (("x", 2.0, "2"), ("y", 3.0, "3"))
    assert figure.definition_tex == "L(w, b) = (y - (wx + b))^2"
    assert (figure.grid, figure.title) == (30, "Loss")


def test_greek_names_and_functions_defined_earlier() -> None:
    figure = _figure("h(\\theta, w_1) = \\sigma(\\theta w_1)\n\\theta: [-\\pi, \\pi]\nw_{1}: [0, 1]")
    assert figure.var_names == ("theta", "w_1")
    assert figure.var_tex == ("\\theta", "w_{1}")
    assert figure.ranges[0] == pytest.approx((-math.pi, math.pi))


def test_same_spec_same_identity() -> None:
    body = "f(x, y) = x y\nx: [-2, 2]\ny: [-2, 2]"
    assert _figure(body).identity() == _figure(body).identity()
    assert _figure(body).identity() != _figure(body + "\nat: (0, 0)").identity()


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("function: q\nx: [-2, 2]\ny: [-2, 2]", 0, "no verify fence on this page defines a function 'q'"),
        ("function: g\nx: [-2, 2]", 0, "exactly two variables; 'g' has 1"),
        ("f(x, y, z) = x y z\nx: [-1, 1]\ny: [-1, 1]\nz: [-1, 1]", 0, "exactly two variables"),
        ("f(x, y) = x y\nx: [-2, 2]", 0, "missing range for 'y'"),
        ("f(x, y) = x y\nx: [2, -2]\ny: [-2, 2]", 1, "reversed"),
        ("f(x, y) = x y\nx: [1, 1]\ny: [-2, 2]", 1, "is empty"),
        ("f(x, y) = x y\nx: [a, 2]\ny: [-2, 2]", 1, "expected a number"),
        ("f(x, y) = x y\nx: -2, 2\ny: [-2, 2]", 1, "expected a range like [-2, 2]"),
        ("f(x, y) = c x y\nx: [-2, 2]\ny: [-2, 2]", 0, "the formula uses 'c'; give it a value, e.g. `c: 1`"),
        ("f(x, y) = a b x y\nx: [-2, 2]\ny: [-2, 2]\nb: 1", 0, "the formula uses 'a'"),
        ("f(x, y) = x y\nx: [-2, 2]\ny: [-2, 2]\nk: 3", 3, "'k' is not a variable or constant of f"),
        ("f(x, y) = x y\nx: [-2, 2]\ny: [-2, 2]\nat: (3, 0)", 3, "outside the ranges"),
        ("f(x, y) = x y\nx: [-2, 2]\ny: [-2, 2]\nat: 3", 3, "expected a point like (1, 1)"),
        ("f(x, y) = x y\nx: [-2, 2]\ny: [-2, 2]\ngrid: 401", 3, "out of bounds"),
        ("f(x, y) = x y\nx: [-2, 2]\ny: [-2, 2]\ngrid: fine", 3, "whole number"),
        ("f(x, y) = x y\nx: [-2, 2]\nx: [-1, 1]\ny: [-2, 2]", 2, "given twice"),
        ("x: [-2, 2]\ny: [-2, 2]", 0, "has no function"),
        ("f(x, y) = x y\nthis is prose", 1, "cannot read"),
        ("f(x, y) = x \\foo y\nx: [-2, 2]\ny: [-2, 2]", 0, "cannot read the definition"),
        ("f(x, y) = x y\ng(x, y) = x\nx: [-2, 2]", 1, "one function"),
        ("f(x, y) = x y\nfunction: L", 1, "not both"),
        ("f(x, y) = x y\nx:\ny: [-2, 2]", 1, "has no value"),
    ],
)
def test_bad_specs(body: str, line: int, words: str) -> None:
    with pytest.raises(SpecError) as caught:
        _figure(body)
    assert words in caught.value.message
    assert caught.value.line == line


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", 2.0),
        ("-0.5", -0.5),
        ("1e-3", 1e-3),
        ("\\pi", math.pi),
        ("-\\pi/2", -math.pi / 2),
        ("2\\pi", 2 * math.pi),
    ],
)
def test_numbers(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "x", "1/0", "__import__('os')", "1e999"])
def test_bad_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)
