"""The surface fence through a bare Python-Markdown with SuperFences and the hook's formatter."""

from __future__ import annotations

import importlib.util
import logging
import re
import sys
from pathlib import Path

import markdown
import pytest

from mathwiki import build_context, report
from mathwiki.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

PAGE = """\
---
title: Partial Derivatives
---

```verify
L(w, b) = (y - (wx + b))^2
```

```surface
function: L
w: [-1, 2]
b: [-1, 1]
x: 2
y: 3
at: (0.5, 0)
grid: 20
```

```surface
f(x, y) = c x y
x: [-2, 2]
y: [-2, 2]
```
"""


@pytest.fixture(scope="module")
def hook():
    spec = importlib.util.spec_from_file_location("surfaces_hook_under_test", ROOT / "hooks" / "surfaces.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def _render(hook, text: str, settings: Settings, url: str = "topics/calculus/partials/") -> str:
    report.reset()
    build_context.start(settings, ROOT, ROOT / "docs")
    hook.prepare({"docs/topics/calculus/partials.md": text}, settings)
    hook.set_page("docs/topics/calculus/partials.md", url)
    md = markdown.Markdown(
        extensions=["pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [hook.custom_fence()]}},
    )
    return md.convert(text.split("---", 2)[2])


def test_figure_and_error_box(hook, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.from_mapping({"cache_dir": "cache"}, tmp_path)
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.surfaces"):
        html = _render(hook, PAGE, settings)
    figure = re.search(r'<figure class="mathwiki-surface">.*?</figure>', html, re.DOTALL)
    assert figure is not None
    sources = re.findall(r'src="([^"]+)"', figure.group(0))
    assert [s.rsplit("#", 1)[1] for s in sources] == ["only-light", "only-dark"]
    assert all(s.startswith("../../../assets/figures/") for s in sources)
    assert 'width="1000" height="430"' in figure.group(0)
    assert "the slope is" in figure.group(0) and "<math" in figure.group(0)
    assert "mathwiki-surface-error" in html
    assert "the formula uses &#x27;c&#x27;" in html
    assert [str(p) for p in report.errors()] == [
        "docs/topics/calculus/partials.md:20: surface: the formula uses 'c'; give it a value, e.g. `c: 1`"
    ]
    assert "docs/topics/calculus/partials.md:20" in caplog.text


def test_urls_for_pages_without_directory_urls(hook, tmp_path: Path) -> None:
    settings = Settings.from_mapping({"cache_dir": "cache"}, tmp_path)
    html = _render(hook, PAGE, settings, url="topics/calculus/partials.html")
    assert 'src="../../assets/figures/' in html
    html = _render(hook, PAGE, settings, url="")
    assert 'src="assets/figures/' in html


def test_figures_off_gives_a_placeholder(hook, tmp_path: Path) -> None:
    settings = Settings.from_mapping({"cache_dir": "cache", "figures": False}, tmp_path)
    html = _render(hook, PAGE, settings)
    assert html.count("mathwiki-surface-off") == 2
    assert "<img" not in html


def test_a_fence_the_pre_pass_missed_is_an_error_with_its_line(hook, tmp_path: Path) -> None:
    settings = Settings.from_mapping({"cache_dir": "cache"}, tmp_path)
    missed = "---\ntitle: P\n---\n\nText.\n\n```surface\nf(x, y) = x y\nx: [0, 1]\ny: [0, 1]\n```\n"
    report.reset()
    build_context.start(settings, tmp_path, tmp_path / "docs")
    hook.prepare({"docs/topics/calculus/partials.md": "---\ntitle: P\n---\n"}, settings)  # saw no fence
    hook.set_page("docs/topics/calculus/partials.md", "topics/calculus/partials/", missed)
    md = markdown.Markdown(
        extensions=["pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [hook.custom_fence()]}},
    )
    html = md.convert(missed.split("---", 2)[2])
    assert "mathwiki-surface-error" in html and "not found by the build" in html
    assert [(p.path, p.line) for p in report.errors()] == [("docs/topics/calculus/partials.md", 7)]
