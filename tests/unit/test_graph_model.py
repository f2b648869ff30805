"""Resolving ``uses`` entries, prerequisite cycles, inverting links, orphans, graph.json, the HTML."""

from __future__ import annotations

import json

import pytest
from mkdocs.utils import get_relative_url

from mathwiki.graph import model, render
from mathwiki.problems import Problem

REL = get_relative_url  # what the build passes the graph's renderers


def page(src: str, title: str, uses: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> model.Page:
    url = src.removesuffix(".md").removesuffix("index") + ("/" if not src.endswith("index.md") else "")
    return model.Page(
        src_uri=src,
        url=url,
        title=title,
        tags=tags,
        uses=uses,
        uses_lines=tuple(range(10, 10 + len(uses))),
        title_line=2,
    )


DERIV = page("topics/calc/derivatives.md", "Derivatives")
PARTIAL = page("topics/calc/partial-derivatives.md", "Partial Derivatives", ("Derivatives",))
GRADIENT = page("topics/calc/gradient.md", "Gradient", ("partial derivatives", "topics/calc/derivatives.md"))
GRADIENT_ML = page("topics/ml/gradient.md", "Gradient")
CALC_INDEX = page("topics/calc/index.md", "Calculus")


def test_urls_of_the_helper() -> None:
    assert DERIV.url == "topics/calc/derivatives/" and CALC_INDEX.url == "topics/calc/"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("Derivatives", "topics/calc/derivatives.md"),
        ("derivatives", "topics/calc/derivatives.md"),  # case-insensitive
        ("  PARTIAL   derivatives ", "topics/calc/partial-derivatives.md"),
        ("topics/calc/partial-derivatives.md", "topics/calc/partial-derivatives.md"),  # a path under docs/
        ("docs/topics/calc/derivatives.md", "topics/calc/derivatives.md"),
        ("topics/ml/gradient.md", "topics/ml/gradient.md"),  # a path picks one of two equal titles
    ],
)
def test_resolve(entry: str, expected: str) -> None:
    found, why = model.Index([DERIV, PARTIAL, GRADIENT, GRADIENT_ML]).resolve(entry)
    assert found is not None and found.src_uri == expected and why == ""


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("Derivativs", "matches no page title; did you mean 'Derivatives'?"),
        ("Quaternions", "matches no page title"),
        (
            "gradient",
            "matches 2 pages with that title (docs/topics/calc/gradient.md, docs/topics/ml/gradient.md); "
            "name one by its path",
        ),
        (
            "topics/calc/derivative.md",
            "matches no page: there is no file docs/topics/calc/derivative.md; "
            "did you mean 'topics/calc/derivatives.md'?",
        ),
    ],
)
def test_resolve_fails(entry: str, message: str) -> None:
    found, why = model.Index([DERIV, PARTIAL, GRADIENT, GRADIENT_ML]).resolve(entry)
    assert found is None and why == message


def test_resolve_uses_names_the_line_of_each_wrong_entry() -> None:
    bad = page("topics/calc/jacobian.md", "Jacobian", ("Gradient", "Derivatives", "Hessian"))
    pages = [DERIV, GRADIENT, GRADIENT_ML, bad]
    uses, problems = model.resolve_uses(pages, model.Index(pages))
    assert uses["topics/calc/jacobian.md"] == [("topics/calc/derivatives.md", 11)]
    assert [str(p) for p in problems] == [
        "docs/topics/calc/gradient.md:10: uses entry 'partial derivatives' matches no page title; "
        "did you mean 'Derivatives'?",
        "docs/topics/calc/jacobian.md:10: uses entry 'Gradient' matches 2 pages with that title "
        "(docs/topics/calc/gradient.md, docs/topics/ml/gradient.md); name one by its path",
        "docs/topics/calc/jacobian.md:12: uses entry 'Hessian' matches no page title",
    ]


def test_resolve_uses_drops_repeats() -> None:
    twice = page("topics/calc/twice.md", "Twice", ("Derivatives", "topics/calc/derivatives.md"))
    uses, problems = model.resolve_uses([DERIV, twice], model.Index([DERIV, twice]))
    assert uses["topics/calc/twice.md"] == [("topics/calc/derivatives.md", 10)] and problems == []


def _uses(edges: dict[str, list[str]]) -> dict[str, list[tuple[str, int]]]:
    return {src: [(t, 10 + i) for i, t in enumerate(targets)] for src, targets in edges.items()}


@pytest.mark.parametrize(
    ("edges", "cycles"),
    [
        ({"a": ["b"], "b": ["c"], "c": []}, []),
        ({"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}, []),  # a diamond is no cycle
        ({"a": ["b"], "b": ["a"]}, [("a", "b")]),
        ({"b": ["c"], "c": ["a"], "a": ["b"]}, [("a", "b", "c")]),
        ({"a": ["a"]}, [("a",)]),
        ({"x": ["b"], "b": ["c"], "c": ["b"], "a": ["x"]}, [("b", "c")]),
        ({"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["c"]}, [("a", "b"), ("c", "d")]),
    ],
)
def test_find_cycles(edges: dict[str, list[str]], cycles: list[tuple[str, ...]]) -> None:
    assert model.find_cycles(_uses(edges)) == cycles


def test_find_cycles_on_a_long_chain() -> None:
    chain = {str(i): [str(i + 1)] for i in range(5000)}
    chain["5000"] = ["0"]
    assert len(model.find_cycles(_uses(chain))[0]) == 5001


def test_cycle_problem_names_the_page_its_line_and_the_cycle() -> None:
    deriv = page("topics/calc/derivatives.md", "Derivatives", ("Gradient",))
    pages = [deriv, PARTIAL, GRADIENT]
    index = model.Index(pages)
    uses, problems = model.resolve_uses(pages, index)
    assert problems == []
    cycles = model.find_cycles(uses)
    tail = "; a page cannot build on itself, directly or through other pages: remove one of these entries"
    assert [str(p) for p in model.cycle_problems(cycles, uses, index)] == [
        "docs/topics/calc/derivatives.md:10: prerequisite cycle in 'uses': "
        "Derivatives -> Gradient -> Partial Derivatives -> Derivatives" + tail,
        "docs/topics/calc/derivatives.md:10: prerequisite cycle in 'uses': "
        "Derivatives -> Gradient -> Derivatives" + tail,
    ]


def _graph(outgoing: dict[str, set[str]]) -> model.Graph:
    pages = [DERIV, PARTIAL, GRADIENT, CALC_INDEX, page("topics/calc/lonely.md", "Lonely")]
    index = model.Index(pages)
    uses, _ = model.resolve_uses(pages, index)
    return model.build_graph(index, uses, outgoing)


def test_build_graph_inverts_uses_and_links() -> None:
    graph = _graph(
        {
            "topics/calc/index.md": {"topics/calc/derivatives/", "topics/calc/gradient", "assets/x.png"},
            "topics/calc/gradient.md": {"topics/calc/derivatives/", "topics/calc/gradient/", "topics/calc/"},
            "topics/calc/derivatives.md": {"topics/calc/partial-derivatives/", "topics/calc/gradient/"},
            "not/a/page.md": {"topics/calc/lonely/"},
        }
    )
    assert graph.builds_on["topics/calc/gradient.md"] == (
        "topics/calc/partial-derivatives.md",
        "topics/calc/derivatives.md",
    )
    assert graph.used_in == {
        "topics/calc/derivatives.md": ("topics/calc/gradient.md", "topics/calc/partial-derivatives.md"),
        "topics/calc/partial-derivatives.md": ("topics/calc/gradient.md",),
    }
    assert graph.linked_from == {
        "topics/calc/derivatives.md": (
            "topics/calc/index.md",
            "topics/calc/gradient.md",
        ),  # Calculus < Gradient
        "topics/calc/gradient.md": ("topics/calc/index.md", "topics/calc/derivatives.md"),
        "topics/calc/index.md": ("topics/calc/gradient.md",),
        "topics/calc/partial-derivatives.md": ("topics/calc/derivatives.md",),
    }
    assert graph.titled(graph.used_in["topics/calc/partial-derivatives.md"]) == [("Gradient", "topics/calc/gradient/")]


def test_orphans_are_topic_pages_no_page_links_to() -> None:
    graph = _graph(
        {"topics/calc/derivatives.md": {"topics/calc/gradient/"}, "topics/calc/gradient.md": {"topics/calc/"}}
    )
    assert model.orphan_problems(graph) == [  # not the index page (no topic), not Gradient (linked)
        Problem(f"docs/topics/calc/{name}.md", 2, model.ORPHAN_MESSAGE, "warning")
        for name in ("derivatives", "lonely", "partial-derivatives")  # being used is not being linked
    ]


def test_graph_json_is_sorted_data() -> None:
    graph = _graph(
        {
            "topics/calc/gradient.md": {"topics/calc/derivatives/"},
            "topics/calc/index.md": {"topics/calc/lonely/"},
        }
    )
    data = model.to_json(graph)
    assert json.loads(json.dumps(data)) == data
    assert [node["url"] for node in data["nodes"]] == [
        "topics/calc/",
        "topics/calc/derivatives/",
        "topics/calc/gradient/",
        "topics/calc/lonely/",
        "topics/calc/partial-derivatives/",
    ]
    assert data["nodes"][2] == {
        "title": "Gradient",
        "url": "topics/calc/gradient/",
        "path": "topics/calc/gradient.md",
        "tags": [],
    }
    assert data["edges"] == [
        {"source": "topics/calc/", "target": "topics/calc/lonely/", "kind": "link"},
        {"source": "topics/calc/gradient/", "target": "topics/calc/derivatives/", "kind": "link"},
        {"source": "topics/calc/gradient/", "target": "topics/calc/derivatives/", "kind": "uses"},
        {"source": "topics/calc/gradient/", "target": "topics/calc/partial-derivatives/", "kind": "uses"},
        {"source": "topics/calc/partial-derivatives/", "target": "topics/calc/derivatives/", "kind": "uses"},
    ]


@pytest.mark.parametrize(
    ("url", "page_url", "expected"),
    [
        ("a/b/", "a/c/", "../b/"),
        ("a/", "a/c/", "../"),
        ("", "a/c/", "../.."),
        ("a/c/", "a/c/", "./"),
        ("a/b.html", "a/c.html", "b.html"),
        ("a/b/c.md", "a/d.md", "b/c.md"),
        ("x/", "", "x/"),
    ],
)
def test_relative_url(url: str, page_url: str, expected: str) -> None:
    """The graph's links are made by MkDocs' own helper (the core takes it as an argument)."""
    assert get_relative_url(url, page_url) == expected


def test_render_sections() -> None:
    html = render.sections([("A <b>", "t/a/"), ("B", "t/b/")], [], "t/c/", relative=REL, permalink="&para;")
    assert (
        '<h2 id="used-in">Used In<a class="headerlink" href="#used-in" title="Permanent link">&para;</a></h2>' in html
    )
    assert '<ul class="graph-list"><li><a href="../a/">A &lt;b&gt;</a></li><li><a href="../b/">B</a></li></ul>' in html
    assert '<h2 id="linked-from">Linked from' in html
    assert '<p class="graph-empty">No page links here yet.</p>' in html
    assert html.index("used-in") < html.index("linked-from")


def test_render_builds_on() -> None:
    assert render.builds_on([], "t/c/", relative=REL) == ""
    assert '<p class="builds-on">Builds on: <a href="../a/">A</a>, <a href="../../u/b/">B</a></p>' in render.builds_on(
        [("A", "t/a/"), ("B", "u/b/")], "t/c/", relative=REL
    )


SOURCE = (
    "---\ntitle: Gradient\ntags: [calculus]\nuses:\n  - Derivatives\n  - 42\n  - topics/calc/jacobian.md\n---\n\nx\n"
)


def test_page_from_source_quick_and_exact() -> None:
    quick = model.page_from_source("topics/calc/gradient.md", "topics/calc/gradient/", SOURCE, "docs/g.md")
    exact = model.page_from_source("topics/calc/gradient.md", "u/", SOURCE, "docs/g.md", exact=True)
    assert quick.title == exact.title == "Gradient" and quick.title_line == exact.title_line == 2
    assert quick.uses == exact.uses == ("Derivatives", "topics/calc/jacobian.md")  # 42 is the front matter check's
    assert quick.tags == ("calculus",)
    assert quick.uses_lines == () and exact.uses_lines == (5, 7)


@pytest.mark.parametrize(
    ("src", "text", "title"),
    [
        ("topics/calc/chain-rule.md", "no front matter", "Chain rule"),
        ("topics/calc/index.md", "---\ntitle: [unclosed\n---\n", "Calc"),  # malformed YAML
        ("index.md", "---\ntitle: ''\n---\n", "Home"),
        ("topics/x.md", "---\ndate: 2026-13-01\ntitle: X\n---\n", "X"),  # libyaml rejects the date
    ],
)
def test_page_from_source_without_a_usable_title(src: str, text: str, title: str) -> None:
    assert model.page_from_source(src, "", text, "docs/" + src).title == title


LONG = {f"p{i}": (f"p{i + 1}",) for i in range(2000)}  # p0 uses p1 uses ... p2000: deeper than the recursion limit


@pytest.mark.parametrize(
    ("builds_on", "src", "expected"),
    [
        ({}, "a", ("a",)),  # builds on nothing: the page alone
        ({"a": ("b",)}, "a", ("b", "a")),
        ({"a": ("b",), "b": ("c",), "c": ("d",)}, "a", ("d", "c", "b", "a")),  # a chain, roots first
        # a diamond: a uses b and c, both use d; d once, first; b before c as written
        ({"a": ("b", "c"), "b": ("d",), "c": ("d",)}, "a", ("d", "b", "c", "a")),
        ({"a": ("c", "b"), "b": ("d",), "c": ("d",)}, "a", ("d", "c", "b", "a")),  # written order decides
        # a page and one of its prerequisites' prerequisites both listed: each after what it needs
        ({"a": ("d", "b"), "b": ("d",)}, "a", ("d", "b", "a")),
        ({"a": ("b", "d"), "b": ("c",), "c": ("d",)}, "a", ("d", "c", "b", "a")),
        # two diamonds stacked
        (
            {"a": ("b", "c"), "b": ("d",), "c": ("d",), "d": ("e", "f"), "e": ("g",), "f": ("g",)},
            "a",
            ("g", "e", "f", "d", "b", "c", "a"),
        ),
        ({"a": ("b",), "b": ("a",)}, "a", ("b", "a")),  # a cycle (an error elsewhere) still ends
        ({"x": ("a",), "a": ("b",)}, "a", ("b", "a")),  # pages that use this one are not in its path
    ],
)
def test_learning_path(builds_on: dict[str, tuple[str, ...]], src: str, expected: tuple[str, ...]) -> None:
    assert model.learning_path(builds_on, src) == expected


def test_learning_path_of_a_long_chain() -> None:
    path = model.learning_path(LONG, "p0")
    assert path == tuple(f"p{i}" for i in range(2000, -1, -1))


def test_learning_path_puts_every_page_after_its_prerequisites() -> None:
    builds_on = {"a": ("b", "c", "e"), "b": ("c", "d"), "c": ("d", "f"), "e": ("f", "b"), "d": ("f",)}
    path = model.learning_path(builds_on, "a")
    assert sorted(path) == ["a", "b", "c", "d", "e", "f"] and path[-1] == "a"
    for node, needs in builds_on.items():
        assert all(path.index(need) < path.index(node) for need in needs), node


def test_linked_from_only_leaves_out_the_pages_under_used_in() -> None:
    graph = _graph(
        {
            "topics/calc/gradient.md": {"topics/calc/derivatives/", "topics/calc/partial-derivatives/"},
            "topics/calc/index.md": {"topics/calc/derivatives/", "topics/calc/gradient/"},
            "topics/calc/partial-derivatives.md": {"topics/calc/derivatives/"},
        }
    )
    # Derivatives is used in Gradient and Partial Derivatives, and linked from those and Calculus
    assert graph.linked_from["topics/calc/derivatives.md"] == (
        "topics/calc/index.md",
        "topics/calc/gradient.md",
        "topics/calc/partial-derivatives.md",
    )
    assert model.linked_from_only(graph, "topics/calc/derivatives.md") == ("topics/calc/index.md",)
    # Partial Derivatives: its only linker, Gradient, uses it
    assert model.linked_from_only(graph, "topics/calc/partial-derivatives.md") == ()
    assert graph.linked_from["topics/calc/partial-derivatives.md"] == ("topics/calc/gradient.md",)
    assert model.linked_from_only(graph, "topics/calc/gradient.md") == ("topics/calc/index.md",)
    # the orphan rule still reads every incoming link: a page linked only by its users is no orphan
    assert [p.path for p in model.orphan_problems(graph)] == ["docs/topics/calc/lonely.md"]


def test_render_linked_from_when_every_linker_uses_the_page() -> None:
    html = render.sections([("A", "t/a/")], [], "t/c/", relative=REL, all_used_in=True)
    assert '<p class="graph-empty">Every page that links here is listed under Used In.</p>' in html
    assert "No page links here yet." not in html


def test_render_learning_path() -> None:
    assert render.learning_path([("C", "t/c/")], "t/c/", relative=REL) == ""
    html = render.learning_path([("A <b>", "t/a/"), ("B", "u/b/"), ("C", "t/c/")], "t/c/", relative=REL)
    assert html == (
        render.GENERATED_START
        + '<details class="learning-path"><summary>Learning path: 2 pages to read first, in order</summary>'
        '<ol class="learning-path-list"><li><a href="../a/">A &lt;b&gt;</a></li><li><a href="../../u/b/">B</a></li>'
        '<li><strong aria-current="page">C</strong></li></ol></details>' + render.GENERATED_END + "\n"
    )
    assert "1 page to read first" in render.learning_path([("A", "t/a/"), ("C", "t/c/")], "t/c/", relative=REL)
