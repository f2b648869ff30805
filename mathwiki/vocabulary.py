"""The one list of maths functions the wiki knows: the LaTeX parser, the claims checker and the figures use it.

    FUNCTIONS  name as written (``\\sin``, ``sin``, ``\\operatorname{sech}``) -> SymPy constructor
    NUMERIC    SymPy class -> mpmath function (the checker's high-precision numbers)
    BY_CLASS   SymPy class name -> SymPy class (how a formula travels to the drawing process as JSON)
    ARRAY      SymPy class name -> numpy-friendly function, where ``lambdify``'s own choice is not one

Adding a function is adding one row to ``_TABLE``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import sympy

# (names as written, SymPy constructor, mpmath function)
_TABLE: list[tuple[tuple[str, ...], Any, Callable[..., Any]]] = [
    (("exp",), sympy.exp, mpmath.exp),
    (("ln", "log"), sympy.log, mpmath.log),
    (("sin",), sympy.sin, mpmath.sin),
    (("cos",), sympy.cos, mpmath.cos),
    (("tan",), sympy.tan, mpmath.tan),
    (("cot",), sympy.cot, mpmath.cot),
    (("sec",), sympy.sec, mpmath.sec),
    (("csc",), sympy.csc, mpmath.csc),
    (("arcsin",), sympy.asin, mpmath.asin),
    (("arccos",), sympy.acos, mpmath.acos),
    (("arctan",), sympy.atan, mpmath.atan),
    (("sinh",), sympy.sinh, mpmath.sinh),
    (("cosh",), sympy.cosh, mpmath.cosh),
    (("tanh",), sympy.tanh, mpmath.tanh),
    (("coth",), sympy.coth, mpmath.coth),
    (("sech",), sympy.sech, mpmath.sech),
    (("csch",), sympy.csch, mpmath.csch),
    (("arcsinh",), sympy.asinh, mpmath.asinh),
    (("arccosh",), sympy.acosh, mpmath.acosh),
    (("arctanh",), sympy.atanh, mpmath.atanh),
    (("erf",), sympy.erf, mpmath.erf),
    (("erfc",), sympy.erfc, mpmath.erfc),
    (("sgn", "sign"), sympy.sign, mpmath.sign),
    (("abs",), sympy.Abs, abs),
    (("sqrt",), sympy.sqrt, mpmath.sqrt),  # only as plain letters, sqrt(x): \sqrt has its own rules
]

FUNCTIONS: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    name: constructor for names, constructor, _ in _TABLE for name in names
}
NUMERIC: dict[type, Callable[..., Any]] = {
    constructor: numeric for _, constructor, numeric in _TABLE if isinstance(constructor, type)
}
BY_CLASS: dict[str, Any] = {
    constructor.__name__: constructor for _, constructor, _ in _TABLE if isinstance(constructor, type)
}
BY_CLASS.update(Heaviside=sympy.Heaviside, Max=sympy.Max, Min=sympy.Min)  # produced by SymPy's derivatives
ARRAY: dict[str, Callable[..., Any]] = {"erf": np.vectorize(math.erf), "erfc": np.vectorize(math.erfc)}
