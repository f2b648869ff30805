"""The verify fence as HTML: the author's own LaTeX typeset and aligned on '=', a verdict mark per claim.

Rendering does no checking: it is given the results the pre-pass computed (``FenceResult``) and only
typesets. Without results (claims switched off) the fence is plain display maths.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from mathwiki.claims.model import FenceLine, FenceResult
from mathwiki.maths import MathError, typeset

MARKS = {
    "verified": ("✓", "proved by SymPy"),
    "numeric": ("≈", "agrees numerically, not proved"),
    "wrong": ("✗", "wrong: SymPy disagrees"),
    "unchecked": ("?", "not checked"),
}


def _maths(latex: str, display: bool = True) -> str:
    """Typeset ``latex``; ``display`` sets it in display style but inline, so a table cell holds no display block
    (with its own margins and centring) and the cells of a row share one baseline."""
    try:
        if display and not latex.lstrip().startswith("\\begin"):
            return typeset("\\displaystyle " + latex, False)
        return typeset(latex, display)
    except MathError:
        return f'<code class="verify-source">{html.escape(latex)}</code>'


def _split(source: str) -> tuple[str, str]:
    lhs, sep, rhs = source.strip().partition("=")
    return (lhs.strip(), rhs.strip()) if sep else (source.strip(), "")


def render_plain(body: str, note: str = "") -> str:
    """The fence as display maths with no verdicts (claims switched off)."""
    rows = [_split(line) for line in body.split("\n") if line.strip() and not line.strip().startswith("%")]
    latex = " \\\\ ".join(f"{lhs} &= {rhs}" if rhs else lhs for lhs, rhs in rows)
    maths = _maths("\\begin{align*} " + latex + " \\end{align*}")
    return f'<div class="verify verify-off">{maths}{note}</div>'


def _row(item: FenceLine) -> str:
    lhs, rhs = _split(item.source)
    cells = f'<td class="verify-lhs">{_maths(lhs)}</td>'
    if rhs:
        cells += f'<td class="verify-eq">{_maths("=")}</td><td class="verify-rhs">{_maths(rhs)}</td>'
    else:
        cells += '<td class="verify-eq"></td><td class="verify-rhs"></td>'
    verdict = item.result.verdict if item.result else ("error" if item.kind == "error" else "")
    if item.result:
        symbol, title = MARKS[item.result.verdict]
        title = f"{item.result.label + ': ' if item.result.label else ''}{title}"
        mark = (
            f'<span class="verify-mark verify-{verdict}" title="{html.escape(title)}" '
            f'aria-label="{html.escape(title)}">{symbol}</span>'
        )
    elif item.kind == "error":
        why = 'title="cannot read this line" aria-label="cannot read this line"'
        mark = f'<span class="verify-mark verify-error" {why}>!</span>'
    else:
        mark = ""
    classes = f"verify-row verify-{item.kind}" + (f" verify-{verdict}" if verdict else "")
    out = f'<tr class="{classes}"><td class="verify-status">{mark}</td>{cells}</tr>'
    message = (
        item.error
        if item.kind == "error"
        else (item.result.message if item.result and item.result.verdict != "verified" else "")
    )
    if message:
        text = html.escape(message)
        extra = _evidence(item)
        out += f'<tr class="verify-message verify-{verdict}"><td colspan="4" role="note">{text}{extra}</td></tr>'
    return out


def _evidence(item: FenceLine) -> str:
    """Under a wrong claim: the claim and SymPy's derivative, simplified and typeset. Under a numeric one: the
    points where the two sides were compared."""
    result = item.result
    if result is None:
        return ""
    if result.verdict == "wrong" and result.claimed_latex and result.computed_latex:
        return (
            '<span class="verify-evidence">claimed, simplified: '
            f"{_maths(result.claimed_latex, False)}; SymPy: {_maths(result.computed_latex, False)}</span>"
        )
    if result.verdict == "numeric" and result.points:
        points = "".join(
            "<li>" + html.escape(", ".join(f"{name} = {value}" for name, value in point)) + "</li>"
            for point in result.points
        )
        return f'<span class="verify-evidence">compared at:</span><ul class="verify-points">{points}</ul>'
    return ""


def render_fence(result: FenceResult, sympy_version: str) -> str:
    """The checked fence: one row per line, marks on claims, and what SymPy computed in a <details>."""
    rows = "".join(_row(item) for item in result.lines if item.kind != "comment")
    computed = [item.result for item in result.lines if item.result and item.result.computed_latex]
    items = "".join(
        f'<li><span class="verify-label">{html.escape(r.label)}</span> = {_maths(r.computed_latex, False)}</li>'
        for r in computed
    )
    legend = "".join(
        f'<li><span class="verify-key verify-mark verify-{verdict}" aria-hidden="true">{symbol}</span> '
        f"{html.escape(meaning)}</li>"
        for verdict, (symbol, meaning) in [*MARKS.items(), ("error", ("!", "the line could not be read"))]
    )
    summary = f"checked with SymPy {html.escape(sympy_version)} · what the marks mean"
    details = (
        f'<details class="verify-details"><summary>{summary}</summary>'
        f'<ul class="verify-legend">{legend}</ul>'
        + (f'<p class="verify-computed-title">What SymPy computed:</p><ul>{items}</ul>' if items else "")
        + "</details>"
    )
    error = f'<p class="verify-message verify-unchecked">{html.escape(result.error)}</p>' if result.error else ""
    return f'<div class="verify"><table class="verify-table"><tbody>{rows}</tbody></table>{error}{details}</div>'


def make_formatter(
    lookup: Callable[[str], FenceResult | None], enabled: Callable[[], bool], sympy_version: str
) -> tuple[Callable[..., str], Callable[..., bool]]:
    """SuperFences ``format`` and ``validator`` for the verify fence; ``lookup(body)`` finds the results."""

    def validator(
        language: str, inputs: dict[str, Any], options: dict[str, Any], attrs: dict[str, Any], md: Any
    ) -> bool:
        options.update(inputs)
        return True

    def formatter(source: str, language: str, css_class: str, options: dict[str, Any], md: Any, **kwargs: Any) -> str:
        if not enabled():
            return render_plain(source)
        result = lookup(source)
        if result is None:
            note = "this fence was not checked (it was not found in the build's pre-pass)"
            return render_plain(source, f'<p class="verify-message verify-unchecked">{html.escape(note)}</p>')
        return render_fence(result, sympy_version)

    return formatter, validator
