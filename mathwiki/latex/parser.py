"""A recursive-descent parser for the LaTeX of verify fences that builds SymPy objects directly.

Why not ``sympy.parse_latex`` or ``sympify``: both end in ``eval`` of text derived from the page. Here every
SymPy object is built by this module from tokens it recognised, so page text never becomes code, and every
limit (line length, nesting, exponent size) is checked before SymPy does any work.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy

from mathwiki.latex.tokens import LatexError, Token, tokenize
from mathwiki.vocabulary import FUNCTIONS

MAX_DEPTH = 100  # nesting counter; every bracket level costs two, so about 50 levels of brackets
MAX_EXPONENT = 1000  # largest number allowed as an exponent
MAX_NUMBER_IN_EXPONENT = 10**6  # largest number inside a symbolic exponent
MAX_DIGITS = 5000  # largest integer a numeric power may produce
MAX_SUM_TERMS = 50  # terms an expanded \\sum may have

GREEK = {
    name: name
    for name in (
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron rho sigma tau "
        "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell"
    ).split()
}
GREEK.update(varepsilon="epsilon", vartheta="theta", varphi="phi", varrho="rho", varsigma="sigma", varpi="pi")

# Names that are read as functions when a bracket follows them, so an undefined one is an error, never a
# product: ``\sigma(x)`` with no definition of sigma is not sigma times x.
FUNCTION_LIKE = frozenset({"f", "g", "h", "sigma", "phi", "psi", "Phi", "Psi", "ell"})
# Letters a run of plain letters is checked against: every built-in function name of two letters or more.
_WORDS = tuple(sorted(FUNCTIONS, key=len, reverse=True))
_MATRICES = ("bmatrix", "pmatrix", "matrix", "Bmatrix")
_GREEK_NAMES = frozenset(GREEK.values())
_FRACS = ("frac", "dfrac", "tfrac")
_NAMED = ("mathrm", "operatorname", "mathit", "text", "textrm", "textit", "mathsf")
_TRANSPARENT = ("boldsymbol", "bm")  # bold on a scalar changes nothing
_ACCENTS = {"hat": "hat", "bar": "bar", "tilde": "tilde"}
_TIMES = ("cdot", "times")
_UNSUPPORTED_HINTS = {
    "prod": "products (\\prod) are not supported in verify fences: write small explicit cases",
    "mathbf": "vectors (\\mathbf) are not supported in verify fences: write the components as w_1, w_2",
    "partial": "'\\partial' belongs only on the left side of a claim",
}


def python_name(symbol_name: str) -> str:
    """The Python parameter name of a LaTeX symbol: ``w_1`` -> ``w_1``, ``lambda`` -> ``lambda_``."""
    return symbol_name + "_" if keyword.iskeyword(symbol_name) else symbol_name


@dataclass(frozen=True)
class FunctionDef:
    """A function defined in a verify fence: ``name(params) = expr`` (or ``name = expr``: ``implicit``)."""

    name: str
    params: tuple[sympy.Symbol, ...]
    expr: sympy.Expr
    line: int = 0
    implicit: bool = False  # defined without an argument list: its variables are the symbols it uses

    def constants(self) -> list[sympy.Symbol]:
        return sorted((s for s in self.expr.free_symbols if s not in self.params), key=lambda s: s.name)


@dataclass(frozen=True)
class Definition:
    name: str
    params: tuple[sympy.Symbol, ...]
    expr: sympy.Expr
    implicit: bool = False


@dataclass(frozen=True)
class Claim:
    """``d^k name / d variables = steps[0] = steps[1] ...``.

    ``target`` is the expression differentiated when the claim is written in operator form
    (``\\frac{d}{dx}(x^2 \\sin x)``) rather than about a function defined on the page; ``at`` are the
    arguments the derivative is evaluated at (``f'(t)``, ``\\frac{df}{dx}(2)``), ``entries`` the claims of a
    gradient or Hessian, one per entry, ``where`` names the entry (``row 1, column 2``).
    """

    name: str
    variables: tuple[str, ...]  # one entry per differentiation: ("x", "x") is the second derivative in x
    partial: bool
    expr: sympy.Expr = field(compare=False)
    steps: tuple[sympy.Expr, ...] = field(default=(), compare=False)
    target: sympy.Expr | None = field(default=None, compare=False)
    at: tuple[sympy.Expr, ...] | None = field(default=None, compare=False)
    entries: tuple[Claim, ...] = field(default=(), compare=False)
    where: str = ""
    operator: bool = False  # written as an operator applied to an expression
    function: FunctionDef | None = field(default=None, compare=False)  # the defined function it is about
    group: bool = False  # several claims on one line, separated by commas: ``entries``

    @property
    def sides(self) -> tuple[sympy.Expr, ...]:
        return self.steps or (self.expr,)


def _letter_runs(tokens: list[Token]) -> list[str]:
    """For each token, the run of adjacent plain letters that starts there ("" for other tokens)."""
    runs = [""] * len(tokens)
    for i in range(len(tokens) - 1, -1, -1):
        t = tokens[i]
        if t.kind != "letter":
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        joined = after is not None and after.kind == "letter" and after.col == t.col + 1
        runs[i] = t.text + (runs[i + 1] if joined else "")
        if len(runs[i]) > 64:
            runs[i] = runs[i][:64]
    return runs


def _drop_alignment(tokens: list[Token]) -> list[Token]:
    """``&`` outside a matrix is an alignment mark and a final ``\\\\`` ends a row of ``aligned``: both dropped."""
    kept: list[Token] = []
    depth = 0
    for i, t in enumerate(tokens):
        if t.kind == "cmd" and t.text == "begin":
            depth += 1
        elif t.kind == "cmd" and t.text == "end":
            depth = max(0, depth - 1)
        if depth == 0 and t.kind == "op" and t.text == "&":
            continue
        if depth == 0 and t.kind == "op" and t.text == "\\" and tokens[i + 1].kind == "end":
            continue
        kept.append(t)
    return kept


class _Parser:
    def __init__(
        self,
        line: str,
        functions: Mapping[str, FunctionDef],
        shadowed: frozenset[str] = frozenset(),
        tokens: list[Token] | None = None,
    ):
        self.line = line
        self.tokens = tokens if tokens is not None else _drop_alignment(tokenize(line))
        self.runs = _letter_runs(self.tokens)
        self.pos = 0
        self.depth = 0
        self.functions = functions
        self.shadowed = shadowed
        self.own: FunctionDef | None = None  # the function a claim is about: its bare name is its value
        self.bare_uses = 0  # how often the bare name of ``own`` was read (the shorthand sigma(1 - sigma))
        self.bars = 0  # |...| groups open: inside one, '|' closes

    # -- token helpers -------------------------------------------------------------------------------------
    @property
    def peek(self) -> Token:
        return self.tokens[self.pos]

    def ahead(self, k: int = 1) -> Token:
        return self.tokens[min(self.pos + k, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        t = self.peek
        return t.kind == kind and (text is None or t.text == text)

    def at_op(self, *ops: str) -> bool:
        return self.peek.kind == "op" and self.peek.text in ops

    def expect_op(self, op: str, what: str = "") -> Token:
        if not self.at_op(op):
            found = self.peek
            raise LatexError(f"expected '{op}'{what}, found {found.describe()}", found.col)
        return self.advance()

    def fail(self, expected: str) -> LatexError:
        return LatexError(f"expected {expected}, found {self.peek.describe()}", self.peek.col)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LatexError(f"formula nested too deeply (at most {MAX_DEPTH // 2} levels)", self.peek.col)

    def take_digit(self) -> Token:
        """One digit of a number token: ``\\frac12`` and ``x^23`` take a single digit, as TeX does."""
        token = self.peek
        if "." in token.text:
            raise LatexError(f"put the decimal number {token.text} in braces", token.col)
        if len(token.text) > 1:
            self.tokens[self.pos] = Token("num", token.text[1:], token.col + 1)
            return Token("num", token.text[0], token.col)
        return self.advance()

    def finish(self) -> None:
        if not self.at("end"):
            raise self.fail("an operator or the end of the line")

    def text_between(self, start: int, end: int) -> str:
        """The page text of tokens ``start`` up to (not including) ``end``."""
        first = self.tokens[start].col - 1
        last = self.tokens[end].col - 1 if end < len(self.tokens) else len(self.line)
        return self.line[first:last].strip()

    # -- expressions ---------------------------------------------------------------------------------------
    def expr(self) -> sympy.Expr:
        self.enter()
        negative = False
        if self.at_op("+", "-"):
            negative = self.advance().text == "-"
        first = self.term()
        terms = [-first if negative else first]
        while self.at_op("+", "-"):
            sign = self.advance().text
            term = self.term()
            terms.append(-term if sign == "-" else term)
        self.depth -= 1
        return sympy.Add(*terms)

    def term(self) -> sympy.Expr:
        start = self.pos
        factors = [self.factor()]
        while True:
            t = self.peek
            if (t.kind == "cmd" and t.text in (*_TIMES, "div")) or (t.kind == "op" and t.text in "*/"):
                self.advance()
                divide = t.text in ("/", "div")
                divisor_start = self.pos
                if self.at_op("-"):
                    self.advance()
                    factor = -self.factor()
                else:
                    factor = self.factor()
                if divide and self.starts_factor(self.peek) and self.peek.kind != "num":
                    self.ambiguous_division(start, divisor_start, t)
                factors.append(self.power(factor, sympy.Integer(-1), t.col) if divide else factor)
            elif t.kind == "num":
                raise LatexError(
                    f"unexpected number '{t.text}' after a factor "
                    f"(write \\cdot between numbers, or x_{t.text} "
                    "for an index)",
                    t.col,
                )
            elif self.starts_factor(t):
                factors.append(self.factor())
            else:
                return sympy.Mul(*factors)

    def ambiguous_division(self, start: int, divisor_start: int, slash: Token) -> None:
        """``a/bc``: is c in the denominator or not? Both readings are common, so the line is refused."""
        after = self.pos
        save = self.pos
        self.factor()
        end = self.pos
        self.pos = save
        top = self.text_between(start, divisor_start - 1)
        bottom = self.text_between(divisor_start, after)
        rest = self.text_between(after, end)
        raise LatexError(
            f"'{top}/{bottom} {rest}' is ambiguous: it can be read as ({top}/{bottom})·{rest} or as "
            f"{top}/({bottom}·{rest}); write \\frac{{{top}}}{{{bottom} {rest}}} or ({top}/{bottom}) {rest}",
            slash.col,
        )

    def starts_factor(self, t: Token) -> bool:
        if t.kind in ("num", "letter"):
            return True
        if t.kind == "op":
            return t.text in "([{" or (t.text == "|" and self.bars == 0)
        return t.kind == "cmd" and t.text not in (*_TIMES, "div", "end", "over")

    def factor(self) -> sympy.Expr:
        base = self.atom()
        if self.at_op("^"):
            col = self.advance().col
            base = self.power(base, self.single("'^'"), col)
            if self.at_op("^"):
                raise LatexError("double superscript: put braces around the base, like {x^2}^3", self.peek.col)
        if self.at_op("'"):
            raise LatexError(
                "a prime (') on the right side is not supported: write the derivative out, or claim it on its own line",
                self.peek.col,
            )
        return base

    def factor_run(self) -> sympy.Expr:
        """The argument of ``\\sin 2x`` or ``\\ln x``: factors side by side, up to a function or a bracket."""
        negative = False
        if self.at_op("-"):
            self.advance()
            negative = True
        factors = [self.factor()]
        while True:
            t = self.peek
            if t.kind == "num" or not self.starts_factor(t) or (t.kind == "op" and t.text in "([|"):
                break  # \tanh z (1 - z) is tanh(z)(1 - z)
            if t.spaced:
                break  # \cos x \, e^{x}: an explicit space ends the argument
            if t.kind == "letter" and t.text == "e" and self.ahead().kind == "op" and self.ahead().text == "^":
                break  # \cos x e^{\sin x}: e^{...} is a function of its own, like \exp
            if t.kind == "cmd" and (t.text in FUNCTIONS or t.text in _FRACS or t.text in _NAMED):
                break
            if t.kind == "letter" and any(w in self.runs[self.pos] for w in _WORDS if len(w) > 1):
                break  # \sin x log x: the run starting at log is read (or refused) on its own
            factors.append(self.factor())
        result = sympy.Mul(*factors)
        return -result if negative else result

    def power(self, base: sympy.Expr, exponent: sympy.Expr, col: int) -> sympy.Expr:
        """``base ** exponent`` after checking sizes, so no formula can make SymPy compute a huge number."""
        if exponent.is_Number:
            if abs(exponent) > MAX_EXPONENT:
                raise LatexError(f"exponent too large ({_short(exponent)}; at most {MAX_EXPONENT})", col)
            if base.is_Rational and exponent.is_Rational:
                size = max(abs(base.p), abs(base.q))
                if size > 1 and len(str(size)) * abs(exponent) > MAX_DIGITS:
                    raise LatexError(f"number too large: {_short(base)}^{_short(exponent)}", col)
        else:
            for number in exponent.atoms(sympy.Number):
                if abs(number) > MAX_NUMBER_IN_EXPONENT:
                    raise LatexError(f"number too large in an exponent ({_short(number)})", col)
        return sympy.Pow(base, exponent)

    def single(self, after: str) -> sympy.Expr:
        """A TeX argument: a braced group, or a single digit, letter or command."""
        self.enter()
        t = self.peek
        if t.kind == "op" and t.text == "{":
            result = self.group("{", "}")
        elif t.kind == "num":
            result = sympy.Integer(int(self.take_digit().text))
        elif t.kind == "letter":
            self.advance()  # one letter, as TeX reads x^ab: x^a b
            result = self.resolve(self.subscripted(t.text), t)
        elif t.kind == "cmd" and (t.text == "sqrt" or t.text not in (*_TIMES, *FUNCTIONS)):
            result = self.atom()
        else:
            raise self.fail(f"'{{' or a single character after {after}")
        self.depth -= 1
        return result

    def group(self, opener: str, closer: str) -> sympy.Expr:
        self.expect_op(opener)
        result = self.expr()
        if not self.at_op(closer):
            raise self.fail(f"'{closer}' to close the '{opener}'")
        self.advance()
        return result

    def atom(self) -> sympy.Expr:
        self.enter()
        result = self._atom()
        self.depth -= 1
        return result

    def _atom(self) -> sympy.Expr:
        t = self.peek
        if t.kind == "num":
            self.advance()
            return _number(t.text)
        if t.kind == "op":
            if t.text == "(":
                return self.group("(", ")")
            if t.text == "[":
                return self.group("[", "]")
            if t.text == "{":
                run = self.runs[self.pos + 1] if self.ahead().kind == "letter" else ""
                if run in FUNCTIONS and self.ahead(len(run) + 1).text == "}":  # {\rm sech}^2 x
                    for _ in range(len(run) + 2):
                        self.advance()
                    return self.apply_builtin(run, t)
                if self.ahead().kind == "cmd" and self.ahead().text == "over":
                    raise LatexError("'\\over' is supported only in a claim's head, like {d \\over dx} f(x)", t.col)
                return self.group("{", "}")
            if t.text == "|" and self.bars == 0:
                self.advance()
                self.bars += 1
                inner = self.expr()
                self.bars -= 1
                self.expect_op("|", " to close the '|'")
                return sympy.Abs(inner)
            raise self.fail("a number, a letter, a command or '('")
        if t.kind == "letter":
            return self.letters(t)
        if t.kind != "cmd":
            raise self.fail("a number, a letter, a command or '('")
        name = t.text
        if name == "pi":
            self.advance()
            return sympy.pi
        if name in GREEK:
            self.advance()
            return self.resolve(self.subscripted(GREEK[name]), t)
        if name in _FRACS:
            self.advance()
            self.refuse_derivative(t)
            numerator = self.single(f"'\\{name}'")
            denominator = self.single(f"the numerator of '\\{name}'")
            return sympy.Mul(numerator, self.power(denominator, sympy.Integer(-1), t.col))
        if name == "sqrt":
            self.advance()
            index: sympy.Expr = sympy.Integer(2)
            if self.at_op("["):
                index = self.group("[", "]")
            radicand = self.single("'\\sqrt'")
            return self.power(radicand, self.power(index, sympy.Integer(-1), t.col), t.col)
        if name in FUNCTIONS:
            self.advance()
            return self.apply_builtin(name, t)
        if name == "sum":
            return self.finite_sum(t)
        if name in _NAMED:
            self.advance()
            word = self.braced_word(name)
            if word in FUNCTIONS:
                return self.apply_builtin(word, t)
            if name.startswith("text") and len(word) > 1 and word not in self.functions:
                raise LatexError(
                    f"text inside a formula ('\\{name}{{{word}}}') cannot be checked: put each claim on its own "
                    "line, or write a name with \\mathrm{...}",
                    t.col,
                )
            if len(word) == 1:
                return self.resolve(self.subscripted(word), t)
            return self.resolve(self.subscripted(word), t, named=True)
        if name in _TRANSPARENT:
            self.advance()
            return self.single(f"'\\{name}'")
        if name in _ACCENTS:
            self.advance()
            word = self.braced_word(name) if self.at_op("{") else self.advance().text
            if not word.isalpha():
                raise LatexError(f"expected a letter under '\\{name}'", t.col)
            return self.resolve(self.subscripted(f"{word}_{_ACCENTS[name]}"), t)
        if name in _UNSUPPORTED_HINTS:
            raise LatexError(_UNSUPPORTED_HINTS[name], t.col)
        if name in (*_TIMES, "div"):
            raise self.fail("a factor")
        raise LatexError(f"unsupported command '\\{name}'", t.col)

    def finite_sum(self, t: Token) -> sympy.Expr:
        """``\\sum_{i=1}^{3} x_i^2``: a sum with numeric bounds, expanded (x_i becomes x_1, x_2, x_3)."""
        self.advance()
        hint = "sums need numeric bounds, like \\sum_{i=1}^{3} x_i: write the terms out otherwise"
        if not self.at_op("_") or self.ahead().text != "{":
            raise LatexError(hint, t.col)
        self.advance()
        self.advance()
        index = self.advance()
        if index.kind != "letter" or not self.at_op("="):
            raise LatexError(hint, t.col)
        self.advance()
        low = self.expr()
        self.expect_op("}", " to close the sum's lower bound")
        self.expect_op("^", " for the sum's upper bound")
        high = self.single("'\\sum^'")
        if not (low.is_Integer and high.is_Integer) or not 0 <= int(high) - int(low) < MAX_SUM_TERMS:
            raise LatexError(hint + f" (at most {MAX_SUM_TERMS} terms)", t.col)
        body = self.term()
        terms = [_substitute_index(body, index.text, k) for k in range(int(low), int(high) + 1)]
        return sympy.Add(*terms)

    def refuse_derivative(self, frac: Token) -> None:
        """``\\frac{dy}{dx}`` inside an expression is a derivative, not d times y over d times x."""
        if not self.at_op("{"):
            return
        first = self.ahead()
        depth, k = 0, 0
        while True:  # the token after the numerator's closing brace
            token = self.ahead(k)
            if token.kind == "end":
                return
            if token.kind == "op" and token.text == "{":
                depth += 1
            elif token.kind == "op" and token.text == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        opener, second = self.ahead(k + 1), self.ahead(k + 2)
        is_d = (first.kind == "letter" and first.text == "d") or (first.kind == "cmd" and first.text == "partial")
        is_dx = (second.kind == "letter" and second.text == "d") or (second.kind == "cmd" and second.text == "partial")
        if is_d and opener.kind == "op" and opener.text == "{" and is_dx:
            raise LatexError(
                "a derivative inside an expression is not supported: claim it on its own line",
                frac.col,
            )

    def letters(self, t: Token) -> sympy.Expr:
        """A run of plain letters: a function name (log, sin, LSE) is that function, never a product of letters."""
        run = self.runs[self.pos]
        defined = run in self.functions and run not in self.shadowed
        if len(run) > 1 and (run in FUNCTIONS or defined):
            for _ in run:
                self.advance()
            if run in FUNCTIONS:
                return self.apply_builtin(run, t)
            return self.resolve(self.subscripted(run), t, named=True)
        if len(run) > 1:
            words = [w for w in (*_WORDS, *(n for n in self.functions if len(n) > 1)) if len(w) > 1 and w in run]
            if words:
                word = words[0]
                at = run.index(word)
                reading = "·".join(run)
                other = " ".join(
                    part for part in ("·".join(run[:at]), f"\\{word}", "·".join(run[at + len(word) :])) if part
                )
                raise LatexError(
                    f"'{run}' is ambiguous: it reads as the product {reading} or as {other}; write \\{word} "
                    f"with its argument (like \\{word}(x)), or put \\cdot between the letters",
                    t.col,
                )
        after = self.ahead(len(run))
        if len(run) >= 3 and after.kind == "op" and after.text == "(" and after.col == t.col + len(run):
            raise LatexError(
                f"'{run}(' is ambiguous: it reads as the product {'·'.join(run)}·(...) or as a function named "
                f"{run} that is not defined on this page; define it first, or put \\cdot between the letters",
                t.col,
            )
        self.advance()
        return self.resolve(self.subscripted(t.text), t)

    def braced_word(self, command: str) -> str:
        self.expect_op("{", f" after '\\{command}'")
        word = ""
        while self.peek.kind in ("letter", "num"):
            word += self.advance().text
        if not word or not word[0].isalpha():
            raise self.fail(f"a name in '\\{command}{{...}}'")
        self.expect_op("}", f" to close '\\{command}{{'")
        return word

    def subscripted(self, name: str) -> str:
        if not self.at_op("_"):
            return name
        self.advance()
        t = self.peek
        if t.kind == "num":
            sub = self.take_digit().text
        elif t.kind == "letter":
            sub = self.advance().text
        elif t.kind == "cmd" and t.text in GREEK:
            sub = GREEK[self.advance().text]
        elif self.at_op("{"):
            self.advance()
            sub = ""
            while True:
                t = self.peek
                if t.kind in ("num", "letter"):
                    sub += self.advance().text
                elif t.kind == "cmd" and t.text in GREEK:
                    sub += GREEK[self.advance().text]
                else:
                    break
            if not sub:
                raise self.fail("letters or digits in the subscript")
            self.expect_op("}", " to close the subscript")
        else:
            raise self.fail("a subscript (a letter, a digit or '{...}')")
        if self.at_op("_"):
            raise LatexError("double subscript: write x_{12} for one subscript", self.peek.col)
        return f"{name}_{sub}"

    def resolve(self, name: str, token: Token, named: bool = False) -> sympy.Expr:
        """A name: Euler's e, an application of a function defined earlier, or a symbol."""
        if name == "e":
            return sympy.E
        if name in self.functions and name not in self.shadowed:
            definition = self.functions[name]
            if self.at_op("(", "["):
                if definition is self.own and len(definition.params) == 1:
                    before = self.bare_uses
                    save = self.pos
                    args = self.arguments()
                    if self.bare_uses > before:  # sigma(1 - sigma): the value times a bracket
                        return sympy.Mul(definition.expr, args[0]) if len(args) == 1 else self._arity(definition, token)
                    self.pos = save
                return self.apply_defined(definition, token)
            if definition.implicit:
                return definition.expr
            if definition is self.own:
                self.bare_uses += 1
                return definition.expr
            raise LatexError(
                f"'{name}' is a function defined on line {definition.line}: write it with its arguments, "
                f"like {name}({', '.join(p.name for p in definition.params)})",
                token.col,
            )
        base = name.split("_")[0]
        multi_letter = len(base) > 1 and base not in _GREEK_NAMES
        if self.at_op("(") and (named or base in FUNCTION_LIKE or multi_letter) and not name.endswith("_hat"):
            shown = "\\" + name if base in GREEK else name
            raise LatexError(
                f"unknown function '{shown}': it is applied to a bracket but not defined on this page; define it "
                f"first (like {shown}(x) = ...), or write {shown} \\cdot (...) if you mean a product",
                token.col,
            )
        return sympy.Symbol(name)

    def _arity(self, definition: FunctionDef, token: Token) -> sympy.Expr:
        raise LatexError(f"'{definition.name}' takes {len(definition.params)} argument(s)", token.col)

    def arguments(self) -> list[sympy.Expr]:
        closer = ")" if self.advance().text == "(" else "]"
        args = [self.expr()]
        while self.at_op(","):
            self.advance()
            args.append(self.expr())
        if not self.at_op(closer):
            raise self.fail(f"',' or '{closer}' in the argument list")
        self.advance()
        return args

    def apply_defined(self, definition: FunctionDef, token: Token) -> sympy.Expr:
        args = self.arguments()
        if len(args) != len(definition.params):
            raise LatexError(
                f"'{definition.name}' takes {len(definition.params)} argument(s) "
                f"({', '.join(p.name for p in definition.params)}), found {len(args)}",
                token.col,
            )
        return definition.expr.xreplace(dict(zip(definition.params, args, strict=True)))

    def apply_builtin(self, name: str, token: Token) -> sympy.Expr:
        exponent: sympy.Expr | None = None
        base: sympy.Expr | None = None
        while True:
            if self.at_op("^") and exponent is None:
                self.advance()
                exponent = self.single(f"'\\{name}^'")
                if exponent.is_Number and exponent < 0:
                    raise LatexError(f"'\\{name}^{{-1}}' is ambiguous: write \\arc{name} or 1/\\{name}", token.col)
            elif self.at_op("_") and name == "log" and base is None:
                self.advance()
                base = self.single("'\\log_'")
            else:
                break
        if self.at_op("(", "["):
            closer = ")" if self.peek.text == "(" else "]"
            arg = self.group(self.peek.text, closer)
        elif self.at_op("{"):
            arg = self.group("{", "}")
        elif self.at_op("|") and self.bars == 0:
            arg = self.factor()
        elif self.at("end") or (self.peek.kind == "op" and self.peek.text not in "-"):
            raise self.fail(f"an argument for '\\{name}'")
        else:
            arg = self.factor_run()
        result = FUNCTIONS[name](arg)
        if base is not None:
            result = sympy.Mul(result, sympy.Pow(sympy.log(base), -1))
        if exponent is not None:
            result = self.power(result, exponent, token.col)
        return result

    # -- heads of lines ------------------------------------------------------------------------------------
    def base_name(self, what: str) -> str:
        """A name without its subscript: a letter (or a run of them), a Greek letter, ``\\mathrm{LSE}``."""
        t = self.peek
        if t.kind == "letter":
            run = self.runs[self.pos]
            if len(run) > 1 and (run in self.functions or self.ahead(len(run)).text in ("(", "=", "_")):
                if run in FUNCTIONS:
                    raise LatexError(f"'{run}' is a built-in function and cannot be defined again", t.col)
                for _ in run:
                    self.advance()
                return run
            self.advance()
            return t.text
        if t.kind == "cmd" and t.text in GREEK and t.text != "pi":
            self.advance()
            return GREEK[t.text]
        if t.kind == "cmd" and t.text in _NAMED:
            self.advance()
            word = self.braced_word(t.text)
            if word in FUNCTIONS:
                raise LatexError(f"'{word}' is a built-in function and cannot be defined again", t.col)
            return word
        if t.kind == "cmd" and t.text in _ACCENTS:
            self.advance()
            return f"{self.braced_word(t.text) if self.at_op('{') else self.advance().text}_{_ACCENTS[t.text]}"
        raise self.fail(what)

    def name(self, what: str) -> str:
        """A function or variable name: a letter, a Greek letter or ``\\mathrm{LSE}``, maybe subscripted."""
        return self.subscripted(self.base_name(what))

    def parameters(self) -> tuple[sympy.Symbol, ...]:
        self.expect_op("(")
        params: list[sympy.Symbol] = []
        while True:
            t = self.peek
            param = self.name("a variable name")
            if param == "e":
                raise LatexError("'e' is Euler's number and cannot be a variable", t.col)
            if any(p.name == param for p in params):
                raise LatexError(f"variable '{param}' appears twice", t.col)
            params.append(sympy.Symbol(param))
            if self.at_op(","):
                self.advance()
                continue
            self.expect_op(")", " or ',' after a variable")
            return tuple(params)

    def definition(self) -> Definition:
        name = self.name("a function name (like f, L, \\sigma or \\mathrm{LSE})")
        if name == "e":
            raise LatexError("'e' is Euler's number and cannot be defined", 1)
        if self.at_op("="):  # y = x^2 + 1: the variables are the symbols it uses
            self.advance()
            self.shadowed = frozenset({name})
            expr = self.expr()
            self.finish()
            params = tuple(sorted(expr.free_symbols, key=lambda s: s.name))
            return Definition(name, params, expr, implicit=True)  # type: ignore[arg-type]
        if not self.at_op("("):
            raise self.fail(f"'(' or '=' after the name '{name}' (a definition looks like f(x, y) = ...)")
        params = self.parameters()
        self.expect_op("=", " after the definition's left side")
        self.shadowed = frozenset(p.name for p in params)
        expr = self.expr()
        self.finish()
        return Definition(name, params, expr)

    def differential(self, partial: bool) -> bool:
        """Consume ``\\partial`` or ``d`` / ``\\mathrm{d}``; report whether one was there."""
        t = self.peek
        if partial:
            if t.kind == "cmd" and t.text == "partial":
                self.advance()
                return True
            return False
        if t.kind == "letter" and t.text == "d":
            self.advance()
            return True
        if t.kind == "cmd" and t.text in _NAMED and self.ahead().text == "{":
            save = self.pos
            self.advance()
            if self.braced_word(t.text) == "d":
                return True
            self.pos = save
        if t.kind == "cmd" and t.text in _NAMED and self.ahead().kind == "letter" and self.ahead().text == "d":
            self.advance()  # \mathrm d x, without braces
            self.advance()
            return True
        return False

    def order(self) -> int:
        if not self.at_op("^"):
            return 1
        self.advance()
        t = self.peek
        value = self.single("'^'")
        if not value.is_Integer or not 1 <= int(value) <= 3:
            raise LatexError("the order of a derivative must be 1, 2 or 3", t.col)
        return int(value)

    def sides(self) -> tuple[sympy.Expr, ...]:
        """``= a = b = c``: every right side of a chain, each checked."""
        self.expect_op("=", " after the derivative")
        sides = [self.expr()]
        while self.at_op("="):
            self.advance()
            sides.append(self.expr())
        self.finish()
        return tuple(sides)


def _substitute_index(expr: sympy.Expr, index: str, value: int) -> sympy.Expr:
    """``x_i`` -> ``x_2``, ``w_{ij}`` -> ``w_2j`` and ``i`` -> 2 in one term of an expanded sum."""
    mapping: dict[sympy.Symbol, sympy.Expr] = {}
    for symbol in expr.free_symbols:
        name = symbol.name
        if name == index:
            mapping[symbol] = sympy.Integer(value)
            continue
        base, _, sub = name.partition("_")
        if sub == index or (len(sub) <= 3 and sub.isalnum() and index in sub and sub not in _GREEK_NAMES):
            mapping[symbol] = sympy.Symbol(f"{base}_{sub.replace(index, str(value))}")
    return expr.xreplace(mapping)


def _number(text: str) -> sympy.Rational:
    if "." in text:
        whole, fraction = text.split(".")
        return sympy.Rational(int(whole + fraction), 10 ** len(fraction))
    return sympy.Integer(int(text))


def _short(number: sympy.Expr) -> str:
    text = str(number)
    return text if len(text) <= 20 else text[:8] + "..." + text[-4:]


def parse_expression(text: str, functions: Mapping[str, FunctionDef] | None = None) -> sympy.Expr:
    """One LaTeX expression, like the right side of a claim."""
    parser = _Parser(text, functions or {})
    expr = parser.expr()
    parser.finish()
    return expr


def parse_line(
    line: str, functions: Mapping[str, FunctionDef] | None = None, previous: Claim | None = None
) -> Definition | Claim:
    """A definition ``f(x, y) = ...`` or a claim (``\\frac{\\partial f}{\\partial x} = ...``, ``f'(x) = ...``,
    ``f_x = ...``, ``\\partial_x f = ...``, ``dy/dx = ...``, ``\\nabla f = (...)``, operator forms).

    ``functions`` are the definitions made earlier on the page; a claim's right side may apply them.
    ``previous`` is the claim of the line before: a line starting with ``=`` continues its chain.
    Raises ``LatexError`` with the column of the problem.
    """
    from mathwiki.latex.heads import read_line

    return read_line(_Parser(_tidy(line), functions or {}), previous)


def _tidy(line: str) -> str:
    """Presentation around a line that changes nothing: a final '.' or ',', ``\\begin{aligned}`` and its end."""
    text = line.strip()
    for opener in ("\\begin{aligned}", "\\begin{align*}", "\\begin{align}", "\\begin{split}"):
        if text.startswith(opener):
            text = " " * len(opener) + text[len(opener) :]  # spaces keep the columns of the rest
    for closer in ("\\end{aligned}", "\\end{align*}", "\\end{align}", "\\end{split}"):
        if text.endswith(closer):
            text = text[: -len(closer)].strip()
    while text.endswith((".", ",")):
        text = text[:-1].rstrip()
    return text
