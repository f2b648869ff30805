"""A recursive-descent parser for the LaTeX of verify fences that builds SymPy objects directly.

Why not ``sympy.parse_latex`` or ``sympify``: both end in ``eval`` of text derived from the page. Here every
SymPy object is built by this module from tokens it recognised, so page text never becomes code, and every
limit (line length, nesting, exponent size) is checked before SymPy does any work.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import sympy

from mathwiki.latex.tokens import LatexError, Token, tokenize

MAX_DEPTH = 100  # nesting counter; every bracket level costs two, so about 50 levels of brackets
MAX_EXPONENT = 1000  # largest number allowed as an exponent
MAX_NUMBER_IN_EXPONENT = 10**6  # largest number inside a symbolic exponent
MAX_DIGITS = 5000  # largest integer a numeric power may produce

GREEK = {
    name: name
    for name in (
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron rho sigma tau "
        "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell"
    ).split()
}
GREEK.update(varepsilon="epsilon", vartheta="theta", varphi="phi", varrho="rho", varsigma="sigma", varpi="pi")

FUNCTIONS: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "exp": sympy.exp,
    "ln": sympy.log,
    "log": sympy.log,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "cot": sympy.cot,
    "sec": sympy.sec,
    "csc": sympy.csc,
    "arcsin": sympy.asin,
    "arccos": sympy.acos,
    "arctan": sympy.atan,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "tanh": sympy.tanh,
}
_FRACS = ("frac", "dfrac", "tfrac")
_NAMED = ("mathrm", "operatorname", "mathit", "text")
_ACCENTS = {"hat": "hat", "bar": "bar", "tilde": "tilde"}
_TIMES = ("cdot", "times")
_UNSUPPORTED_HINTS = {
    "sum": "sums (\\sum) are not supported in verify fences: write small explicit cases",
    "prod": "products (\\prod) are not supported in verify fences: write small explicit cases",
    "mathbf": "vectors (\\mathbf) are not supported in verify fences: write the components as w_1, w_2",
    "partial": "'\\partial' belongs only on the left side of a claim",
}


def python_name(symbol_name: str) -> str:
    """The Python parameter name of a LaTeX symbol: ``w_1`` -> ``w_1``, ``lambda`` -> ``lambda_``."""
    return symbol_name + "_" if keyword.iskeyword(symbol_name) else symbol_name


@dataclass(frozen=True)
class FunctionDef:
    """A function defined in a verify fence: ``name(params) = expr``."""

    name: str
    params: tuple[sympy.Symbol, ...]
    expr: sympy.Expr
    line: int = 0

    def constants(self) -> list[sympy.Symbol]:
        return sorted((s for s in self.expr.free_symbols if s not in self.params), key=lambda s: s.name)


@dataclass(frozen=True)
class Definition:
    name: str
    params: tuple[sympy.Symbol, ...]
    expr: sympy.Expr


@dataclass(frozen=True)
class Claim:
    name: str
    variables: tuple[str, ...]  # one entry per differentiation: ("x", "x") is the second derivative in x
    partial: bool
    expr: sympy.Expr = field(compare=False)


class _Parser:
    def __init__(self, line: str, functions: Mapping[str, FunctionDef], shadowed: frozenset[str] = frozenset()):
        self.tokens = tokenize(line)
        self.pos = 0
        self.depth = 0
        self.functions = functions
        self.shadowed = shadowed

    # -- token helpers -------------------------------------------------------------------------------------
    @property
    def peek(self) -> Token:
        return self.tokens[self.pos]

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
        factors = [self.factor()]
        while True:
            t = self.peek
            if (t.kind == "cmd" and t.text in (*_TIMES, "div")) or (t.kind == "op" and t.text in "*/"):
                self.advance()
                divide = t.text in ("/", "div")
                if self.at_op("-"):
                    self.advance()
                    factor = -self.factor()
                else:
                    factor = self.factor()
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

    def starts_factor(self, t: Token) -> bool:
        if t.kind in ("num", "letter"):
            return True
        if t.kind == "op":
            return t.text in "([{"
        return t.kind == "cmd" and t.text not in (*_TIMES, "div")

    def factor(self) -> sympy.Expr:
        base = self.atom()
        if self.at_op("^"):
            col = self.advance().col
            base = self.power(base, self.single("'^'"), col)
            if self.at_op("^"):
                raise LatexError("double superscript: put braces around the base, like {x^2}^3", self.peek.col)
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
            if t.kind == "num" or not self.starts_factor(t) or (t.kind == "op" and t.text in "(["):
                break  # \tanh z (1 - z) is tanh(z)(1 - z)
            if t.kind == "cmd" and (t.text in FUNCTIONS or t.text in _FRACS):
                break
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
        elif t.kind in ("letter", "cmd") and not (t.kind == "cmd" and t.text in (*_TIMES, *FUNCTIONS)):
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
                return self.group("{", "}")
            raise self.fail("a number, a letter, a command or '('")
        if t.kind == "letter":
            self.advance()
            return self.resolve(self.subscripted(t.text), t)
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
        if name in _NAMED:
            self.advance()
            word = self.braced_word(name)
            if len(word) == 1:
                return self.resolve(self.subscripted(word), t)
            return self.resolve(self.subscripted(word), t, named=True)
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
            if self.at_op("(", "["):
                return self.apply_defined(self.functions[name], token)
            definition = self.functions[name]
            raise LatexError(
                f"'{name}' is a function defined on line {definition.line}: write it with its arguments, "
                f"like {name}({', '.join(p.name for p in definition.params)})",
                token.col,
            )
        if named and self.at_op("("):
            raise LatexError(f"unknown function '{name}' (define it first in a verify fence)", token.col)
        return sympy.Symbol(name)

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
    def name(self, what: str) -> str:
        """A function or variable name: a letter, a Greek letter or ``\\mathrm{LSE}``, maybe subscripted."""
        t = self.peek
        if t.kind == "letter":
            self.advance()
            base = t.text
        elif t.kind == "cmd" and t.text in GREEK and t.text != "pi":
            self.advance()
            base = GREEK[t.text]
        elif t.kind == "cmd" and t.text in _NAMED:
            self.advance()
            base = self.braced_word(t.text)
        elif t.kind == "cmd" and t.text in _ACCENTS:
            self.advance()
            base = f"{self.braced_word(t.text) if self.at_op('{') else self.advance().text}_{_ACCENTS[t.text]}"
        else:
            raise self.fail(what)
        return self.subscripted(base)

    def definition(self) -> Definition:
        name = self.name("a function name (like f, L, \\sigma or \\mathrm{LSE})")
        self.expect_op("(", f" after the function name '{name}' (a definition looks like f(x, y) = ...)")
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
            break
        self.expect_op("=", " after the definition's left side")
        self.shadowed = frozenset(p.name for p in params)
        expr = self.expr()
        self.finish()
        return Definition(name, tuple(params), expr)

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
        if t.kind == "cmd" and t.text in _NAMED and self.tokens[self.pos + 1].text == "{":
            save = self.pos
            self.advance()
            if self.braced_word(t.text) == "d":
                return True
            self.pos = save
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

    def claim_head(self) -> tuple[str, tuple[str, ...], bool]:
        self.advance()  # \frac
        self.expect_op("{", " after '\\frac' (a claim starts like \\frac{\\partial f}{\\partial x} = ...)")
        partial = self.at("cmd", "partial")
        if not self.differential(partial):
            raise self.fail("'\\partial' or 'd' at the start of the derivative (like \\frac{\\partial f}{\\partial x})")
        order = self.order()
        name = self.name("the name of the function being differentiated")
        self.expect_op("}", " after the function name in the derivative's numerator")
        self.expect_op("{", " for the derivative's denominator")
        variables: list[str] = []
        while not self.at_op("}"):
            symbol = "'\\partial'" if partial else "'d'"
            if not self.differential(partial):
                raise self.fail(f"{symbol} before each variable in the denominator")
            variable = self.name("a variable name")
            variables.extend([variable] * self.order())
        self.advance()
        if len(variables) != order:
            raise LatexError(
                f"the numerator says order {order} but the denominator has {len(variables)} variable(s)",
                self.peek.col,
            )
        self.expect_op("=", " after the derivative")
        return name, tuple(variables), partial


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


def parse_line(line: str, functions: Mapping[str, FunctionDef] | None = None) -> Definition | Claim:
    """A definition ``f(x, y) = ...`` or a claim ``\\frac{\\partial f}{\\partial x} = ...``.

    ``functions`` are the definitions made earlier on the page; a claim's right side may apply them.
    Raises ``LatexError`` with the column of the problem.
    """
    functions = functions or {}
    parser = _Parser(line, functions)
    if parser.at("cmd") and parser.peek.text in _FRACS:
        name, variables, partial = parser.claim_head()
        if name in functions:
            parser.shadowed = frozenset(p.name for p in functions[name].params)
        expr = parser.expr()
        parser.finish()
        return Claim(name, variables, partial, expr)
    if parser.at("end"):
        raise LatexError("empty line")
    return parser.definition()
