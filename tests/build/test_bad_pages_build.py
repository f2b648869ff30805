"""Each mistake an author can make in front matter, links or formulas fails the strict build, naming page and line."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import build

pytestmark = pytest.mark.build

BODY = "\n## I Use This When...\n\nText.\n"

GOOD = {
    "index.md": "---\ntitle: Home\n---\nSee [A](topics/a.md) and [B](topics/b.md#why-it-exists).\n",
    "topics/a.md": "---\ntitle: A\ntags: [calculus]\ndate: 2026-01-01\n---\n" + BODY + "[B](b.md)\n",
    "topics/b.md": "---\ntitle: B\ntags: [calculus]\ndate: 2026-01-01\n---\n\n## Why It Exists\n\n[A](a.md)\n",
}

BAD = {
    "topics/no-title.md": ("---\ntags: [calculus]\ndate: 2026-01-01\n---\n" + BODY, 1, "front matter has no 'title'"),
    "topics/bad-tag.md": (
        "---\ntitle: Bad tag\ntags: [calculus, 42]\ndate: 2026-01-01\n---\n" + BODY,
        3,
        "'tags' entry 2 must be text",
    ),
    "topics/bad-date.md": (
        "---\ntitle: Bad date\ntags: [calculus]\ndate: 2026-02-30\n---\n" + BODY,
        4,
        "'date' must be an ISO date",
    ),
    "topics/bad-yaml.md": (
        "---\ntitle: Bad yaml\ntags: [calculus\ndate: 2026-01-01\n---\n" + BODY,
        4,
        "malformed YAML",
    ),
    "topics/bad-link.md": (
        "---\ntitle: Bad link\ntags: [calculus]\ndate: 2026-01-01\n---\n"
        + BODY
        + "\nSee [nowhere](missing-page.md).\n",
        11,
        "broken link 'missing-page.md'",
    ),
    "topics/bad-formula.md": (
        "---\ntitle: Bad formula\ntags: [calculus]\ndate: 2026-01-01\n---\n" + BODY + "\nThe rate $\\frac{a$ here.\n",
        11,
        "cannot typeset formula '\\\\frac{a': Unexpected end of input",
    ),
    "topics/untrusted-formula.md": (
        "---\ntitle: Untrusted\ntags: [calculus]\ndate: 2026-01-01\n---\n"
        + BODY
        + "\n$$\n\\href{javascript:alert(1)}{x}\n$$\n",
        11,
        "Unsupported function name: \\href",
    ),
    "topics/styled-formula.md": (
        "---\ntitle: Styled\ntags: [calculus]\ndate: 2026-01-01\n---\n"
        + BODY
        + "\nSee $\\color{red;position:fixed;top:0}{x}$.\n",
        11,
        "Invalid color: 'red;position:fixed;top:0'",
    ),
    "topics/bad-anchor.md": (
        "---\ntitle: Bad anchor\ntags: [calculus]\ndate: 2026-01-01\n---\n"
        + BODY
        + "\nSee [A](a.md#no-such-heading).\n",
        11,
        "broken anchor 'a.md#no-such-heading'",
    ),
}


def test_a_page_that_is_not_utf8_is_an_error_at_its_line_not_a_traceback(make_wiki) -> None:
    project = make_wiki(GOOD)
    latin = "---\ntitle: Latin\ntags: [calculus]\ndate: 2026-01-01\n---\n" + BODY + "Caf\xe9 [A](a.md)\n"
    (project / "docs/topics/latin.md").write_bytes(latin.encode("latin-1"))
    result = build(project)
    assert result.returncode != 0
    assert "docs/topics/latin.md:10: the page is not UTF-8 text: byte 0xe9 at column 4" in result.stderr
    assert "Traceback" not in result.stderr, result.stderr[-3000:]


def test_the_good_wiki_builds_strictly(make_wiki) -> None:
    result = build(make_wiki(GOOD))
    assert result.returncode == 0, result.stderr


def test_percent_encoded_anchors_resolve_as_in_a_browser_and_a_missing_one_still_fails(make_wiki) -> None:
    page = (
        "---\ntitle: Encoded\ntags: [calculus]\ndate: 2026-01-01\n---\n"
        + BODY
        + "\n## Café {#café}\n\n## Two Words\n\n[A](a.md), [here](#caf%C3%A9), [there](encoded.md#two%2Dwords)\n"
    )
    linked = GOOD["topics/a.md"] + "[E](encoded.md#caf%C3%A9)\n"
    good = make_wiki({**GOOD, "topics/a.md": linked, "topics/encoded.md": page})
    result = build(good)
    assert result.returncode == 0, result.stderr[-3000:]
    (good / "docs/topics/encoded.md").write_text(page + "\n[gone](#caf%C3%A8)\n", encoding="utf-8")
    result = build(good)
    assert result.returncode != 0
    assert "docs/topics/encoded.md:17: broken anchor '#caf%C3%A8'" in result.stderr, result.stderr[-3000:]


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_page_fails_the_strict_build_with_page_and_line(make_wiki, name: str) -> None:
    text, line, words = BAD[name]
    project = make_wiki({**GOOD, name: text})
    result = build(project)
    assert result.returncode != 0
    expected = f"docs/{name}:{line}: "
    lines = [row for row in result.stderr.splitlines() if expected in row]
    assert any(words in row for row in lines), result.stderr[-3000:]


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("code_timeout_s", "ten", "code_timeout_s must be a positive number"),
        ("execute", "yes please", "execute must be true or false"),
        ("no_such_option", 1, "unknown option(s) in extra.mathwiki: no_such_option"),
    ],
)
def test_a_bad_build_setting_is_a_clear_error(make_wiki, option: str, value: object, words: str) -> None:
    project = make_wiki(GOOD)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"]["mathwiki"][option] = value
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert "mkdocs.yml" in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_in_the_search_index_folder_is_an_error_not_lost(make_wiki) -> None:
    project = make_wiki(GOOD)
    (project / "docs/assets/pagefind").mkdir(parents=True)
    (project / "docs/assets/pagefind/notes.txt").write_text("mine", encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert (
        "docs/assets/pagefind/notes.txt:1: this file would be written into assets/pagefind/, the search index's "
        "folder, which every build rewrites" in result.stderr
    ), result.stderr[-3000:]
