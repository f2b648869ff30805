"""The verify fence through a bare Python-Markdown with SuperFences, as a page would render it."""

from __future__ import annotations

import re

import markdown
import pytest

from mathwiki.claims.check import check_fences
from mathwiki.claims.model import FenceResult, relocate
from mathwiki.claims.render import make_formatter
from mathwiki.fences import same_body

PAGE = r"""
Some text.

```verify
f(x, y) = x^2 y + 3y
\frac{\partial f}{\partial x} = 2xy
\frac{\partial f}{\partial y} = x^2 + 2
\frac{\partial f}{\partial t} = 1
```
"""
BODY = PAGE.split("```verify\n")[1].split("\n```")[0]


def _render(text: str, enabled: bool = True, results: dict[str, FenceResult] | None = None) -> str:
    def lookup(body: str) -> FenceResult | None:
        return next((result for known, result in (results or {}).items() if same_body(body, known)), None)

    formatter, validator = make_formatter(lookup, lambda: enabled, "1.14.0")
    md = markdown.Markdown(
        extensions=["pymdownx.superfences"],
        extension_configs={
            "pymdownx.superfences": {
                "custom_fences": [{"name": "verify", "class": "verify", "format": formatter, "validator": validator}]
            }
        },
    )
    return md.convert(text)


@pytest.fixture(scope="module")
def checked() -> dict[str, FenceResult]:
    [fence] = check_fences([BODY], 10.0)
    return {BODY: relocate(fence, 4)}


def _without_tex_annotations(html: str) -> str:
    """The page without the formulas' TeX annotations (the formula's source, kept in the MathML for screen readers)."""
    return re.sub(r'<annotation encoding="application/x-tex">.*?</annotation>', "", html, flags=re.S)


def test_marks_and_mathml(checked: dict[str, FenceResult]) -> None:
    html = _render(PAGE, results=checked)
    assert html.count('class="verify-mark verify-verified"') == 1
    assert html.count('class="verify-mark verify-wrong"') == 1
    assert html.count('class="verify-mark verify-unchecked"') == 1
    assert 'aria-label="∂f/∂x: proved by SymPy"' in html
    assert "<math" in html and "<mfrac>" in html
    assert "<details" in html and "checked with SymPy 1.14.0" in html
    assert "wrong derivative: claimed ∂f/∂y = x^2 + 2" in html  # the message is visible in the page
    assert "is not a variable of f(x, y)" in html
    # definitions get no mark: 3 claims, 3 marks
    assert html.count('class="verify-mark ') == 3
    # the legend a reader can open: every mark and what it means
    legend = html.split('class="verify-legend"', 1)[1].split("</ul>", 1)[0]
    for text in ("proved by SymPy", "agrees numerically", "wrong", "not checked", "could not be read"):
        assert text in legend


def test_no_raw_latex_outside_messages(checked: dict[str, FenceResult]) -> None:
    html = _render(PAGE, results=checked)
    rows = [part for part in html.split("<tr") if "verify-message" not in part.split(">")[0]]
    assert not any("\\frac" in _without_tex_annotations(row) for row in rows)


def test_switched_off_renders_plain_maths() -> None:
    html = _render(PAGE, enabled=False)
    assert "<math" in html and "verify-mark" not in html and "\\frac" not in _without_tex_annotations(html)


def test_fence_missing_from_prepass_says_so() -> None:
    html = _render(PAGE, results={})
    assert "not checked" in html and "<math" in html
