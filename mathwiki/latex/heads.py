# ruff: noqa: E501  (LaTeX notation reads better on one line)
"""The heads of verify lines: which derivative a line claims, in the notations people write.

    \\frac{df}{dx}  \\dfrac  \\tfrac  \\frac{\\mathrm{d} f}{\\mathrm{d} x}  {d \\over dx}  dy/dx  \\frac{df(x)}{dx}
    \\frac{df}{dx}(x)   f'(x)  f''(x)  f^{\\prime}(x)  y'   f_x  f_{xy}  L_w   \\partial_x f  \\partial_{x} f(x, y)
    \\frac{d}{dx} f(x)  \\frac{\\partial}{\\partial x} f(x, y)  \\frac{d}{dx}\\left(x^2 \\sin x\\right)   (operator forms)
    \\nabla f = (2xy, x^2)  \\nabla f = \\begin{bmatrix} ... \\end{bmatrix}  \\nabla^2 f = \\begin{bmatrix} ... \\end{bmatrix}

``read_line`` tries each head in turn; a line with none is a definition. Every head ends in the same tail:
optional arguments the derivative is taken at, then ``=`` and one or more right sides (a chain ``= a = b``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import sympy

from mathwiki.latex.tokens import LatexError, Token

if TYPE_CHECKING:
    from mathwiki.latex.parser import Claim, Definition, FunctionDef, _Parser
else:
    Claim = Definition = FunctionDef = _Parser = object

MAX_ENTRIES = 36  # a 6 x 6 Hessian


def read_line(p: _Parser, previous: Claim | None) -> Definition | Claim:
    if p.at("end"):
        raise LatexError("empty line")
    if p.at_op("="):
        return _continuation(p, previous)
    parts = _top_level_parts(p)
    if parts is not None:
        return _several(p, parts)
    for head in (_frac, _over, _slash, _partial_subscript, _nabla, _prime, _prime_of_expression, _subscript):
        save = p.pos
        claim = head(p)
        if claim is not None:
            return claim
        p.pos = save
    return p.definition()


def _top_level_parts(p: _Parser) -> list[list[Token]] | None:
    """``\\frac{d}{dx}\\sin x = \\cos x, \\quad \\frac{d}{dx}\\cos x = -\\sin x``: claims separated by commas
    outside any bracket, each with its own '='. None when the line is one statement."""
    depth, env = 0, 0
    parts: list[list[Token]] = [[]]
    equals = [0]
    for t in p.tokens[:-1]:
        if t.kind == "op" and t.text in "([{":
            depth += 1
        elif t.kind == "op" and t.text in ")]}":
            depth -= 1
        elif t.kind == "cmd" and t.text == "begin":
            env += 1
        elif t.kind == "cmd" and t.text == "end":
            env -= 1
        if depth == 0 and env == 0 and t.kind == "op" and t.text == ",":
            parts.append([])
            equals.append(0)
            continue
        if depth == 0 and t.kind == "op" and t.text == "=":
            equals[-1] += 1
        parts[-1].append(t)
    if len(parts) < 2 or any(count == 0 for count in equals) or any(not part for part in parts):
        return None
    return parts


def _several(p: _Parser, parts: list[list[Token]]) -> Claim:
    from mathwiki.latex.parser import Definition as DefinitionClass
    from mathwiki.latex.parser import _Parser as ParserClass

    claims: list[Claim] = []
    for number, part in enumerate(parts):
        end = Token("end", "", part[-1].col + len(part[-1].text) + 1)
        sub = ParserClass(p.line, p.functions, tokens=[*part, end])
        node = read_line(sub, None)
        if isinstance(node, DefinitionClass):
            raise LatexError("one definition per line: put each on its own line", part[0].col)
        if node.entries:
            raise LatexError("a gradient or Hessian must be alone on its line", part[0].col)
        claims.append(replace(node, where=f"claim {number + 1}"))
    first = claims[0]
    return replace(first, entries=tuple(claims), group=True)


def _claim_class() -> type[Claim]:
    from mathwiki.latex.parser import Claim

    return Claim


def _continuation(p: _Parser, previous: Claim | None) -> Claim:
    if previous is None:
        raise LatexError("a line starting with '=' continues a claim, but no claim comes before it", p.peek.col)
    if previous.entries:
        raise LatexError("a gradient or Hessian cannot be continued on the next line", p.peek.col)
    function = p.functions.get(previous.name) if not previous.operator else None
    if function is not None:
        p.own = function
        p.shadowed = frozenset(q.name for q in function.params)
    sides = p.sides()
    return replace(previous, expr=sides[0], steps=sides)


# -- the tails -------------------------------------------------------------------------------------------


def _named(p: _Parser, name: str, variables: tuple[str, ...], partial: bool, at: list | None = None) -> Claim:
    """The rest of a claim about a named function: arguments it is taken at, then the right sides."""
    function = p.functions.get(name)
    params = function.params if function is not None else ()
    p.shadowed = frozenset(q.name for q in params)
    if at is None and p.at_op("("):
        at = p.arguments()
    point = _point(at, params, name, p)
    p.own = function
    sides = p.sides()
    return _claim_class()(name, variables, partial, sides[0], sides, at=point, function=function)


def _point(at: list | None, params: tuple, name: str, p: _Parser) -> tuple[sympy.Expr, ...] | None:
    if at is None or list(at) == list(params):
        return None
    if params and len(at) != len(params):
        raise LatexError(
            f"'{name}' takes {len(params)} argument(s) ({', '.join(q.name for q in params)}), found {len(at)}",
            p.peek.col,
        )
    return tuple(at)


def _operator(p: _Parser, variables: tuple[str, ...], partial: bool) -> Claim:
    """``\\frac{d}{dx}`` followed by what it applies to: a defined function's name, or any expression."""
    save = p.pos
    t = p.peek
    if t.kind in ("letter", "cmd"):
        try:
            name = p.name("a function")
        except LatexError:
            name = ""
        function = p.functions.get(name)
        if function is not None and p.at_op("="):
            return _named(p, name, variables, partial)
        if function is not None and p.at_op("("):
            p.shadowed = frozenset(q.name for q in function.params)
            at = p.arguments()
            p.shadowed = frozenset()
            if list(at) == list(function.params) and p.at_op("="):
                return _named(p, name, variables, partial)
            # f(2x): the derivative of the composition, read as an expression below
    p.pos = save
    start = p.pos
    target = p.expr()
    if not p.at_op("="):
        raise p.fail("'=' after the expression being differentiated")
    text = p.text_between(start, p.pos)
    sides = p.sides()
    return _claim_class()(text, variables, partial, sides[0], sides, target=target, operator=True)


def _denominator(p: _Parser, partial: bool, closer: str | None) -> tuple[str, ...]:
    """``dx``, ``dx^2``, ``\\partial x \\partial y``: the variables, one per differentiation."""
    variables: list[str] = []
    symbol = "'\\partial'" if partial else "'d'"
    while True:
        if closer is not None and p.at_op(closer):
            break
        if not p.differential(partial):
            if closer is None and variables:
                break
            raise p.fail(f"{symbol} before each variable in the denominator")
        variable = p.name("a variable name")
        variables.extend([variable] * p.order())
    if not variables:
        raise p.fail("a variable in the denominator")
    return tuple(variables)


def _check_order(order: int, variables: tuple[str, ...], p: _Parser) -> None:
    if len(variables) != order:
        raise LatexError(
            f"the numerator says order {order} but the denominator has {len(variables)} variable(s)", p.peek.col
        )


def _numerator(p: _Parser, closer: str) -> tuple[bool, int, str | None, list | None]:
    """``d``, ``d^2 f``, ``\\partial f``, ``df(x)``: (partial, order, name or None, arguments or None)."""
    partial = p.at("cmd", "partial")
    if not p.differential(partial):
        raise p.fail("'\\partial' or 'd' at the start of the derivative (like \\frac{\\partial f}{\\partial x})")
    order = p.order()
    if p.at_op(closer) or (closer == "over" and p.at("cmd", "over")):
        return partial, order, None, None
    name = p.name("the name of the function being differentiated")
    at = None
    if p.at_op("("):
        function = p.functions.get(name)
        p.shadowed = frozenset(q.name for q in function.params) if function else frozenset()
        at = p.arguments()
    return partial, order, name, at


# -- the heads -------------------------------------------------------------------------------------------


def _frac(p: _Parser) -> Claim | None:
    from mathwiki.latex.parser import _FRACS

    if not (p.at("cmd") and p.peek.text in _FRACS):
        return None
    p.advance()
    p.expect_op("{", " after '\\frac' (a claim starts like \\frac{\\partial f}{\\partial x} = ...)")
    partial, order, name, at = _numerator(p, "}")
    p.expect_op("}", " after the function name in the derivative's numerator")
    p.expect_op("{", " for the derivative's denominator")
    variables = _denominator(p, partial, "}")
    p.advance()
    _check_order(order, variables, p)
    return _after_head(p, name, at, variables, partial)


def _after_head(p: _Parser, name: str | None, at: list | None, variables: tuple[str, ...], partial: bool) -> Claim:
    """What follows a fraction head: an operator's argument, or the tail of a named claim. ``df(2x)/dx`` in
    the numerator is the derivative of the composition, not f' taken at 2x."""
    if name is None:
        return _operator(p, variables, partial)
    function = p.functions.get(name)
    if at is not None and function is not None and list(at) != list(function.params):
        if len(at) != len(function.params):
            raise LatexError(f"'{name}' takes {len(function.params)} argument(s), found {len(at)}", p.peek.col)
        target = function.expr.xreplace(dict(zip(function.params, at, strict=True)))
        p.shadowed = frozenset()
        sides = p.sides()
        text = f"{name}({', '.join(sympy.latex(a) for a in at)})"
        return _claim_class()(text, variables, partial, sides[0], sides, target=target, operator=True)
    return _named(p, name, variables, partial, at)


def _over(p: _Parser) -> Claim | None:
    """``{d \\over dx} f(x)`` and ``{df \\over dx}``."""
    if not p.at_op("{") or not any(t.kind == "cmd" and t.text == "over" for t in p.tokens):
        return None
    p.advance()
    partial, order, name, at = _numerator(p, "over")
    if not p.at("cmd", "over"):
        raise p.fail("'\\over' between the numerator and the denominator")
    p.advance()
    variables = _denominator(p, partial, "}")
    p.advance()
    _check_order(order, variables, p)
    return _after_head(p, name, at, variables, partial)


def _slash(p: _Parser) -> Claim | None:
    """``dy/dx``, ``d^2y/dx^2``, ``\\partial f/\\partial x``, ``d/dx (x^2)``."""
    partial = p.at("cmd", "partial")
    if not p.differential(partial):
        return None
    try:
        order = p.order()
        name = None
        if not p.at_op("/"):
            name = p.name("a name")
        if not p.at_op("/"):
            return None
    except LatexError:
        return None
    p.advance()
    variables = _denominator(p, partial, None)
    _check_order(order, variables, p)
    if name is None:
        return _operator(p, variables, partial)
    return _named(p, name, variables, partial)


def _partial_subscript(p: _Parser) -> Claim | None:
    """``\\partial_x f``, ``\\partial_{x} f(x, y)``, ``\\partial_x \\partial_y f``, ``\\partial_{xy} f``."""
    if not (p.at("cmd", "partial") and p.ahead().kind == "op" and p.ahead().text == "_"):
        return None
    variables: list[str] = []
    while p.at("cmd", "partial") and p.ahead().text == "_":
        p.advance()
        p.advance()
        if p.at_op("{"):
            p.advance()
            while not p.at_op("}"):
                variables.append(p.name("a variable name"))
            p.advance()
        else:
            variables.append(p.base_name("a variable name"))
    return _operator(p, tuple(variables), True)


def _nabla(p: _Parser) -> Claim | None:
    """``\\nabla f = (...)`` (gradient, a row or a column) and ``\\nabla^2 f = \\begin{bmatrix}...`` (Hessian)."""
    if not p.at("cmd", "nabla"):
        return None
    col = p.advance().col
    hessian = False
    if p.at_op("^"):
        p.advance()
        order = p.single("'\\nabla^'")
        if order != 2:
            raise LatexError("only \\nabla (the gradient) and \\nabla^2 (the Hessian) are supported", col)
        hessian = True
    function: FunctionDef | None
    if p.at_op("("):  # \nabla (x^2 + y^2): the gradient in every letter of the expression
        target = p.group("(", ")")
        symbols = tuple(sorted(target.free_symbols, key=lambda s: s.name))
        if not symbols:
            raise LatexError("the expression after '\\nabla' has no variables", col)
        from mathwiki.latex.parser import FunctionDef as FunctionClass

        text = p.line[col - 1 : p.peek.col - 1].strip()
        function = FunctionClass(text, symbols, target, 0, implicit=False)
        name = text
    else:
        name = p.name("the name of a function after '\\nabla'")
        function = p.functions.get(name)
    if function is None:
        raise LatexError(f"unknown function '{name}' (define it first, like {name}(x, y) = ...)", col)
    params = function.params
    p.shadowed = frozenset(q.name for q in params)
    if p.at_op("("):
        at = p.arguments()
        if list(at) != list(params):
            raise LatexError("a gradient can be claimed only at the function's own variables", col)
    p.expect_op("=", " after the gradient")
    p.own = function
    rows = _vector_or_matrix(p)
    p.finish()
    n = len(params)
    make = _claim_class()
    entries: list[Claim] = []
    if hessian:
        if len(rows) != n or any(len(r) != n for r in rows):
            raise LatexError(f"the Hessian of {name} has {n}×{n} entries; found {_shape(rows)}", col)
        for i, row in enumerate(rows):
            for j, entry in enumerate(row):
                where = f"row {i + 1}, column {j + 1}"
                variables = (params[i].name, params[j].name)
                entries.append(make(name, variables, True, entry, (entry,), where=where, function=function))
    else:
        flat = [e for r in rows for e in r] if (len(rows) == 1 or all(len(r) == 1 for r in rows)) else None
        if flat is None or len(flat) != n:
            raise LatexError(f"the gradient of {name} has {n} entries, one per variable; found {_shape(rows)}", col)
        for i, entry in enumerate(flat):
            where = f"entry {i + 1}"
            entries.append(make(name, (params[i].name,), True, entry, (entry,), where=where, function=function))
    first = entries[0]
    return make(name, first.variables, True, first.expr, (first.expr,), entries=tuple(entries), function=function)


def _shape(rows: list[list[sympy.Expr]]) -> str:
    return f"{len(rows)}×{max(len(r) for r in rows)}" if rows else "none"


def _vector_or_matrix(p: _Parser) -> list[list[sympy.Expr]]:
    from mathwiki.latex.parser import _MATRICES

    if p.at_op("(", "["):
        closer = ")" if p.advance().text == "(" else "]"
        items = [p.expr()]
        while p.at_op(","):
            p.advance()
            items.append(p.expr())
        p.expect_op(closer, " to close the vector")
        return [items]
    if not p.at("cmd", "begin"):
        raise p.fail("a vector like (a, b) or a \\begin{bmatrix} ... \\end{bmatrix}")
    p.advance()
    kind = p.braced_word("begin")
    if kind not in _MATRICES:
        raise LatexError(f"'\\begin{{{kind}}}' is not supported here: use bmatrix or pmatrix", p.peek.col)
    rows: list[list[sympy.Expr]] = [[]]
    while True:
        rows[-1].append(p.expr())
        if len([e for r in rows for e in r]) > MAX_ENTRIES:
            raise LatexError(f"matrix too large (at most {MAX_ENTRIES} entries)", p.peek.col)
        if p.at_op("&"):
            p.advance()
        elif p.at_op("\\"):
            p.advance()
            if p.at("cmd", "end"):
                break
            rows.append([])
        elif p.at("cmd", "end"):
            break
        else:
            raise p.fail("'&', '\\\\' or '\\end' in the matrix")
    p.advance()
    if p.braced_word("end") != kind:
        raise LatexError(f"expected '\\end{{{kind}}}'", p.peek.col)
    return rows


def _prime(p: _Parser) -> Claim | None:
    """``f'(x)``, ``f''(x)``, ``f^{\\prime}(x)``, ``\\sigma'(z)``, ``y'`` for a defined y."""
    t = p.peek
    try:
        name = p.name("a name")
    except LatexError:
        return None
    order = 0
    while p.at_op("'"):
        p.advance()
        order += 1
    if order == 0 and p.at_op("^") and (p.ahead().text == "prime" or p.ahead(2).text == "prime"):
        p.advance()
        if p.at("cmd", "prime"):
            p.advance()
            order = 1
        else:
            p.expect_op("{")
            while p.at("cmd", "prime"):
                p.advance()
                order += 1
            p.expect_op("}", " after the primes")
    if order == 0:
        return None
    if order > 3:
        raise LatexError("the order of a derivative must be 1, 2 or 3", t.col)
    function = p.functions.get(name)
    if function is None:
        raise LatexError(f"unknown function '{name}' (define it first, like {name}(x) = ...)", t.col)
    if len(function.params) != 1:
        names = ", ".join(q.name for q in function.params) or "none"
        raise LatexError(
            f"'{name}{chr(39) * order}' is ambiguous: {name} has the variables {names}; "
            f"write the partial derivative, like \\frac{{\\partial {name}}}{{\\partial {function.params[0].name if function.params else 'x'}}}",
            t.col,
        )
    return _named(p, name, (function.params[0].name,) * order, False)


def _prime_of_expression(p: _Parser) -> Claim | None:
    """``(\\sin x)' = \\cos x``: the derivative of a bracketed expression in its one variable."""
    if not p.at_op("(", "["):
        return None
    t = p.peek
    closer = ")" if t.text == "(" else "]"
    try:
        target = p.group(t.text, closer)
    except LatexError:
        return None
    order = 0
    while p.at_op("'"):
        p.advance()
        order += 1
    if order == 0:
        return None
    if order > 3:
        raise LatexError("the order of a derivative must be 1, 2 or 3", t.col)
    symbols = sorted(target.free_symbols, key=lambda s: s.name)
    text = p.line[: p.peek.col - 1].strip().rstrip("'")
    if len(symbols) != 1:
        names = ", ".join(s.name for s in symbols) or "none"
        raise LatexError(
            f"a prime on an expression with the variables {names} is ambiguous: write \\frac{{d}}{{dx}}(...) "
            "naming the variable",
            t.col,
        )
    sides = p.sides()
    return _claim_class()(text, (symbols[0].name,) * order, False, sides[0], sides, target=target, operator=True)


def _subscript(p: _Parser) -> Claim | None:
    """``f_x``, ``f_{xy}``, ``L_w`` where the subscript names variables of a defined function: a partial
    derivative, never a new definition that shadows it."""
    t = p.peek
    try:
        base = p.base_name("a name")
    except LatexError:
        return None
    function: FunctionDef | None = p.functions.get(base)
    if function is None or not p.at_op("_"):
        return None
    full = p.subscripted(base)
    sub = full[len(base) + 1 :]
    names = [q.name for q in function.params]
    variables: tuple[str, ...]
    if sub in names:
        variables = (sub,)
    elif len(sub) > 1 and all(ch in names for ch in sub):
        variables = tuple(sub)
    else:
        return None  # f_1 after f(x): a new name
    at = None
    if p.at_op("("):
        p.shadowed = frozenset(names)
        at = p.arguments()
        if list(at) != list(function.params):
            shown = f"{base}_{sub}"
            raise LatexError(
                f"'{shown}(...)' is ambiguous: it can be the partial derivative of {base} in {', '.join(variables)} "
                f"(taken at other arguments), or a new function named {shown}; {base} is defined on line "
                f"{function.line}: write \\frac{{\\partial {base}}}{{\\partial {variables[0]}}} for the derivative, "
                "or use another name",
                t.col,
            )
    if not p.at_op("="):
        return None
    return _named(p, base, variables, True, at)
