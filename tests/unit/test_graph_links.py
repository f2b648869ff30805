"""Link extraction from rendered HTML: what counts as a link to another page and what does not."""

from __future__ import annotations

import markdown
import pytest
from mkdocs.utils import get_relative_url

from mathwiki.graph import render
from mathwiki.graph.links import extract_links, normalize_url, resolve_href

PAGE = "topics/math/calculus/gradient/"  # use_directory_urls: the page's folder is its URL


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # what MkDocs makes of inline and reference-style links to .md files, with and without anchors
        ('<a href="../derivatives/">d</a>', {"topics/math/calculus/derivatives/"}),
        ('<a href="../derivatives/#how-it-works">d</a>', {"topics/math/calculus/derivatives/"}),
        ('<a href="./../derivatives/">d</a>', {"topics/math/calculus/derivatives/"}),
        ('<a href="../../../ml/training/gradient-descent/">gd</a>', {"topics/ml/training/gradient-descent/"}),
        ('<a href="../">calculus</a>', {"topics/math/calculus/"}),  # a folder's index page
        ('<a href="../index.html">calculus</a>', {"topics/math/calculus/"}),
        ('<a href="../../../../">home</a>', {""}),
        ('<a href="/topics/math/calculus/jacobian/">j</a>', {"topics/math/calculus/jacobian/"}),
        ('<a title="t" class="c" href=\'../hessian/\'>h</a>', {"topics/math/calculus/hessian/"}),
        ('<a href="../chain%20rule/">c</a>', {"topics/math/calculus/chain rule/"}),
        ('<a href="../a/?x=1&amp;y=2#z">a</a>', {"topics/math/calculus/a/"}),
        ('<A HREF="../a/">a</A>', {"topics/math/calculus/a/"}),
        ('<a href="..">up</a><a href="../.">up</a>', {"topics/math/calculus/"}),
        ('<a href="../derivatives">d</a>', {"topics/math/calculus/derivatives"}),  # the graph adds the slash
        ('<a href="?q=1">this page</a>', set()),
        ('<a href="tel:123">t</a><a href="data:text/html,x">d</a>', set()),
        # not links to another page
        ('<a href="#how-it-works">here</a>', set()),  # an anchor on this page
        ('<a class="headerlink" href="#code">&para;</a>', set()),
        ('<a href="./">self</a><a href="../gradient/#x">self</a><a href="">self</a>', set()),
        ('<a href="https://example.org/">web</a><a href="//cdn.example.org/x">cdn</a>', set()),
        ('<a href="mailto:a@b.c">mail</a><a href="javascript:void(0)">js</a>', set()),
        ('<img src="../fig.png" alt="figure">', set()),  # an image is not a link
        ('<a name="x">anchor without href</a>', set()),
        ("<p>text about <code>a href</code></p>", set()),
        # what the build generates itself
        (
            render.sections([("Derivatives", "topics/math/calculus/derivatives/")], [], PAGE, relative=get_relative_url)
            + render.builds_on([("Jacobian", "topics/math/calculus/jacobian/")], PAGE, relative=get_relative_url),
            set(),
        ),
    ],
)
def test_extract_links(html: str, expected: set[str]) -> None:
    assert extract_links(html, PAGE) == expected


def test_relative_to_a_page_without_directory_urls() -> None:
    page = "topics/math/calculus/gradient.html"
    html = '<a href="derivatives.html">d</a><a href="index.html">i</a><a href="gradient.html#x">self</a>'
    assert extract_links(html, page) == {"topics/math/calculus/derivatives.html", "topics/math/calculus/"}


def test_relative_to_the_home_page() -> None:
    assert extract_links('<a href="topics/math/">m</a><a href="./">self</a>', "") == {"topics/math/"}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("a/b/", "a/b/"),
        ("a/index.html", "a/"),
        ("index.html", ""),
        ("/a/b/#c", "a/b/"),
        ("a/myindex.html", "a/myindex.html"),
        ("./", ""),
        (".", ""),
        ("./a/", "a/"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_resolve_href_leaving_the_site() -> None:
    assert resolve_href("../../../../../x/", PAGE) == "x/"  # above the root stays at the root
    assert resolve_href("https://a.b/", PAGE) is None


# Through Python-Markdown: which source forms produce an <a> at all (MkDocs then rewrites .md hrefs to URLs).
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("see [d](../derivatives/)", {"topics/math/calculus/derivatives/"}),
        ("see [d][ref]\n\n[ref]: ../derivatives/#how-it-works", {"topics/math/calculus/derivatives/"}),
        ("see <https://example.org>", set()),
        ("`[d](../derivatives/)` in inline code", set()),
        ("```\n[d](../derivatives/)\n```", set()),
        ("    [d](../derivatives/)  indented code", set()),
        ("[d](../derivatives/) and `[j](../jacobian/)`", {"topics/math/calculus/derivatives/"}),
        ("![figure](../fig.png)", set()),
        ("[![figure](../fig.png)](../jacobian/)", {"topics/math/calculus/jacobian/"}),
        ("[top](#why-it-exists)", set()),
    ],
)
def test_extract_links_from_markdown(source: str, expected: set[str]) -> None:
    html = markdown.Markdown(extensions=["pymdownx.superfences", "toc"]).convert(source)
    assert extract_links(html, PAGE) == expected
