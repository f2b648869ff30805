"""The real wiki keeps the promises of its issues: every claim proved, code output shown, figures drawn,
link lists computed. Read from one strict build of the real ``docs/``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.htmltools import article, elements

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parents[2]
PARTIALS = "topics/math/calculus/partial-derivatives/index.html"


def topic_pages(site: Path) -> list[tuple[Path, str]]:
    pages = []
    for source in sorted((ROOT / "docs" / "topics").rglob("*.md")):
        if source.name == "index.md":
            continue
        rel = source.relative_to(ROOT / "docs").with_suffix("")
        pages.append((source, (site / rel / "index.html").read_text(encoding="utf-8")))
    return pages


def section(html: str, anchor: str) -> str:
    start = html.index(f'<h2 id="{anchor}"')
    end = html.find("<h2", start + 1)
    return html[start : end if end > 0 else len(html)]


def titles_in(html: str, anchor: str) -> list[str]:
    return [
        e.text.strip()
        for e in elements(section(html, anchor))
        if e.tag == "a" and "headerlink" not in e.attrs.get("class", "")
    ]


def test_every_claim_on_every_page_is_proved(real_site: Path) -> None:
    total = 0
    for source, html in topic_pages(real_site):
        body = article(html)
        for verdict in ("wrong", "unchecked", "error"):  # as a row's mark (the legend lists every mark)
            assert f'class="verify-mark verify-{verdict}"' not in body, source
            assert f"verify-row verify-claim verify-{verdict}" not in body, source
        marks = body.count('class="verify-mark verify-verified"')
        assert marks > 0, f"{source}: no proved derivative"
        badge = re.search(r"✓ (\d+) claims? proved", body)
        assert badge and int(badge.group(1)) == marks, source
        total += marks
    assert total >= 150


def test_partial_derivatives_proves_the_linear_regression_example(real_site: Path) -> None:
    body = article((real_site / PARTIALS).read_text(encoding="utf-8"))
    math_inside = section(body, "the-math-inside")
    assert "<mi>L</mi>" in math_inside and math_inside.count("verify-verified") >= 4


def test_partials_code_block_ran_and_its_output_is_in_the_page(real_site: Path) -> None:
    code = section(article((real_site / PARTIALS).read_text(encoding="utf-8")), "code")
    assert '<span class="nf">partials</span>' in code
    output = re.search(r'<div class="code-output"><pre><code>(.*?)</code>', code, re.DOTALL)
    assert output and "df/dx =   2.00" in output.group(1)


def test_every_python_block_ran(real_site: Path) -> None:
    for source, html in topic_pages(real_site):
        body = article(html)
        assert "code-error" not in body and "code-not-run" not in body, source
        blocks = section(body, "code").count('class="highlight"')
        outputs = section(body, "code").count('class="code-output"') + section(body, "code").count("code-figure")
        assert blocks >= 1 and outputs >= 1, f"{source}: {blocks} blocks, {outputs} outputs"


def test_partial_derivatives_visual_intuition_has_the_surface_in_light_and_dark(real_site: Path) -> None:
    intuition = section(article((real_site / PARTIALS).read_text(encoding="utf-8")), "visual-intuition")
    images = [e.attrs for e in elements(intuition) if e.tag == "img"]
    light = [i for i in images if i["src"].endswith("#only-light")]
    dark = [i for i in images if i["src"].endswith("#only-dark")]
    assert light and dark and all(i.get("alt") for i in images)
    for image in light + dark:
        path = (real_site / PARTIALS).parent / image["src"].split("#")[0]
        data = path.resolve().read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) < 300_000
    assert "<figcaption" in intuition


def test_used_in_and_linked_from_are_the_last_sections_and_are_right(real_site: Path) -> None:
    html = article((real_site / PARTIALS).read_text(encoding="utf-8"))
    used_in = titles_in(html, "used-in")
    assert {"Gradient", "Gradient Descent"} <= set(used_in)
    assert used_in == sorted(used_in, key=str.lower) and len(used_in) == len(set(used_in))
    # only the pages not already under Used In (Gradient links here too, and uses it)
    assert titles_in(html, "linked-from") == [
        "Calculus",
        "Derivatives",
        "Directional Derivative",
        "Dot Product",
        "Hessian",
        "ML Math Wiki",
        "Regularization",
        "Stochastic Gradient Descent",
        "Vectors",
    ]
    graph = json.loads((real_site / "graph.json").read_text(encoding="utf-8"))
    title = {node["url"]: node["title"] for node in graph["nodes"]}
    for source, page in topic_pages(real_site):
        ids = [e.attrs["id"] for e in elements(article(page)) if e.tag == "h2" and "id" in e.attrs]
        assert ids[-2:] == ["used-in", "linked-from"], source
        url = source.relative_to(ROOT / "docs").with_suffix("").as_posix() + "/"
        into = {
            kind: {e["source"] for e in graph["edges"] if e["target"] == url and e["kind"] == kind}
            for kind in ("link", "uses")
        }
        assert into["link"], f"{source} is an orphan"
        expected = sorted((title[u] for u in into["link"] - into["uses"]), key=str.casefold)
        shown = titles_in(article(page), "linked-from")
        assert sorted(shown, key=str.casefold) == expected, source
        if not expected:
            assert "Every page that links here is listed under Used In." in section(article(page), "linked-from")


def test_graph_json_describes_every_topic(real_site: Path) -> None:
    graph = json.loads((real_site / "graph.json").read_text(encoding="utf-8"))
    titles = {node["title"] for node in graph["nodes"]}
    assert {"Partial Derivatives", "Backpropagation", "Derivatives"} <= titles
    kinds = {edge["kind"] for edge in graph["edges"]}
    assert kinds == {"uses", "link"}
