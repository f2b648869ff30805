"""``mathwiki.incremental.plan``: a page is rendered alone only when nothing other pages show of it changed."""

from __future__ import annotations

from mathwiki import incremental

PAGE = "---\ntitle: A\nuses: [B]\n---\n\n## Idea\n\nProse. See [B](b.md) and [[C]].\n"


def _plan(before: str, after: str) -> incremental.Plan:
    old = incremental.state({"a.md": incremental.facts(before, "a/index.html")}, "same")
    return incremental.plan(old, {"a.md": incremental.facts(after, "a/index.html")}, "same")


def test_prose_renders_the_page_alone_and_anything_others_show_renders_every_page() -> None:
    assert _plan(PAGE, PAGE + "More prose.\n").pages == {"a.md"}
    assert _plan(PAGE, PAGE).pages == frozenset()
    for changed in (
        PAGE.replace("uses: [B]", "uses: [D]"),
        PAGE.replace("title: A", "title: A2"),
        PAGE.replace("[B](b.md)", "[B](d.md)"),
        PAGE.replace("[[C]]", "[[D]]"),
        PAGE.replace("## Idea", "## Other"),
        PAGE + '\n<a href="d.md">raw HTML link</a>\n',
        PAGE + "\nA paragraph with an id.\n{: #anchor }\n",
    ):
        assert _plan(PAGE, changed).pages is None, changed


def test_outside_changes_and_added_pages_render_every_page() -> None:
    old = incremental.state({"a.md": incremental.facts(PAGE, "a/index.html")}, "one")
    now = {"a.md": incremental.facts(PAGE, "a/index.html")}
    assert incremental.plan(old, now, "two").pages is None
    assert incremental.plan(None, now, "one").pages is None
    more = {**now, "b.md": incremental.facts(PAGE, "b/index.html")}
    assert incremental.plan(old, more, "one").pages is None
    gone = incremental.plan(incremental.state(more, "one"), now, "one")
    assert gone.pages is None and gone.deleted == ("b/index.html",)
