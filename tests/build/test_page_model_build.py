"""Real builds of pages whose fences sit where only one shared reading gets them right (``mathwiki.pagemodel``).

Every checker and formatter of the build reads a page through the one page model, and each fence formatter takes
its result by (page, fence ordinal), checking the body: fences in lists, quotes, admonitions and with tildes are
checked and marked; identical fences each get their own result; a longer fence holding a heading is code for every
reader; a checked fence SuperFences would not render is an error at its line.
"""

from __future__ import annotations

import re

import pytest

from tests.build.test_check_parity import _check, _problems
from tests.conftest import build

pytestmark = pytest.mark.build

HEAD = "---\ntitle: {title}\ntags: [calculus]\ndate: 2026-01-01\n---\n\n## The Math Inside\n\n"
INDEX = "---\ntitle: Home\n---\n[P](topics/p.md)\n"
RIGHT = "f(x) = x^3\n\\frac{df}{dx} = 3x^2"
WRONG = "f(x) = x^3\n\\frac{df}{dx} = 3x"


def _indent(body: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else prefix.rstrip() for line in body.split("\n"))


G = "g(x) = x^2\n\\frac{dg}{dx} = 2x"
H = "h(x) = x^4\n\\frac{dh}{dx} = 4x^3"
K = "k(x) = x^5\n\\frac{dk}{dx} = 5x^4"
AGAIN = "\\frac{df}{dx} = 3x^2"  # a claim on f, twice on the page: identical fences
PLACES = (
    HEAD.format(title="P")
    + f"```verify\n{RIGHT}\n```\n\n"
    + f"- in a list\n\n    ```verify\n{_indent(G, '    ')}\n    ```\n\n"
    + f"> ```verify\n{_indent(H, '> ')}\n> ```\n\n"
    + f'!!! note "In an admonition"\n\n    ~~~~verify\n{_indent(K, "    ")}\n    ~~~~\n\n'
    + f"```verify\n{AGAIN}\n```\n\nBetween.\n\n```verify\n{AGAIN}\n```\n\n"
    + "````markdown\n```\n## Used In\n```\n````\n\n"  # a longer fence holding a heading
    + "Text [[B]] and `[[not a link]]` and $R[[x]]$.\n"
)


def test_fences_everywhere_are_checked_and_identical_fences_each_get_their_result(make_wiki) -> None:
    b = HEAD.format(title="B") + "[P](p.md)\n"
    project = make_wiki({"index.md": INDEX, "topics/p.md": PLACES, "topics/b.md": b})
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (project / "site/topics/p/index.html").read_text(encoding="utf-8")
    assert html.count('class="verify-mark verify-verified"') == 6  # one claim in each of the six fences
    assert "## Used In" in html  # shown as code, and no false "hand-written section" error
    assert "wikilink-broken" not in html  # [[not a link]] is code, R[[x]] is maths
    assert re.search(r'<a href="\.\./b/">B</a>', html)


def test_a_wrong_claim_in_a_quote_fails_at_its_line_in_the_build_and_in_check(make_wiki) -> None:
    page = PLACES.replace("> \\frac{dh}{dx} = 4x^3", "> \\frac{dh}{dx} = 4x")
    b = HEAD.format(title="B") + "[P](p.md)\n"
    project = make_wiki({"index.md": INDEX, "topics/p.md": page, "topics/b.md": b})
    built, checked = build(project), _check(project)
    assert built.returncode != 0 and checked.returncode != 0
    wrong_line = page.split("\n").index("> \\frac{dh}{dx} = 4x") + 1
    lines = {(path, line) for path, line, _ in _problems(built.stderr)}
    assert lines == {("docs/topics/p.md", wrong_line)}, built.stderr[-3000:]
    assert _problems(checked.stdout) == _problems(built.stderr)


BROKEN = {
    "unclosed": (f"Text.\n\n```verify\n{WRONG}\n", 11, "it is never closed with ```"),
    "outdented": ("- item\n\n    ```python\n    x = 1\nprint(x)\n    ```\n", 11, "line 13 is not indented like"),
    "capital": (f"```Verify\n{WRONG}\n```\n", 9, "```Verify is not ```verify"),
    "unquoted option": ("```python run=no\nprint(1)\n```\n", 9, "is not one it reads"),
}


def test_a_checked_fence_superfences_would_not_render_is_an_error_at_its_line(make_wiki) -> None:
    pages = {
        f"topics/{name.replace(' ', '-')}.md": HEAD.format(title=name) + body for name, (body, _, _) in BROKEN.items()
    }
    links = " ".join(f"[{name}]({name.replace(' ', '-')}.md)" for name in BROKEN)
    b = HEAD.format(title="B") + links + "\n"
    index = "---\ntitle: Home\n---\n[B](topics/b.md)\n"
    project = make_wiki({"index.md": index, "topics/b.md": b, **pages})
    built, checked = build(project), _check(project)
    assert built.returncode != 0, built.stderr[-3000:]
    found = _problems(built.stderr)
    for name, (_, line, words) in BROKEN.items():
        path = f"docs/topics/{name.replace(' ', '-')}.md"
        assert any((p, n) == (path, line) and words in message for p, n, message in found), (name, sorted(found))
    assert _problems(checked.stdout) == found
