"""The checker around the table: fences of a page, unchecked reasons, parse errors, time limits, bindings."""

from __future__ import annotations

import time

from mathwiki.claims import bindings
from mathwiki.claims.check import check_fences, parse_fence
from mathwiki.claims.model import fence_from_json, fence_to_json, relocate, summary
from mathwiki.claims.runner import problems_of


def _verdicts(*bodies: str, timeout: float = 10.0) -> list[list[str]]:
    return [[r.verdict for r in fence.claims()] for fence in check_fences(list(bodies), timeout)]


def test_later_fences_see_earlier_definitions() -> None:
    first = r"\sigma(z) = \frac{1}{1 + e^{-z}}"
    second = r"L(w) = \sigma(w x)" "\n" r"\frac{dL}{dw} = x \sigma(wx)(1 - \sigma(wx))"
    assert _verdicts(first, second) == [[], ["verified"]]


def test_a_second_definition_of_a_name_is_an_error_not_a_silent_replacement() -> None:
    known: dict = {}
    parse_fence(r"f(x) = x^2", 3, known)
    items, problems = parse_fence(r"f(x) = x^3" "\n" r"\frac{df}{dx} = 2x", 10, known)
    assert problems == [
        (
            10,
            "'f' is already defined on line 3: a second definition would silently change every line after it; "
            "give this one another name",
        )
    ]
    assert known["f"].expr == parse_fence("f(x) = x^2", 0, {})[0][0].function.expr  # type: ignore[union-attr]


def test_unchecked_reasons() -> None:
    [fence] = check_fences([r"f(x) = a x^2" "\n" r"\frac{\partial f}{\partial a} = x^2" "\n" r"\frac{dg}{dx} = 1"], 5)
    first, second = fence.claims()
    assert first.verdict == second.verdict == "unchecked"
    assert "'a' is not a variable of f(x)" in first.message
    assert "unknown function 'g'" in second.message


def test_parse_errors_name_line_and_column() -> None:
    known: dict = {}
    items, problems = parse_fence("f(x) = x^2\n  \\frac{df}{dx} = 2x;", 7, known)
    assert problems == [(8, "cannot read this line: unexpected character ';' (column 21)")]
    assert "f" in known and items[0].kind == "definition"


def test_comments_and_blank_lines_are_ignored() -> None:
    assert _verdicts("% a comment\n\nf(x) = x\n\\frac{df}{dx} = 1\n") == [["verified"]]


def test_constant_offset_too_small_for_numbers_is_still_wrong() -> None:
    [fence] = check_fences([r"f(x) = e^x" "\n" r"\frac{df}{dx} = e^x + 10^{-90}"], 5)
    [claim] = fence.claims()
    assert claim.verdict == "wrong" and "differ everywhere" in claim.message


def test_numbers_decide_when_algebra_cannot() -> None:
    body = r"f(x) = (x + 1)^{200}" "\n" r"\frac{df}{dx} = 200 (1 + x)^{199}"
    [fence] = check_fences([body], 5)
    assert fence.claims()[0].verdict == "verified"


def test_time_limit_gives_unchecked_quickly() -> None:
    body = r"f(x) = (x^{3} + x + 1)^{1000} (x^2 + 1)^{999}" "\n" r"\frac{d^3 f}{dx^3} = 1"
    started = time.perf_counter()
    [fence] = check_fences([body], 0.2)
    assert time.perf_counter() - started < 5
    assert fence.claims()[0].verdict in ("unchecked", "wrong")


def test_hostile_fence_lines_are_errors_not_code() -> None:
    body = "f(x) = __import__('os').system('true')\n" + "g(x) = " + "(" * 300 + "x" + ")" * 300
    [fence] = check_fences([body], 5)
    assert [line.kind for line in fence.lines] == ["error", "error"]
    problems = problems_of("docs/x.md", [relocate(fence, 3)])
    assert [str(p).split(": ")[0] for p in problems] == ["docs/x.md:4", "docs/x.md:5"]
    assert all(p.severity == "error" for p in problems)


def test_json_round_trip_and_summary() -> None:
    fences = check_fences([r"f(x) = x^2" "\n" r"\frac{df}{dx} = 2x" "\n" r"\frac{df}{dx} = x"], 5)
    again = [fence_from_json(fence_to_json(f)) for f in fences]
    assert again == fences
    assert summary(again) == (1, 2)


def test_bindings_local() -> None:
    fences = [r"L(w, b) = (y - (wx + b))^2"]
    assert bindings.definition_symbols_local(fences, "L") == ["w", "b", "x", "y"]
    point = {"w": 0.5, "b": 0.25, "x": 2.0, "y": 1.0}
    [[dw, db, dwb]] = bindings.expected_values_local(fences, "L", [("w",), ("b",), ("w", "b")], [point])
    residual = 1.0 - (0.5 * 2.0 + 0.25)
    assert abs(dw - (-2 * 2.0 * residual)) < 1e-12 and abs(db - (-2 * residual)) < 1e-12 and dwb == 4.0
