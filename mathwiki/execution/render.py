"""HTML shown under a ``python`` block: its output, its figures, or the error box.

Pure functions of a :class:`BlockResult`; the figure URLs are given by the caller (the hook knows where the
page lives and where the figures are written).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence
from html import escape

from mathwiki.execution.runner import BlockResult

FIGURE_ALT = "Figure drawn by the code above"


def figure_name(png_base64: str) -> str:
    """The file name of a figure: the SHA-256 of its bytes, so identical figures are written once."""
    return hashlib.sha256(base64.b64decode(png_base64)).hexdigest()[:32] + ".png"


def render(result: BlockResult, figure_url: Callable[[str], str], problems: Sequence[str] = ()) -> str:
    """The HTML that follows the highlighted code. ``figure_url(name)`` gives the page-relative URL;
    ``problems`` are other errors found at the block (a ``bind=`` that disagrees with the verified maths)."""
    parts: list[str] = []
    if result.output or result.dropped:
        text = escape(result.output)
        parts.append(f'<div class="code-output"><pre><code>{text}</code></pre>')
        if result.dropped:
            parts.append(f'<p class="code-output-truncated">output truncated: {result.dropped} bytes not shown</p>')
        parts.append("</div>")
    for png in result.figures:
        url = escape(figure_url(figure_name(png)), quote=True)
        parts.append(f'<figure class="code-figure"><img alt="{FIGURE_ALT}" src="{url}"></figure>')
    if result.status == "failed":
        details = ""
        if result.traceback:
            details = f"<pre><code>{escape(result.traceback)}</code></pre>"
        parts.append(
            '<div class="admonition failure code-error"><p class="admonition-title">This code failed</p>'
            f"<p>{escape(result.error)}</p>{details}</div>"
        )
    parts.extend(render_problem(problem, "This code disagrees") for problem in problems)
    if result.status in ("not-run", "unknown"):
        parts.append(f'<div class="admonition note code-not-run"><p>{escape(result.error)}</p></div>')
    return "".join(parts)


def render_problem(message: str, title: str = "This code was not run") -> str:
    """A red box under the code, where its output would be."""
    return (
        f'<div class="admonition failure code-error"><p class="admonition-title">{escape(title)}</p>'
        f"<p>{escape(message)}</p></div>"
    )
