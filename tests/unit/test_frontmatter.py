from __future__ import annotations

import pytest

from mathwiki.frontmatter import read, reserved_sections

GOOD = "---\ntitle: Gradient\ntags: [calculus, gradient]\ndate: 2026-04-08\nuses: [Partial Derivatives]\n---\nBody\n"


def test_good_front_matter_has_no_problem_and_knows_its_lines() -> None:
    meta, problems = read(GOOD, "docs/g.md", topic=True)
    assert problems == []
    assert meta.data["title"] == "Gradient"
    assert meta.line_of("uses", 0) == 5
    assert meta.end_line == 6


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ntags: [a]\ndate: 2026-01-01\n---\n", 1, "no 'title'"),
        ("---\ntitle: ''\ntags: [a]\ndate: 2026-01-01\n---\n", 2, "'title' must be non-empty"),
        ("---\ntitle: T\ntags: [a, 3]\ndate: 2026-01-01\n---\n", 3, "'tags' entry 2 must be text"),
        ("---\ntitle: T\ntags:\n  - a\n  - [b]\ndate: 2026-01-01\n---\n", 5, "'tags' entry 2 must be text"),
        ("---\ntitle: T\ntags: calculus\ndate: 2026-01-01\n---\n", 3, "'tags' must be a list"),
        ("---\ntitle: T\ntags: [a]\ndate: 2026-13-01\n---\n", 4, "'date' must be an ISO date"),
        ("---\ntitle: T\ntags: [a]\ndate: last tuesday\n---\n", 4, "'date' must be an ISO date"),
        ("---\ntitle: T\ntags: [a]\n---\n", 1, "needs a 'date'"),
        ("---\ntitle: T\ndate: 2026-01-01\n---\n", 1, "needs 'tags'"),
        ("---\ntitle: [oops\ntags: [a]\n---\n", 3, "malformed YAML"),
        ("---\ntitle: T\n  bad: indent\n---\n", 3, "malformed YAML"),
        ("---\ntitle: T\n", 1, "never closed"),
        ("# No front matter\n", 1, "missing front matter"),
        ("---\n- a list\n---\n", 2, "must be a mapping"),
        ("---\ntitle: T\ntags: [a]\ndate: 2026-01-01\ntimeout: -1\n---\n", 5, "'timeout' must be"),
        ("---\ntitle: T\ntags: [a]\ndate: 2026-01-01\nuses: [Gradient, 7]\n---\n", 5, "'uses' entry 2"),
    ],
)
def test_each_mistake_is_named_with_its_line(text: str, line: int, words: str) -> None:
    _, problems = read(text, "docs/p.md", topic=True)
    assert problems, "no problem reported"
    assert any(p.line == line and words in p.message for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith("docs/p.md:") for p in problems)


def test_non_topic_pages_need_only_a_title() -> None:
    assert read("---\ntitle: Home\n---\n", "docs/index.md", topic=False)[1] == []


def test_hand_written_generated_sections_are_found_outside_code() -> None:
    text = "---\ntitle: T\n---\n## Used In\n\n```\n## Linked from\n```\n### linked from\n"
    problems = reserved_sections(text, "docs/t.md")
    assert [(p.line, p.message.split("'")[1]) for p in problems] == [(4, "Used In"), (9, "linked from")]
