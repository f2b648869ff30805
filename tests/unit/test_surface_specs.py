"""The resolution cache: what ``resolve`` gives survives JSON exactly, a warm page neither parses nor imports SymPy."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import plots.resolve
from plots.figure import Figure
from plots.specs import Resolved, open_cache, resolve_fence, resolve_page

ROOT = Path(__file__).resolve().parents[2]

PAGE = """\
---
title: Linear Regression
---

```verify
L(w, b) = (y - (wx + b))^2
\\sigma(z) = \\frac{1}{1 + e^{-z}}
g(x) = x^2
```

```surface
function: L
w: [-1, 2]
b: [-1, 1]
x: 2
y: -0.1
at: (0.5, 0)
grid: 30
title: Loss
```

```surface
h(\\theta, w_1) = \\sigma(\\theta w_1) + \\pi/3
\\theta: [-\\pi, \\pi]
w_{1}: [0, 1e-3]
```

```surface
f(x, y) = c x y
x: [-2, 2]
y: [-2, 2]
```
"""

BODIES = [
    "f(x, y) = x^2 y + 3y\nx: [-2, 2]\ny: [-2, 2]\nat: (1, 1)",
    "function: L\nw: [-1, 2]\nb: [-1, 1]\nx: 2\ny: 3\nat: (0.5, 0)\ngrid: 30\ntitle: Loss",
    "h(\\theta, w_1) = \\sigma(\\theta w_1) e^{x} \\log(y)\n\\theta: [-\\pi, \\pi]\nw_{1}: [0.1, 1]\nx: 1/3\ny: \\pi/7",
    "f(x, y) = \\tanh(x) / (1 + y^2) - 0.3\nx: [-1e-3, 2.5e2]\ny: [-0.1, 0.7]\nat: (0.2, -0.05)",
    "f(x, y) = \\max(x, y)\nx: [-1, 1]\ny: [-1, 1]",
    "function: q\nx: [-2, 2]\ny: [-2, 2]",
    "f(x, y) = x y\nx: [-2, 2]\ny: [-2, 2]\nat: (3, 0)",
    "x: [-2, 2]\ny: [-2, 2]",
    "f(x, y) = x \\foo y\nx: [-2, 2]\ny: [-2, 2]",
    "f(x, y) = g + y\nx: [-2, 2]\ny: [-2, 2]",
]


def _round_trip(resolved: Resolved) -> Resolved:
    return Resolved.from_data(json.loads(json.dumps(resolved.to_data(), sort_keys=True, separators=(",", ":"))))


@pytest.mark.parametrize("body", BODIES)
def test_what_resolve_gives_round_trips_through_json_exactly(body: str) -> None:
    resolved = resolve_fence(body, plots.resolve.page_definitions(PAGE), "Page Title", 400)
    again = _round_trip(resolved)
    assert again == resolved
    if resolved.figure is not None:
        assert again.figure is not None
        assert again.figure.identity() == resolved.figure.identity()
        assert hash(again.figure) == hash(resolved.figure)
        assert Figure.from_data(resolved.figure.to_data()) == resolved.figure
    else:
        assert resolved.error


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {},
        {"error": 3, "line": 0},
        {"error": "x", "line": "0"},
        {"figure": {}, "head_line": 0, "point_line": None},
        {"figure": None, "head_line": 0, "point_line": None},
    ],
)
def test_other_shapes_are_refused(data: object) -> None:
    with pytest.raises((KeyError, TypeError, ValueError)):
        Resolved.from_data(data)


def test_a_warm_page_is_not_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = open_cache(tmp_path)
    cold = resolve_page(PAGE, "Linear Regression", 400, cache)
    assert [r.figure is not None for _, r in cold] == [True, True, False]
    assert cold[2][1].error is not None and cold[2][1].error.startswith("the formula uses 'c'")

    def fail(*args: object) -> None:
        raise AssertionError("resolved again on a warm cache")

    monkeypatch.setattr(plots.resolve, "page_definitions", fail)
    monkeypatch.setattr(plots.resolve, "resolve", fail)
    assert resolve_page(PAGE, "Linear Regression", 400, cache) == cold
    # a surface fence's place on the page does not matter (its lines are kept relative to its body)
    moved = PAGE.replace("```\n\n```surface\nfunction: L", "```\n\nSome prose.\n\n```surface\nfunction: L")
    assert [r for _, r in resolve_page(moved, "Linear Regression", 400, cache)] == [r for _, r in cold]
    # an entry of another shape is resolved again, not misread
    monkeypatch.undo()
    for entry in cache.folder.rglob("*.json"):
        key = entry.stem
        cache.put(key, {"figure": "old"})
    assert resolve_page(PAGE, "Linear Regression", 400, cache) == cold


@pytest.mark.parametrize(
    "change",
    [
        lambda page, title, grid: (page.replace("g(x) = x^2", "g(x) = x^3"), title, grid),  # a verify fence
        lambda page, title, grid: (page.replace("```verify", "text\n\n```verify"), title, grid),  # its line
        lambda page, title, grid: (page, "Another Title", grid),
        lambda page, title, grid: (page, title, 200),
    ],
)
def test_what_the_resolution_depends_on_is_in_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change) -> None:
    cache = open_cache(tmp_path)
    resolve_page(PAGE, "Linear Regression", 400, cache)
    calls = []
    real = plots.resolve.page_definitions
    monkeypatch.setattr(plots.resolve, "page_definitions", lambda text: calls.append(text) or real(text))
    resolve_page(*change(PAGE, "Linear Regression", 400), cache)
    assert len(calls) == 1


def test_a_verify_fence_moved_changes_a_message_that_names_its_line(tmp_path: Path) -> None:
    page = "```verify\ng(x) = x^2\n```\n\n```surface\nf(x, y) = g + y\nx: [-2, 2]\ny: [-2, 2]\n```\n"
    cache = open_cache(tmp_path)
    [(_, first)] = resolve_page(page, "T", 400, cache)
    [(_, moved)] = resolve_page("\n\n" + page, "T", 400, cache)
    assert first.error is not None and "defined on line 2" in first.error
    assert moved.error is not None and "defined on line 4" in moved.error


def test_the_warm_hook_does_not_import_sympy(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import importlib.util, json, sys
        from pathlib import Path
        from mathwiki import report
        from mathwiki.settings import Settings
        spec = importlib.util.spec_from_file_location("surfaces_hook", {str(ROOT / "hooks" / "surfaces.py")!r})
        hook = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = hook
        spec.loader.exec_module(hook)
        settings = Settings.from_mapping({{"cache_dir": "cache", "figures": False}}, Path({str(tmp_path)!r}))
        hook.prepare({{"docs/a.md": {PAGE!r}}}, settings)
        print(json.dumps([sorted(m for m in sys.modules if m.split(".")[0] in ("sympy", "matplotlib", "numpy")),
                          [str(p) for p in report.errors()]]))
        """
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
        for _ in range(2)
    ]
    (cold_modules, cold_errors), (warm_modules, warm_errors) = (json.loads(r.stdout) for r in runs)
    assert "sympy" in cold_modules
    assert warm_modules == []
    assert warm_errors == cold_errors
    assert cold_errors == [
        "docs/a.md:29: surface: the formula uses 'c'; give it a value, e.g. `c: 1`",
    ]
