"""The build's code path: cache, then a real worker process through isolation; a warm run starts none."""

from __future__ import annotations

from pathlib import Path

import pytest

from mathwiki.claims import bindings, runner
from mathwiki.claims.model import summary
from mathwiki.settings import Settings

PAGE_A = """---
title: A
---

```verify
\\sigma(z) = \\frac{1}{1 + e^{-z}}
\\frac{d\\sigma}{dz} = \\sigma(z)(1 - \\sigma(z))
```

Text.

```verify
L(w, b) = (\\sigma(wx + b) - y)^2
\\frac{\\partial L}{\\partial b} = 2(\\sigma(wx + b) - y)\\sigma(wx + b)(1 - \\sigma(wx + b))
\\frac{\\partial L}{\\partial w} = 2(\\sigma(wx + b) - y)
```
"""
PAGE_B = """```verify
f(x) = x^3
\\frac{df}{dx} = 3x^2
```
"""


def _settings(tmp_path: Path) -> Settings:
    return Settings(cache_dir=tmp_path / "cache", workers=2, claim_timeout_s=5.0)


def test_cold_then_warm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [runner.page_fences("docs/a.md", PAGE_A), runner.page_fences("docs/b.md", PAGE_B)]
    cold = runner.check_pages(pages, _settings(tmp_path))
    assert summary(cold["docs/a.md"]) == (2, 3)
    assert summary(cold["docs/b.md"]) == (1, 1)
    problems = runner.problems_of("docs/a.md", cold["docs/a.md"])
    assert [str(p).split(": wrong derivative")[0] for p in problems] == ["docs/a.md:15"]

    def no_worker(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm run must not start a worker")

    monkeypatch.setattr(runner, "run_worker", no_worker)
    warm = runner.check_pages(pages, _settings(tmp_path))
    assert warm == cold


def test_crashed_worker_leaves_claims_unchecked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "WORKER", "mathwiki.claims.no_such_worker")
    results = runner.check_pages([runner.page_fences("docs/b.md", PAGE_B)], _settings(tmp_path))
    [fence] = results["docs/b.md"]
    [claim] = fence.claims()
    assert claim.verdict == "unchecked" and "worker" in claim.message and claim.line == 3


def test_bindings_through_a_worker() -> None:
    fences = [f.body for f in runner.page_fences("docs/a.md", PAGE_A).fences]
    symbols = bindings.definition_symbols(fences, "L")
    assert symbols == ["w", "b", "x", "y"]
    points = bindings.binding_points(symbols, seed=1, n=3)
    assert points == bindings.binding_points(symbols, seed=1, n=3) and len(points) == 3
    values = bindings.expected_values(fences, "L", [("b",), ("w", "b")], points)
    assert len(values) == 3 and all(len(row) == 2 and None not in row for row in values)
    with pytest.raises(bindings.BindingError, match="no verify fence on the page defines 'g'"):
        bindings.expected_values(fences, "g", [("x",)], points)
