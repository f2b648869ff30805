"""Split one line of page LaTeX into tokens, refusing anything outside the small alphabet maths needs.

Page text is untrusted. Nothing here evaluates it: the alphabet is a whitelist, so ``__import__('os')``,
``x.__class__`` or backticks stop at the first character that has no business in a formula.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MAX_LINE_CHARS = 2000
MAX_TOKENS = 1200

_OPERATORS = set("+-*/^_()[]{}=,'|&")
# Spacing and sizing commands change only the look of a formula: dropped here.
_SPACING = {",", ";", ":", "!", ">", " ", "quad", "qquad", "left", "right", "big", "Big", "bigg", "Bigg"}
_SPACING |= {s + side for s in ("big", "Big", "bigg", "Bigg") for side in ("l", "r", "m")}
_SPACING |= {"displaystyle", "textstyle", "scriptstyle", "rm", "bf", "it", "mathstrut", "limits", "nolimits"}
# Commands whose one braced argument is presentation only: ``\hspace{1em}``, ``\color{red}``.
_SKIP_ARGUMENT = {"hspace", "vspace", "color", "label", "tag", "phantom", "hphantom", "vphantom"}
_BAR = {"vert", "lvert", "rvert", "mid"}  # |x| written with commands
_GAPS = {",", ";", ":", " ", "quad", "qquad"}  # spaces an author puts between factors


class LatexError(ValueError):
    """LaTeX this checker cannot read; ``column`` is 1-based (0 when it is about the whole line)."""

    def __init__(self, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return f"{self.message} at column {self.column}" if self.column else self.message


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "letter", "cmd", "op", "end"
    text: str  # digits, the letter, the command name without backslash, or the operator
    col: int  # 1-based column of the first character
    spaced: bool = False  # an explicit TeX space (\, \; \quad ...) comes before it: an argument ends there

    def describe(self) -> str:
        if self.kind == "end":
            return "the end of the line"
        if self.kind == "cmd":
            return f"'\\{self.text}'"
        return f"'{self.text}'"


def tokenize(line: str) -> list[Token]:
    if len(line) > MAX_LINE_CHARS:
        raise LatexError(f"line too long ({len(line)} characters; at most {MAX_LINE_CHARS})")
    tokens: list[Token] = []
    gaps: set[int] = set()  # indexes of tokens an explicit space comes before
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        col = i + 1
        if ch in " \t\r":
            i += 1
        elif ch.isascii() and ch.isdigit():
            j = i
            while j < n and line[j].isascii() and line[j].isdigit():
                j += 1
            if j < n and line[j] == "." and j + 1 < n and line[j + 1].isascii() and line[j + 1].isdigit():
                j += 1
                while j < n and line[j].isascii() and line[j].isdigit():
                    j += 1
            tokens.append(Token("num", line[i:j], col))
            i = j
        elif ch.isascii() and ch.isalpha():
            tokens.append(Token("letter", ch, col))
            i += 1
        elif ch == "\\":
            j = i + 1
            if j < n and line[j].isascii() and line[j].isalpha():
                while j < n and line[j].isascii() and line[j].isalpha():
                    j += 1
                name = line[i + 1 : j]
            elif j < n:
                name = line[j]
                j += 1
            else:
                raise LatexError("a lone '\\' at the end of the line", col)
            i = j
            if name in ("{", "}"):
                tokens.append(Token("op", "(" if name == "{" else ")", col))
            elif name == "\\":
                tokens.append(Token("op", "\\", col))  # a line break: only rows of a matrix use it
            elif name == "|":
                raise LatexError(
                    "norms ('\\|') are not supported: write the components, like \\sqrt{x_1^2 + x_2^2}", col
                )
            elif name in _BAR:
                tokens.append(Token("op", "|", col))
            elif name in _SKIP_ARGUMENT:
                i = _skip_braced(line, i, name, col)
            elif name in _SPACING:
                if name in ("left", "right") and i < n and line[i] == ".":
                    i += 1  # \left. is an invisible delimiter
                if name in _GAPS:
                    gaps.add(len(tokens))
            elif name.isalpha():
                tokens.append(Token("cmd", name, col))
            else:
                raise LatexError(f"unexpected command '\\{name}'", col)
        elif ch in _OPERATORS:
            tokens.append(Token("op", ch, col))
            i += 1
        else:
            raise LatexError(f"unexpected character {ch!r}", col)
        if len(tokens) > MAX_TOKENS:
            raise LatexError(f"formula too long (more than {MAX_TOKENS} symbols)", col)
    tokens.append(Token("end", "", n + 1))
    if gaps:
        tokens = [replace(t, spaced=True) if k in gaps else t for k, t in enumerate(tokens)]
    return tokens


def _skip_braced(line: str, i: int, name: str, col: int) -> int:
    """The index after the braced argument of a presentation command (``\\hspace{1em}``), which is dropped."""
    while i < len(line) and line[i] in " \t":
        i += 1
    if i >= len(line) or line[i] != "{":
        raise LatexError(f"expected '{{' after '\\{name}'", col)
    close = line.find("}", i)
    if close < 0 or "{" in line[i + 1 : close]:
        raise LatexError(f"expected a simple '{{...}}' after '\\{name}'", col)
    return close + 1
