"""The pictures of the link graph: bounded neighbourhoods, deterministic SVG, escaped titles."""

from __future__ import annotations

import re
import xml.dom.minidom

import pytest

from mathwiki.graph import layout, model


def make_graph(uses: dict[str, tuple[str, ...]], titles: dict[str, str] | None = None, links=None) -> model.Graph:
    titles = titles or {}
    names = set(uses) | {t for targets in uses.values() for t in targets} | set(links or {})
    pages = [
        model.Page(src_uri=f"topics/a/{n}.md", url=f"topics/a/{n}/", title=titles.get(n, n.capitalize()))
        for n in sorted(names)
    ]
    index = model.Index(pages)
    resolved = {f"topics/a/{n}.md": [(f"topics/a/{t}.md", 1) for t in targets] for n, targets in uses.items()}
    outgoing = {f"topics/a/{n}.md": {f"topics/a/{t}/" for t in targets} for n, targets in (links or {}).items()}
    return model.build_graph(index, resolved, outgoing)


def src(name: str) -> str:
    return f"topics/a/{name}.md"


CHAIN = make_graph(
    {"c": ("b",), "b": ("a",), "d": ("c",), "e": ("d",), "a": ()},
    links={"x": ("c",), "d": ("c",)},
)


def test_layers_two_hops_each_way_and_links_here() -> None:
    hood = layout.neighbourhood(CHAIN, src("c"))
    by_layer = {(n.src, n.layer, n.kind) for n in hood.nodes}
    assert by_layer == {
        (src("c"), 0, "page"),
        (src("b"), -1, "uses"),
        (src("a"), -2, "uses"),
        (src("d"), 1, "used-in"),
        (src("x"), 1, "linked-from"),  # d links here too, but it is already under "used in"
        (src("e"), 2, "used-in"),
    }
    assert hood.more == {}


def test_neighbourhood_is_bounded_and_counts_what_it_left_out() -> None:
    many = make_graph({f"p{i:03d}": ("root",) for i in range(500)} | {"root": ()})
    hood = layout.neighbourhood(many, src("root"), cap=24, per_layer=6)
    assert len(hood.nodes) == 7  # the page and six users
    assert hood.more == {1: 494}
    svg = layout.local_svg(many, hood, lambda s: "../" + s)
    assert "and 494 more" in svg


def test_cap_limits_all_layers_together() -> None:
    uses = {f"u{i}": ("mid",) for i in range(10)} | {"mid": tuple(f"r{i}" for i in range(10))}
    uses |= {f"r{i}": (f"q{i}",) for i in range(10)}
    hood = layout.neighbourhood(make_graph(uses), src("mid"), cap=10, per_layer=6)
    assert len(hood.nodes) == 10


def test_svg_is_deterministic_and_well_formed() -> None:
    first = layout.local_svg(CHAIN, layout.neighbourhood(CHAIN, src("c")), lambda s: s)
    again = layout.local_svg(CHAIN, layout.neighbourhood(CHAIN, src("c")), lambda s: s)
    assert first == again
    doc = xml.dom.minidom.parseString(first)
    root = doc.documentElement
    assert root.getAttribute("role") == "img"
    assert root.getElementsByTagName("title")[0].firstChild.data == "Graph around C"
    hrefs = sorted(a.getAttribute("xlink:href") for a in root.getElementsByTagName("a"))
    assert hrefs == [src(n) for n in ("a", "b", "d", "e", "x")]  # the page itself is no link


@pytest.mark.parametrize("title", ['<script>alert("x")</script>', 'A & B "quoted"', "x</text><a href='evil'>"])
def test_titles_are_escaped(title: str) -> None:
    graph = make_graph({"c": ("b",), "b": ()}, titles={"b": title})
    for svg in (
        layout.local_svg(graph, layout.neighbourhood(graph, src("c")), lambda s: s),
        layout.wiki_svg(graph, lambda s: s, {}),
    ):
        xml.dom.minidom.parseString(svg)  # still well formed
        assert "<script" not in svg and "href='evil'" not in svg
        titles = [t for t in re.findall(r"<title>([^<]*)</title>", svg) if "&" in t]
        assert titles, svg


def test_long_titles_are_cut_in_the_label_and_whole_in_the_tooltip() -> None:
    long = "A Very Long Title That Does Not Fit In A Box"
    graph = make_graph({"c": ("b",), "b": ()}, titles={"b": long})
    svg = layout.local_svg(graph, layout.neighbourhood(graph, src("c")), lambda s: s)
    assert f"<title>{long}</title>" in svg
    assert "A Very Long Title Tha…" in svg


def test_wiki_svg_groups_by_area_and_orders_by_level() -> None:
    pages = [
        model.Page("topics/math/calc/index.md", "topics/math/calc/", "Calculus"),
        model.Page("topics/math/calc/b.md", "topics/math/calc/b/", "Beta"),
        model.Page("topics/math/calc/a.md", "topics/math/calc/a/", "Alpha"),
        model.Page("topics/ml/train/z.md", "topics/ml/train/z/", "Zeta"),
        model.Page("index.md", "", "Home"),
    ]
    uses = {
        "topics/math/calc/a.md": [("topics/math/calc/b.md", 1)],
        "topics/ml/train/z.md": [("topics/math/calc/a.md", 1)],
    }
    graph = model.build_graph(model.Index(pages), uses, {})
    svg = layout.wiki_svg(graph, lambda s: s, {"topics/math/calc": "Calculus"})
    assert svg == layout.wiki_svg(graph, lambda s: s, {"topics/math/calc": "Calculus"})
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert texts[:2] == ["Calculus", "topics/ml/train"]
    assert texts.index("Beta") < texts.index("Alpha")  # Beta builds on nothing: it comes first
    assert "Home" not in texts
    assert svg.count("<path ") == 2
