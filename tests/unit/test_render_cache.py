"""The key of a page's conversion (``mathwiki.render_cache``): made of every input, exactly, or not made at all."""

from __future__ import annotations

import dataclasses
import enum
import functools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mathwiki import render_cache
from mathwiki.render_cache import (
    BuildInputs,
    Converted,
    Inputs,
    Store,
    Uncacheable,
    canonical,
    files_digest,
    folders_digest,
)


@dataclasses.dataclass(frozen=True)
class Result:
    line: int
    verdict: str
    points: tuple = ()


class Kind(enum.Enum):
    CLAIM = "claim"
    NOTE = "note"


def _key(value) -> str:
    return render_cache._text(canonical(value))


def test_values_that_differ_never_share_a_key():
    values = [
        None, True, False, 0, 1, 1.0, -0.0, 0.0, "1", "", b"1", b"", [], (), [1], [[1]], {}, {"a": 1}, {"a": "1"},
        {1: "a"}, {"1": "a"}, set(), {1}, frozenset({"1"}), Path("a"), "a", Kind.CLAIM, Kind.NOTE, "Kind.CLAIM",
        Result(1, "ok"), Result(1, "ok", (1,)), Result(2, "ok"), {"line": 1, "verdict": "ok", "points": []},
        [None], {None: None}, float("inf"), float("nan"),
    ]  # fmt: skip
    keys = [_key(value) for value in values]
    assert len(set(keys)) == len(values), [v for v, k in zip(values, keys, strict=True) if keys.count(k) > 1]


def test_order_that_does_not_matter_does_not_change_the_key_and_order_that_does_does():
    assert _key({"a": 1, "b": 2}) == _key({"b": 2, "a": 1})
    assert _key({3, 1, 2}) == _key({2, 3, 1})
    assert _key([1, 2]) != _key([2, 1])
    assert _key((Result(1, "ok"), Result(2, "wrong"))) != _key((Result(2, "wrong"), Result(1, "ok")))


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=20))  # fmt: skip
def test_canonical_is_a_function_of_the_value(value):
    assert _key(value) == _key(value)


def test_functions_and_classes_by_name_anything_else_refused():
    def formatter():
        return ""

    assert canonical(formatter) == canonical(formatter)
    assert canonical(formatter) != canonical(test_values_that_differ_never_share_a_key)
    assert canonical(functools.partial(formatter, 1)) != canonical(functools.partial(formatter, 2))
    for value in (object(), [1, object()], {"a": {"b": object()}}, Result(1, object()), lambda: None):
        if callable(value):
            canonical(value)  # a function is named, not refused
            continue
        with pytest.raises(Uncacheable):
            canonical(value)


def _inputs(**change) -> Inputs:
    """A page's inputs, with the build's part made from ``BuildInputs``: a change to either part is given here."""
    build = dict(
        code="c",
        files="f",
        extensions=[["toc"], {"toc": {"permalink": True}}],
        snippets="s",
        settings={"claims": True},
        log_level=20,
    )
    page = dict(
        markdown="# A\n",
        src_uri="topics/a.md",
        dest_uri="topics/a/index.html",
        url="topics/a/",
        fences={"claims": {3: Result(3, "ok")}},
    )
    shared = BuildInputs(**{**build, **{k: v for k, v in change.items() if k in build}})
    return Inputs(build=shared.digest(), **{**page, **{k: v for k, v in change.items() if k in page}})


@pytest.mark.parametrize(
    "change",
    [
        {"code": "c2"},
        {"markdown": "# A\n\n"},
        {"src_uri": "topics/b.md"},
        {"dest_uri": "topics/a.html"},
        {"url": "topics/a.html"},
        {"files": "f2"},
        {"extensions": [["toc"], {"toc": {"permalink": False}}]},
        {"snippets": "s2"},
        {"settings": {"claims": False}},
        {"fences": {"claims": {3: Result(3, "wrong")}}},
        {"fences": {}},
        {"log_level": 10},
    ],
)
def test_every_input_is_in_the_key(change):
    assert _inputs(**change).key() != _inputs().key()
    assert _inputs().key() == _inputs().key()


def test_an_input_the_key_cannot_hold_refuses_the_key():
    with pytest.raises(Uncacheable):
        _inputs(fences={"code": object()}).key()
    with pytest.raises(Uncacheable):
        _inputs(settings={"claims": object()})


def test_files_digest_ignores_order_and_sees_every_field():
    rows = [("a.md", "a/index.html", "a/", "INCLUDED"), ("b.md", "b/index.html", "b/", "INCLUDED")]
    assert files_digest(rows) == files_digest(reversed(rows))
    for field in range(4):
        moved = [tuple(v + "x" if i == field else v for i, v in enumerate(rows[0])), rows[1]]
        assert files_digest(moved) != files_digest(rows)
    assert files_digest(rows[:1]) != files_digest(rows)


def test_folders_digest_sees_a_changed_added_or_moved_file(tmp_path):
    folder = tmp_path / "snippets"
    folder.mkdir()
    (folder / "a.md").write_text("one", encoding="utf-8")
    first = folders_digest([folder])
    assert folders_digest([folder]) == first
    (folder / "a.md").write_text("two", encoding="utf-8")
    changed = folders_digest([folder])
    (folder / "sub").mkdir()
    (folder / "sub" / "b.md").write_text("", encoding="utf-8")
    added = folders_digest([folder])
    (folder / "sub" / "b.md").rename(folder / "b.md")
    moved = folders_digest([folder])
    assert len({first, changed, added, moved}) == 4
    assert folders_digest([tmp_path / "missing"]) != folders_digest([])


CONVERTED = Converted(
    content='<h2 id="a">A</h2><p>text é</p>',
    toc_tokens=[
        {"level": 2, "id": "a", "name": "A", "children": [{"level": 3, "id": "b", "name": "B", "children": []}]}
    ],
    title="A",
    anchors=frozenset({"a", "b"}),
    links_to_anchors={"topics/b.md": {"x": "b.md#x"}},
)


def test_a_stored_conversion_comes_back_whole(tmp_path):
    store = Store()
    store.open(tmp_path)
    store.put("k" * 64, CONVERTED)
    assert store.get("k" * 64) == CONVERTED
    assert store.get("j" * 64) is None
    assert store.reused == 1
    no_links = dataclasses.replace(CONVERTED, links_to_anchors=None, title=None)
    store.put("n" * 64, no_links)
    assert store.get("n" * 64) == no_links


def test_an_entry_of_another_layout_or_damaged_is_converted_again(tmp_path):
    store = Store()
    store.open(tmp_path)
    store.put("k" * 64, CONVERTED)
    cache = render_cache.Cache(tmp_path, render_cache.NAMESPACE, "1")
    cache.put("o" * 64, {"content": "not base64 zlib", "toc": [], "title": None, "anchors": [], "links": None})
    cache.put("t" * 64, {"content": "", "toc": [{"id": "a"}], "title": None, "anchors": [], "links": None})
    assert store.get("o" * 64) is None
    assert store.get("t" * 64) is None
    entry = next((tmp_path / render_cache.NAMESPACE).rglob("k*.json"))
    entry.write_text(entry.read_text(encoding="utf-8")[:-5], encoding="utf-8")
    assert store.get("k" * 64) is None


def test_a_closed_store_keeps_nothing():
    store = Store()
    store.put("k" * 64, CONVERTED)
    assert store.get("k" * 64) is None


def test_the_code_in_the_key_is_every_file_of_our_folders():
    names = {p.name for folder in render_cache.CODE_FOLDERS for p in (render_cache.ROOT / folder).rglob("*.py")}
    assert {"render_cache.py", "claims.py", "code_blocks.py", "surfaces.py", "pipeline.py"} <= names
    assert render_cache.code_and_versions() == render_cache.code_and_versions()
