"""Check derivative claims: differentiate the definition with SymPy and compare with what the author wrote.

Runs inside the claims worker process (it imports SymPy and arms SIGALRM). The comparison has two parts:
- numbers: both sides at random points (positive values, then the same with random signs, 50 significant
  digits), where the function itself is real. A point where both are real
  and finite and they clearly differ makes the claim wrong, with that point as the counterexample. Agreement
  at 5 or more such points is enough to call it verified.
- algebra: ``d - claim`` simplified to 0 (cheap forms first, then ``simplify``) proves it; this is what
  decides when too few points could be evaluated.
A wrong claim passing is the worst bug this can have, so "differ" is required to be stable when the
numbers are recomputed with twice the precision, and "agree" means equal to 20 significant digits.
"""

from __future__ import annotations

import random
import signal
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy

from mathwiki.claims.model import CHECKER_VERSION, ClaimResult, FenceLine, FenceResult
from mathwiki.latex import Claim, Definition, FunctionDef, LatexError, parse_line

__all__ = ["CHECKER_VERSION", "check_claim", "check_fences", "parse_fence", "time_limit"]
MIN_POINTS = 5  # random points where both sides are real and finite, needed to verify by numbers
DPS = 50  # significant digits of the numeric comparison
AGREE = mpmath.mpf("1e-20")  # relative difference below which two values agree
STRICT_DPS, STRICT_AGREE = 60, mpmath.mpf("1e-80")  # for claims verified by numbers only (run at 2*60 digits)

GREEK_LETTERS = dict(
    zip(
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau "
        "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell".split(),
        "αβγδεζηθικλμνξοπρστυφχψωΓΔΘΛΞΠΣΥΦΨΩℓ",
        strict=True,
    )
)


class _Timeout(BaseException):
    """Raised by SIGALRM; a BaseException so SymPy's ``except Exception`` blocks cannot swallow it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (main thread only; elsewhere the worker's hard limit applies)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- parsing a fence -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedLine:
    line: int
    source: str
    kind: str  # "definition", "claim", "error", "comment"
    function: FunctionDef | None = None  # the definition made (definitions) or claimed about (claims)
    claim: Claim | None = None
    error: str = ""


def parse_fence(
    body: str, first_line: int, known: dict[str, FunctionDef]
) -> tuple[list[ParsedLine], list[tuple[int, str]]]:
    """Parse each line of a fence body (its line k is file line ``first_line + k``).

    ``known`` holds the functions defined earlier on the page; this fence's definitions are added to it, so
    the next fence of the page sees them. Returns the lines and the parse problems as (line, message).
    """
    items: list[ParsedLine] = []
    problems: list[tuple[int, str]] = []
    for index, raw in enumerate(body.split("\n")):
        line, source = first_line + index, raw.strip()
        if not source or source.startswith("%"):
            items.append(ParsedLine(line, raw, "comment"))
            continue
        try:
            node = parse_line(source, known)
        except LatexError as exc:
            column = exc.column + (len(raw) - len(raw.lstrip())) if exc.column else 0
            message = f"cannot read this line: {exc.message}" + (f" (column {column})" if column else "")
            items.append(ParsedLine(line, raw, "error", error=message))
            problems.append((line, message))
            continue
        except RecursionError:
            message = "cannot read this line: formula nested too deeply"
            items.append(ParsedLine(line, raw, "error", error=message))
            problems.append((line, message))
            continue
        if isinstance(node, Definition):
            function = FunctionDef(node.name, node.params, node.expr, line)
            known[node.name] = function
            items.append(ParsedLine(line, raw, "definition", function=function))
        else:
            items.append(ParsedLine(line, raw, "claim", function=known.get(node.name), claim=node))
    return items, problems


# -- numbers ---------------------------------------------------------------------------------------------

_MPMATH: dict[type, Callable[[Any], Any]] = {
    sympy.exp: mpmath.exp,
    sympy.log: mpmath.log,
    sympy.sin: mpmath.sin,
    sympy.cos: mpmath.cos,
    sympy.tan: mpmath.tan,
    sympy.cot: mpmath.cot,
    sympy.sec: mpmath.sec,
    sympy.csc: mpmath.csc,
    sympy.asin: mpmath.asin,
    sympy.acos: mpmath.acos,
    sympy.atan: mpmath.atan,
    sympy.sinh: mpmath.sinh,
    sympy.cosh: mpmath.cosh,
    sympy.tanh: mpmath.tanh,
    sympy.coth: mpmath.coth,
    sympy.sech: mpmath.sech,
    sympy.csch: mpmath.csch,
}


def _value(expr: sympy.Expr, point: Mapping[sympy.Symbol, Any]) -> Any:
    """``expr`` at ``point`` in mpmath at the current precision (may be complex or infinite)."""
    if expr.is_Symbol:
        return point[expr]
    if expr.is_Integer:
        return mpmath.mpf(int(expr))
    if expr.is_Rational:
        return mpmath.mpf(int(expr.p)) / int(expr.q)
    if expr is sympy.pi:
        return +mpmath.pi
    if expr is sympy.E:
        return +mpmath.e
    if expr.is_Add:
        return mpmath.fsum(_value(a, point) for a in expr.args)
    if expr.is_Mul:
        result = mpmath.mpf(1)
        for a in expr.args:
            result *= _value(a, point)
        return result
    if expr.is_Pow:
        base, exponent = expr.args
        if exponent.is_Integer:
            return _value(base, point) ** int(exponent)
        return mpmath.power(_value(base, point), _value(exponent, point))
    function = _MPMATH.get(type(expr))
    if function is not None:
        return function(_value(expr.args[0], point))
    value = expr.evalf(mpmath.mp.dps, subs=dict(point))  # anything else: let SymPy evaluate it
    if value.is_Float:
        return mpmath.mpf(value._mpf_)
    return mpmath.mpc(complex(value)) if value.is_number and value.is_finite else mpmath.nan


def _real(expr: sympy.Expr, point: Mapping[sympy.Symbol, Any]) -> Any | None:
    """The value if it is real and finite, else None."""
    try:
        value = _value(expr, point)
    except (ZeroDivisionError, ValueError, OverflowError, TypeError, ArithmeticError):
        return None
    if isinstance(value, mpmath.mpc):
        if value.imag != 0:
            return None
        value = value.real
    if not isinstance(value, mpmath.mpf) or not mpmath.isfinite(value):
        return None
    return value


def _relative(a: Any, b: Any) -> Any:
    scale = max(abs(a), abs(b))
    return mpmath.mpf(0) if scale == 0 else abs(a - b) / scale


@dataclass(frozen=True)
class Numeric:
    agreeing: int  # points where both sides are real, finite and agree
    differs_at: dict[str, float] | None = None
    claimed: Any = None
    computed: Any = None


def sample_point(
    rng: random.Random, symbols: list[sympy.Symbol], wide: bool = False, signed: bool = False
) -> dict[sympy.Symbol, int]:
    """Values in hundredths: 0.30..2.50 (safe for log and sqrt); ``signed``: the same sizes with random signs,
    so a claim that holds only for positive values is caught; ``wide``: -10..10 when those do not suffice."""
    if wide:
        picks = [rng.choice((-1, 1)) * rng.randint(10, 1000) for _ in symbols]
    else:
        picks = (
            rng.sample(range(30, 251), len(symbols)) if len(symbols) <= 221 else [rng.randint(30, 250) for _ in symbols]
        )
        if signed:
            picks = [rng.choice((-1, 1)) * v for v in picks]
    return dict(zip(symbols, picks, strict=True))


def compare_numerically(
    derivative: sympy.Expr,
    claimed: sympy.Expr,
    seed: int,
    also: frozenset[sympy.Symbol] = frozenset(),
    dps: int = DPS,
    agree: Any = AGREE,
    function: sympy.Expr | None = None,
) -> Numeric:
    """Compare at random points; ``also`` are symbols to include in every point (the definition's).

    Points come in three rounds: positive values, the same sizes with random signs, then wide values. Every
    claim sees the first two rounds, so one that holds only for positive values (d/dx sqrt(x^2) = 1) is caught
    wherever the ``function`` itself is real; points where it is not (log x at x < 0) are outside its domain
    and skipped.
    """
    symbols = sorted(derivative.free_symbols | claimed.free_symbols | also, key=lambda s: s.name)
    rng = random.Random(seed)
    agreeing = 0
    for attempt in range(24):
        if attempt == 16 and agreeing >= MIN_POINTS:
            break
        raw = sample_point(rng, symbols, wide=attempt >= 16, signed=8 <= attempt < 16)
        with mpmath.workdps(dps):
            point = {s: mpmath.mpf(v) / 100 for s, v in raw.items()}
            if function is not None and _real(function, point) is None:
                continue
            a, b = _real(derivative, point), _real(claimed, point)
            if a is None or b is None:
                continue
            if _relative(a, b) <= agree:
                agreeing += 1
                continue
            first = a - b
        with mpmath.workdps(2 * dps):  # a real difference survives more precision; rounding noise does not
            point = {s: mpmath.mpf(v) / 100 for s, v in raw.items()}
            a, b = _real(derivative, point), _real(claimed, point)
            if a is None or b is None:
                continue
            if _relative(a, b) <= agree:
                agreeing += 1
                continue
            if abs((a - b) - first) <= abs(a - b) * mpmath.mpf("1e-10"):
                where = {s.name: v / 100 for s, v in raw.items()}
                return Numeric(agreeing, where, b, a)
    return Numeric(agreeing)


# -- algebra ---------------------------------------------------------------------------------------------


def prove_equal(derivative: sympy.Expr, claimed: sympy.Expr) -> bool | sympy.Expr:
    """True when SymPy shows ``derivative - claimed`` is 0 with the variables taken positive (the signed
    points of ``compare_numerically`` have already tested the rest of the function's real domain).

    Returns the difference when it simplifies to a nonzero constant (the claim is then wrong everywhere, even
    if by too little for numbers to notice), else False.
    """
    difference = derivative - claimed
    if difference == 0:
        return True
    positive = {s: sympy.Symbol(s.name, positive=True) for s in difference.free_symbols}
    difference = difference.xreplace(positive)
    for simplify in (sympy.expand, sympy.cancel, sympy.simplify):
        try:
            simplified = simplify(difference)
        except (ArithmeticError, ValueError, TypeError, RecursionError, sympy.PolynomialError):
            continue
        if simplified == 0:
            return True
        if simplified.is_number and simplified.is_zero is False:
            return simplified
    return False


# -- claims ----------------------------------------------------------------------------------------------


def pretty(name: str) -> str:
    base, _, sub = name.partition("_")
    return GREEK_LETTERS.get(base, base) + (f"_{sub}" if sub else "")


def label(claim: Claim) -> str:
    d = "∂" if claim.partial else "d"
    order = len(claim.variables)
    top = f"{d}{'²' if order == 2 else '³' if order == 3 else ''}{pretty(claim.name)}"
    variables = claim.variables
    if len(set(variables)) == 1:
        power = "²" if order == 2 else "³" if order == 3 else ""
        return f"{top}/{d}{pretty(variables[0])}{power}"
    return f"{top}/" + "".join(f"{d}{pretty(v)}" for v in variables)


def _format_point(point: dict[str, float]) -> str:
    return ", ".join(f"{pretty(name)}={value:g}" for name, value in point.items())


def _wrong(item: ParsedLine, tag: str, rhs: str, computed: str, numeric: Numeric, note: str = "") -> ClaimResult:
    assert numeric.differs_at is not None
    message = (
        f"wrong derivative: claimed {tag} = {rhs}, SymPy computes {computed}; they differ{note} at "
        f"{_format_point(numeric.differs_at)} (claimed {mpmath.nstr(numeric.claimed, 8)}, "
        f"SymPy {mpmath.nstr(numeric.computed, 8)})"
    )
    return ClaimResult(item.line, "wrong", message, computed, tuple(numeric.differs_at.items()), tag)


def check_claim(item: ParsedLine, timeout_s: float) -> ClaimResult:
    claim = item.claim
    assert claim is not None
    tag = label(claim)
    rhs = item.source.split("=", 1)[1].strip() if "=" in item.source else ""
    function = item.function
    if function is None:
        return ClaimResult(
            item.line,
            "unchecked",
            f"cannot check {tag}: unknown function '{claim.name}' (define it first, like {claim.name}(x) = ...)",
            label=tag,
        )
    params = {p.name: p for p in function.params}
    for variable in claim.variables:
        if variable not in params:
            names = ", ".join(params)
            return ClaimResult(
                item.line,
                "unchecked",
                f"cannot check {tag}: '{variable}' is not a variable of {function.name}({names})",
                label=tag,
            )
    numeric: Numeric | None = None
    computed = ""
    seed = zlib.crc32(item.source.strip().encode("utf-8"))
    try:
        with time_limit(timeout_s):
            derivative = sympy.diff(function.expr, *(params[v] for v in claim.variables))
            computed = sympy.latex(derivative)
            everything = frozenset(function.params) | function.expr.free_symbols
            numeric = compare_numerically(derivative, claim.expr, seed, everything, function=function.expr)
            if numeric.differs_at is not None:
                return _wrong(item, tag, rhs, computed, numeric)
            proof = prove_equal(derivative, claim.expr)
            if proof is True:
                return ClaimResult(item.line, "verified", f"{tag} verified", computed, label=tag, method="symbolic")
            if proof is not False:
                point = sample_point(random.Random(seed), sorted(everything, key=lambda s: s.name))
                where = {s.name: v / 100 for s, v in point.items()}
                message = (
                    f"wrong derivative: claimed {tag} = {rhs}, SymPy computes {computed}; they differ at "
                    f"{_format_point(where)} and everywhere else "
                    f"(claimed minus computed = {sympy.latex(-proof)})"
                )
                return ClaimResult(item.line, "wrong", message, computed, tuple(where.items()), tag)
    except _Timeout:
        pass
    except (ArithmeticError, ValueError, TypeError, RecursionError, sympy.PolynomialError) as exc:
        return ClaimResult(item.line, "unchecked", f"cannot check {tag}: SymPy failed ({exc})", computed, label=tag)
    if numeric is not None and numeric.agreeing >= MIN_POINTS:
        try:  # not proved: insist on agreement to 80 digits, so a tiny wrong term cannot pass as rounding
            with time_limit(timeout_s):
                strict = compare_numerically(
                    derivative,
                    claim.expr,
                    seed,
                    everything,
                    dps=2 * STRICT_DPS,
                    agree=STRICT_AGREE,
                    function=function.expr,
                )
        except _Timeout:
            strict = Numeric(0)
        if strict.differs_at is not None:
            return _wrong(item, tag, rhs, computed, strict, " (by less than 1e-20 relative)")
        if strict.agreeing < MIN_POINTS:
            reason = "SymPy could not prove it and the high-precision comparison did not finish"
            return ClaimResult(item.line, "unchecked", f"cannot check {tag}: {reason}", computed, label=tag)
        message = f"{tag} verified numerically (agrees at {numeric.agreeing} random points)"
        return ClaimResult(item.line, "verified", message, computed, label=tag, method="numeric")
    if numeric is None:
        reason = f"time limit of {timeout_s:g} s reached"
    else:
        reason = (
            f"SymPy could not simplify the difference to 0 and the two sides could be compared at only "
            f"{numeric.agreeing} random point(s) where both are real"
        )
    return ClaimResult(item.line, "unchecked", f"cannot check {tag}: {reason}", computed, label=tag)


def check_fences(bodies: list[str], timeout_s: float) -> list[FenceResult]:
    """Check the fences of one page in order, definitions carried forward; lines are body indexes."""
    known: dict[str, FunctionDef] = {}
    results = []
    for body in bodies:
        items, _ = parse_fence(body, 0, known)
        lines = []
        for item in items:
            if item.kind == "claim":
                lines.append(FenceLine(item.line, "claim", item.source, check_claim(item, timeout_s)))
            else:
                lines.append(FenceLine(item.line, item.kind, item.source, None, item.error))  # type: ignore[arg-type]
        results.append(FenceResult(0, body, tuple(lines)))
    return results
