"""``mathwiki.incremental.plan``: which pages a dirty build renders, from what changed of each page."""

from __future__ import annotations

from mathwiki import incremental

PAGE = "---\ntitle: A\ntags: [calculus]\nuses: [B]\n---\n\n## Idea\n\nProse. See [B](b.md) and [[C]].\n"
LINKER = "---\ntitle: L\n---\n\nSee [the idea](a.md#idea).\n"
OTHER = "---\ntitle: O\n---\n\nNo link to A here, only [B](b.md).\n"


def _plan(before: str, after: str, **texts: str) -> incremental.Plan:
    old_texts = {"a.md": before, **{f"{k}.md": v for k, v in texts.items()}}
    new_texts = {"a.md": after, **{f"{k}.md": v for k, v in texts.items()}}
    old = incremental.state({src: incremental.facts(t, src) for src, t in old_texts.items()}, "same")
    now = {src: incremental.facts(t, src) for src, t in new_texts.items()}
    return incremental.plan(old, now, "same", new_texts)


def test_prose_renders_the_page_alone() -> None:
    plan = _plan(PAGE, PAGE + "More prose.\n", l=LINKER)
    assert plan.pages == {"a.md"} and not plan.graph_changed
    assert _plan(PAGE, PAGE).pages == frozenset()


def test_uses_and_links_render_the_page_and_ask_for_the_graph_views() -> None:
    for changed in (
        PAGE.replace("uses: [B]", "uses: [D]"),
        PAGE.replace("uses: [B]", "uses: [B, D]"),
        PAGE.replace("[B](b.md)", "[B](d.md)"),
        PAGE.replace("[[C]]", "[[D]]"),
        PAGE + '\n<a href="d.md">raw HTML link</a>\n',
    ):
        plan = _plan(PAGE, changed, l=LINKER)
        assert plan.pages == {"a.md"} and plan.graph_changed, changed


def test_headings_and_ids_render_the_page_and_the_pages_linking_to_it() -> None:
    for changed in (PAGE.replace("## Idea", "## Other"), PAGE + "\nA paragraph with an id.\n{: #anchor }\n"):
        plan = _plan(PAGE, changed, l=LINKER, o=OTHER)
        assert plan.pages == {"a.md", "l.md"}, changed


def test_front_matter_other_pages_show_renders_every_page() -> None:
    for changed in (
        PAGE.replace("title: A", "title: A2"),
        PAGE.replace("tags: [calculus]", "tags: [algebra]"),
        PAGE.replace("tags: [calculus]\n", "tags: [calculus]\ndate: 2026-01-02\n"),
        PAGE.replace("title: A", "title: [A"),  # malformed: the full build reports it
    ):
        assert _plan(PAGE, changed).pages is None, changed


def test_a_page_with_a_problem_is_rendered_again_next_time() -> None:
    now = {"a.md": incremental.facts(PAGE, "a/index.html"), "o.md": incremental.facts(OTHER, "o/index.html")}
    old = incremental.state(now, "same", again=["a.md"])
    assert incremental.plan(old, now, "same").pages == {"a.md"}


def test_outside_changes_and_added_pages_render_every_page() -> None:
    old = incremental.state({"a.md": incremental.facts(PAGE, "a/index.html")}, "one")
    now = {"a.md": incremental.facts(PAGE, "a/index.html")}
    assert incremental.plan(old, now, "two").pages is None
    assert incremental.plan(None, now, "one").pages is None
    more = {**now, "b.md": incremental.facts(PAGE, "b/index.html")}
    assert incremental.plan(old, more, "one").pages is None
    gone = incremental.plan(incremental.state(more, "one"), now, "one")
    assert gone.pages is None and gone.deleted == ("b/index.html",)
