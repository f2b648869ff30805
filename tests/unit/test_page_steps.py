"""``PageSteps``: a page step's HTML and problems kept by a digest of everything it reads."""

from __future__ import annotations

from pathlib import Path

from mathwiki.cache import PageSteps, code_version
from mathwiki.problems import Problem


def test_a_step_is_found_again_only_with_the_same_inputs(tmp_path: Path) -> None:
    steps = PageSteps("step")
    assert steps.get("<p>x</p>", "x", "docs/a.md") is None  # closed: keeps nothing
    steps.put("<p>clean</p>", [], "<p>x</p>", "x", "docs/a.md")
    steps.open(tmp_path, "v1")
    problems = [Problem("docs/a.md", 3, "removed"), Problem("docs/a.md", 4, "odd", "warning")]
    steps.put("<p>clean é</p>", problems, "<p>x</p>", "x", "docs/a.md")
    assert steps.get("<p>x</p>", "x", "docs/a.md") == ("<p>clean é</p>", problems)
    assert steps.get("<p>y</p>", "x", "docs/a.md") is None  # another input
    assert steps.get("<p>x</p>", "x\n", "docs/a.md") is None  # another source: its lines may differ
    assert steps.get("<p>x</p>", "x", "docs/b.md") is None  # another page
    steps.put(None, problems[:1], "<p>z</p>", "z", "docs/a.md")
    assert steps.get("<p>z</p>", "z", "docs/a.md") == (None, problems[:1])
    steps.open(tmp_path, "v2")  # the step's code changed
    assert steps.get("<p>x</p>", "x", "docs/a.md") is None


def test_a_damaged_entry_is_recomputed_not_trusted(tmp_path: Path) -> None:
    steps = PageSteps("step")
    steps.open(tmp_path, "v1")
    steps.put("<p>clean</p>", [], "<p>x</p>", "x", "docs/a.md")
    [entry] = (tmp_path / "step").glob("*/*.json")
    entry.write_text(entry.read_text(encoding="utf-8").replace('"html":"', '"html":"eJ'), encoding="utf-8")
    assert '"html":"eJ' in entry.read_text(encoding="utf-8")
    assert steps.get("<p>x</p>", "x", "docs/a.md") is None


def test_code_version_follows_the_code(tmp_path: Path) -> None:
    source = tmp_path / "step.py"
    source.write_text("A = 1\n", encoding="utf-8")
    first = code_version(source)
    source.write_text("A = 2\n", encoding="utf-8")
    assert code_version(source) != first


def test_a_cache_entry_is_trusted_only_whole_and_under_its_own_key(tmp_path: Path) -> None:
    """``Cache`` entries: a header line (key, checksum of the rest) and the value. Any change to either, a value
    moved under another key, and an entry in the one-line layout of earlier builds is a miss, and is deleted."""
    import json

    from mathwiki.cache import Cache

    cache = Cache(tmp_path, "things", "v1")
    value = {"text": "line one\nline two é", "n": [1, 2.5, None]}
    key, other = cache.key("a"), cache.key("b")
    cache.put(key, value)
    assert cache.get(key) == value
    path = cache._path(key)
    stored = path.read_text(encoding="utf-8")
    assert stored.count("\n") == 1  # the value's own newlines are escaped in its JSON

    def damaged(text: str, under: str = key) -> bool:
        target = cache._path(under)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        missed = cache.get(under) is None
        return missed and not target.exists()

    assert damaged(stored.replace('"n":[1,', '"n":[7,'))  # same length, another value
    assert damaged(stored[:-3])  # truncated
    assert damaged(stored.split("\n")[0] + "\n")  # the value lost
    assert damaged(stored, under=other)  # moved under another key
    header = json.loads(stored.split("\n")[0])
    one_line = json.dumps({"key": key, "sha256": header["sha256"], "value": value}, separators=(",", ":"))
    assert damaged(one_line)
    cache.put(key, value)
    assert cache.get(key) == value
