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
import re
import signal
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import mpmath
import sympy

from mathwiki.claims.model import CHECKER_VERSION, ClaimResult, FenceLine, FenceResult
from mathwiki.latex import Claim, Definition, FunctionDef, LatexError, parse_line
from mathwiki.vocabulary import NUMERIC

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

_LAYOUT_LINES = {
    "\\begin{aligned}",
    "\\end{aligned}",
    "\\begin{align*}",
    "\\end{align*}",
    "\\begin{align}",
    "\\end{align}",
    "\\begin{split}",
    "\\end{split}",
}


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
    A definition may not reuse the name of one made before it: that would silently change what every later
    line means.
    """
    items: list[ParsedLine] = []
    problems: list[tuple[int, str]] = []
    previous: Claim | None = None

    def refuse(line: int, raw: str, message: str) -> None:
        items.append(ParsedLine(line, raw, "error", error=message))
        problems.append((line, message))

    for index, raw in enumerate(body.split("\n")):
        line, source = first_line + index, raw.strip()
        if not source or source.startswith("%") or source in _LAYOUT_LINES:
            items.append(ParsedLine(line, raw, "comment"))
            continue
        try:
            node = parse_line(source, known, previous)
        except LatexError as exc:
            column = exc.column + (len(raw) - len(raw.lstrip())) if exc.column else 0
            refuse(line, raw, f"cannot read this line: {exc.message}" + (f" (column {column})" if column else ""))
            previous = None
            continue
        except RecursionError:
            refuse(line, raw, "cannot read this line: formula nested too deeply")
            previous = None
            continue
        if isinstance(node, Definition):
            previous = None
            if node.name in known:
                before = known[node.name]
                refuse(
                    line,
                    raw,
                    f"'{pretty(node.name)}' is already defined on line {before.line}: a second definition would "
                    "silently change every line after it; give this one another name",
                )
                continue
            function = FunctionDef(node.name, node.params, node.expr, line, node.implicit)
            known[node.name] = function
            items.append(ParsedLine(line, raw, "definition", function=function))
        else:
            previous = node
            items.append(ParsedLine(line, raw, "claim", function=known.get(node.name), claim=node))
    return items, problems


# -- numbers ---------------------------------------------------------------------------------------------

_MPMATH = NUMERIC


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


Point = dict[sympy.Symbol, str]  # exact decimal values, read by mpmath at the working precision

# Every claim is compared at these values first: 0, ±1, small and large magnitudes. A difference that is tiny
# away from 0 (a term like e^{-1000x^2}) shows at 0 and ±0.001, where random points never go.
STRUCTURED = ("0", "1", "-1", "0.001", "-0.001", "0.01", "-0.01", "0.1", "-0.1", "0.5", "-0.5", "2", "-2", "10", "-10")
ONE_AT_A_TIME = ("0", "0.001", "-0.001", "1", "-1")
MAX_STRUCTURED = 60


@dataclass(frozen=True)
class Numeric:
    agreeing: int  # points where both sides are real, finite and agree
    differs_at: dict[str, str] | None = None
    claimed: Any = None
    computed: Any = None
    points: tuple[tuple[tuple[str, str], ...], ...] = ()  # the first points where both sides agree


def _random_values(rng: random.Random, count: int, wide: bool, signed: bool) -> list[str]:
    """Values in hundredths: 0.30..2.50 (safe for log and sqrt); ``signed``: the same sizes with random signs,
    so a claim that holds only for positive values is caught; ``wide``: -10..10."""
    if wide:
        picks = [rng.choice((-1, 1)) * rng.randint(10, 1000) for _ in range(count)]
    else:
        picks = rng.sample(range(30, 251), count) if count <= 221 else [rng.randint(30, 250) for _ in range(count)]
        if signed:
            picks = [rng.choice((-1, 1)) * v for v in picks]
    return [f"{v}e-2" for v in picks]


def sample_point(
    rng: random.Random, symbols: list[sympy.Symbol], wide: bool = False, signed: bool = False
) -> dict[sympy.Symbol, str]:
    return dict(zip(symbols, _random_values(rng, len(symbols), wide, signed), strict=True))


def concentration_values(expr: sympy.Expr) -> dict[sympy.Symbol, list[str]]:
    """Where a narrow bump of ``expr`` sits: for each e^{g(x)} with g a polynomial in one variable, the real
    critical points of g and their neighbours, so a wrong term that is negligible elsewhere is evaluated where
    it is not (e^{-1000(x - 3)^2} is 1 at x = 3 and below 1e-300 a unit away)."""
    found: dict[sympy.Symbol, list[str]] = {}
    for power in list(expr.atoms(sympy.exp))[:20]:
        argument = power.args[0]
        symbols = sorted(argument.free_symbols, key=lambda s: s.name)
        if len(symbols) != 1:
            continue
        try:
            poly = sympy.Poly(argument, symbols[0])
            if not 2 <= poly.degree() <= 8 or not all(c.is_Number for c in poly.all_coeffs()):
                continue
            roots = sympy.Poly(poly.diff(symbols[0])).nroots(n=15, maxsteps=200)
        except (sympy.PolynomialError, ValueError, TypeError, ArithmeticError, mpmath.libmp.libhyper.NoConvergence):
            continue
        for root in roots:
            if abs(sympy.im(root)) > 1e-20:
                continue
            centre = sympy.re(root)
            for shift in (0, sympy.Rational(1, 1000), -sympy.Rational(1, 1000)):
                found.setdefault(symbols[0], []).append(str(sympy.Float(centre + shift, 30)))
    return found


def structured_points(
    symbols: list[sympy.Symbol], rng: random.Random, extra: Mapping[sympy.Symbol, list[str]] | None = None
) -> list[Point]:
    """All symbols at each structured value; then each symbol alone at 0, ±0.001, ±1 (and at ``extra``) with the
    others at random values, so a term that is tiny unless one variable is small is caught too."""
    points: list[Point] = [{s: v for s in symbols} for v in STRUCTURED]
    extra = extra or {}
    for symbol in symbols:
        values = list(extra.get(symbol, []))
        if len(symbols) > 1:
            values = [*ONE_AT_A_TIME, *values]
        for value in values:
            point = sample_point(rng, symbols)
            point[symbol] = value
            points.append(point)
            if len(points) >= MAX_STRUCTURED:
                return points
    return points


def _at(raw: Point) -> dict[sympy.Symbol, Any]:
    return {s: mpmath.mpf(v) for s, v in raw.items()}


def _shown(raw: Point) -> dict[str, str]:
    return {s.name: mpmath.nstr(mpmath.mpf(v), 12) for s, v in raw.items()}


def compare_numerically(
    derivative: sympy.Expr,
    claimed: sympy.Expr,
    seed: int,
    also: frozenset[sympy.Symbol] = frozenset(),
    dps: int = DPS,
    agree: Any = AGREE,
    function: sympy.Expr | None = None,
) -> Numeric:
    """Compare at structured points, then random ones; ``also`` are symbols to include in every point.

    Random points come in three rounds: positive values, the same sizes with random signs, then wide values.
    Every claim sees the structured points and the first two rounds, so one that holds only for positive
    values (d/dx sqrt(x^2) = 1) is caught wherever the ``function`` itself is real; points where it is not
    (log x at x < 0) are outside its domain and skipped.
    """
    symbols = sorted(derivative.free_symbols | claimed.free_symbols | also, key=lambda s: s.name)
    rng = random.Random(seed)
    extra = concentration_values(derivative - claimed)
    rounds: list[Point] = structured_points(symbols, rng, extra)
    for attempt in range(24):
        rounds.append(sample_point(rng, symbols, wide=attempt >= 16, signed=8 <= attempt < 16))
    agreeing: list[Point] = []
    random_start = len(rounds) - 24
    for index, raw in enumerate(rounds):
        if index == random_start + 16 and len(agreeing) >= MIN_POINTS:
            break
        with mpmath.workdps(dps):
            point = _at(raw)
            if function is not None and _real(function, point) is None:
                continue
            a, b = _real(derivative, point), _real(claimed, point)
            if a is None or b is None:
                continue
            if _relative(a, b) <= agree:
                agreeing.append(raw)
                continue
            first = a - b
        with mpmath.workdps(2 * dps):  # a real difference survives more precision; rounding noise does not
            point = _at(raw)
            a, b = _real(derivative, point), _real(claimed, point)
            if a is None or b is None:
                continue
            if _relative(a, b) <= agree:
                agreeing.append(raw)
                continue
            if abs((a - b) - first) <= abs(a - b) * mpmath.mpf("1e-10"):
                return Numeric(len(agreeing), _shown(raw), b, a)
    shown = tuple(tuple(_shown(raw).items()) for raw in agreeing[:6])
    return Numeric(len(agreeing), points=shown)


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
    steps: tuple[Callable[[sympy.Expr], sympy.Expr], ...] = (
        sympy.expand,
        sympy.cancel,
        sympy.simplify,
        lambda e: sympy.simplify(e.rewrite(sympy.exp)),
        lambda e: sympy.simplify(e.replace(sympy.sign, lambda u: u / sympy.Abs(u))),  # sign(u) = u/|u|, u != 0
    )
    for simplify in steps:
        try:
            simplified = simplify(difference)
        except (ArithmeticError, ValueError, TypeError, RecursionError, AttributeError, sympy.PolynomialError):
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


_SIZING = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])")


def label(claim: Claim) -> str:
    d = "∂" if claim.partial else "d"
    order = len(claim.variables)
    power = "²" if order == 2 else "³" if order == 3 else ""
    variables = claim.variables
    if len(set(variables)) == 1:
        bottom = f"{d}{pretty(variables[0])}{power}"
    else:
        bottom = "".join(f"{d}{pretty(v)}" for v in variables)
    if claim.operator:
        text = " ".join(_SIZING.sub(" ", claim.name).split())  # "\\left( x^2 \\right)" is shown as "( x^2 )"
        text = text if len(text) <= 40 else text[:37] + "..."
        return f"{d}{power}/{bottom} [{text}]"
    at = ""
    if claim.at is not None:
        at = " at (" + ", ".join(sympy.sstr(a) for a in claim.at) + ")"
    return f"{d}{power}{pretty(claim.name)}/{bottom}{at}"


def _format_point(point: Mapping[str, Any]) -> str:
    return ", ".join(f"{pretty(name)}={value}" for name, value in point.items())


def _digits(a: Any, b: Any) -> int:
    """Enough significant digits that the two numbers differ on screen."""
    for digits in range(8, 41):
        if mpmath.nstr(a, digits) != mpmath.nstr(b, digits):
            return digits
    return 40


def _latex(expr: sympy.Expr, simplify: bool = False) -> str:
    if simplify:
        try:
            with time_limit(1.0):
                expr = sympy.simplify(expr)
        except (_Timeout, ArithmeticError, ValueError, TypeError, RecursionError, AttributeError):
            pass
    return sympy.latex(_plain(expr))


def _plain(expr: sympy.Expr) -> sympy.Expr:
    """The expression with the checker's real symbols back to plain ones (for display)."""
    return expr.xreplace({s: sympy.Symbol(s.name) for s in expr.free_symbols})


def _wrong(
    item: ParsedLine, tag: str, rhs: str, derivative: sympy.Expr, claimed: sympy.Expr, numeric: Numeric, note: str = ""
) -> ClaimResult:
    assert numeric.differs_at is not None
    digits = _digits(numeric.claimed, numeric.computed)
    computed = _latex(derivative, simplify=True)
    claimed_latex = _latex(claimed, simplify=True)
    message = (
        f"wrong derivative: claimed {tag} = {rhs}, which simplifies to {claimed_latex}; SymPy computes "
        f"{computed}; they differ{note} at {_format_point(numeric.differs_at)} "
        f"(claimed {mpmath.nstr(numeric.claimed, digits)}, SymPy {mpmath.nstr(numeric.computed, digits)})"
    )
    where = tuple((k, float(v)) for k, v in numeric.differs_at.items())
    return ClaimResult(item.line, "wrong", message, computed, where, tag, claimed_latex=claimed_latex)


@dataclass(frozen=True)
class _Subject:
    expr: sympy.Expr  # what is differentiated
    variables: tuple[sympy.Symbol, ...]
    domain: sympy.Expr  # where the claim is meant: points where this is not real are skipped
    everything: frozenset[sympy.Symbol]
    at: dict[sympy.Symbol, sympy.Expr] | None


def _subject(item: ParsedLine, claim: Claim, tag: str) -> _Subject | ClaimResult:
    """What the claim differentiates and in which variables, with every symbol taken real; or why not."""
    function = claim.function or item.function
    if claim.target is not None:
        expr, params = claim.target, tuple(sympy.Symbol(v) for v in dict.fromkeys(claim.variables))
    elif function is None:
        return ClaimResult(
            item.line,
            "unchecked",
            f"cannot check {tag}: unknown function '{pretty(claim.name)}' "
            f"(define it first, like {claim.name}(x) = ...)",
            label=tag,
        )
    else:
        expr, params = function.expr, function.params
        names = {p.name for p in params}
        for variable in claim.variables:
            if variable not in names and not function.implicit:
                return ClaimResult(
                    item.line,
                    "unchecked",
                    f"cannot check {tag}: '{variable}' is not a variable of "
                    f"{pretty(function.name)}({', '.join(pretty(p.name) for p in params)})",
                    label=tag,
                )
    everything = set(expr.free_symbols) | set(params) | {sympy.Symbol(v) for v in claim.variables}
    for side in claim.sides:
        everything |= side.free_symbols
    at = None
    if claim.at is not None and function is not None and claim.target is None:
        at = dict(zip(params, claim.at, strict=True))
    for value in (at or {}).values():
        everything |= value.free_symbols
    real = {s: sympy.Symbol(s.name, real=True) for s in everything}
    variables = tuple(real[sympy.Symbol(v)] for v in claim.variables)
    real_at = {real[k]: v.xreplace(real) for k, v in at.items()} if at else None
    domain = expr.xreplace(real)
    if real_at:
        domain = domain.xreplace(real_at)
    return _Subject(expr.xreplace(real), variables, domain, frozenset(real.values()), real_at)


def _rhs_texts(source: str, count: int) -> list[str]:
    parts = [part.strip().strip("&").strip() for part in source.replace("\\\\", " ").split("=")[1:]]
    return parts if len(parts) == count else ["" for _ in range(count)]


def check_claim(item: ParsedLine, timeout_s: float) -> ClaimResult:
    claim = item.claim
    assert claim is not None
    if claim.entries:
        return _check_entries(item, claim, timeout_s)
    tag = label(claim)
    subject = _subject(item, claim, tag)
    if isinstance(subject, ClaimResult):
        return subject
    texts = _rhs_texts(item.source, len(claim.sides))
    computed = ""
    results: list[ClaimResult] = []
    try:
        with time_limit(timeout_s):
            derivative = sympy.diff(subject.expr, *subject.variables)
            if subject.at:
                derivative = derivative.xreplace(subject.at)
            computed = sympy.latex(_plain(derivative))
    except _Timeout:
        return ClaimResult(
            item.line, "unchecked", f"cannot check {tag}: time limit of {timeout_s:g} s reached", label=tag
        )
    except (ArithmeticError, ValueError, TypeError, RecursionError, sympy.PolynomialError) as exc:
        return ClaimResult(item.line, "unchecked", f"cannot check {tag}: SymPy failed ({exc})", label=tag)
    real = {sympy.Symbol(s.name): s for s in subject.everything}
    for index, side in enumerate(claim.sides):
        rhs = texts[index] or sympy.latex(side)
        result = _check_side(item, tag, rhs, derivative, side.xreplace(real), subject, computed, timeout_s)
        if len(claim.sides) > 1 and result.verdict != "verified":
            step = f"step {index + 1} of {len(claim.sides)} (= {rhs})"
            result = replace(result, message=f"{step}: {result.message}")
        results.append(result)
    return _worst(results)


_RANK = {"wrong": 0, "unchecked": 1, "numeric": 2, "verified": 3}


def _worst(results: list[ClaimResult]) -> ClaimResult:
    return min(results, key=lambda r: _RANK[r.verdict])


def _check_entries(item: ParsedLine, claim: Claim, timeout_s: float) -> ClaimResult:
    """A gradient or Hessian: every entry is a claim of its own; the verdict is the worst, naming the entry."""
    results = []
    for entry in claim.entries:
        source = item.source if claim.group else f"= {sympy.latex(entry.expr)}"
        if claim.group:
            source = "= " + " = ".join(sympy.latex(side) for side in entry.sides)
        result = check_claim(replace(item, claim=entry, source=source), timeout_s)
        if result.verdict != "verified":
            result = replace(result, message=f"{entry.where}: {result.message}")
        results.append(result)
    worst = _worst(results)
    if claim.group:
        tag = "; ".join(r.label for r in results)
    else:
        tag = ("∇²" if len(claim.entries[0].variables) == 2 else "∇") + pretty(claim.name)
    if worst.verdict == "verified":
        return replace(worst, message=f"{tag} verified ({len(results)} entries)", label=tag)
    return replace(worst, label=tag)


def _check_side(
    item: ParsedLine,
    tag: str,
    rhs: str,
    derivative: sympy.Expr,
    claimed: sympy.Expr,
    subject: _Subject,
    computed: str,
    timeout_s: float,
) -> ClaimResult:
    seed = zlib.crc32(item.source.strip().encode("utf-8"))
    numeric: Numeric | None = None
    try:
        with time_limit(timeout_s):
            numeric = compare_numerically(derivative, claimed, seed, subject.everything, function=subject.domain)
            if numeric.differs_at is not None:
                return _wrong(item, tag, rhs, derivative, claimed, numeric)
            proof = prove_equal(derivative, claimed)
            if proof is True:
                return ClaimResult(item.line, "verified", f"{tag} verified", computed, label=tag, method="symbolic")
            if proof is not False:
                message = (
                    f"wrong derivative: claimed {tag} = {rhs}, SymPy computes {computed}; they differ everywhere "
                    f"(claimed minus computed = {sympy.latex(_plain(-proof))})"
                )
                return ClaimResult(item.line, "wrong", message, computed, None, tag)
    except _Timeout:
        pass
    except (ArithmeticError, ValueError, TypeError, RecursionError, sympy.PolynomialError) as exc:
        return ClaimResult(item.line, "unchecked", f"cannot check {tag}: SymPy failed ({exc})", computed, label=tag)
    if numeric is not None and numeric.agreeing >= MIN_POINTS:
        try:  # not proved: insist on agreement to 80 digits, so a tiny wrong term cannot pass as rounding
            with time_limit(timeout_s):
                strict = compare_numerically(
                    derivative,
                    claimed,
                    seed,
                    subject.everything,
                    dps=2 * STRICT_DPS,
                    agree=STRICT_AGREE,
                    function=subject.domain,
                )
        except _Timeout:
            strict = Numeric(0)
        if strict.differs_at is not None:
            return _wrong(item, tag, rhs, derivative, claimed, strict, " (by less than 1e-20 relative)")
        if strict.agreeing < MIN_POINTS:
            reason = "SymPy could not prove it and the high-precision comparison did not finish"
            return ClaimResult(item.line, "unchecked", f"cannot check {tag}: {reason}", computed, label=tag)
        shown = "; ".join(_format_point(dict(p)) for p in numeric.points[:4])
        message = (
            f"{tag} agrees numerically at {numeric.agreeing} points but is not proved: SymPy could not simplify "
            f"the difference to 0 (points include {shown})"
        )
        return ClaimResult(item.line, "numeric", message, computed, label=tag, method="numeric", points=numeric.points)
    if numeric is None:
        reason = f"time limit of {timeout_s:g} s reached"
    else:
        reason = (
            f"SymPy could not simplify the difference to 0 and the two sides could be compared at only "
            f"{numeric.agreeing} point(s) where both are real"
        )
    return ClaimResult(item.line, "unchecked", f"cannot check {tag}: {reason}", computed, label=tag)


def check_fences(bodies: list[str], timeout_s: float, first_lines: list[int] | None = None) -> list[FenceResult]:
    """Check the fences of one page in order, definitions carried forward; lines are body indexes.

    ``first_lines`` are the file lines of each fence's first body line: messages that name a definition's line
    ("defined on line 12") then give the file line.
    """
    known: dict[str, FunctionDef] = {}
    results = []
    for number, body in enumerate(bodies):
        offset = first_lines[number] if first_lines else 0
        items, _ = parse_fence(body, offset, known)
        lines = []
        for item in items:
            item = replace(item, line=item.line - offset)
            if item.kind == "claim":
                lines.append(FenceLine(item.line, "claim", item.source, check_claim(item, timeout_s)))
            else:
                lines.append(FenceLine(item.line, item.kind, item.source, None, item.error))  # type: ignore[arg-type]
        results.append(FenceResult(0, body, tuple(lines)))
    return results
