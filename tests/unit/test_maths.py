"""Formulas typeset by Temml (MathML Core) through the long-lived engine process; the $$ splitter; TeX left in page
text."""

from __future__ import annotations

import html as html_module
import re

import pytest

from mathwiki import maths, rawtex
from mathwiki import typeset as engine
from mathwiki.maths import MathError, render_arithmatex, separate_display_maths, typeset


def _mathml(html: str) -> str:
    found = re.search(r"<math.*?</math>", html, re.S)
    assert found, html[:300]
    return found.group(0)


def _visible_text(html: str) -> str:
    """The text the browser draws: the MathML without the TeX annotation."""
    html = re.sub(r"<annotation .*?</annotation>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize(
    ("latex", "display", "needle"),
    [
        (r"x^2", False, '<msup><mi>x</mi><mn class="tml-sml-pad">2</mn></msup>'),
        (r"\frac{\partial f}{\partial x}", True, "<mfrac>"),
        (r"\begin{aligned} a &= b \\ c &= d \end{aligned}", True, "<mtable"),
        (r"\begin{align} a &= b \end{align}", True, "<mtable"),
        (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", True, "<mtable"),
        (r"f(x) = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}", True, "<mtable"),
        (r"\lVert \mathbf{w} \rVert_2", False, "<msub>"),
        (r"\boldsymbol{\theta}", False, "<mi>\U0001d73d</mi>"),  # MATHEMATICAL BOLD ITALIC SMALL THETA
        (r"\arg\max_x f(x)", True, "<munder>"),
        (r"\sum_{i=1}^n x_i", True, "<munderover>"),
        (r"\begin{alignedat}{3} a &= b &\quad c &= d \end{alignedat}", True, "<mtable"),
        (r"\begin{dcases} a & x > 0 \\ b & \text{else} \end{dcases}", True, "<mtable"),
        (r"\begin{eqnarray} a &=& b \\ c &=& d \end{eqnarray}", True, "<mtable"),
        (r"\left( x \middle| y \right)", False, "<mo"),
        (r"\begin{align} a &= b \nonumber \\ c &= d \label{eq:one} \end{align}", True, "<mtable"),
    ],
)
def test_formulas_are_mathml_with_their_tex_for_screen_readers(latex: str, display: bool, needle: str) -> None:
    html = typeset(latex, display)
    assert html.startswith('<math display="block"' if display else "<math>") and html.endswith("</math>")
    mathml = _mathml(html)
    assert needle in mathml
    annotation = f'<annotation encoding="application/x-tex">{latex}</annotation>'
    assert annotation in html_module.unescape(mathml) or "eqnarray" in latex
    visible = _visible_text(html)
    assert "\\" not in visible and "eq:one" not in visible


def test_alignedat_prints_no_stray_column_count_and_arg_is_an_operator_not_text() -> None:
    assert "3" not in _visible_text(typeset(r"\begin{alignedat}{3} a &= b \end{alignedat}", True))
    assert _visible_text(typeset(r"\arg\min_w L", True)).startswith("arg")  # upright, no backslash


def test_what_temml_cannot_typeset_is_an_error_with_its_message() -> None:
    unknown = r"Unsupported function name: \\notacommand at position 1: \\notacommand x$"  # one line, no underlining
    for latex, fragment in ((r"\frac{", "Unexpected end of input"), (r"\notacommand x", unknown)):
        with pytest.raises(MathError, match=fragment):
            typeset(latex, False)


def test_page_text_cannot_use_trusted_commands_or_expand_forever() -> None:
    trusted = (
        r"\href{javascript:alert(1)}{x}",
        r"\htmlClass{md-header}{x}",
        r"\url{https://example.org}",
        r"\htmlStyle{position:fixed}{x}",
        r"\includegraphics{/etc/passwd}",
    )
    for latex in trusted:  # trust is off: the command is an error at its line, never obeyed
        with pytest.raises(MathError, match="Unsupported function name|is not trusted"):
            typeset(latex, False)
    for latex in (r"\color{red;position:fixed;top:0}{x}", r'\textcolor{red" onmouseover="alert(1)}{x}'):
        with pytest.raises(MathError, match="Invalid color"):  # a colour is a colour, never more CSS or markup
            typeset(latex, False)
    with pytest.raises(MathError, match="Too many expansions"):
        typeset(r"\def\a{\a\a}\a", False)


def _operators(html: str) -> dict[str, list[str]]:
    """Each operator's text with its explicit spacing ("" when the browser's dictionary decides)."""
    found: dict[str, list[str]] = {}
    for attrs, text in re.findall(r"<mo([^>]*)>([^<]*)</mo>", html):
        spacing = re.findall(r'(?:lspace|rspace)="([^"]*)"', attrs)
        found.setdefault(text, []).append(",".join(spacing))
    return found


@pytest.mark.parametrize(
    ("latex", "tight", "spaced"),
    [
        (r"x^{n-1} + y", ["−"], ["+"]),  # the minus in the exponent is tight, the plus on the line is not
        (r"W^{(l+1)\top}", ["+"], []),
        (r"\sum_{i=1}^{n} a_{i,j}", ["=", ","], ["∑"]),  # the limit's relation is tight, \sum keeps its space
        (r"e^{-x^2/2} \le 1", ["−"], ["≤"]),
        (r"\int_{a+b}^{c} f", ["+"], ["∫"]),
        (r"\hat{x}_{k \pm 1}", ["±"], []),
    ],
)
def test_operators_in_scripts_are_set_tight_as_tex_sets_them(latex: str, tight: list[str], spaced: list[str]) -> None:
    for display in (False, True):
        operators = _operators(typeset(latex, display))
        for text in tight:
            assert operators[text] == ["0em,0em"] * len(operators[text]), (latex, text, operators)
        for text in spaced:
            assert "0em,0em" not in operators[text], (latex, text, operators)


@pytest.mark.parametrize("latex", [r"f'(x)", r"f''(x)", r"\phi'(z)", r"g^{\prime}", r"f'_x", r"y^{\prime\prime}"])
def test_a_prime_follows_its_base_and_is_not_raised_twice(latex: str) -> None:
    html = _mathml(typeset(latex, False))
    assert html.count("′") >= 1
    for script in re.findall(r"<msup>.*?</msup>|<msubsup>.*?</msubsup>", html):
        assert "′" not in script, (latex, html)
    if "_x" in latex:
        assert "<msub><mi>f</mi><mi>x</mi></msub><mo" in html


def test_a_long_inline_formula_can_break_after_its_relations_and_keeps_its_tex() -> None:
    latex = (
        r"L(\mathbf{w}) = \frac{1}{n}\sum_i (y_i - \mathbf{w}^\top \mathbf{x}_i)^2 + \lambda \lVert \mathbf{w} \rVert^2"
    )
    html = typeset(latex, False)
    body = re.match(r'<math><semantics><mrow class="math-wrap">(.*)</mrow><annotation', html, re.S)
    assert body, html[:200]
    annotation = re.search(r'<annotation encoding="application/x-tex">(.*?)</annotation>', html, re.S)
    assert annotation and html_module.unescape(annotation.group(1)) == latex
    assert html.count('class="math-wrap"') == 1
    # a display formula and a short one with no place to break are single rows
    assert 'class="math-wrap"' not in typeset(latex, True) and 'class="math-wrap"' not in typeset("x^2", False)


def test_a_lone_operator_between_breaks_joins_the_piece_before_it() -> None:
    # alone in its piece, an operator is spaced by the flex box around it, which spaces nothing
    html = typeset(r"\lambda_1 \ge \dots \ge \lambda_d", False)
    pieces = re.search(r'<mrow class="math-wrap">(.*)</mrow><annotation', html, re.S)
    assert pieces
    assert not re.search(r"<mrow><mo[^>]*>[^<]*</mo></mrow>", pieces.group(1)), html
    assert re.search(r"<mo>≥</mo><mo>⋯</mo><mo>≥</mo>", html), html


def test_a_page_is_typeset_in_one_round_trip_and_errors_are_reported() -> None:
    html = (
        '<p><span class="arithmatex">\\(x^{17}\\)</span></p>'
        '<div class="arithmatex">\\[\\frac{a}{b+17}\\]</div>'
        '<span class="arithmatex">\\(\\frac{\\)</span>'
        '<span class="arithmatex">\\(x^{17}\\)</span>'
    )
    running = engine.engine(maths.ENGINE)
    before = running.batches
    errors: list[tuple[str, str]] = []
    out = render_arithmatex(html, lambda latex, message: errors.append((latex, message)))
    assert running.batches - before <= 1
    assert out.count("<math>") == 2 and out.count('<math display="block"') == 1
    assert '<div class="math-display">' in out and '<span class="math-inline">' in out
    assert errors == [("\\frac{", errors[0][1])] and "Unexpected end of input" in errors[0][1]
    assert 'class="math-error"' in out


def test_the_engine_comes_back_after_its_process_dies() -> None:
    running = engine.Engine("temml")
    try:
        assert running.typeset([("y", False)])[0].html
        assert running._process is not None
        running._process.kill()
        running._process.wait()
        assert "<mi>z</mi>" in running.typeset([("z", False)])[0].html
        assert running.starts == 2
    finally:
        running.close()


def test_an_answer_interrupted_by_a_time_limit_is_never_read_as_the_next_one(monkeypatch) -> None:
    running = engine.Engine("temml")
    read = running._read_line

    def interrupted(process):  # the page's time limit fires while the answer is on its way
        raise RuntimeError("time limit")

    try:
        monkeypatch.setattr(running, "_read_line", interrupted)
        with pytest.raises(RuntimeError):
            running.typeset([("a^{first}", False)])
        monkeypatch.setattr(running, "_read_line", read)
        (answer,) = running.typeset([("b_{second}", False)])
        assert "b_{second}" in answer.html and "first" not in answer.html
        assert running.starts == 2
    finally:
        running.close()


def test_a_missing_engine_is_a_clear_error(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(engine, "NODE_MODULES", tmp_path / "node_modules")
    with pytest.raises(engine.EngineMissing, match="npm ci"):
        engine.Engine("temml").typeset([("x", False)])


def test_typeset_formulas_are_kept_between_builds_and_long_unused_ones_dropped(tmp_path, monkeypatch) -> None:
    store = maths.FormulaStore()
    monkeypatch.setattr(maths, "STORE", store)
    store.open(tmp_path)
    first = maths.typeset("x^2 + y", False)
    maths.typeset("z^3", True)
    store.save()

    calls: list[str] = []

    class Fake:
        def typeset(self, items):
            calls.extend(tex for tex, _ in items)
            return [engine.Result(html="<fake/>") for _ in items]

    monkeypatch.setattr(engine, "engine", lambda name: Fake())
    for _ in range(store.KEEP_BUILDS):  # builds that use only x^2 + y: z^3 is kept a while
        store.open(tmp_path)
        assert maths.typeset("x^2 + y", False) == first
        store.save()
    store.open(tmp_path)
    assert maths.typeset("z^3", True).startswith('<math display="block"') and calls == []
    store.save()
    for _ in range(store.KEEP_BUILDS + 1):  # now z^3 goes unused for too long: dropped
        store.open(tmp_path)
        maths.typeset("x^2 + y", False)
        store.save()
    store.open(tmp_path)
    assert maths.typeset("z^3", True) == "<fake/>" and calls == ["z^3"]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Text:\n$$\nx\n$$\nmore", "Text:\n\n$$\nx\n$$\n\nmore"),
        ("Text:\n$$ x $$\nmore", "Text:\n\n$$ x $$\n\nmore"),
        ("Text.\n\n$$\nx\n$$\n\nmore", "Text.\n\n$$\nx\n$$\n\nmore"),
        ("```\ncode\n$$\n```\n$$\nx\n$$", "```\ncode\n$$\n```\n\n$$\nx\n$$"),
        ("Price of $5 and $x$.", "Price of $5 and $x$."),
    ],
)
def test_display_maths_glued_to_a_paragraph_is_separated(markdown: str, expected: str) -> None:
    assert separate_display_maths(markdown) == expected


@pytest.mark.parametrize(
    ("html", "tokens"),
    [
        ("<p>Then $$ x $$ and</p>", ["$$", "$$"]),
        ("<p>It costs $5.</p>", ["$"]),
        ("<p>It costs &#36;5.</p>", []),
        ("<p>The rate \\alpha is small</p>", ["\\alpha"]),
        ("<p>See \\(x\\) here</p>", ["\\(", "\\)"]),
        ("<p><code>\\frac{a}{b} $x$</code> and <kbd>$</kbd></p>", []),
        ("<p><math><mtext>$ \\x</mtext><annotation>\\x</annotation></math> ok</p>", []),
        ('<p><code class="math-error">\\frac{</code></p>', []),
        ("<p>a<br>\\beta</p>", ["\\beta"]),
        ("<svg><text>\\x</text></svg><pre>$</pre>", []),
    ],
)
def test_tex_left_in_page_text_is_found_outside_code_and_typeset_maths(html: str, tokens: list[str]) -> None:
    assert [item.token for item in rawtex.leftovers(html)] == tokens


def test_a_leftover_names_its_source_line_and_says_what_to_do() -> None:
    source = "---\ntitle: A\n---\n\nUse `\\alpha` in code.\n\nThe rate \\alpha is small.\n"
    (item,) = rawtex.leftovers("<p>Use <code>\\alpha</code> in code.</p><p>The rate \\alpha is small.</p>")
    assert rawtex.source_line(source, item) == 7
    assert "'\\alpha'" in item.message and "outside any formula" in item.message
    (dollar,) = rawtex.leftovers("<p>It costs $5.</p>")
    assert "&#36;" in dollar.message


def _shape(html: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every element with the names of its attributes, in order (what the sanitizer could silently drop)."""
    from html.parser import HTMLParser

    class Shape(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.items: list[tuple[str, tuple[str, ...]]] = []

        def handle_starttag(self, tag, attrs) -> None:
            self.items.append((tag, tuple(sorted(name for name, _ in attrs))))

    shape = Shape()
    shape.feed(html)
    return shape.items


def _styles(html: str) -> list[str]:
    """Every style declaration, except the one nh3 cannot keep (display: block math), which the stylesheet sets."""
    found = re.findall(r'style="([^"]*)"', html)
    return [
        ";".join(d for d in (x.strip() for x in value.split(";")) if d and d != "display:block math") for value in found
    ]


def test_the_sanitizer_keeps_every_element_and_attribute_temml_writes() -> None:
    # Every formula of the Notation page (which shows all the guide's notation): nh3 drops what is not on its
    # allowlist without a word, so a missing name (columnalign, say) would silently break matrices and fences.
    from pathlib import Path

    from mathwiki.sanitize import clean

    source = (Path(__file__).resolve().parents[2] / "docs" / "contributing" / "notation.md").read_text()
    blocks = re.findall(r"^\$\$\n(.*?)\n\$\$$", source, re.S | re.M)
    inline = re.findall(r"(?<![$\\`])\$([^$`\n]+)\$", re.sub(r"^\$\$\n.*?\n\$\$$", "", source, flags=re.S | re.M))
    formulas = [(tex, True) for tex in blocks] + [(tex, False) for tex in inline]
    assert len(formulas) > 60
    for tex, display in formulas:
        html = typeset(tex, display)
        assert _shape(clean(html)) == _shape(html), tex
        assert _styles(clean(html)) == _styles(html), tex
