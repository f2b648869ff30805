"""What the search index reads: formulas as their TeX, and the typeset page put back afterwards."""

from __future__ import annotations

import pytest

from mathwiki.search_text import formulas_as_tex, put_back


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<p>a <span class="arithmatex">\\(x^2\\)</span> b</p>', "<p>a  x^2  b</p>"),
        ('<div class="arithmatex">\\[\n\\frac{a}{b}\n\\]</div>', " \\frac{a}{b} "),
        ('<p><span class="arithmatex">\\(a &lt; b\\)</span></p>', "<p> a &lt; b </p>"),  # stays escaped
        ('<span class="arithmatex">\\(a\\)</span>,<span class="arithmatex">\\(b\\)</span>', " a , b "),
        ("<p>no maths, $5 and \\(not a formula\\)</p>", "<p>no maths, $5 and \\(not a formula\\)</p>"),
        # typeset before the maths hook (a verify table), by an engine that writes no TeX annotation: the MathML's text
        (
            '<td><math display="block"><mrow><mi>f</mi><mo>&#x0003D;</mo><mn>2</mn></mrow></math></td>',
            "<td> f&#x0003D;2 </td>",
        ),
        # by KaTeX: the TeX of the annotation, and no visual copy
        (
            '<td><span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>x</mi></mrow>'
            '<annotation encoding="application/x-tex">x^{2}</annotation></semantics></math></span>'
            '<span class="katex-html" aria-hidden="true"><span class="base"><span class="mord">x</span>'
            '<span class="msupsub"><span>2</span></span></span></span></span> ok</td>',
            '<td><span class="katex"><span class="katex-mathml"> x^{2} </span></span> ok</td>',
        ),
    ],
)
def test_formulas_as_tex(html: str, expected: str) -> None:
    assert formulas_as_tex(html) == expected


TEXT = '<p data-search-exclude="x">a  x^2 </p>'
TYPESET = '<p data-search-exclude="x">a <math><mi>x</mi></math></p>'


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        (TEXT, TYPESET),  # nothing touched it
        ("<p>a  x^2 </p>", "<p>a <math><mi>x</mi></math></p>"),  # the search plugin stripped its attribute
        (
            "<nav>top</nav><p>a  x^2 </p><h2>Used In</h2>",
            "<nav>top</nav><p>a <math><mi>x</mi></math></p><h2>Used In</h2>",
        ),
        ("<p>something else</p>", None),
    ],
)
def test_put_back(read: str, expected: str | None) -> None:
    assert put_back(read, TEXT, TYPESET) == expected
