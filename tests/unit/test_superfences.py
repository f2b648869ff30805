from __future__ import annotations

import pytest
from pymdownx.superfences import SuperFencesException

from mathwiki import build_context
from mathwiki.fences import locate, scan_fences
from mathwiki.settings import Settings
from mathwiki.superfences import guarded, unseen


def test_fences_inside_quotes_are_scanned_like_superfences_renders_them() -> None:
    text = "Intro\n\n> ```python\n> print(1)\n>\n> x = 2\n> ```\n\nAfter\n"
    [fence] = scan_fences(text)
    assert (fence.lang, fence.line, fence.body) == ("python", 3, "print(1)\n\nx = 2")


def test_locate_finds_the_opening_line_of_a_body() -> None:
    text = "---\ntitle: A\n---\n\n<div>\n```verify\nf(x) = x^2\n```\n</div>\n"
    assert locate(text, "f(x) = x^2\n") == 6
    assert locate(text, "g(x) = 1") == 1


def test_guarded_turns_any_error_into_one_superfences_reports() -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise KeyError("boom")

    with pytest.raises(SuperFencesException, match=r"verify fence on docs/a\.md: KeyError"):
        guarded(broken, "verify", lambda: "docs/a.md")("src", "verify", "verify", {}, None)


def test_unseen_names_the_page_and_line(tmp_path) -> None:
    text = "---\ntitle: A\n---\n\n```python\nprint(1)\n```\n"
    context = build_context.start(Settings.from_mapping({}, tmp_path), tmp_path, tmp_path / "docs")
    context.begin_page("a.md", "a/", text.replace("```python", "```text"))  # the model holds no python fence
    _, line = context.next_fence("python", "print(1)")
    problem = unseen("python", "docs/a.md", line, "shown without being run")
    assert str(problem).startswith("docs/a.md:5: this ```python fence was not found by the build's pre-pass")
    _, line = context.next_fence("python", "elsewhere()")
    assert unseen("python", "docs/a.md", line, "not run").line == 1
