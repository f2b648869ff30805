"""Draw one surface figure, light and dark, as PNG bytes: the surface with its two slices, and a contour view.

Runs in the drawing worker (``plots.worker``), never in the MkDocs process. Uses ``matplotlib.figure.Figure``
with the Agg canvas only (no pyplot, no global state), fixed fonts and no metadata, so the same payload always
gives the same bytes.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import sympy  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.mathtext import MathTextParser  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from mpl_toolkits.mplot3d.axes3d import Axes3D  # noqa: E402
from PIL import Image  # noqa: E402

from mathwiki.vocabulary import ARRAY  # noqa: E402
from plots.exprjson import from_json  # noqa: E402

DPI = 200
FIGSIZE = (10.0, 4.3)  # inches: 2000 x 860 pixels, shown at 1000 x 430 CSS pixels
MAX_SURFACE_FACETS = 90  # per axis: the 3-D mesh is drawn coarser than the grid above this


class DrawError(ValueError):
    """The formula cannot be drawn over the given ranges (undefined everywhere, undefined at the point...)."""

    def __init__(self, message: str, at_point: bool = False) -> None:
        super().__init__(message)
        self.at_point = at_point


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    text: str
    muted: str
    pane: str
    grid: str
    colormap: Any
    slice_x: str
    slice_y: str
    arrow: str
    halo: str
    point: str


LIGHT = Theme(
    name="light",
    background="#ffffff",
    text="#1f2328",
    muted="#57606a",
    pane="#f3f4f7",
    grid="#d0d4dc",
    colormap=LinearSegmentedColormap.from_list("mw-light", ["#e8ecfb", "#9fb0ea", "#4f63c9", "#26317a"]),
    slice_x="#e8590c",
    slice_y="#c2255c",
    arrow="#111418",
    halo="#ffffff",
    point="#111418",
)
DARK = Theme(
    name="dark",
    background="#1e2129",  # Material's slate background, hsl(225deg 15% 14%)
    text="#d5d8de",
    muted="#9aa0ab",
    pane="#262a34",
    grid="#3a3f4b",
    colormap=LinearSegmentedColormap.from_list("mw-dark", ["#1d2a5c", "#3d55b8", "#7f98f0", "#d6defc"]),
    slice_x="#ff922b",
    slice_y="#f06595",
    arrow="#ffffff",
    halo="#1e2129",
    point="#ffffff",
)
THEMES = (LIGHT, DARK)


@lru_cache(maxsize=256)
def _mathtext(tex: str, fallback: str) -> str:
    """``$tex$`` when matplotlib can typeset it, else the plain fallback (never fail a figure on a label)."""
    candidate = f"${tex}$"
    try:
        MathTextParser("path").parse(candidate)
    except Exception:  # matplotlib raises ValueError or pyparsing errors for what it cannot typeset
        return fallback.replace("$", r"\$")
    return candidate


def _fmt(value: float) -> str:
    """A number inside mathtext: braced, so a minus sign is a sign, not a spaced binary operator."""
    return "{" + f"{value:.2f}" + "}" if value != 0 else "0.00"


@dataclass
class Sampled:
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray  # NaN where undefined (or clipped as an outlier)
    zlim: tuple[float, float]
    clipped: bool
    point: tuple[float, float, float] | None
    slopes: tuple[float, float] | None
    fn: Any


def _numeric(tree: Any, symbols: tuple[sympy.Symbol, sympy.Symbol]) -> Any:
    expr = from_json(tree)
    fn = sympy.lambdify(symbols, expr, modules=[ARRAY, "numpy"], dummify=True)

    def evaluate(x: Any, y: Any) -> np.ndarray:
        with np.errstate(all="ignore"):
            values = fn(x, y)
            values = np.asarray(values)
            if np.iscomplexobj(values):
                values = np.where(np.abs(values.imag) < 1e-12, values.real, np.nan)
            values = np.broadcast_to(values.astype(float), np.broadcast(np.asarray(x), np.asarray(y)).shape)
            return np.where(np.isfinite(values), values, np.nan)

    return evaluate


def sample(payload: dict[str, Any]) -> Sampled:
    """The function on the grid and at the point; ``DrawError`` when there is nothing to draw."""
    names = payload["var_names"]
    symbols = (sympy.Symbol(names[0]), sympy.Symbol(names[1]))
    f = _numeric(payload["f"], symbols)
    (x0, x1), (y0, y1) = payload["ranges"]
    n = int(payload["grid"])
    x, y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    z = f(x, y).copy()
    name = payload["name_tex"]
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        raise DrawError(
            f"{name} is undefined or infinite everywhere over {names[0]} in [{x0:g}, {x1:g}], "
            f"{names[1]} in [{y0:g}, {y1:g}]: choose other ranges"
        )
    low, high = np.percentile(finite, [1, 99])
    spread = high - low
    clipped = False
    if spread > 0 and finite.max() - finite.min() > 12 * spread:
        # a pole: keep the bulk of the surface readable, leave the spikes as holes
        keep = (z >= low - 0.5 * spread) & (z <= high + 0.5 * spread)
        z = np.where(keep, z, np.nan)
        clipped = True
    finite = z[np.isfinite(z)]
    zmin, zmax = float(finite.min()), float(finite.max())
    if zmax - zmin < 1e-12 * max(1.0, abs(zmax)):
        zmin, zmax = zmin - 1.0, zmax + 1.0
    point = slopes = None
    if payload.get("point") is not None:
        px, py = payload["point"]
        pz = float(f(np.float64(px), np.float64(py)))
        if not math.isfinite(pz):
            raise DrawError(f"{name} is undefined at the point ({px:g}, {py:g}): choose another point", True)
        fx = float(_numeric(payload["fx"], symbols)(np.float64(px), np.float64(py)))
        fy = float(_numeric(payload["fy"], symbols)(np.float64(px), np.float64(py)))
        if not (math.isfinite(fx) and math.isfinite(fy)):
            raise DrawError(
                f"{name} has no partial derivatives at the point ({px:g}, {py:g}) "
                "(not differentiable there): choose another point",
                True,
            )
        point, slopes = (px, py, pz), (fx, fy)
        zmin, zmax = min(zmin, pz), max(zmax, pz)
    return Sampled(x, y, z, (zmin, zmax), clipped, point, slopes, f)


def _style_2d(ax: Any, theme: Theme) -> None:
    ax.set_facecolor(theme.background)
    ax.tick_params(colors=theme.muted, labelsize=8)
    for spine in ax.spines.values():
        spine.set_color(theme.grid)


def _style_3d(ax: Any, theme: Theme) -> None:
    ax.set_facecolor(theme.background)
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_pane_color(matplotlib.colors.to_rgba(theme.pane))
        axis._axinfo["grid"]["color"] = theme.grid  # mplot3d has no public setter for the grid colour
        axis._axinfo["grid"]["linewidth"] = 0.5
        axis.line.set_color(theme.grid)
    ax.tick_params(colors=theme.muted, labelsize=7, pad=0)


def draw(payload: dict[str, Any], data: Sampled, theme: Theme) -> bytes:
    """One PNG of the figure in ``theme``."""
    fig = Figure(figsize=FIGSIZE, dpi=DPI, facecolor=theme.background)
    fig.set_layout_engine(None)
    name_tex, var_tex = payload["name_tex"], payload["var_tex"]
    names = payload["var_names"]
    label_x = _mathtext(var_tex[0], names[0])
    label_y = _mathtext(var_tex[1], names[1])
    fname = _mathtext(name_tex, payload["name_tex"])
    fname_plain = fname.strip("$")
    zlabel = _mathtext(f"{name_tex}({var_tex[0]}, {var_tex[1]})", fname)
    halo = [patheffects.withStroke(linewidth=3, foreground=theme.halo)]

    title = payload["title"].replace("$", r"\$")
    fig.suptitle(title, color=theme.text, fontsize=13, x=0.5, y=0.975)

    # -- panel 1: the surface -----------------------------------------------------------------------------
    ax = cast(Axes3D, fig.add_axes((-0.03, 0.07, 0.58, 0.88), projection="3d", computed_zorder=False))
    _style_3d(ax, theme)
    zmin, zmax = data.zlim
    facets = min(int(payload["grid"]), MAX_SURFACE_FACETS)
    ax.plot_surface(
        data.x,
        data.y,
        np.ma.masked_invalid(data.z),
        cmap=theme.colormap,
        vmin=zmin,
        vmax=zmax,
        rcount=facets,
        ccount=facets,
        linewidth=0,
        antialiased=False,
        zorder=1,
    )
    (x0, x1), (y0, y1) = payload["ranges"]
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_zlim(zmin, zmax)
    ax.set_xlabel(label_x, color=theme.text, fontsize=11, labelpad=-2)
    ax.set_ylabel(label_y, color=theme.text, fontsize=11, labelpad=-2)
    ax.set_zlabel(zlabel, color=theme.text, fontsize=10, labelpad=-1)
    ax.view_init(elev=26, azim=-58)
    ax.set_box_aspect(None, zoom=0.9)
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))

    handles = []
    if data.point is not None and data.slopes is not None:
        px, py, pz = data.point
        fx, fy = data.slopes
        xs = np.linspace(x0, x1, 200)
        ys = np.linspace(y0, y1, 200)
        along_x = data.fn(xs, np.full_like(xs, py))
        along_y = data.fn(np.full_like(ys, px), ys)
        ax.plot(xs, np.full_like(xs, py), along_x, color=theme.slice_x, lw=2.4, zorder=5, path_effects=halo)
        ax.plot(np.full_like(ys, px), ys, along_y, color=theme.slice_y, lw=2.4, zorder=5, path_effects=halo)
        for slope, span, direction in (
            (fx, x1 - x0, (1.0, 0.0)),
            (fy, y1 - y0, (0.0, 1.0)),
        ):
            ts = np.array(_tangent_extent(0.28 * span, slope, pz, zmin, zmax))
            ax.plot(
                px + direction[0] * ts,
                py + direction[1] * ts,
                pz + slope * ts,
                color=theme.arrow,
                lw=1.5,
                ls=(0, (3, 1.5)),
                zorder=6,
            )
        ax.plot([px], [py], [pz], "o", color=theme.point, ms=5, zorder=7, path_effects=halo)
        handles = [
            ax.plot([], [], color=theme.slice_x, lw=2.2, label=_slope_label(fname_plain, var_tex[0], names[0], fx))[0],
            ax.plot([], [], color=theme.slice_y, lw=2.2, label=_slope_label(fname_plain, var_tex[1], names[1], fy))[0],
            ax.plot([], [], color=theme.arrow, lw=1.5, ls=(0, (3, 1.5)), label="tangent lines")[0],
        ]
        legend = fig.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0.015, 0.015),
            frameon=False,
            fontsize=10,
            labelcolor=theme.text,
            handlelength=1.6,
        )
        legend.set_zorder(10)

    # -- panel 2: contours and the gradient ---------------------------------------------------------------
    ax2 = fig.add_axes((0.575, 0.12, 0.33, 0.76))
    _style_2d(ax2, theme)
    levels = MaxNLocator(nbins=14).tick_values(zmin, zmax)  # round numbers on the colour bar
    filled = ax2.contourf(data.x, data.y, data.z, levels=levels, cmap=theme.colormap)
    ax2.contour(
        data.x,
        data.y,
        data.z,
        levels=levels,
        colors=[theme.background],
        linewidths=0.5,
        linestyles="solid",
        alpha=0.6,
    )
    ax2.set_xlim(x0, x1)
    ax2.set_ylim(y0, y1)
    spans = (x1 - x0, y1 - y0)
    if max(spans) / min(spans) <= 3:
        ax2.set_aspect("equal", adjustable="box")
    ax2.set_xlabel(label_x, color=theme.text, fontsize=11, labelpad=1)
    ax2.set_ylabel(label_y, color=theme.text, fontsize=11, labelpad=1, rotation=0)
    cax = fig.add_axes((0.925, 0.12, 0.015, 0.76))
    bar = fig.colorbar(filled, cax=cax)
    bar.outline.set_edgecolor(theme.grid)
    bar.ax.tick_params(colors=theme.muted, labelsize=7)
    bar.set_label(zlabel, color=theme.text, fontsize=10)

    if data.point is not None and data.slopes is not None:
        px, py, _ = data.point
        fx, fy = data.slopes
        ax2.axhline(py, color=theme.slice_x, lw=1.6, ls=(0, (4, 2)))
        ax2.axvline(px, color=theme.slice_y, lw=1.6, ls=(0, (4, 2)))
        norm = math.hypot(fx / spans[0], fy / spans[1])
        grad_label = f"$\\nabla {fname_plain} = ({_fmt(fx)},\\, {_fmt(fy)})$"
        if norm > 0:
            length = 0.3  # of the panel: the arrow shows the direction, its length is not to scale
            dx, dy = fx / spans[0] / norm * length * spans[0], fy / spans[1] / norm * length * spans[1]
            dx, dy = _fit_arrow(px, py, dx, dy, (x0, x1), (y0, y1))
            ax2.annotate(
                "",
                xy=(px + dx, py + dy),
                xytext=(px, py),
                arrowprops={
                    "arrowstyle": "-|>,head_length=0.7,head_width=0.35",
                    "color": theme.arrow,
                    "lw": 2.2,
                    "shrinkA": 0,
                    "shrinkB": 0,
                    "path_effects": [patheffects.withStroke(linewidth=4.5, foreground=theme.halo)],
                },
                zorder=8,
            )
        else:
            grad_label = f"$\\nabla {fname_plain} = \\mathbf{{0}}$"
        ax2.plot([px], [py], "o", color=theme.point, ms=5, zorder=9, path_effects=halo)
        ax2.set_title(grad_label, color=theme.text, fontsize=10, pad=6)

    canvas = FigureCanvasAgg(fig)  # drawn in memory, then written once as a palette PNG by Pillow
    canvas.draw()
    width, height = canvas.get_width_height()
    return _compress(Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1))


def _slope_label(fname: str, var_tex: str, var_name: str, slope: float) -> str:
    text = f"\\partial {fname}/\\partial {var_tex} = {_fmt(slope)}"
    return _mathtext(text, f"d{fname}/d{var_name} = {slope:.2f}")


def _tangent_extent(t: float, slope: float, z: float, zmin: float, zmax: float) -> tuple[float, float]:
    """Where a tangent segment starts and ends (along its axis), kept inside the box of the 3-D axes.

    Each side is shortened on its own, so a point near the floor still shows the rising half in full.
    """
    if slope == 0:
        return -t, t
    up, down = (zmax - z) / abs(slope), (z - zmin) / abs(slope)  # distance before leaving the box
    ahead, behind = (up, down) if slope > 0 else (down, up)
    floor = 0.1 * t
    return -max(min(t, behind), floor), max(min(t, ahead), floor)


def _fit_arrow(
    px: float, py: float, dx: float, dy: float, xr: tuple[float, float], yr: tuple[float, float]
) -> tuple[float, float]:
    """Shorten the arrow so its head stays inside the panel."""
    scale = 1.0
    for start, delta, (low, high) in ((px, dx, xr), (py, dy, yr)):
        if delta > 0 and start + delta > high:
            scale = min(scale, (high - start) / delta)
        elif delta < 0 and start + delta < low:
            scale = min(scale, (low - start) / delta)
    scale = max(scale, 0.35)  # a point on the edge: let the arrow leave the box rather than vanish
    return dx * scale, dy * scale


def _compress(rendered: Image.Image) -> bytes:
    """An adaptive 256-colour palette: a quarter of the size, no visible change for these flat figures.

    Pillow writes no time stamp and no software name, so the bytes depend only on the pixels.
    """
    image = rendered.convert("RGB")
    quantised = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    quantised.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def render(payload: dict[str, Any]) -> dict[str, Any]:
    """Both PNGs of one figure and the numbers the caption needs; raises ``DrawError``."""
    data = sample(payload)
    light = draw(payload, data, LIGHT)
    dark = draw(payload, data, DARK)
    width, height = Image.open(io.BytesIO(light)).size
    return {
        "light": light,
        "dark": dark,
        "width": width,
        "height": height,
        "slopes": list(data.slopes) if data.slopes is not None else None,
        "value": data.point[2] if data.point is not None else None,
        "zrange": [data.zlim[0], data.zlim[1]],
        "holes": bool(np.isnan(data.z).any()),
        "clipped": data.clipped,
    }
