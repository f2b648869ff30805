"""The renderer on its own: valid, deterministic, small PNGs in two palettes; clear errors."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from plots.resolve import resolve
from plots.spec import parse_spec
from plots.surface import DrawError, render


def _payload(body: str) -> dict:
    return resolve(parse_spec(body, 400), {}, "Partial Derivatives").payload()


@pytest.fixture(scope="module")
def drawn() -> dict:
    return render(_payload("f(x, y) = x^2 y + 3y\nx: [-2, 2]\ny: [-2, 2]\nat: (1, 1)"))


def test_valid_pngs_under_300_kb(drawn: dict) -> None:
    for theme in ("light", "dark"):
        data = drawn[theme]
        assert len(data) < 300_000
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG"
            assert image.size == (drawn["width"], drawn["height"])
            assert not image.info.get("Software")


def test_same_spec_same_bytes_and_themes_differ(drawn: dict) -> None:
    again = render(_payload("f(x, y) = x^2 y + 3y\nx: [-2, 2]\ny: [-2, 2]\nat: (1, 1)"))
    assert again["light"] == drawn["light"]
    assert again["dark"] == drawn["dark"]
    assert drawn["light"] != drawn["dark"]


def test_slopes_are_the_partial_derivatives(drawn: dict) -> None:
    assert drawn["slopes"] == pytest.approx([2.0, 4.0])
    assert drawn["value"] == pytest.approx(4.0)


def test_partly_undefined_leaves_holes() -> None:
    result = render(_payload("f(x, y) = \\ln(x) + y\nx: [-1, 2]\ny: [-1, 1]\ngrid: 20"))
    assert result["holes"]


def test_poles_are_clipped() -> None:
    result = render(_payload("f(x, y) = \\frac{1}{x^2 + y^2}\nx: [-1, 1]\ny: [-1, 1]\ngrid: 60"))
    assert result["clipped"]


@pytest.mark.parametrize(
    ("body", "words", "at_point"),
    [
        (
            "f(x, y) = \\ln(-x^2 - 1) + y\nx: [-2, 2]\ny: [-2, 2]\ngrid: 10",
            "undefined or infinite everywhere",
            False,
        ),
        (
            "f(x, y) = \\ln(x) + y\nx: [-2, 2]\ny: [-2, 2]\nat: (-1, 0)\ngrid: 10",
            "undefined at the point",
            True,
        ),
        (
            "f(x, y) = \\sqrt{x^2 + y^2}\nx: [-2, 2]\ny: [-2, 2]\nat: (0, 0)\ngrid: 10",
            "not differentiable",
            True,
        ),
    ],
)
def test_draw_errors(body: str, words: str, at_point: bool) -> None:
    with pytest.raises(DrawError) as caught:
        render(_payload(body))
    assert words in str(caught.value)
    assert caught.value.at_point is at_point


def test_every_function_of_the_vocabulary_can_be_drawn() -> None:
    """The parser, the checker and the figures share one list of functions: each one evaluates on a grid."""
    import numpy as np
    import sympy

    from mathwiki.vocabulary import FUNCTIONS
    from plots.exprjson import to_json
    from plots.surface import _numeric

    x, y = sympy.symbols("x y")
    grid = np.linspace(0.2, 0.8, 5)
    for name, make in FUNCTIONS.items():
        argument = 1 + x / 2 + y / 3 if name == "arccosh" else x / 2 + y / 3  # inside each one's real domain
        evaluate = _numeric(to_json(make(argument)), (x, y))
        values = evaluate(grid[:, None], grid[None, :])
        assert values.shape == (5, 5) and np.isfinite(values).all(), name
