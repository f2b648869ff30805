"""Wikilinks: rewritten into Markdown links to the page, never inside code, each failure with its line."""

from __future__ import annotations

import pytest

from mathwiki.graph import wikilinks
from mathwiki.pages import line_offset

TITLES = {"partial derivatives": "partial-derivatives.md", "gradient": "../ml/the gradient.md"}


def resolve(title: str) -> tuple[str | None, str]:
    target = TITLES.get(title.casefold())
    return (target, "") if target else (None, "matches no page title")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("see [[Partial Derivatives]].", "see [Partial Derivatives](partial-derivatives.md)."),
        ("see [[partial derivatives|partials]]", "see [partials](partial-derivatives.md)"),
        (
            "[[Partial Derivatives#The Math Inside]]",
            "[Partial Derivatives](partial-derivatives.md#the-math-inside)",
        ),
        (
            "[[Partial Derivatives#I Use This When...|when]]",
            "[when](partial-derivatives.md#i-use-this-when)",
        ),
        ("[[Gradient]]", "[Gradient](<../ml/the gradient.md>)"),
        ("| [[Gradient\\|g]] | x |", "| [g](<../ml/the gradient.md>) | x |"),  # escaped bar in a table
        ("[[#How It Works]]", "[How It Works](#how-it-works)"),
        (
            "a [[Gradient]] b [[Partial Derivatives]]",
            "a [Gradient](<../ml/the gradient.md>) b [Partial Derivatives](partial-derivatives.md)",
        ),
        # left alone: code, embeds, not wikilinks
        ("`[[Gradient]]`", "`[[Gradient]]`"),
        ("a ` [[Gradient]]", "a ` [Gradient](<../ml/the gradient.md>)"),  # a lone backtick opens nothing
        ("a `b\n\n[[Gradient]]` c", "a `b\n\n[Gradient](<../ml/the gradient.md>)` c"),  # nor across paragraphs
        ("``a\n[[Gradient]]``", "``a\n[[Gradient]]``"),  # a code span may span lines
        ("``a ` [[Gradient]]``", "``a ` [[Gradient]]``"),
        ("```\n[[Gradient]]\n```", "```\n[[Gradient]]\n```"),
        ("~~~~md\n[[Gradient]]\n~~~\n[[Gradient]]\n~~~~", "~~~~md\n[[Gradient]]\n~~~\n[[Gradient]]\n~~~~"),
        (
            "- item\n\n    ```python\n    x = [[1]]\n    ```",
            "- item\n\n    ```python\n    x = [[1]]\n    ```",
        ),
        ("![[Gradient]]", "![[Gradient]]"),
        ("[[]] no, [[ ]] no, [x]] no", "[[]] no, [[ ]] no, [x]] no"),
        ("plain text", "plain text"),
    ],
)
def test_rewrite(source: str, expected: str) -> None:
    rewritten, unresolved = wikilinks.rewrite(source, resolve)
    assert rewritten == expected
    assert unresolved == []


def test_an_unresolved_wikilink_is_marked_in_the_page() -> None:
    rewritten, unresolved = wikilinks.rewrite("see [[No <Page>]].", resolve)
    assert rewritten == (
        'see <span class="wikilink-broken" title="matches no page title">&#91;&#91;No &lt;Page&gt;&#93;&#93;</span>.'
    )
    assert [u.raw for u in unresolved] == ["[[No <Page>]]"]


def test_unresolved_wikilinks_keep_their_line() -> None:
    source = "intro\n\n```\n[[Nothing]]\n```\nsee [[Nothing]] and\n`[[Nope]]` but [[Gone|x]]\n\n[[Gradient]]"
    rewritten, unresolved = wikilinks.rewrite(source, resolve)
    assert [(u.raw, u.link.line, u.why) for u in unresolved] == [
        ("[[Nothing]]", 6, "matches no page title"),
        ("[[Gone|x]]", 7, "matches no page title"),
    ]
    assert rewritten.endswith("[Gradient](<../ml/the gradient.md>)")


def test_line_numbers_in_the_file() -> None:
    source = "---\ntitle: T\nuses: []\n---\n\nfirst\n[[Nothing]]\n"
    markdown = source.split("---\n", 2)[2].lstrip("\n")  # what MkDocs passes to on_page_markdown
    _, unresolved = wikilinks.rewrite(markdown, resolve)
    assert line_offset(source, markdown) + unresolved[0].link.line == 7


def test_a_custom_slugify() -> None:
    rewritten, _ = wikilinks.rewrite("[[Gradient#Über Alles]]", resolve, slug=lambda text, sep: text.lower())
    assert rewritten == "[Gradient](<../ml/the gradient.md#über alles>)"
    assert wikilinks.slugify("Über Alles") == "uber-alles"


@pytest.mark.parametrize(
    "source",
    [
        "power series $R[[x]]$ over $R$",
        "display\n$$\nR[[x]] \\subset R[[x, y]]\n$$\nafter",
        "inline $$R[[x]]$$ display",
        "bracketed \\(R[[x]]\\) maths",
        "two $a$ and $R[[x]]$ formulas",
    ],
)
def test_double_brackets_inside_maths_are_maths_not_links(source: str) -> None:
    rewritten, unresolved = wikilinks.rewrite(source, resolve)
    assert rewritten == source and unresolved == []


@pytest.mark.parametrize(
    "source",
    [
        "it costs $5, see [[Gradient]]",  # "$" then a digit, with no closing "$": a plain dollar
        "from $ 5 to [[Gradient]] $",  # "$" then a space does not open maths
        "escaped \\$ [[Gradient]] \\$ dollars",
        "`$` [[Gradient]] `$`",
        "$a$ [[Gradient]] $b$",
        "$a\n\n[[Gradient]] $b$",  # maths never crosses a paragraph
    ],
)
def test_dollars_that_are_not_maths_do_not_hide_a_wikilink(source: str) -> None:
    rewritten, unresolved = wikilinks.rewrite(source, resolve)
    assert "[Gradient](" in rewritten and unresolved == []
