"""The nav comes from the folders: a real build of a small wiki where adding a page is adding a file, and of the
real site, whose nav keeps its order and section titles with no ``nav:`` in ``mkdocs.yml``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, build

pytestmark = pytest.mark.build

ROOT_NAV = "use_index_title: true\nnav:\n  - Home: index.md\n  - topics\n  - Tags: tags.md\n"
CALC_NAV = 'nav:\n  - index.md\n  - second.md\n  - first.md\n  - glob: "*"\n    ignore_no_matches: true\n'


def topic(title: str, tag: str, uses: str = "[]") -> str:
    head = f"---\ntitle: {title}\ntags: [{tag}]\ndate: 2026-01-01\nuses: {uses}\n---\n"
    return f"{head}\n## I Use This When...\n\nText.\n"


WIKI = {
    ".nav.yml": ROOT_NAV,
    "index.md": "---\ntitle: Home\n---\n\nStart with [the first page](topics/calc/first.md).\n",
    "tags.md": "---\ntitle: Tags\n---\n\n<!-- material/tags -->\n",
    "topics/index.md": "---\ntitle: Topics\n---\n\nThe topics.\n",
    "topics/calc/.nav.yml": CALC_NAV,
    "topics/calc/index.md": "---\ntitle: Calculus Section\n---\n\n- [First](first.md)\n- [Second](second.md)\n",
    "topics/calc/first.md": topic("First Page", "calculus"),
    "topics/calc/second.md": topic("Second Page", "calculus", "[First Page]"),
}


def primary_nav(site: Path, page: str) -> list[str]:
    """The labels of the sidebar, in order, as a reader sees them."""
    html = (site / page).read_text(encoding="utf-8")
    start = html.index('<nav class="md-nav md-nav--primary"')
    end = html.index('<div class="md-sidebar md-sidebar--secondary"', start)
    return [label.strip() for label in re.findall(r'md-ellipsis">\s*([^<]+?)\s*<', html[start:end])]


def tag_entries(site: Path, tag: str) -> list[str]:
    """The page titles listed under ``tag`` in the tags index."""
    html = (site / "tags" / "index.html").read_text(encoding="utf-8")
    start = html.index(f'id="tag:{tag}"')
    end = html.find("<h2", start)
    part = html[start : end if end >= 0 else len(html)]
    return [title.strip() for title in re.findall(r'<a href="[^"#]+">([^<]+)</a>', part)]


def graph_paths(site: Path) -> set[str]:
    return {node["path"] for node in json.loads((site / "graph.json").read_text(encoding="utf-8"))["nodes"]}


def test_a_new_file_in_a_topic_folder_appears_in_nav_tags_and_graph(make_wiki: Callable[..., Path]) -> None:
    project = make_wiki(WIKI)
    config_before = (project / "mkdocs.yml").read_bytes()
    first = build(project)
    assert first.returncode == 0, first.stderr
    site = project / "site"
    nav = primary_nav(site, "topics/calc/index.html")
    assert nav[nav.index("Calculus Section") :] == ["Calculus Section", "Second Page", "First Page", "Tags"]
    assert "Third Page" not in tag_entries(site, "calculus")

    # The new page, and the link to it that the orphan check asks of every topic: no other file changes.
    (project / "docs/topics/calc/third.md").write_text(topic("Third Page", "calculus", "[Second Page]"), "utf-8")
    index = project / "docs/topics/calc/index.md"
    index.write_text(index.read_text(encoding="utf-8") + "- [Third](third.md)\n", encoding="utf-8")
    second = build(project)
    assert second.returncode == 0, second.stderr
    assert (project / "mkdocs.yml").read_bytes() == config_before
    nav = primary_nav(site, "topics/calc/index.html")
    assert nav[nav.index("Calculus Section") :] == [
        "Calculus Section",
        "Second Page",
        "First Page",
        "Third Page",
        "Tags",
    ]
    assert "Third Page" in tag_entries(site, "calculus")
    assert "topics/calc/third.md" in graph_paths(site)
    used_in = (site / "topics/calc/second/index.html").read_text(encoding="utf-8")
    assert 'href="../third/"' in used_in


def test_a_page_outside_topics_left_out_of_the_root_nav_fails_the_strict_build(
    make_wiki: Callable[..., Path],
) -> None:
    project = make_wiki({**WIKI, "notes.md": "---\ntitle: Notes\n---\n\nA stray page.\n"})
    result = build(project)
    assert result.returncode != 0
    assert "notes.md" in result.stderr
    assert "not included in the" in result.stderr


def test_mkdocs_yml_lists_no_page() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "nav" not in config
    assert "awesome-nav" in config["plugins"]


REAL_NAV = [
    "Home",
    "Topics",
    "Math",
    "Calculus",
    "Derivatives",
    "Partial Derivatives",
    "Chain Rule",
    "Gradient",
    "Directional Derivative",
    "Jacobian",
    "Hessian",
    "Taylor Approximation",
    "Critical Points and Saddle Points",
    "Linear Algebra",
    "Vectors",
    "Dot Product",
    "Matrix Multiplication",
    "Norms",
    "Probability",
    "Gaussian Distribution",
    "Likelihood and Log-Likelihood",
    "Maximum Likelihood Estimation",
    "ML",
    "Models",
    "Linear Regression",
    "Logistic Regression",
    "Sigmoid",
    "Softmax",
    "Activation Functions",
    "Neural Network",
    "Training",
    "Loss Functions",
    "Mean Squared Error",
    "Cross-Entropy",
    "Gradient Descent",
    "Stochastic Gradient Descent",
    "Learning Rate",
    "Momentum",
    "Regularization",
    "Backpropagation",
    "Automatic Differentiation",
    "Tags",
    "Graph",
    "Contributing",
    "Write a topic",
    "Notation",
    "How the build works",
]


def reading_order(site: Path) -> list[str]:
    """Every page's title in nav order, following the footer's "Next" link from the home page (the pruned
    sidebar shows only the reader's own section, the footer walks the whole nav)."""
    titles, url = ["Home"], Path("index.html")
    while True:
        html = (site / url).read_text(encoding="utf-8")
        found = re.search(
            r'<a href="([^"]*)" class="md-footer__link md-footer__link--next" aria-label="Next: ([^"]*)"', html
        )
        if not found:
            return titles
        url = (site / url.parent / found.group(1) / "index.html").resolve().relative_to(site.resolve())
        titles.append(found.group(2))


def test_real_site_nav_keeps_the_order_and_section_titles_it_had_in_mkdocs_yml(real_site: Path) -> None:
    # With navigation.indexes a section's title is its index page's: the order of pages gives both.
    assert reading_order(real_site) == [label for label in REAL_NAV if label != "Contributing"]
    assert "Contributing" in primary_nav(real_site, "contributing/write-a-topic/index.html")


def test_real_site_sidebar_is_pruned_to_the_readers_section(real_site: Path) -> None:
    page = "topics/math/calculus/gradient/index.html"
    nav = primary_nav(real_site, page)
    assert {"Derivatives", "Jacobian", "Linear Algebra", "Probability", "ML", "Tags"} <= set(nav)
    assert not {"Vectors", "Likelihood and Log-Likelihood", "Sigmoid", "Momentum"} & set(nav)
    html = (real_site / page).read_text(encoding="utf-8")
    pruned = re.search(
        r'md-nav__item--pruned.*?<a href="([^"]+)"[^>]*>\s*<span class="md-ellipsis">\s*Linear Algebra', html, re.S
    )
    assert pruned is not None and pruned.group(1) == "../../linear-algebra/"
