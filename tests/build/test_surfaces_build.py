"""Real ``mkdocs build --strict`` runs of a tiny site with surface fences: figures, errors, cache."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parents[2]

CONFIG = f"""\
site_name: Surfaces
docs_dir: docs
site_dir: site
theme:
  name: material
hooks:
  - {ROOT / "hooks" / "report.py"}
  - {ROOT / "hooks" / "surfaces.py"}
markdown_extensions:
  - admonition
  - pymdownx.superfences
extra:
  mathwiki:
    cache_dir: .cache
"""

GOOD = """\
---
title: Partial Derivatives
---

## Visual Intuition

```verify
L(w, b) = (y - (wx + b))^2
```

```surface
f(x, y) = x^2 y + 3y
x: [-2, 2]
y: [-2, 2]
at: (1, 1)
```

```surface
function: L
w: [-1, 2]
b: [-1, 1]
x: 2
y: 3
at: (0.5, 0)
grid: 30
```
"""

# page name -> (page text, line of the problem, expected words)
BAD = {
    "unknown-function.md": (
        "```surface\nfunction: g\nx: [-2, 2]\ny: [-2, 2]\n```\n",
        2,
        "defines a function 'g'",
    ),
    "missing-range.md": ("```surface\nf(x, y) = x y\nx: [-2, 2]\n```\n", 2, "missing range for 'y'"),
    "reversed.md": ("```surface\nf(x, y) = x y\nx: [2, -2]\ny: [-2, 2]\n```\n", 3, "is reversed"),
    "empty.md": ("```surface\nf(x, y) = x y\nx: [1, 1]\ny: [-2, 2]\n```\n", 3, "is empty"),
    "constant.md": (
        "```surface\nf(x, y) = c x y\nx: [-2, 2]\ny: [-2, 2]\n```\n",
        2,
        "the formula uses 'c'; give it a value, e.g. `c: 1`",
    ),
    "undefined.md": (
        "```surface\nf(x, y) = \\ln(-x^2 - 1) + y\nx: [-2, 2]\ny: [-2, 2]\n```\n",
        2,
        "undefined or infinite everywhere",
    ),
    "grid.md": ("```surface\nf(x, y) = x y\nx: [-2, 2]\ny: [-2, 2]\ngrid: 5000\n```\n", 5, "'grid: 5000'"),
    "outside.md": ("```surface\nf(x, y) = x y\nx: [-2, 2]\ny: [-2, 2]\nat: (3, 0)\n```\n", 5, "outside"),
    "three.md": ("```surface\nf(x, y, z) = x y z\nx: [-2, 2]\ny: [-2, 2]\n```\n", 2, "exactly two variables"),
}


def _project(tmp_path: Path, pages: dict[str, str]) -> Path:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for name, text in pages.items():
        target = docs / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return tmp_path


def _build(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    environment.pop("MATHWIKI_CACHE_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_good_page_gets_both_images_with_relative_links(tmp_path: Path) -> None:
    project = _project(tmp_path, {"index.md": "# Home\n", "topics/calculus/partials.md": GOOD})
    result = _build(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site/topics/calculus/partials/index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == 4
    assert sum(s.endswith("#only-light") for s in sources) == 2
    assert sum(s.endswith("#only-dark") for s in sources) == 2
    for source in sources:
        assert source.startswith("../../../assets/figures/")
        target = (project / "site/topics/calculus/partials" / source.split("#")[0]).resolve()
        with Image.open(target) as image:
            assert image.format == "PNG"
    assert page.count("<figcaption>") == 2
    assert "<math" in page  # the caption typesets the formula
    assert 'alt="Two panels.' in page


def test_second_build_draws_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path, {"index.md": GOOD})
    first = _build(project)
    assert first.returncode == 0, first.stderr
    assert "0 from the cache, 2 drawn" in first.stderr
    entries = sorted((project / ".cache/figures").rglob("*.json"))
    times = [p.stat().st_mtime_ns for p in entries]
    second = _build(project)
    assert second.returncode == 0, second.stderr
    assert "2 from the cache, 0 drawn" in second.stderr
    assert [p.stat().st_mtime_ns for p in entries] == times
    assert (project / "site/assets/figures").is_dir()
    entries[0].write_text("{not json", encoding="utf-8")  # a corrupted entry is drawn again
    third = _build(project)
    assert third.returncode == 0, third.stderr
    assert "1 from the cache, 1 drawn" in third.stderr


def test_each_bad_spec_is_reported_and_fails_the_build(tmp_path: Path) -> None:
    pages = {"index.md": "# Home\n"} | {name: text for name, (text, _, _) in BAD.items()}
    project = _project(tmp_path, pages)
    result = _build(project)
    assert result.returncode != 0
    for name, (_, line, words) in BAD.items():
        matching = [row for row in result.stderr.splitlines() if f"docs/{name}:{line}: surface:" in row]
        assert matching, f"{name}: no problem reported at line {line}:\n{result.stderr}"
        assert any(words in row for row in matching), f"{name}: {matching}"


def test_figures_off_renders_a_note(tmp_path: Path) -> None:
    project = _project(tmp_path, {"index.md": GOOD})
    result = _build(project, MATHWIKI_FIGURES="0")
    assert result.returncode == 0, result.stderr
    page = (project / "site/index.html").read_text(encoding="utf-8")
    assert "mathwiki-surface-off" in page
    assert not (project / "site/assets/figures").exists()
