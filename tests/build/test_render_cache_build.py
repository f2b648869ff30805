"""A page's converted Markdown reused by the next build (``hooks/render_cache.py``): real builds, real sites.

A warm build of the real wiki reuses every conversion and writes the same site as the cold build. On a small
wiki, what a conversion reads besides the page's own Markdown changes, and the page must change with it: a
snippet it includes, a code block's output run anew, a setting, a page added to the build; a conversion that warned is
converted again and warns again.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, build

pytestmark = pytest.mark.build

COUNTS = re.compile(r"converted pages: (\d+) reused, (\d+) converted")


def _counts(result: subprocess.CompletedProcess[str]) -> tuple[int, int]:
    found = COUNTS.findall(result.stderr)
    assert len(found) == 1, result.stderr[-3000:]
    return int(found[0][0]), int(found[0][1])


def _site(site: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in site.rglob("*")
        if path.suffix in (".html", ".json") and "pagefind" not in path.parts
    }


def test_a_warm_build_of_the_real_wiki_reuses_every_conversion_and_writes_the_same_site(real_site, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(real_site.parent / "real-cache", cache)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml")]
    env = {**os.environ, "MATHWIKI_CACHE_DIR": str(cache)}
    result = subprocess.run(
        [*command, "-d", str(tmp_path / "site")], capture_output=True, text=True, timeout=600, cwd=ROOT, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pages = len(list((ROOT / "docs").rglob("*.md")))
    assert _counts(result) == (pages, 0)
    cold, warm = _site(real_site), _site(tmp_path / "site")
    assert cold.keys() == warm.keys()
    assert [name for name in cold if cold[name] != warm[name]] == []


HEAD = "---\ntitle: {title}\ntags: [calculus]\ndate: 2026-01-01\n---\n\n"
PAGES = {
    "index.md": "---\ntitle: Home\n---\nStart at [A](topics/a.md).\n",
    "topics/a.md": HEAD.format(title="A")
    + "## Claims\n\n```verify\nf(x) = x^2\n\\frac{df}{dx} = 2x\n```\n\n"
    + "## Code\n\n```python\nimport random\nprint(f'drawn {random.random()!r}')\n```\n\n"
    + '## Note\n\n--8<-- "note.md"\n\nOn to [B](b.md) and [its part](b.md#part).\n',
    "topics/b.md": HEAD.format(title="B") + "## Part\n\nBack to [A](a.md).\n",
}


def _html(project: Path, name: str) -> str:
    return (project / "site" / name / "index.html").read_text(encoding="utf-8")


def _build(project: Path, strict: bool = True, env: dict[str, str] | None = None) -> tuple[int, int]:
    result = build(project, strict=strict, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return _counts(result)


def test_what_a_conversion_reads_outside_the_page_changes_the_page(make_wiki):
    project = make_wiki(PAGES)
    (project / "snippets").mkdir()
    (project / "snippets" / "note.md").write_text("The first note.\n", encoding="utf-8")
    assert _build(project) == (0, 3)
    first = _html(project, "topics/a")
    assert "The first note." in first and "drawn 0." in first
    assert _build(project) == (3, 0)
    assert _html(project, "topics/a") == first

    # a snippet the page includes (any snippet changed: every page is converted again)
    (project / "snippets" / "note.md").write_text("The second note.\n", encoding="utf-8")
    assert _build(project) == (0, 3)
    assert "The second note." in _html(project, "topics/a") and "The first note." not in _html(project, "topics/a")

    # a code block's output run anew: the page's Markdown is the same, its result is not
    shown = re.search(r"drawn 0\.\d+", _html(project, "topics/a"))
    assert shown is not None
    shutil.rmtree(project / "cache" / "code")
    assert _build(project) == (2, 1)
    again = re.search(r"drawn 0\.\d+", _html(project, "topics/a"))
    assert again is not None and again.group(0) != shown.group(0)

    # a setting the formatters read: code not run; then run again, and the kept conversions serve once more
    assert _build(project, env={"MATHWIKI_EXECUTE": "0"}) == (0, 3)
    assert "drawn 0." not in _html(project, "topics/a")
    assert _build(project) == (3, 0)
    assert again.group(0) in _html(project, "topics/a")

    # a page added: every link of every page is resolved against the files again
    (project / "docs" / "topics" / "c.md").write_text(HEAD.format(title="C") + "See [A](a.md).\n", encoding="utf-8")
    (project / "docs" / "topics" / "b.md").write_text(PAGES["topics/b.md"] + "\nAnd [C](c.md).\n", encoding="utf-8")
    assert _build(project) == (0, 4)
    assert 'href="../c/"' in _html(project, "topics/b")


def test_a_conversion_that_warned_is_not_kept_and_warns_again(make_wiki):
    project = make_wiki({**PAGES, "topics/a.md": PAGES["topics/a.md"].replace("b.md#part", "gone.md")})
    (project / "snippets").mkdir()
    (project / "snippets" / "note.md").write_text("A note.\n", encoding="utf-8")
    for _ in range(2):
        result = build(project, strict=False)
        assert "gone.md" in result.stderr, result.stderr[-3000:]
        reused, converted = _counts(result)
        assert converted >= 1 and reused + converted == 3
    assert _counts(result) == (2, 1)
