"""``mathwiki.pagehtml``: a page rendered without MkDocs as the build renders it, for check's maths and HTML."""

from __future__ import annotations

from pathlib import Path

import yaml

from mathwiki.pagehtml import MKDOCS_DEFAULTS, Renderer, extension_config
from tests.conftest import ROOT


def _wiki_extensions() -> object:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]


def test_the_extensions_come_after_mkdocs_defaults_with_their_options() -> None:
    names, configs = extension_config(["abbr", {"toc": {"permalink": True}}, {"pymdownx.keys": None}])
    assert names[: len(MKDOCS_DEFAULTS)] == list(MKDOCS_DEFAULTS)
    assert names.count("toc") == 1 and "abbr" in names and "pymdownx.keys" in names
    assert configs["toc"] == {"permalink": True} and configs["pymdownx.keys"] == {}


def test_an_option_a_yaml_tag_stood_for_is_left_to_its_default() -> None:
    _, configs = extension_config([{"pymdownx.emoji": {"emoji_index": None, "alt": "short"}}])
    assert configs["pymdownx.emoji"] == {"alt": "short"}


def test_wiki_fences_with_options_render_as_code_and_formulas_reach_arithmatex() -> None:
    html = Renderer(_wiki_extensions()).render(
        'Text $x^2$.\n\n```python bind="f: df/dx"\nprint("a\\n", 1)\n```\n\n```verify\nf(x) = x\n```\n'
    )
    assert '<span class="arithmatex">\\(x^2\\)</span>' in html
    assert '<pre class="python"><code>print(&quot;a\\n&quot;, 1)</code></pre>' in html
    assert '<pre class="verify"><code>f(x) = x' in html


def test_the_renderer_is_reset_between_pages() -> None:
    renderer = Renderer(_wiki_extensions())
    first = renderer.render("Text[^1].\n\n[^1]: A note.\n")
    second = renderer.render("Plain text.\n")
    assert "footnote" in first and "footnote" not in second


def test_snippets_follow_the_wiki_settings(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "note.md").write_text("Included $y$.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    html = Renderer(_wiki_extensions()).render('--8<-- "note.md"\n')
    assert '<span class="arithmatex">\\(y\\)</span>' in html


def test_check_without_the_maths_engine_is_one_clear_problem(tmp_path: Path, monkeypatch) -> None:
    from mathwiki import typeset
    from mathwiki.checks import Findings, check_html
    from mathwiki.settings import Settings

    monkeypatch.setattr(typeset, "NODE_MODULES", tmp_path / "node_modules")
    pages = {"docs/a.md": "---\ntitle: A\n---\n\n$x^2$\n", "docs/b.md": "---\ntitle: B\n---\n\n$y$\n"}
    problems = check_html(pages, Settings.from_mapping({}, tmp_path), Findings(markdown_extensions=_wiki_extensions()))
    assert len(problems) == 1 and problems[0].path == "package.json"
    assert "the maths engine is not installed" in problems[0].message and "npm ci" in problems[0].message
