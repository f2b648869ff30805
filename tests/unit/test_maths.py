from __future__ import annotations

import pytest

from mathwiki.maths import MathError, render_arithmatex, to_mathml


@pytest.mark.parametrize(
    ("latex", "display", "needle"),
    [
        (r"x^2", False, "<msup><mi>x</mi><mn>2</mn></msup>"),
        (r"\frac{\partial f}{\partial x}", True, "<mfrac>"),
        (r"\begin{aligned} a &= b \\ c &= d \end{aligned}", True, "<mtable"),
        (r"\begin{align} a &= b \end{align}", True, "<mtable"),
        (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", True, "<mtable"),
        (r"f(x) = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}", True, "<mtable"),
        (r"\lVert \mathbf{w} \rVert_2", False, "<msub>"),
    ],
)
def test_formulas_become_mathml(latex: str, display: bool, needle: str) -> None:
    mathml = to_mathml(latex, display)
    assert mathml.startswith("<math") and needle in mathml
    assert ('display="block"' in mathml) == display
    assert "<mi>&amp;</mi>" not in mathml and "<mi>&</mi>" not in mathml


def test_a_loose_alignment_mark_is_an_error_not_a_stray_ampersand() -> None:
    with pytest.raises(MathError, match="outside an alignment"):
        to_mathml("a &= b", True)


def test_arithmatex_output_is_replaced_and_errors_are_reported() -> None:
    html = (
        '<p><span class="arithmatex">\\(x^2\\)</span></p>'
        '<div class="arithmatex">\\[\\frac{a}{b}\\]</div>'
        '<span class="arithmatex">\\(a &amp;= b\\)</span>'
    )
    errors: list[tuple[str, str]] = []
    out = render_arithmatex(html, lambda latex, message: errors.append((latex, message)))
    assert out.count("<math") == 2
    assert '<div class="math-display">' in out and '<span class="math-inline">' in out
    assert errors and errors[0][0] == "a &= b"
    assert 'class="math-error"' in out


def test_converted_formulas_are_kept_between_builds_and_long_unused_ones_dropped(tmp_path, monkeypatch) -> None:
    from mathwiki import maths

    store = maths.FormulaStore()
    monkeypatch.setattr(maths, "STORE", store)
    store.open(tmp_path)
    first = maths.to_mathml("x^2 + y", False)
    maths.to_mathml("z^3", True)
    store.save()

    calls: list[str] = []
    monkeypatch.setattr(maths, "_convert", lambda latex, display: calls.append(latex) or "<math/>")
    for _ in range(store.KEEP_BUILDS):  # builds that use only x^2 + y: z^3 is kept a while
        store.open(tmp_path)
        assert maths.to_mathml("x^2 + y", False) == first
        store.save()
    store.open(tmp_path)
    assert maths.to_mathml("z^3", True).startswith("<math xmlns") and calls == []
    store.save()
    for _ in range(store.KEEP_BUILDS + 1):  # now z^3 goes unused for too long: dropped
        store.open(tmp_path)
        maths.to_mathml("x^2 + y", False)
        store.save()
    store.open(tmp_path)
    assert maths.to_mathml("z^3", True) == "<math/>" and calls == ["z^3"]
