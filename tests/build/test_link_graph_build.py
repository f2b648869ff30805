"""Real builds of a small wiki: the exact "Used In" / "Linked from" lists, "Builds on", graph.json, and the
mistakes that fail the strict build with the page and line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ("hooks/report.py", "hooks/front_matter.py", "hooks/link_graph.py")  # this concern and the spine


def topic(title: str, body: str, uses: str = "") -> str:
    head = f"---\ntitle: {title}\ntags: [calculus]\ndate: 2026-01-01\n{uses}---\n"
    return f"{head}\n## I Use This When...\n\n{body}\n"


WIKI = {
    "index.md": "---\ntitle: Home\n---\n\nStart with [derivatives](topics/calc/derivatives.md).\n",
    "topics/calc/index.md": "---\ntitle: Calculus\n---\n\n[The derivative][d].\n\n[d]: derivatives.md\n",
    "topics/ml/index.md": "---\ntitle: Machine Learning\n---\n\n- [Loss](loss.md#i-use-this-when)\n",
    "topics/calc/derivatives.md": topic(
        "Derivatives",
        "Then [partials](partial-derivatives.md#i-use-this-when), or [this page](derivatives.md) "
        "or [this heading](#i-use-this-when).\n\n"
        "```python\n# [g](gradient.md) in a code block is no link\n```\n\n"
        "Inline code `[g](gradient.md)` is no link either. [Web](https://example.org/gradient.md).",
        "uses: []\n",
    ),
    "topics/calc/partial-derivatives.md": topic(
        "Partial Derivatives",
        "Builds on [[Derivatives]]; see [[gradient#I Use This When...|the gradient]].",
        "uses: [derivatives]\n",
    ),
    "topics/calc/gradient.md": topic(
        "Gradient",
        "Back to [calculus](./index.md) and on to [the loss][loss].\n\n[loss]: ../ml/loss.md",
        "uses:\n  - Partial Derivatives\n  - topics/calc/derivatives.md\n",
    ),
    "topics/ml/loss.md": topic(
        "Loss",
        "Minimised along [the gradient](./../calc/gradient.md#i-use-this-when); `[[Partial Derivatives]]` "
        "is code.\n\n```\n[[No Such Page]]\n```",
        "uses: [Gradient]\n",
    ),
    "topics/ml/regularizer.md": topic("Regularizer", "Added as a [penalty](penalty.md)."),
    "topics/ml/penalty.md": topic("Penalty", "Built from a [regularizer](regularizer.md).", "uses: [Regularizer]\n"),
}

EXPECTED = {  # page -> (Used In, Linked from), as (title, href) in page order
    "topics/calc/derivatives": (
        [("Gradient", "../gradient/"), ("Partial Derivatives", "../partial-derivatives/")],
        [("Calculus", "../"), ("Home", "../../../")],  # Partial Derivatives links here too, and uses it
    ),
    "topics/calc/partial-derivatives": (
        [("Gradient", "../gradient/")],
        [("Derivatives", "../derivatives/")],
    ),
    "topics/calc/gradient": (
        [("Loss", "../../ml/loss/")],
        [("Partial Derivatives", "../partial-derivatives/")],  # Loss links here too, and uses it
    ),
    "topics/ml/loss": (
        [],
        [("Gradient", "../../calc/gradient/"), ("Machine Learning", "../")],
    ),
    "topics/ml/penalty": ([], [("Regularizer", "../regularizer/")]),
    "topics/ml/regularizer": ([("Penalty", "../penalty/")], None),  # its only linker uses it
}


def write_wiki(project: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = project / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("nav", "extra_css", "repo_url", "edit_uri"):
        config.pop(key, None)
    config.update(docs_dir=str(project / "docs"), site_dir=str(project / "site"))
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["hooks"] = [str(ROOT / hook) for hook in HOOKS if (ROOT / hook).exists()]
    config["extra"]["mathwiki"] = {"cache_dir": str(project / "cache")}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return project


def build(project: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml")]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=project, env=environment)


def content(site: Path, page: str) -> str:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    return html[html.index('<article class="md-content__inner') :]


def section(html: str, anchor: str) -> list[tuple[str, str]] | None:
    """The (text, href) of the list under ``<h2 id=anchor>``; ``None`` when it says the list is empty."""
    start = html.index(f'<h2 id="{anchor}">')
    end = min(i for i in (html.find("<h2", start + 1), html.find("</article>", start)) if i >= 0)
    part = html[start:end]
    if '<p class="graph-empty">' in part:
        assert "<li>" not in part
        return None
    return [(unescape(text), href) for href, text in re.findall(r'<li><a href="([^"]*)">([^<]*)</a></li>', part)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = write_wiki(tmp_path_factory.mktemp("graph-wiki"), WIKI)
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_exact_lists(site: Path, page: str) -> None:
    html = content(site, page)
    used_in, linked_from = EXPECTED[page]
    assert section(html, "used-in") == (used_in or None)
    assert section(html, "linked-from") == linked_from
    # the two lists are the last two sections, in that order
    headings = re.findall(r'<h2 id="([^"]+)"', html)
    assert headings[-2:] == ["used-in", "linked-from"]
    assert headings.count("used-in") == 1


def test_empty_list_says_so(site: Path) -> None:
    assert '<p class="graph-empty">No page uses this one yet.</p>' in content(site, "topics/ml/loss")
    every = '<p class="graph-empty">Every page that links here is listed under Used In.</p>'
    assert every in content(site, "topics/ml/regularizer")
    assert every not in content(site, "topics/ml/loss")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "topics/ml/loss",
            [
                ("Derivatives", "../../calc/derivatives/"),
                ("Partial Derivatives", "../../calc/partial-derivatives/"),
                ("Gradient", "../../calc/gradient/"),
            ],
        ),
        (
            "topics/calc/gradient",
            [("Derivatives", "../derivatives/"), ("Partial Derivatives", "../partial-derivatives/")],
        ),
        ("topics/calc/partial-derivatives", [("Derivatives", "../derivatives/")]),
        ("topics/calc/derivatives", None),  # builds on nothing: no path
    ],
)
def test_learning_path(site: Path, page: str, expected: list[tuple[str, str]] | None) -> None:
    html = content(site, page)
    found = re.search(r'<details class="learning-path">(.*?)</details>', html)
    if expected is None:
        assert found is None and "learning-path" not in html
        return
    assert found is not None
    items = re.findall(r'<li><a href="([^"]*)">([^<]*)</a></li>', found.group(1))
    assert [(unescape(text), href) for href, text in items] == expected
    title = re.search(r"<title>([^<]*) - ", (site / page / "index.html").read_text(encoding="utf-8"))
    assert title is not None
    assert found.group(1).endswith(f'<li><strong aria-current="page">{title.group(1)}</strong></li></ol>')
    assert f"Learning path: {len(expected)} page" in found.group(1)
    assert html.index('class="learning-path"') < html.index('id="i-use-this-when"')  # at the top, folded


def test_builds_on_line(site: Path) -> None:
    html = content(site, "topics/calc/gradient")
    line = re.search(r'<p class="builds-on">(.*?)</p>', html)
    assert line is not None
    assert line.group(1) == (
        'Builds on: <a href="../partial-derivatives/">Partial Derivatives</a>, '
        '<a href="../derivatives/">Derivatives</a>'
    )
    assert html.index('class="builds-on"') < html.index('id="i-use-this-when"')
    assert 'class="builds-on"' not in content(site, "topics/calc/derivatives")  # uses: []


def test_wikilinks_render_as_links(site: Path) -> None:
    html = content(site, "topics/calc/partial-derivatives")
    assert '<a href="../derivatives/">Derivatives</a>' in html
    assert '<a href="../gradient/#i-use-this-when">the gradient</a>' in html
    loss = content(site, "topics/ml/loss")
    assert "<code>[[Partial Derivatives]]</code>" in loss
    assert "[[No Such Page]]" in loss


def test_index_pages_have_no_lists(site: Path) -> None:
    for page in ("topics/calc", "topics/ml", ""):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert 'id="used-in"' not in html and 'id="linked-from"' not in html


def test_sections_are_in_the_table_of_contents(site: Path) -> None:
    html = (site / "topics/calc/gradient/index.html").read_text(encoding="utf-8")
    toc = html[html.index('class="md-nav md-nav--secondary"') :]
    assert toc.index('href="#i-use-this-when"') < toc.index('href="#used-in"') < toc.index('href="#linked-from"')


def test_graph_json(site: Path) -> None:
    data = json.loads((site / "graph.json").read_text(encoding="utf-8"))
    assert [node["url"] for node in data["nodes"]] == [
        "",
        "topics/calc/",
        "topics/calc/derivatives/",
        "topics/calc/gradient/",
        "topics/calc/partial-derivatives/",
        "topics/ml/",
        "topics/ml/loss/",
        "topics/ml/penalty/",
        "topics/ml/regularizer/",
    ]
    assert data["nodes"][2] == {
        "title": "Derivatives",
        "url": "topics/calc/derivatives/",
        "path": "topics/calc/derivatives.md",
        "tags": ["calculus"],
    }
    edges = {(e["source"], e["target"], e["kind"]) for e in data["edges"]}
    assert ("topics/calc/gradient/", "topics/calc/derivatives/", "uses") in edges
    assert ("topics/calc/partial-derivatives/", "topics/calc/gradient/", "link") in edges
    assert ("topics/calc/derivatives/", "topics/calc/gradient/", "link") not in edges  # only in code
    assert data["edges"] == sorted(data["edges"], key=lambda e: (e["source"], e["target"], e["kind"]))


BAD = {
    **WIKI,
    "topics/calc/gradient.md": WIKI["topics/calc/gradient.md"].replace("derivatives.md\n", "derivative.md\n"),
    "topics/calc/partial-derivatives.md": topic(
        "Partial Derivatives",
        "On [[Derivatives]].\n\nSee [[Jacobian Matrix]], not `[[Not Checked]]`.\n\n## Used In\n\nby hand",
        "uses: [Derivatives, Loss]\n",
    ),
    "topics/calc/lonely.md": topic("Lonely", "Nobody links here.", "uses: [Lonely]\n"),
}


def test_mistakes_fail_the_strict_build_with_page_and_line(tmp_path: Path) -> None:
    result = build(write_wiki(tmp_path, BAD))
    assert result.returncode != 0
    expected = [
        "docs/topics/calc/gradient.md:7: uses entry 'topics/calc/derivative.md' matches no page: there is no "
        "file docs/topics/calc/derivative.md; did you mean 'topics/calc/derivatives.md'?",
        "docs/topics/calc/partial-derivatives.md:12: wikilink [[Jacobian Matrix]] matches no page title",
        "docs/topics/calc/partial-derivatives.md:14: the section 'Used In' is written by the build",
        "docs/topics/calc/lonely.md:5: prerequisite cycle in 'uses': Lonely -> Lonely",
        "docs/topics/calc/gradient.md:6: prerequisite cycle in 'uses': "
        "Gradient -> Partial Derivatives -> Loss -> Gradient",
        "docs/topics/calc/lonely.md:2: no page links here; link it from a related topic",
    ]
    for message in expected:
        assert message in result.stderr
    assert "Not Checked" not in result.stderr


def test_switched_off(tmp_path: Path) -> None:
    project = write_wiki(tmp_path, WIKI)
    result = build(project, env={"MATHWIKI_GRAPH": "0"})
    assert result.returncode == 0, result.stderr
    html = content(project / "site", "topics/calc/gradient")
    assert 'id="used-in"' not in html and "builds-on" not in html
    assert not (project / "site" / "graph.json").exists()
