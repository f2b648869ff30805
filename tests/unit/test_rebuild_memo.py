"""``mathwiki.rebuild_memo``: the memo key changes with every input awesome-nav reads and with nothing else; the
nav it made turns back into the ``nav:`` list MkDocs makes the same nav from; Jinja's compiled templates are
kept, and compiled again when their source changes."""

from __future__ import annotations

from types import SimpleNamespace

import jinja2
from mkdocs.utils.meta import YAML_RE

from mathwiki import rebuild_memo, report

FRONT = YAML_RE  # MkDocs' own pattern, as the hook passes it
PAGES = [("index.md", "---\ntitle: Home\n---\nHi.\n"), ("topics/a.md", "---\ntitle: A\n---\nProse.\n")]
NAV = [(".nav.yml", b"nav:\n  - index.md\n  - topics\n")]


def _key(pages=PAGES, navs=NAV, settings="s") -> str:
    return rebuild_memo.key(pages, navs, settings, FRONT)


def test_the_key_follows_pages_titles_nav_files_and_settings_and_ignores_prose() -> None:
    base = _key()
    assert _key(list(reversed(PAGES))) == base  # order of the files does not matter
    assert _key([PAGES[0], ("topics/a.md", PAGES[1][1] + "More prose.\n")]) == base
    changed = [
        _key([*PAGES, ("topics/b.md", "B\n")]),  # a new page
        _key(PAGES[:1]),  # a page deleted
        _key([PAGES[0], ("topics/c.md", PAGES[1][1])]),  # a page renamed
        _key([PAGES[0], ("topics/a.md", "---\ntitle: A2\n---\nProse.\n")]),  # a title
        _key(navs=[(".nav.yml", b"nav:\n  - topics\n  - index.md\n")]),  # the order in a .nav.yml
        _key(navs=[*NAV, ("topics/.nav.yml", b"sort:\n  by: title\n")]),  # a new .nav.yml
        _key(settings="other"),
    ]
    assert base not in changed and len(set(changed)) == len(changed)


def test_the_memo_gives_back_only_the_nav_of_the_same_key() -> None:
    memo = rebuild_memo.NavMemo()
    assert memo.get("k") is None
    memo.put("k", ["index.md"])
    assert memo.get("k") == ["index.md"] and memo.get("other") is None


def _page(title, src):
    return SimpleNamespace(is_section=False, is_page=True, title=title, file=SimpleNamespace(src_uri=src))


def test_a_nav_becomes_the_nav_config_that_makes_it() -> None:
    section = SimpleNamespace(
        is_section=True,
        title="Topics",
        children=[_page(None, "topics/index.md"), _page("A given title", "topics/a.md")],
    )
    link = SimpleNamespace(is_section=False, is_page=False, title="Elsewhere", url="https://example.org/")
    nav = SimpleNamespace(items=[_page(None, "index.md"), section, link])
    assert rebuild_memo.as_config(nav) == [
        "index.md",
        {"Topics": ["topics/index.md", {"A given title": "topics/a.md"}]},
        {"Elsewhere": "https://example.org/"},
    ]


def test_compiled_templates_are_kept_and_compiled_again_when_the_source_changes() -> None:
    cache = rebuild_memo.MemoryBytecodeCache()
    sources = {"page.html": "Hello {{ name }}"}
    compiled = []

    class Counting(jinja2.Environment):
        def _compile(self, source, filename):
            compiled.append(filename)
            return super()._compile(source, filename)

    def render() -> str:
        env = Counting(loader=jinja2.DictLoader(sources), bytecode_cache=cache)  # a new one each time, as MkDocs
        return env.get_template("page.html").render(name="you")

    assert render() == "Hello you" and len(compiled) == 1
    assert render() == "Hello you" and len(compiled) == 1  # from the memo
    sources["page.html"] = "Bye {{ name }}"
    assert render() == "Bye you" and len(compiled) == 2


def test_warnings_are_caught_from_one_logger_only() -> None:
    import logging

    with report.said(logging.WARNING, "test.nav") as said:
        logging.getLogger("test.nav").info("fine")
        logging.getLogger("test.other").warning("not ours")
        logging.getLogger("test.nav").warning("no match")
    assert [r.getMessage() for r in said] == ["no match"]
