"""Random and adversarial page text thrown at every reader of page text, each call within a time budget.

Page text arrives by pull request, so each scanner (fences, links, wikilinks, includes, raw TeX, display maths,
long lines), the front matter reader and the LaTeX and surface parsers must answer any text quickly, with its
own clear problem or error and never an unexpected exception. Hypothesis generates the pages from the pieces
that make each reader branch (fence markers, brackets, dollars, TeX commands, YAML anchors), and shrinks any
failure to a small page; runs are derandomized, so CI sees the same pages each time.

A second set repeats adversarial pieces n and 8n times and requires the time to grow roughly linearly: a
pattern that backtracks (the ``"> " * 32 + "x"`` of issue 11 took minutes) fails this long before it hangs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mathwiki import frontmatter, linkcheck, pagemodel, rawtex, snippets
from mathwiki.checks import _anchors
from mathwiki.fences import scan_fences
from mathwiki.graph import wikilinks
from mathwiki.latex import FunctionDef, LatexError, parse_line
from mathwiki.maths import separate_display_maths
from mathwiki.pages import limit_lines
from plots.specs import resolve_fence

PIECES = [
    "```", "````", "~~~", "```python", "```verify", "```surface", "    ", "> ", "- ", "1. ", "\n", "\n\n", " ",
    "---\n", "title: ", "tags: [", "]", "&a ", "*a", "!!python/name:os.system", "{", "}", "[", "]", "(", ")",
    "[[", "]]", "|", "#", "## ", "`", "``", "$", "$$", "\\(", "\\)", "\\[", "\\]", "\\frac", "\\partial", "\\left",
    "\\right", "\\begin{aligned}", "\\end{aligned}", "\\begin{bmatrix}", "&", "\\\\", "^", "_", "'", "=", "+",
    "-", "/", "x", "y", "f", "f(x)", "f(x, y)", "d", "df", "dx", "\\sin", "sin", "log", "\\sigma", "\\nabla",
    "\\sum_{i=1}^{3}", "\\sqrt[3]{", "|x|", "e^{", "2", "1e-3", "--8<--", '"a.md"', "<script>", "<!--", "-->",
    "<", ">", "\"", "\\", "\t", "\r", "\x00", "é", "∂", "{: #id }", "{#a}", "](a.md#b)", "[t](", "%E5",
]  # fmt: skip
page_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=120).map("".join)
latex_line = st.lists(st.sampled_from(PIECES[30:]), max_size=40).map("".join)
FUZZ = settings(
    max_examples=150,
    deadline=3000,  # ms for one example: each reader answers a page of at most a few KB in milliseconds
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _resolve(title: str) -> tuple[str | None, str]:
    return ("a.md", "") if title.strip().lower() == "a" else (None, "matches no page title")


@FUZZ
@given(page_text)
def test_the_page_scanners_answer_any_text(text: str) -> None:
    model = pagemodel.read(text)
    assert len(model.code) == len(model.prose.split("\n")) == text.count("\n") + 1
    assert len(model.prose) == len(text)  # an offset in the masked text is the same offset in the page
    scan_fences(text)
    linkcheck.find_links(text, "topics/page.md")
    rewritten, unresolved = wikilinks.rewrite(text, _resolve)
    assert all(item.link.line >= 1 for item in unresolved)
    _anchors(text)
    separate_display_maths(text)
    limit_lines(text, "docs/page.md")
    rawtex.leftovers(text)
    cleaned, problems = snippets.check(text, "docs/page.md", "/nonexistent-project")
    assert all(problem.line >= 1 for problem in problems)
    assert cleaned.count("\n") == text.count("\n")  # a refused include blanks its line, never moves the others


@FUZZ
@given(page_text)
def test_the_front_matter_reader_answers_any_text(text: str) -> None:
    page = "---\n" + text + "\n---\n\nBody.\n"
    if frontmatter.budget_problem(page) is not None:
        return  # refused before anything builds its data, as the build does
    _, problems = frontmatter.read(page, "docs/page.md", topic=True)
    assert all(problem.line >= 1 for problem in problems)
    frontmatter.reserved_sections(page, "docs/page.md")


@FUZZ
@given(latex_line)
def test_the_latex_parser_answers_any_line_with_a_result_or_its_error(line: str) -> None:
    x = sympy.Symbol("x")
    known = {"f": FunctionDef("f", (x,), x**2, 1)}
    try:
        parse_line(line, known)
    except LatexError:
        pass  # the one error the parser may raise: a message with its column


@FUZZ
@given(st.lists(latex_line, min_size=1, max_size=4).map("\n".join))
def test_the_surface_reader_answers_any_fence(body: str) -> None:
    resolve_fence(body, {}, "Page", 60)


# Adversarial pieces that make a backtracking pattern explode, each with the reader it is aimed at.
READERS: dict[str, Callable[[str], object]] = {
    "page model": pagemodel.read,
    "fences": scan_fences,
    "links": lambda text: linkcheck.find_links(text, "topics/page.md"),
    "wikilinks": lambda text: wikilinks.rewrite(text, _resolve),
    "anchors": _anchors,
    "display maths": separate_display_maths,
    "raw TeX": rawtex.leftovers,
    "includes": lambda text: snippets.check(text, "docs/page.md", "/nonexistent-project"),
    "front matter": lambda text: frontmatter.read("---\n" + text + "\n---\n", "docs/page.md", topic=True),
}
ADVERSARIAL = [
    "> ", "[[", "[", "](", "`", "$", "\\(", "{", "{#", "--8<-- ", "```", "  - ", "\\frac{", "a" * 50 + "!",
    "[x](a.md#", "<span ", "&a ", "## x ", '```python a="', "```x a", "    ", "\t", "- a\n\n", "> ```\n",
]  # fmt: skip


# The standard library's HTML parser (under raw TeX) is quadratic on a run of unclosed start tags; on a page it
# only sees what Markdown passed as raw HTML, and it runs under the page's time limit (mathwiki/time_limit.py,
# tests/security/test_files_and_parsing.py checks that limit in a real build).
UNDER_TIME_LIMIT = {("raw TeX", "<span ")}


def _seconds(reader: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):  # the fastest of three: the machine's other work only adds time
        pagemodel.clear_cache()  # readers share the page model, cached by text: time the scan, not the cache
        start = time.perf_counter()
        reader(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("piece", ADVERSARIAL)
def test_time_grows_linearly_with_an_adversarial_repeat(reader: str, piece: str) -> None:
    if (reader, piece) in UNDER_TIME_LIMIT:
        pytest.skip("quadratic in the standard library; bounded by page_render_timeout_s")
    small, large = piece * 100 + "x", piece * 800 + "x"  # 8 times the text
    small_s, large_s = _seconds(READERS[reader], small), _seconds(READERS[reader], large)
    # Linear is 8x; quadratic would be 64x. The floor keeps timer noise on tiny inputs out of the ratio.
    assert large_s < max(small_s, 0.002) * 30, f"{reader} on {piece!r}: {small_s:.4f} s -> {large_s:.4f} s"
    assert large_s < 2.0
