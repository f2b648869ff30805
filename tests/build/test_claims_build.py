"""A wrong derivative cannot be merged: the strict build fails and names the claim's line."""

from __future__ import annotations

import pytest

from tests.conftest import build

pytestmark = pytest.mark.build

HEAD = "---\ntitle: {title}\ntags: [calculus]\ndate: 2026-01-01\n---\n\n## The Math Inside\n\n"
RIGHT = HEAD.format(title="Right") + (
    "```verify\nL(w, b) = (y - (wx + b))^2\n"
    "\\frac{\\partial L}{\\partial w} = -2x (y - (wx + b))\n"
    "\\frac{\\partial L}{\\partial b} = -2 (y - (wx + b))\n```\n"
)
WRONG = HEAD.format(title="Wrong") + (
    "Some text.\n\n```verify\nf(x, y) = x^2 y + 3y\n"
    "\\frac{\\partial f}{\\partial x} = 2xy\n"
    "\\frac{\\partial f}{\\partial y} = x^2 + 3y\n```\n"
)
INDEX = "---\ntitle: Home\n---\n[Right](topics/right.md) [Wrong](topics/wrong.md)\n"


def test_right_claims_build_and_show_their_marks(make_wiki) -> None:
    project = make_wiki({"index.md": "---\ntitle: Home\n---\n[Right](topics/right.md)\n", "topics/right.md": RIGHT})
    result = build(project)
    assert result.returncode == 0, result.stderr
    html = (project / "site" / "topics" / "right" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="verify-mark verify-verified"') == 2
    assert "✓ 2 claims proved" in html


def test_one_wrong_claim_fails_the_strict_build_naming_its_line(make_wiki) -> None:
    project = make_wiki({"index.md": INDEX, "topics/right.md": RIGHT, "topics/wrong.md": WRONG})
    result = build(project)
    assert result.returncode != 0
    lines = [row for row in result.stderr.splitlines() if "docs/topics/wrong.md:14:" in row]
    assert lines, result.stderr[-3000:]
    assert "docs/topics/right.md" not in result.stderr
    # the non-strict build also fails on a wrong claim (an error, not a warning) but writes the page with the box
    loose = build(project, strict=False)
    assert loose.returncode != 0
    html = (project / "site" / "topics" / "wrong" / "index.html").read_text(encoding="utf-8")
    assert "verify-mark verify-wrong" in html


NUMERIC = HEAD.format(title="Numeric") + (
    "```verify\nf(x) = \\sqrt{x^2 + 2x + 1}\n"
    "\\frac{df}{dx} = \\frac{x + 1}{|x + 1|}\n"
    "f'(x) = \\frac{x + 1}{\\sqrt{x^2 + 2x + 1}}\n```\n"
)


def test_a_claim_that_only_agrees_numerically_is_shown_as_such_and_fails_only_when_asked(make_wiki) -> None:
    project = make_wiki({"index.md": "---\ntitle: Home\n---\n[N](topics/numeric.md)\n", "topics/numeric.md": NUMERIC})
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (project / "site" / "topics" / "numeric" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="verify-mark verify-numeric"') == 1
    assert html.count('class="verify-mark verify-verified"') == 1
    assert "≈ 1 agrees numerically, not proved" in html and "✓ 1 of 2 claims proved" in html
    assert "compared at:" in html and "x = 0.001" in html  # the points are on the page
    strict = make_wiki(
        {"index.md": "---\ntitle: Home\n---\n[N](topics/numeric.md)\n", "topics/numeric.md": NUMERIC},
        extra={"mathwiki": {"cache_dir": str(project / "cache"), "numeric_claims_fail": True}},
    )
    failed = build(strict)
    assert failed.returncode != 0
    assert "docs/topics/numeric.md:11:" in failed.stderr and "not proved" in failed.stderr


SHADOW = HEAD.format(title="Shadow") + (
    "```verify\nf(x, y) = x^2 y\nf_x(x, y) = 5x^2 y\n```\n\n```verify\ng(x) = log(x^2)\n\\frac{dg}{dx} = 2log(x)\n```\n"
)


def test_notation_that_once_let_wrong_claims_pass_now_fails_the_build(make_wiki) -> None:
    project = make_wiki({"index.md": "---\ntitle: Home\n---\n[S](topics/shadow.md)\n", "topics/shadow.md": SHADOW})
    result = build(project)
    assert result.returncode != 0
    assert "docs/topics/shadow.md:11: wrong derivative: claimed ∂f/∂x" in result.stderr, result.stderr[-3000:]
    assert "docs/topics/shadow.md:16: wrong derivative: claimed dg/dx" in result.stderr
