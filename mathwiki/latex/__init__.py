# ruff: noqa: E501  (API tables and LaTeX formulas read better on one line)
"""A safe parser for the LaTeX subset of verify fences: page text in, SymPy objects out, nothing evaluated.

    parse_line(line, functions) -> Definition | Claim     # raises LatexError(message, column)
    parse_expression(text, functions) -> sympy.Expr
    python_name(symbol_name) -> str                       # "w_1" -> "w_1", "sigma" -> "sigma", "lambda" -> "lambda_"

Symbol names: ``w_1``/``w_{1}`` -> ``w_1``; ``\\sigma`` -> ``sigma``; ``\\mathrm{LSE}`` -> ``LSE``;
``\\hat{y}`` -> ``y_hat``; ``e`` is Euler's number and ``\\pi`` is pi.
"""

from mathwiki.latex.parser import (
    FUNCTIONS,
    GREEK,
    Claim,
    Definition,
    FunctionDef,
    parse_expression,
    parse_line,
    python_name,
)
from mathwiki.latex.tokens import LatexError, Token, tokenize

__all__ = [
    "FUNCTIONS",
    "GREEK",
    "Claim",
    "Definition",
    "FunctionDef",
    "LatexError",
    "Token",
    "parse_expression",
    "parse_line",
    "python_name",
    "tokenize",
]
