"""``mathwiki.compact_html.compact``: whitespace-only text nodes cut to one character, everything else kept."""

from __future__ import annotations

import time

import pytest

from mathwiki.compact_html import compact, compact_around


def test_whitespace_between_tags_becomes_one_newline_or_one_space_and_text_is_kept() -> None:
    html = '<ul>\n    \n    <li>\n      <a href="x">One   two</a>\n    </li>\n\n</ul><b>a</b>    <i>b</i>'
    assert compact(html) == '<ul>\n<li>\n<a href="x">One   two</a>\n</li>\n</ul><b>a</b> <i>b</i>'


def test_a_single_space_or_newline_is_left_as_it_is() -> None:
    for html in ("<p>a b</p>", "<p>a\nb</p>", "<span>x</span> <span>y</span>", "<p>a\u00a0\u00a0b</p>"):
        assert compact(html) == html


@pytest.mark.parametrize("name", ["pre", "code", "kbd", "textarea", "script", "style", "PRE"])
def test_elements_that_keep_their_whitespace_are_copied_whole(name: str) -> None:
    inner = "line one\n\n    indented   twice\n"
    html = f'<div>\n\n  <{name} class="c">{inner}</{name}>\n\n</div>'
    assert compact(html) == f'<div>\n<{name} class="c">{inner}</{name}>\n</div>'


def test_code_inside_pre_and_a_name_that_only_starts_like_pre() -> None:
    html = "<pre><code>a  =  1\n\n\nb</code></pre>   <press>  <b>y</b></press>"
    assert compact(html) == "<pre><code>a  =  1\n\n\nb</code></pre> <press> <b>y</b></press>"


def test_attribute_values_and_comments_are_never_touched() -> None:
    html = '<img alt="a  \n\n  b" title=\'c   d\'>   <!--  keep >  \n\n <  me  -->\n\n<p data-x="1   2">t</p>'
    expected = '<img alt="a  \n\n  b" title=\'c   d\'> <!--  keep >  \n\n <  me  -->\n<p data-x="1   2">t</p>'
    assert compact(html) == expected


def test_a_page_with_an_angle_bracket_in_an_attribute_value_is_left_as_it_is() -> None:
    for html in ('<img alt="a >   <b">  \n  <p>x</p>', "<a title='x>'>   </a>   <b>y</b>"):
        assert compact(html) == html


def test_a_kept_element_or_comment_that_never_closes_keeps_the_rest_of_the_page() -> None:
    assert compact("<p>a</p>   <pre>x  \n\n  <b>y</b>   <i>") == "<p>a</p> <pre>x  \n\n  <b>y</b>   <i>"
    assert compact("<p>a</p>\n\n<!-- x >   <b>") == "<p>a</p>\n<!-- x >   <b>"


def test_a_stray_angle_bracket_does_not_swallow_the_page() -> None:
    html = "<p>1 < 2   and   3 > 2</p>\n\n\n<p>x</p>"
    out = compact(html)
    assert out.endswith("</p>\n<p>x</p>") and "1 < 2" in out


@pytest.mark.parametrize("piece", ["<code>", "<pre", '<a title="', "<!--", "<", " \n ", "<script>x"])
def test_hostile_input_takes_linear_time(piece: str) -> None:
    def seconds(n: int) -> float:
        text = piece * n
        started = time.perf_counter()
        compact(text)
        return time.perf_counter() - started

    seconds(500)
    small, large = seconds(4_000), seconds(16_000)
    assert large < max(0.05, small * 12), (piece, small, large)


_PROSE = "Prose with <code>x  =  1</code> and <em>stress</em>. " * 40
_CONTENT = f"<h2>T</h2>\n<p>{_PROSE}</p>\n<ul>\n<li>a</li>\n</ul>"


def _page(content: str = _CONTENT) -> str:
    return (
        '<html>\n  <nav>\n      <a href="/">Home</a>\n    </nav>\n  <article class="md-content__inner md-typeset">'
        f"\n      \n  {content}\n    \n  </article></div>\n    \n  <footer>x</footer></html>"
    )


_CODE = '<pre><code><span class="k">def</span> f():\n    <span class="k">return</span>   <span>1</span></code></pre>'


@pytest.mark.parametrize("content", [_CONTENT, _CONTENT + _CODE + "\n<p>after</p>"])
def test_compact_around_gives_what_compact_gives_without_reading_the_content(content: str) -> None:
    page = _page(content)
    assert compact_around(page, content) == compact(page)
    assert _CODE in compact_around(page, content) or _CODE not in content
    assert f'<article class="md-content__inner md-typeset">\n{content}\n</article>' in compact(page)


_WITH_RUN = _CONTENT.replace("<ul>\n<li>", "<ul>\n    <li>")


@pytest.mark.parametrize(
    ("content", "given"),
    [
        (_WITH_RUN, _WITH_RUN),  # a run inside: read with the rest
        ("<p>short</p>", "<p>short</p>"),  # short content might occur elsewhere too
        (_CONTENT, _CONTENT.replace("<h2>", "<h3>")),  # not the page's content
    ],
)
def test_compact_around_reads_content_it_cannot_skip_with_the_rest(content: str, given: str) -> None:
    page = _page(content)
    assert compact_around(page, given) == compact(page)


def test_compact_around_copies_the_content_unread() -> None:
    """Content with no run is not read: an attribute value holding '>' in it does not stop the theme's part from
    being compacted, as it does in a whole-page pass (where the stretch around such a value is left alone)."""
    content = '<p title="a > b">' + "words " * 300 + "</p>"
    page = _page(content)
    assert compact(page) == page
    around = compact_around(page, content)
    assert content in around and '<nav>\n<a href="/">Home</a>\n</nav>' in around


def test_compact_around_cuts_the_runs_at_the_edges_of_the_content() -> None:
    content = f"\n\n{_CONTENT}\n\n"  # as MkDocs and the hooks hand it over, newlines around
    page = _page(content).replace("</article>", "\n\n  \n</article>")
    assert compact_around(page, content) == compact(page)
