"""Hostile pull requests, part two: no page can put script in front of a reader.

Every page's HTML is cleaned by an allowlist after rendering; each removal fails the strict build at the page
line where the markup was written, and the built page holds none of it.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import build

pytestmark = pytest.mark.build

HEAD = "---\ntitle: {title}\ntags: [calculus]\ndate: 2026-01-01\n---\n\n"
HOME = "---\ntitle: Home\n---\nSee [A](topics/a.md).\n"
HOSTILE = HEAD.format(title="A") + (
    "Text.\n\n"  # 7
    "<script>alert('owned')</script>\n\n"  # 9
    '<img src="x.png" onerror="alert(1)">\n\n'  # 11
    "[click](javascript:alert(2))\n\n"  # 13
    'Styled words\n{: onclick="alert(3)" }\n\n'  # 15-16
    '<iframe src="https://example.com"></iframe>\n\n'  # 18
    '<form action="https://example.com"><input type="text" name="q"></form>\n\n'  # 20
    "Maths $\\text{<script>alert(4)</script>}$ here.\n\n"  # 22
    '<math class="tml-display"><img src="y.png" onmouseover="alert(5)"></math>\n'  # 24: dressed as the engine's markup
)


def test_scripts_handlers_and_javascript_urls_never_reach_a_reader(make_wiki) -> None:
    project = make_wiki({"index.md": HOME, "topics/a.md": HOSTILE})
    result = build(project)
    assert result.returncode != 0
    expected = {
        9: "the element <script>",
        11: "the attribute onerror= on <img>",
        13: "the javascript: URL in href= on <a>",
        16: "the attribute onclick= on <p>",
        18: "the element <iframe>",
        20: "the element <form>",
        24: "the attribute onmouseover= on <img>",
    }
    for line, what in expected.items():
        assert f"docs/topics/a.md:{line}: unsafe HTML removed: {what}" in result.stderr, result.stderr[-4000:]
    loose = build(project, strict=False)
    page = (project / "site" / "topics" / "a" / "index.html").read_text(encoding="utf-8")
    article = re.search(r"<article.*?</article>", page, re.S)
    assert article is not None
    html = article.group(0)
    # The maths engine shows \text{<script>...} as the text it is, escaped: never an element.
    escaped_in_maths = html.count("&lt;script&gt;alert(4)")
    assert escaped_in_maths >= 1 and html.count("alert(") == escaped_in_maths
    for bad in ("onerror", "onclick", "javascript:", "<iframe", "<form"):
        assert bad not in html, bad
    assert "<script" not in html
    assert loose.returncode != 0


def test_the_real_pages_lose_nothing(real_site) -> None:
    html = (real_site / "topics" / "math" / "calculus" / "chain-rule" / "index.html").read_text(encoding="utf-8")
    assert html.count("<math") > 20 and "verify-mark verify-verified" in html
    for kept in (
        "<mfrac>",
        '<annotation encoding="application/x-tex">',
        'fence="true"',
        'class="tml-',
        'display="block"',
    ):
        assert kept in html, kept  # the sanitizer keeps Temml's elements, attributes and classes


def test_front_matter_values_are_printed_escaped_everywhere(make_wiki) -> None:
    evil = '<img src=x onerror="alert(5)">'
    page = f"---\ntitle: '{evil} Title'\ntags: ['{evil}']\ndate: 2026-01-01\ndescription: '{evil}'\n---\n\nText.\n"
    project = make_wiki({"index.md": HOME, "topics/a.md": page})
    build(project, strict=False)
    for built in (project / "site").rglob("*.html"):
        html = built.read_text(encoding="utf-8")
        assert 'onerror="alert(5)"' not in html and "<img src=x" not in html, built
    html = (project / "site" / "topics" / "a" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x" in html  # shown as text


def test_a_warm_build_reports_every_removal_again_and_ships_the_same_page(make_wiki) -> None:
    """The clean HTML and the raw-TeX check of a page come from the cache on a warm build (``PageSteps``): the
    removals and the raw TeX must still be reported, at the same lines, and the page must be the same."""
    page = HOSTILE + "\nHalf is \\frac{1}{2} in raw TeX.\n"
    project = make_wiki({"index.md": HOME, "topics/a.md": page})
    cold = build(project, strict=False)
    cold_page = (project / "site" / "topics" / "a" / "index.html").read_text(encoding="utf-8")
    warm = build(project, strict=False)
    warm_page = (project / "site" / "topics" / "a" / "index.html").read_text(encoding="utf-8")

    def reported(stderr: str) -> list[str]:
        return sorted({row.split("ERROR   -  ")[-1] for row in stderr.splitlines() if "docs/topics/a.md:" in row})

    assert any("unsafe HTML removed" in row for row in reported(cold.stderr))
    assert any(":26: " in row for row in reported(cold.stderr)), reported(cold.stderr)  # the raw TeX line
    assert reported(warm.stderr) == reported(cold.stderr)
    assert warm_page == cold_page
    assert list((project / "cache").glob("sanitized-pages/*/*.json")), "the warm build had nothing to reuse"
