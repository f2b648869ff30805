"""Tie a surface fence to its formula: its definition (or a verify fence's), ranges and constants.

The formula is read with the project's safe LaTeX parser (``mathwiki.latex``), never with ``sympify``. The
result, ``Figure`` (``plots.figure``), is everything the drawing process needs, as plain JSON-able data: the
function and its two partial derivatives (computed here by SymPy) with the constants already substituted. This
module imports SymPy: the build imports it only when the resolution cache (``plots.specs``) misses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import sympy

from mathwiki import pagemodel
from mathwiki.latex import Definition, FunctionDef, LatexError, parse_expression, parse_line
from plots.exprjson import UnsupportedExpression, to_json
from plots.figure import Figure
from plots.spec import RawSpec, SpecError, normalise_name, parse_number, parse_range


@dataclass(frozen=True)
class PageDefinition:
    function: FunctionDef
    text: str  # the definition line as written in the verify fence


def page_definitions(text: str) -> dict[str, PageDefinition]:
    """The functions the verify fences of a page define, in page order (later ones may apply earlier ones).

    Lines that do not parse are skipped here: the claims check reports them.
    """
    functions: dict[str, FunctionDef] = {}
    found: dict[str, PageDefinition] = {}
    for fence in pagemodel.read(text).fences:
        if fence.lang != "verify":
            continue
        for index, raw in enumerate(fence.body.splitlines()):
            line = raw.strip()
            if not line or line.startswith("\\frac") or line.startswith("%"):
                continue
            try:
                parsed = parse_line(line, functions)
            except (LatexError, ValueError, TypeError, RecursionError):
                continue
            if isinstance(parsed, Definition):
                function = FunctionDef(parsed.name, parsed.params, parsed.expr, fence.body_line(index))
                functions[parsed.name] = function
                found[parsed.name] = PageDefinition(function, line)
    return found


def symbol_name(text: str) -> str:
    """The SymPy name the parser gives to ``text`` (``\\sigma`` -> ``sigma``, ``\\hat{y}`` -> ``y_hat``)."""
    try:
        parsed = parse_expression(text)
    except (LatexError, ValueError, TypeError, RecursionError):
        return normalise_name(text)
    if isinstance(parsed, sympy.Symbol):
        return parsed.name
    return normalise_name(text)


def _list(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    if len(quoted) <= 1:
        return "".join(quoted) or "none"
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def resolve(raw: RawSpec, definitions: Mapping[str, PageDefinition], title: str) -> Figure:
    """Check ``raw`` against its formula; raise ``SpecError`` (with the fence line) on the first mistake."""
    functions = {name: d.function for name, d in definitions.items()}
    head = raw.head_line
    if raw.definition is not None:
        try:
            parsed = parse_line(raw.definition, functions)
        except LatexError as exc:
            raise SpecError(f"cannot read the definition: {exc}", head) from None
        if not isinstance(parsed, Definition):
            raise SpecError("the first line must define the function, like 'f(x, y) = x^2 y + 3y'", head)
        name, params, expr = parsed.name, parsed.params, parsed.expr
        definition_tex = raw.definition
        name_tex = raw.definition.split("(", 1)[0].strip()
    else:
        assert raw.function is not None
        name_tex = raw.function.strip()
        name = symbol_name(name_tex)
        if name not in definitions:
            known = _list(sorted(definitions))
            raise SpecError(
                f"no verify fence on this page defines a function '{name_tex}' "
                f"(functions defined on this page: {known})",
                head,
            )
        found = definitions[name]
        params, expr, definition_tex = found.function.params, found.function.expr, found.text
    fname = name_tex
    if len(params) != 2:
        listed = ", ".join(p.name for p in params)
        raise SpecError(
            f"a surface needs a function of exactly two variables; '{fname}' has {len(params)} ({listed})",
            head,
        )
    constants = sorted((s for s in expr.free_symbols if s not in params), key=lambda s: s.name)
    by_name = {p.name: p for p in params} | {c.name: c for c in constants}

    ranges: dict[str, tuple[float, float]] = {}
    range_tex: dict[str, str] = {}
    var_tex: dict[str, str] = {}
    values: dict[str, tuple[str, float, str]] = {}
    for entry in raw.entries:
        key = symbol_name(entry.key)
        if key not in by_name:
            raise SpecError(
                f"'{entry.key}' is not a variable or constant of {fname}: its variables are "
                f"{_list([p.name for p in params])} and its constants are "
                f"{_list([c.name for c in constants])}",
                entry.line,
            )
        if by_name[key] in params:
            try:
                low, high = parse_range(entry.value)
            except ValueError as exc:
                raise SpecError(f"range of '{entry.key}': {exc}", entry.line) from None
            if low == high:
                raise SpecError(f"the range of '{entry.key}' is empty: [{low:g}, {high:g}]", entry.line)
            if low > high:
                raise SpecError(
                    f"the range of '{entry.key}' is reversed: write the smaller end first, [{high:g}, {low:g}]",
                    entry.line,
                )
            ranges[key], range_tex[key], var_tex[key] = (low, high), entry.value.strip(), entry.key
        else:
            try:
                value = parse_number(entry.value)
            except ValueError as exc:
                raise SpecError(f"value of '{entry.key}': {exc}", entry.line) from None
            values[key] = (entry.key, value, entry.value.strip())

    missing = [p.name for p in params if p.name not in ranges]
    if missing:
        raise SpecError(
            f"missing range for {_list(missing)}: add a line like '{missing[0]}: [-2, 2]'",
            head,
        )
    unset = [c.name for c in constants if c.name not in values]
    if unset:
        raise SpecError(
            f"the formula uses {_list(unset)}; give {'it' if len(unset) == 1 else 'each'} a value, "
            f"e.g. `{unset[0]}: 1`",
            head,
        )
    names = (params[0].name, params[1].name)
    if raw.point is not None:
        for var, coordinate in zip(names, raw.point, strict=True):
            low, high = ranges[var]
            if not low <= coordinate <= high:
                raise SpecError(
                    f"the point {raw.point_text} is outside the ranges: {var_tex[var]} = {coordinate:g} "
                    f"is not in [{low:g}, {high:g}]",
                    raw.point_line,
                )

    substituted = expr.xreplace({by_name[k]: sympy.Float(v[1]) for k, v in values.items()})
    try:
        trees = [to_json(e) for e in (substituted, *(sympy.diff(substituted, p) for p in params))]
    except UnsupportedExpression as exc:
        raise SpecError(str(exc), head) from None
    point = raw.point
    if point is not None and not all(math.isfinite(c) for c in point):
        raise SpecError("the point must be finite", raw.point_line)
    return Figure(
        name_tex=name_tex,
        definition_tex=definition_tex,
        var_names=names,
        var_tex=(var_tex[names[0]], var_tex[names[1]]),
        ranges=(ranges[names[0]], ranges[names[1]]),
        range_tex=(range_tex[names[0]], range_tex[names[1]]),
        point=point,
        point_tex=raw.point_text,
        constants=tuple(values[c.name] for c in constants),
        grid=raw.grid,
        title=raw.title or title,
        f=trees[0],
        fx=trees[1],
        fy=trees[2],
    )
