"""The LaTeX parser: expressions to SymPy, definitions and claims, and hostile input refused quickly."""

from __future__ import annotations

import time

import pytest
import sympy

from mathwiki.latex import (
    Claim,
    Definition,
    FunctionDef,
    LatexError,
    parse_expression,
    parse_line,
    python_name,
)

x, y, z, w, b, a, t = sympy.symbols("x y z w b a t")
E, pi = sympy.E, sympy.pi
S = sympy.Symbol

SIGMOID = FunctionDef("sigma", (z,), 1 / (1 + sympy.exp(-z)), 1)
F2 = FunctionDef("f", (x, y), x**2 * y, 1)
FUNCTIONS = {
    "sigma": SIGMOID,
    "f": F2,
    "LSE": FunctionDef("LSE", (S("z_1"), S("z_2")), sympy.log(S("z_1") + S("z_2"))),
}

EXPRESSIONS = [
    (r"2xy", 2 * x * y),
    (r"x^2 y", x**2 * y),
    (r"-2x (y - (wx + b))", -2 * x * (y - (w * x + b))),
    (r"x(y + 1)", x * (y + 1)),
    (r"\frac{a}{b}", a / b),
    (r"\frac12", sympy.Rational(1, 2)),
    (r"\frac1x", 1 / x),
    (r"\dfrac{x}{2} + \tfrac{1}{3}", x / 2 + sympy.Rational(1, 3)),
    (r"3 \cdot x \times y", 3 * x * y),
    (r"x * y / 2", x * y / 2),
    (r"\left( x + 1 \right)^2", (x + 1) ** 2),
    (r"\left[ x \right]", x),
    (r"\left\{ x + 1 \right\} y", (x + 1) * y),
    (r"{x + 1}^{2}", (x + 1) ** 2),
    (r"x^{2}", x**2),
    (r"x^23", None),  # error: x^2 then a bare number
    (r"x_1 + x_{12} + w_{i}", S("x_1") + S("x_12") + S("w_i")),
    (r"x_1^2", S("x_1") ** 2),
    (r"\sqrt{x}", sympy.sqrt(x)),
    (r"\sqrt[3]{x}", x ** sympy.Rational(1, 3)),
    (r"\sqrt x", sympy.sqrt(x)),
    (r"e^{x}", sympy.exp(x)),
    (r"e^x", sympy.exp(x)),
    (r"e", E),
    (r"e_1", S("e_1")),
    (r"\exp(-x^2)", sympy.exp(-(x**2))),
    (r"\mathrm{e}^{2x}", sympy.exp(2 * x)),
    (r"\ln x", sympy.log(x)),
    (r"\log(x + 1)", sympy.log(x + 1)),
    (r"\ln 2x", sympy.log(2 * x)),
    (r"\log_2 x", sympy.log(x) / sympy.log(2)),
    (r"\ln x + 1", sympy.log(x) + 1),
    (r"\sin x \cos x", sympy.sin(x) * sympy.cos(x)),
    (r"\sin 2x", sympy.sin(2 * x)),
    (r"\sin\theta", sympy.sin(S("theta"))),
    (r"\sin^2(x)", sympy.sin(x) ** 2),
    (r"\sin(x)^2", sympy.sin(x) ** 2),
    (r"\tanh^2 z", sympy.tanh(z) ** 2),
    (r"\tanh z (1 - z)", sympy.tanh(z) * (1 - z)),
    (r"\cos^{3}(x)", sympy.cos(x) ** 3),
    (r"\tan x + \arctan x", sympy.tan(x) + sympy.atan(x)),
    (r"\sinh x + \cosh x", sympy.sinh(x) + sympy.cosh(x)),
    (r"\alpha + \beta\gamma", S("alpha") + S("beta") * S("gamma")),
    (r"\ell + \lambda", S("ell") + S("lambda")),
    (r"\varepsilon", S("epsilon")),
    (r"\theta_1", S("theta_1")),
    (r"\pi r^2", pi * S("r") ** 2),
    (r"\hat{y} - y", S("y_hat") - y),
    (r"2\,x\;y\!", 2 * x * y),
    (r"0.5x", x / 2),
    (r"-x^2", -(x**2)),
    (r"x - -y", None),
    (r"a \cdot -b", -a * b),
    (r"\sigma(z)(1 - \sigma(z))", SIGMOID.expr * (1 - SIGMOID.expr)),
    (r"\sigma(wx + b)", SIGMOID.expr.subs(z, w * x + b)),
    (r"f(y, x)", y**2 * x),
    (r"\mathrm{LSE}(a, b)", sympy.log(a + b)),
    (r"\frac{\frac{1}{x}}{2}", 1 / (2 * x)),
    (r"\frac{e^{z_1}}{e^{z_1} + e^{z_2}}", sympy.exp(S("z_1")) / (sympy.exp(S("z_1")) + sympy.exp(S("z_2")))),
]


@pytest.mark.parametrize(("text", "expected"), EXPRESSIONS)
def test_expression(text: str, expected: sympy.Expr | None) -> None:
    if expected is None:
        with pytest.raises(LatexError):
            parse_expression(text, FUNCTIONS)
        return
    got = parse_expression(text, FUNCTIONS)
    assert got == expected or sympy.simplify(got - expected) == 0


def test_definition() -> None:
    node = parse_line(r"L(w, b) = (y - (wx + b))^2")
    assert isinstance(node, Definition)
    assert node.name == "L" and node.params == (w, b)
    assert sympy.expand(node.expr - (y - w * x - b) ** 2) == 0


def test_definition_names() -> None:
    assert parse_line(r"\sigma(z) = z").name == "sigma"  # type: ignore[union-attr]
    assert parse_line(r"\mathrm{LSE}(z_1, z_2) = z_1").name == "LSE"  # type: ignore[union-attr]
    assert parse_line(r"f_1(w_{1}) = w_1").params == (S("w_1"),)  # type: ignore[union-attr]
    # a parameter shadows a function of the same name defined earlier
    node = parse_line(r"p(x, \sigma) = \sigma x", FUNCTIONS)
    assert node.expr == S("sigma") * x  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "name", "variables", "partial"),
    [
        (r"\frac{\partial f}{\partial x} = 1", "f", ("x",), True),
        (r"\frac{d f}{d x} = 1", "f", ("x",), False),
        (r"\frac{df}{dx} = 1", "f", ("x",), False),
        (r"\frac{\mathrm{d} f}{\mathrm{d} x} = 1", "f", ("x",), False),
        (r"\frac{\partial^2 f}{\partial x^2} = 1", "f", ("x", "x"), True),
        (r"\frac{\partial^2 f}{\partial x \partial y} = 1", "f", ("x", "y"), True),
        (r"\frac{d^2 f}{d x^2} = 1", "f", ("x", "x"), False),
        (r"\frac{\partial \ell}{\partial \mu} = 1", "ell", ("mu",), True),
        (r"\frac{\partial L}{\partial w_1} = 1", "L", ("w_1",), True),
        (r"\frac{\partial \mathrm{LSE}}{\partial z_{1}} = 1", "LSE", ("z_1",), True),
        (r"\frac{d\sigma}{dz} = 1", "sigma", ("z",), False),
    ],
)
def test_claim_heads(text: str, name: str, variables: tuple[str, ...], partial: bool) -> None:
    node = parse_line(text, FUNCTIONS)
    assert isinstance(node, Claim)
    assert (node.name, node.variables, node.partial) == (name, variables, partial)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (r"\frac{\partial^2 f}{\partial x} = 1", "order 2 but the denominator has 1"),
        (r"\frac{f}{x} = 1", "expected '\\partial' or 'd'"),
        (r"f(x) = ", "expected a number, a letter"),
        (r"f(x, x) = 1", "appears twice"),
        (r"f(e) = e", "Euler"),
        (r"\sigma + 1 = 2", "expected '('"),
        (r"f(x) = \sigma + 1", "function defined on line 1"),
        (r"f(x) = \mathrm{ReLU}(x)", "unknown function 'ReLU'"),
        (r"f(x) = \sum x", "sums"),
        (r"f(x) = \foo x", "unsupported command '\\foo'"),
        (r"f(x) = (x + 1", "expected ')' to close the '('"),
        (r"f(x) = x^^2", "after '^'"),
        (r"f(x) = x^2^3", "double superscript"),
        (r"f(x) = \sin^{-1} x", "ambiguous"),
        (r"g(x) = f(x)", "takes 2 argument(s)"),
    ],
)
def test_errors_say_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(LatexError) as info:
        parse_line(text, FUNCTIONS)
    assert message in str(info.value)


HOSTILE = [
    ("__import__('os').system('touch /tmp/pwned')", "unexpected character"),
    ("x.__class__", "unexpected character '.' at column 2"),
    ("`ls`", "unexpected character '`' at column 1"),
    ("lambda: 1", "unexpected character ':'"),
    ("x; import os", "unexpected character ';'"),
    ("x^{10^{10}}", "exponent too large"),
    ("x^{9^{9^{9}}}", "exponent too large"),
    ("{9^{999}}^{999}", "number too large"),
    ("x^{10000000 y}", "number too large in an exponent"),
    ("(" * 300 + "x" + ")" * 300, "nested too deeply"),
    ("\\frac{" * 150 + "x" + "}{2}" * 150, "nested too deeply"),
    ("\\frac" * 150 + "1" * 151, "nested too deeply"),
    ("x" * 100_000, "line too long"),
    ("x+" * 900 + "x", "formula too long"),
    ("\\sqrt" * 300 + "{x}", "nested too deeply"),
    ("e^" * 200 + "x", "double superscript"),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE, ids=[h[0][:20] for h in HOSTILE])
def test_hostile_input_rejected_quickly(text: str, message: str, tmp_path) -> None:
    started = time.perf_counter()
    with pytest.raises(LatexError) as info:
        parse_expression(text)
    assert time.perf_counter() - started < 1.0
    assert message in str(info.value)
    assert not (tmp_path / "pwned").exists()


def test_python_name() -> None:
    assert python_name("w_1") == "w_1"
    assert python_name("sigma") == "sigma"
    assert python_name("LSE") == "LSE"
    assert python_name("lambda") == "lambda_"
