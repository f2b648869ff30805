"""The HTML of a surface fence: a ``<figure>`` with a light and a dark image, a caption and alt text.

Material for MkDocs hides ``img[src$="#only-dark"]`` in the light palette and ``img[src$="#only-light"]`` in
the dark one (plain CSS attribute selectors, so raw ``<img>`` tags work too); the reader sees the figure
drawn for the palette they chose. Each image is drawn at twice the size it is shown, for sharp high-density
screens.
"""

from __future__ import annotations

import html

from mathwiki.maths import MathError, typeset
from plots.figure import Figure
from plots.pipeline import Drawn


def file_names(key: str) -> tuple[str, str]:
    stem = key[:24]
    return f"{stem}-light.png", f"{stem}-dark.png"


def _math(latex: str) -> str:
    try:
        return typeset(latex, False)
    except MathError:
        return f"<code>{html.escape(latex)}</code>"


def _num(value: float) -> str:
    return f"{value:.2f}".replace("-", "\u2212")


def _plain(value: float) -> str:
    return f"{value:g}".replace("-", "\u2212")


def caption(figure: Figure, drawn: Drawn | None) -> str:
    """The caption, with the formulas typeset as MathML."""
    x, y = figure.var_tex
    f = figure.name_tex
    parts = [
        "Surface of ",
        _math(figure.definition_tex),
        " over ",
        _math(x + r" \in " + figure.range_tex[0]),
        ", ",
        _math(y + r" \in " + figure.range_tex[1]),
    ]
    if figure.constants:
        parts += [" with ", _math(", ".join(f"{tex} = {text}" for tex, _, text in figure.constants))]
    if figure.point is not None:
        parts += [", and the slices through ", _math(figure.point_tex or "")]
        if drawn is not None and drawn.slopes is not None:
            fx, fy = drawn.slopes
            partial_x = rf"\frac{{\partial {f}}}{{\partial {x}}} = {fx:.2f}"
            partial_y = rf"\frac{{\partial {f}}}{{\partial {y}}} = {fy:.2f}"
            gradient = rf"\nabla {f} = ({fx:.2f}, {fy:.2f})"
            parts += [
                ": along ", _math(x), " the slope is ", _math(partial_x), " (orange), along ",
                _math(y), " it is ", _math(partial_y), " (pink); the dashed lines are the tangents. ",
                "Right: contour lines of ", _math(f), " and the direction of the gradient ",
                _math(gradient), " (arrow length not to scale)",
            ]  # fmt: skip
    if drawn is not None and drawn.holes:
        parts.append(". Gaps in the surface are where the function is undefined or too large to show")
    return "".join(parts) + "."


def alt_text(figure: Figure, drawn: Drawn) -> str:
    """What a screen reader says: the same facts as the picture, in words."""
    (x0, x1), (y0, y1) = figure.ranges
    x, y = figure.var_names
    text = (
        f"Two panels. Left: a 3-D surface of {figure.definition_tex} for {x} from {_plain(x0)} to "
        f"{_plain(x1)} and {y} from {_plain(y0)} to {_plain(y1)}"
    )
    if drawn.zrange is not None:
        low, high = (_plain(round(z, 2)) for z in drawn.zrange)
        text += f", with heights from about {low} to {high}"
    if figure.point is not None and drawn.slopes is not None and drawn.value is not None:
        px, py = figure.point
        fx, fy = drawn.slopes
        text += (
            f". At the point ({_plain(px)}, {_plain(py)}), where the value is {_num(drawn.value)}, the slice "
            f"along {x} has slope {_num(fx)} and the slice along {y} has slope {_num(fy)}, each drawn "
            "with its tangent line. Right: a contour map with an arrow at the point in the direction of "
            f"the gradient ({_num(fx)}, {_num(fy)})"
        )
    else:
        text += ". Right: a contour map of the same function"
    return text + "."


def figure_html(figure: Figure, drawn: Drawn, light_url: str, dark_url: str) -> str:
    alt = html.escape(alt_text(figure, drawn), quote=True)
    width, height = drawn.width // 2, drawn.height // 2
    images = "".join(
        f'<img src="{html.escape(url, quote=True)}#only-{theme}" alt="{alt}" width="{width}" '
        f'height="{height}" loading="lazy" decoding="async">'
        for url, theme in ((light_url, "light"), (dark_url, "dark"))
    )
    return f'<figure class="mathwiki-surface">{images}<figcaption>{caption(figure, drawn)}</figcaption></figure>'


def error_html(message: str) -> str:
    return (
        '<div class="admonition failure mathwiki-surface-error"><p class="admonition-title">'
        f"Surface figure not drawn</p><p>{html.escape(message)}</p></div>"
    )


def placeholder_html(source: str) -> str:
    first = source.strip().splitlines()[0] if source.strip() else ""
    return (
        '<div class="admonition note mathwiki-surface-off"><p class="admonition-title">Figure</p>'
        f"<p>A surface figure of <code>{html.escape(first)}</code> is drawn here when figures are turned "
        "on (they are off in this build).</p></div>"
    )
