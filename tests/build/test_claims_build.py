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
