"""``bind="partials: df/dx, df/dy"``: what a python block promises about a function a verify fence defined.

The expected values come from ``mathwiki.claims.bindings`` (SymPy, in a claims worker), at deterministic
points; they are cached, so a warm build starts no process for them either. The code block's function is then
called at the same points inside the code's own worker (:mod:`mathwiki.execution.worker`) and compared in
:func:`mathwiki.execution.runner.interpret`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from mathwiki.cache import Cache, digest
from mathwiki.execution.runner import Binding, package_versions
from mathwiki.problems import Problem

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_ITEM = re.compile(rf"^d(?P<order>2?)\s*(?P<name>{_NAME})\s*/\s*d\s*(?P<v1>{_NAME})(?:\s+d\s*(?P<v2>{_NAME}))?$")
_CLAIM = re.compile(r"^\s*\\frac\s*\{\s*(?:\\partial|d)\s*(?:\^\s*\{?\s*2\s*\}?)?(?P<num>.*?)\}\s*\{(?P<den>.*?)\}\s*=")
_DEFINITION = re.compile(r"^\s*(?P<name>.+?)\s*\(")


def parse_bind(text: str) -> tuple[str, str, list[tuple[str, ...]], list[str]]:
    """``"partials: df/dx, df/dy"`` -> ("partials", "f", [("x",), ("y",)], ["df/dx", "df/dy"]).

    Raises ``ValueError`` with a message for the author.
    """
    function, colon, rest = text.partition(":")
    function = function.strip()
    if not colon or not re.fullmatch(_NAME, function):
        raise ValueError(f'bind="{text}": write bind="FUNCTION: df/dx, df/dy" (a Python function name, a colon)')
    items = [item.strip() for item in rest.split(",") if item.strip()]
    if not items:
        raise ValueError(f'bind="{text}": name at least one derivative after the colon, like df/dx')
    names, targets = set(), []
    for item in items:
        match = _ITEM.match(item)
        order2 = bool(match and match.group("order"))
        if not match or order2 != bool(match.group("v2")):
            raise ValueError(
                f'bind="{text}": cannot read "{item}"; write dNAME/dVAR (first order) or d2NAME/dVAR1 dVAR2'
            )
        names.add(match.group("name"))
        targets.append(tuple(v for v in (match.group("v1"), match.group("v2")) if v))
    if len(names) != 1:
        raise ValueError(
            f'bind="{text}": all derivatives must be of the same function, found {", ".join(sorted(names))}'
        )
    return function, names.pop(), targets, items


def _plain(latex: str) -> str:
    text = re.sub(r"\\(?:mathrm|operatorname|mathit)\s*", "", latex)
    return re.sub(r"[\\{}\s]", "", text)


def claim_line(verify: Sequence[tuple[str, int]], name: str, target: tuple[str, ...]) -> int:
    """The file line of the claim d name / d target, else of the definition, else of the first fence."""
    definition = 0
    for body, line in verify:
        for index, text in enumerate(body.splitlines()):
            here = line + 1 + index
            if len(text) > 2000:  # longer than any line the claims parser reads: keeps the patterns' cost bounded
                continue
            match = _CLAIM.match(text)
            if match and _plain(match.group("num")) == name:
                den = match.group("den").replace("\\partial", "\u2202")
                parts = den.split("\u2202")[1:] if "\u2202" in den else re.split(r"(?:^|\s)d", den)[1:]
                variables: list[str] = []
                for part in parts:
                    squared = re.search(r"\^\s*\{?\s*2\s*\}?\s*$", part)
                    symbol = _plain(part[: squared.start()] if squared else part)
                    variables += [symbol, symbol] if squared else [symbol]
                if sorted(variables) == sorted(target):
                    return here
            definition_match = _DEFINITION.match(text)
            if not definition and definition_match and _plain(definition_match.group("name")) == name and "=" in text:
                definition = here
    return definition or (verify[0][1] if verify else 0)


def resolve(
    path: str, bind: str, block_line: int, verify: Sequence[tuple[str, int]], cache: Cache | None
) -> Binding | Problem:
    """The probe points and expected values for one ``bind=``, or the problem that prevents the check."""
    try:
        function, name, targets, items = parse_bind(bind)
    except ValueError as exc:
        return Problem(path, block_line, str(exc))
    if not verify:
        return Problem(path, block_line, f"bind: no verify fence on this page defines '{name}'")
    bodies = [body for body, _ in verify]
    from mathwiki.claims.model import CHECKER_VERSION

    key_parts = ["binding", CHECKER_VERSION, package_versions(), json.dumps([bodies, name, targets])]
    key = cache.key(*key_parts) if cache is not None else digest(*key_parts)
    answer = cache.get(key) if cache is not None else None
    if not isinstance(answer, dict):
        answer = _compute(bodies, name, targets)
        if cache is not None and ("error" not in answer or answer.get("final")):
            cache.put(key, answer)
    if "error" in answer:
        return Problem(path, block_line, f"bind: {answer['error']}")
    # Names sorted: a fresh answer lists them as computed, a cached one as stored (sorted JSON); the code cache
    # key hashes the points, so both must read alike or every build after a cold one reruns the page.
    points = tuple(dict(sorted(p.items())) for p in answer["points"])
    expected = tuple(tuple(row) for row in answer["expected"])
    lines = tuple(claim_line(verify, name, target) for target in targets)
    return Binding(function, tuple(items), points, expected, lines)


def _compute(bodies: list[str], name: str, targets: list[tuple[str, ...]]) -> dict:
    from mathwiki.claims import bindings

    try:
        symbols = bindings.definition_symbols(bodies, name)
        points = bindings.binding_points(symbols, int(digest(name, *map(" ".join, targets))[:8], 16))
        expected = bindings.expected_values(bodies, name, targets, points)
    except bindings.BindingError as exc:
        final = "worker failed" not in str(exc)  # a crashed claims worker is not cached
        return {"error": str(exc), "final": final}
    return {"points": points, "expected": expected}
