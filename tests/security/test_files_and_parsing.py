"""Hostile pull requests, part one: files that leave docs/, includes, front matter bombs, backtracking, CI logs.

Each case is a real strict build of a small wiki with fake secrets in the environment: the build must fail with
the problem at its page and line, finish well inside its time limit, and put no secret in the site.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from mathwiki.problems import Problem
from tests.conftest import build

pytestmark = pytest.mark.build

SECRET = "ghp_FAKEtoken0123456789abcdefSECRET"
ENV = {"GITHUB_TOKEN": SECRET, "AWS_SECRET_ACCESS_KEY": SECRET}
HEAD = "---\ntitle: {title}\ntags: [calculus]\ndate: 2026-01-01\n---\n\n"
HOME = "---\ntitle: Home\n---\nSee [A](topics/a.md).\n"
A = HEAD.format(title="A") + "Text.\n"


def _site_text(project: Path) -> str:
    out = []
    for file in (project / "site").rglob("*"):
        if file.is_file():
            out.append(file.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(out)


def _hostile_build(project: Path, timeout: float = 120):
    started = time.monotonic()
    result = build(project, env=ENV, timeout=timeout)
    assert time.monotonic() - started < timeout
    assert SECRET not in result.stdout + result.stderr
    if (project / "site").exists():
        assert SECRET not in _site_text(project)
    return result


def test_symlinks_anywhere_in_docs_are_errors_and_nothing_is_copied(make_wiki, tmp_path_factory) -> None:
    project = make_wiki({"index.md": HOME, "topics/a.md": A})
    outside = tmp_path_factory.mktemp("outside")
    (outside / "page.md").write_text(HEAD.format(title="Outside") + SECRET + "\n", encoding="utf-8")
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    docs = project / "docs"
    os.symlink("/proc/self/environ", docs / "environ.md")
    os.symlink(outside / "secret.txt", docs / "notes.txt")
    os.symlink(outside, docs / "topics" / "linked")
    result = _hostile_build(project)
    assert result.returncode != 0
    for name in ("docs/environ.md", "docs/notes.txt"):
        assert f"{name}:1: {name} is a symbolic link (file)" in result.stderr, result.stderr[-3000:]
    assert "docs/topics/linked/page.md:1: docs/topics/linked is a symbolic link (folder)" in result.stderr
    site = project / "site"
    assert not (site / "notes.txt").exists() and not (site / "environ").exists()
    assert not (site / "topics" / "linked").exists()


INCLUDES = HEAD.format(title="Includes") + (
    'Good: --8<-- "shared.md"\n\n--8<-- "shared.md"\n\n--8<-- ".env"\n\n--8<-- "../.git/config"\n\n'
    '--8<-- "missing.md"\n\n--8<-- "/etc/passwd"\n\n--8<--\n.env\n--8<--\n\n;--8<-- ".env"\n'
)


def test_includes_only_from_the_snippets_folder_each_refusal_at_its_line(make_wiki) -> None:
    project = make_wiki({"index.md": HOME, "topics/a.md": A + "\n[I](includes.md)\n", "topics/includes.md": INCLUDES})
    (project / ".env").write_text(f"TOKEN={SECRET}\n", encoding="utf-8")
    (project / "snippets").mkdir()
    (project / "snippets" / "shared.md").write_text("Shared words from the snippets folder.\n", encoding="utf-8")
    result = _hostile_build(project)
    assert result.returncode != 0
    expected = {
        11: "'.env' does not exist in the snippets/ folder",
        13: "'../.git/config' is outside the snippets/ folder",
        15: "'missing.md' does not exist in the snippets/ folder",
        17: "'/etc/passwd': only files of the snippets/ folder can be included",
        20: "'.env' does not exist in the snippets/ folder",
    }
    for line, words in expected.items():
        assert f"docs/topics/includes.md:{line}: include refused: {words}" in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    page = (project / "site" / "topics" / "includes" / "index.html").read_text(encoding="utf-8")
    assert "Shared words from the snippets folder." in page  # a file of snippets/ is still included


CHECKED_INCLUDES = HEAD.format(title="Checked includes") + (
    '```python\nprint("from the page")\n--8<-- "code.py"\n```\n\n'
    '```verify\nf(x) = x^2\n--8<-- "claim.txt"\n```\n\n'
    '```text\n--8<-- "code.py"\n```\n'
)


def test_an_include_inside_a_checked_fence_is_refused_once_at_its_line(make_wiki) -> None:
    """The build checks and runs fences as the page writes them: an include there would run the marker line as
    code and show the file instead; it is refused at its line, once, and a plain code fence may still include."""
    project = make_wiki(
        {"index.md": HOME, "topics/a.md": A + "\n[I](checked.md)\n", "topics/checked.md": CHECKED_INCLUDES}
    )
    (project / "snippets").mkdir()
    (project / "snippets" / "code.py").write_text("print('included code')\n", encoding="utf-8")
    (project / "snippets" / "claim.txt").write_text("\\frac{df}{dx} = 3x\n", encoding="utf-8")
    result = _hostile_build(project)
    assert result.returncode != 0
    reported = [row for row in result.stderr.splitlines() if row.startswith(("ERROR", "WARNING")) and ".md:" in row]
    assert reported == [
        "ERROR   -  docs/topics/checked.md:9: include refused: --8<-- inside a ```python fence; the build checks the "
        "fence as the page writes it, so write its text in the fence itself",
        "ERROR   -  docs/topics/checked.md:14: include refused: --8<-- inside a ```verify fence; the build checks the "
        "fence as the page writes it, so write its text in the fence itself",
    ], result.stderr[-3000:]
    page = (project / "site" / "topics" / "checked" / "index.html").read_text(encoding="utf-8")
    assert "from the page" in page and "TypeError" not in page
    assert page.count("included code") == 1  # only the text fence includes it


BOMB = (
    "---\ntitle: &a [x, x, x, x, x, x, x, x, x]\ntags: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n---\n\nText.\n"
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (BOMB, "front matter too large: its aliases expand to more than 10,000 values"),
        (
            "---\ntitle: Big\n" + "".join(f"k{i:04d}: {'x' * 94}\n" for i in range(700)) + "---\n\nText.\n",
            "front matter too large: 71,410 bytes",
        ),
    ],
    ids=["alias-bomb", "too-large"],
)
def test_front_matter_bombs_are_an_error_at_line_1_not_a_hang(make_wiki, text: str, words: str) -> None:
    project = make_wiki({"index.md": HOME, "topics/a.md": A + "\n[B](bomb.md)\n", "topics/bomb.md": text})
    result = _hostile_build(project, timeout=90)
    assert result.returncode != 0
    assert f"docs/topics/bomb.md:1: {words}" in result.stderr, result.stderr[-3000:]


def test_a_line_made_to_backtrack_is_read_in_linear_time(make_wiki) -> None:
    hostile = "> " * 32 + "x\n\n" + ("> " * 1000 + "``\n\n") + "[" * 3000 + "\n\n" + "<a " * 1500 + "\n\n"
    long = "[" * 20_000 + "\n"
    project = make_wiki({"index.md": HOME, "topics/a.md": A + "\n" + hostile + long})
    started = time.monotonic()
    result = _hostile_build(project, timeout=120)
    assert time.monotonic() - started < 60
    assert "Traceback" not in result.stderr
    assert "docs/topics/a.md:17: line too long: 20,000 characters (at most 5,000)" in result.stderr, result.stderr[
        -2000:
    ]


def test_a_file_name_cannot_write_a_command_into_the_ci_log() -> None:
    problem = Problem("docs/topics/a\n::error file=x::owned.md", 3, "bad\n::error::owned")
    annotation = problem.github_annotation()
    assert "\n" not in annotation and annotation.startswith("::error file=docs/topics/a\\n%3A%3Aerror file=x%3A%3A")
    assert not any(line.startswith("::") for line in str(problem).splitlines())


SLOW = (
    HEAD.format(title="Slow")
    + "[A](a.md)\n\n"
    + ("<![CDATA[" * 20 + "\n") * 1500  # about 270 KB: Python-Markdown would take minutes on it
)


def test_a_page_markdown_is_slow_on_stops_the_build_at_its_time_limit(make_wiki) -> None:
    project = make_wiki({"index.md": HOME, "topics/a.md": A + "\n[S](slow.md)\n", "topics/slow.md": SLOW})
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"]["mathwiki"]["page_render_timeout_s"] = 2
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    started = time.monotonic()
    result = _hostile_build(project)
    assert time.monotonic() - started < 60
    assert result.returncode != 0
    assert "docs/topics/slow.md:1: rendering this page took more than 2 s (page_render_timeout_s)" in result.stderr
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
