from __future__ import annotations

import pytest

from mathwiki.linkcheck import find_links


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("see [g](gradient.md)", [(1, "topics/math/gradient.md", "")]),
        ("see [g](./gradient.md#how-it-works)", [(1, "topics/math/gradient.md", "how-it-works")]),
        ("\n\n[g](../ml/x.md)", [(3, "topics/ml/x.md", "")]),
        ("[g][ref]\n\n[ref]: gradient.md", [(3, "topics/math/gradient.md", "")]),
        ("[here](#the-math-inside)", [(1, "", "the-math-inside")]),
        ("`[not](a.md)` but [yes](b.md)", [(1, "topics/math/b.md", "")]),
        ("```\n[not](a.md)\n```\n[yes](b.md)", [(4, "topics/math/b.md", "")]),
        ("[web](https://example.org/a.md) [img](fig.png) [abs](/x.md)", []),
        ("- item\n    continued [g](gradient.md)", [(2, "topics/math/gradient.md", "")]),
    ],
)
def test_find_links(markdown: str, expected: list[tuple[int, str, str]]) -> None:
    links = find_links(markdown, "topics/math/page.md")
    assert [(link.line, link.path, link.anchor) for link in links] == expected
