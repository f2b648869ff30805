"""Pure parts of the code runner: bind= parsing, claim lines, crash messages, HTML."""

from __future__ import annotations

import pytest

from mathwiki.execution.bindings import claim_line, parse_bind
from mathwiki.execution.render import render
from mathwiki.execution.runner import BlockResult, _crash_message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("partials: df/dx, df/dy", ("partials", "f", [("x",), ("y",)], ["df/dx", "df/dy"])),
        ("grad:dL/dw_1", ("grad", "L", [("w_1",)], ["dL/dw_1"])),
        ("h: d2f/dx dy, d2f/dx dx", ("h", "f", [("x", "y"), ("x", "x")], ["d2f/dx dy", "d2f/dx dx"])),
        ("s: dsigma/dz", ("s", "sigma", [("z",)], ["dsigma/dz"])),
    ],
)
def test_parse_bind(text: str, expected: tuple) -> None:
    assert parse_bind(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("df/dx", "a Python function name, a colon"),
        ("p:", "at least one derivative"),
        ("p: df/dx dy", "cannot read"),
        ("p: d2f/dx", "cannot read"),
        ("p: df/dx, dg/dx", "same function"),
    ],
)
def test_parse_bind_errors(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_bind(text)


VERIFY = (
    "f(x, y) = x^2 y + 3y\n"
    "\\frac{\\partial f}{\\partial x} = 2xy\n"
    "\\frac{\\partial f}{\\partial y} = x^2 + 3\n"
    "\\frac{\\partial^2 f}{\\partial x \\partial y} = 2x\n"
    "\\frac{\\partial^2 f}{\\partial x^2} = 2y"
)


@pytest.mark.parametrize(
    ("target", "line"),
    [(("x",), 42), (("y",), 43), (("y", "x"), 44), (("x", "x"), 45), (("z",), 41)],
)
def test_claim_line(target: tuple[str, ...], line: int) -> None:
    assert claim_line([(VERIFY, 40)], "f", target) == line


@pytest.mark.parametrize(
    ("detail", "message"),
    [
        (
            "the worker exited with status 137: x",
            "the worker was killed by SIGKILL (out of memory or CPU time?)",
        ),
        ("the worker was killed by SIGXCPU (out of memory or CPU time?)", "the worker was killed by SIGXCPU"),
        ("the worker returned no result", "the worker ended without finishing (os._exit?)"),
        ("the worker exited with status 2: boom", "the worker exited with status 2"),
    ],
)
def test_crash_message(detail: str, message: str) -> None:
    assert _crash_message(detail).startswith(message)


def test_render_escapes_and_notes_truncation() -> None:
    html = render(BlockResult("ok", "<script>", 12345, ("iVBORw0KGgo=",)), lambda name: f"../f/{name}")
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "output truncated: 12345 bytes not shown" in html
    assert '<img alt="Figure drawn by the code above" src="../f/' in html


def test_render_error_boxes() -> None:
    failed = render(BlockResult("failed", error="code block failed: boom"), str, ["bind: <wrong>"])
    assert 'class="admonition failure code-error"' in failed and "boom" in failed and "&lt;wrong&gt;" in failed
    assert "not run (an earlier block failed)" in render(
        BlockResult("not-run", error="not run (an earlier block failed)"), str
    )


def test_the_cache_key_of_a_bind_does_not_depend_on_the_order_of_names_in_its_points(tmp_path) -> None:
    """After a cold build the points came back from the cache with their names sorted: the key must not change
    (it did, and 19 of 32 code pages ran again on the next build)."""
    from mathwiki.cache import Cache
    from mathwiki.execution.runner import Binding, Block, PageJob, Runner
    from mathwiki.execution.sandbox import probe

    runner = Runner(Cache(tmp_path, "code", "t"), memory_mb=256, output_limit=1000, workers=1, sandbox=probe())

    def job(points: tuple[dict[str, float], ...]) -> PageJob:
        binding = Binding("f", ("df/dx",), points, ((1.0,),), (3,))
        block = Block(source="def f(y, x): return x", line=2, options={"bind": "f: df/dx"}, binding=binding)
        return PageJob("docs/p.md", (block,), 10.0)

    assert runner.key(job(({"y": 1.0, "x": 2.0},))) == runner.key(job(({"x": 2.0, "y": 1.0},)))
    assert runner.key(job(({"y": 1.0, "x": 2.0},))) != runner.key(job(({"y": 1.0, "x": 3.0},)))
