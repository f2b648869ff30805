"""A dirty build (what ``make serve`` runs on every save) writes every page exactly as a full build would.

One wiki is built in full once, then edited and rebuilt with ``mkdocs build --dirty`` after each edit; after each,
a copy of its pages is built in full from nothing, and every HTML page (and ``graph.json``) of the two sites must
be byte for byte the same. A prose edit renders only its page; a ``uses:`` or link edit renders its page and the
pages whose graph view changed; a heading edit, its page and the pages linking to it; a title, a page added or
deleted renders every page, and a deleted page's output is gone.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import build, project_config

pytestmark = pytest.mark.build

HEAD = "---\ntitle: {title}\ntags: [{tag}]\ndate: 2026-01-01\n{extra}---\n\n## The Math Inside\n\n"
PAGES = {
    "index.md": "---\ntitle: Home\n---\nStart at [A](topics/calc/a.md).\n",
    "tags.md": "---\ntitle: Tags\n---\n\n<!-- material/tags -->\n",
    "topics/calc/a.md": HEAD.format(title="A", tag="calculus", extra="")
    + "```verify\nf(x) = x^2\n\\frac{df}{dx} = 2x\n```\n\nOn to [B](b.md) and [[C]].\n",
    "topics/calc/b.md": HEAD.format(title="B", tag="calculus", extra="uses: [A]\n")
    + "Prose about $x^2$. See [C](c.md).\n",
    "topics/calc/c.md": HEAD.format(title="C", tag="optimization", extra="uses: [B]\n")
    + "More prose. Back to [A](a.md) and [its maths](a.md#the-math-inside).\n",
}


def _dirty(project: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "--dirty", "-f", str(project / "mkdocs.yml")]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=project)


def _full_copy(project: Path, where: Path) -> Path:
    """The same pages built in full, in a new folder with its own cache."""
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(project / "docs", where / "docs")
    config = project_config(where)
    (where / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = build(where, strict=False)  # a new page is an orphan until a page links to it: a warning
    assert result.returncode == 0, result.stderr[-3000:]
    return where / "site"


def _pages(site: Path) -> dict[str, bytes]:
    pages = {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*.html")}
    return {**pages, "graph.json": (site / "graph.json").read_bytes()}


def _edit(project: Path, name: str, change) -> None:
    path = project / "docs" / name
    if change is None:
        path.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(change(path.read_text(encoding="utf-8") if path.exists() else ""), encoding="utf-8")


# (what, page, change, what the build log must say it renders)
EDITS = [
    ("prose", "topics/calc/b.md", lambda text: text + "\nOne more sentence about slopes.\n", ["rendering 1 of"]),
    (
        "uses",
        "topics/calc/c.md",
        lambda text: text.replace("uses: [B]", "uses: [A]"),
        ["rendering 1 of", "also rendering 2 page(s)"],  # A and B: their Used In, local graphs
    ),
    (
        "link added",
        "topics/calc/c.md",
        lambda text: text + "\nAnd [B](b.md).\n",
        ["rendering 1 of", "also rendering 1 page(s)"],  # B: its Linked from
    ),
    ("heading", "topics/calc/a.md", lambda text: text + "\n## Another Section\n\nText.\n", ["rendering 3 of"]),
    ("title", "topics/calc/b.md", lambda text: text.replace("title: B", "title: B Renamed"), ["rendering every page"]),
    (
        "new page",
        "topics/calc/d.md",
        lambda _: HEAD.format(title="D", tag="calculus", extra="uses: [C]\n") + "New. See [A](a.md).\n",
        ["rendering every page"],
    ),
    ("deleted page", "topics/calc/d.md", None, ["rendering every page"]),
    ("prose again", "topics/calc/a.md", lambda text: text.replace("On to", "Then on to"), ["rendering 1 of"]),
]


def test_every_page_of_a_dirty_build_is_the_page_of_a_full_build(make_wiki, tmp_path: Path) -> None:
    project = make_wiki(PAGES)
    first = build(project)
    assert first.returncode == 0, first.stderr[-3000:]
    for label, name, change, said in EDITS:
        _edit(project, name, change)
        result = _dirty(project)
        assert result.returncode == 0, (label, result.stderr[-3000:])
        for words in said:
            assert f"incremental: {words}" in result.stderr, (
                label,
                words,
                re.findall("incremental: .*", result.stderr),
            )
        full = _full_copy(project, tmp_path / "full")
        ours, theirs = _pages(project / "site"), _pages(full)
        assert ours.keys() == theirs.keys(), (label, sorted(ours.keys() ^ theirs.keys()))
        different = [page for page in ours if ours[page] != theirs[page]]
        assert not different, (label, different)
    assert "One more sentence about slopes." in (project / "site/topics/calc/b/index.html").read_text("utf-8")


def test_a_heading_change_breaks_the_anchor_of_a_page_not_edited_and_the_dirty_build_says_so(make_wiki) -> None:
    project = make_wiki(PAGES)
    assert build(project).returncode == 0
    _edit(project, "topics/calc/a.md", lambda text: text.replace("## The Math Inside", "## Maths"))
    result = _dirty(project)
    assert result.returncode != 0
    assert "docs/topics/calc/c.md:10: broken anchor 'a.md#the-math-inside'" in result.stderr, result.stderr[-3000:]
    _edit(project, "topics/calc/a.md", lambda text: text.replace("## Maths", "## The Math Inside"))
    again = _dirty(project)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "broken anchor" not in again.stderr
