"""The cache's bound: ``sweep`` counts full builds and deletes entries no build of the last N used; the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from mathwiki import cache as cache_module
from mathwiki.cache import Cache, sweep
from mathwiki.settings import Settings


def entries(root: Path) -> set[str]:
    return {path.stem for path in root.glob("*/*/*.json")}


def test_sweep_keeps_what_recent_builds_used(tmp_path: Path) -> None:
    cache = Cache(tmp_path, "claims", "1")
    a, b = cache.key("a"), cache.key("b")
    cache.put(a, 1)
    cache.put(b, 2)
    assert sweep(tmp_path, keep_builds=2) == 0  # build 1 used both
    assert cache.get(a) == 1
    assert sweep(tmp_path, keep_builds=2) == 0  # build 2 used a; b unused once
    assert entries(tmp_path) == {a, b}
    assert cache.get(a) == 1
    assert sweep(tmp_path, keep_builds=2) == 1  # build 3: b unused by builds 2 and 3
    assert entries(tmp_path) == {a}


def test_entries_from_before_the_usage_file_count_as_used_now(tmp_path: Path) -> None:
    Cache(tmp_path, "code", "1").put("0" * 64, "old")
    cache_module._USED.clear()  # as if written by an older build that kept no usage
    assert sweep(tmp_path, keep_builds=1) == 0
    assert sweep(tmp_path, keep_builds=1) == 1


def test_files_that_are_no_entries_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "matplotlib").mkdir()
    (tmp_path / "matplotlib" / "fontlist-v390.json").write_text("{}", encoding="utf-8")
    (tmp_path / "figures" / "ab").mkdir(parents=True)
    (tmp_path / "figures" / "ab" / "notes.json").write_text("{}", encoding="utf-8")
    for _ in range(3):
        sweep(tmp_path, keep_builds=1)
    assert (tmp_path / "matplotlib" / "fontlist-v390.json").exists()
    assert (tmp_path / "figures" / "ab" / "notes.json").exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 10), (1, 1), (25, 25), (0, "at least 1"), ("5", "whole number"), (True, "whole number")],
)
def test_cache_keep_builds_setting(value: object, expected: int | str, tmp_path: Path) -> None:
    data = {} if value is None else {"cache_keep_builds": value}
    if isinstance(expected, int):
        assert Settings.from_mapping(data, tmp_path).cache_keep_builds == expected
    else:
        with pytest.raises(ValueError, match=expected):
            Settings.from_mapping(data, tmp_path)


def test_a_build_with_a_check_off_is_no_full_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.from_mapping({}, tmp_path).every_check_on
    monkeypatch.setenv("MATHWIKI_CLAIMS", "0")
    assert not Settings.from_mapping({}, tmp_path).every_check_on


def test_an_entry_replaced_by_a_folder_or_an_unwritable_cache_is_no_traceback(tmp_path, caplog) -> None:
    import os

    from mathwiki.cache import Cache

    cache = Cache(tmp_path, "claims", "v1")
    key = cache.key("a")
    cache.put(key, [1])
    path = cache._path(key)
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x")
    assert cache.get(key) is None  # a folder where an entry was: dropped, recomputed
    cache.put(key, [2])
    assert cache.get(key) == [2]
    readonly = Cache(tmp_path / "ro", "claims", "v1")
    (tmp_path / "ro").mkdir()
    os.chmod(tmp_path / "ro", 0o500)
    try:
        readonly.put(readonly.key("b"), [3])  # root can still write: then it simply works
        assert readonly.get(readonly.key("b")) in (None, [3])
    finally:
        os.chmod(tmp_path / "ro", 0o700)
    blocked = Cache(tmp_path / "file", "claims", "v1")
    (tmp_path / "file").write_text("not a folder")
    with caplog.at_level("WARNING"):
        blocked.put(blocked.key("c"), [4])
    assert "cannot be written" in caplog.text


@pytest.mark.parametrize("spelling", ["link", "relative", "dots"])
def test_an_entry_read_through_another_spelling_of_the_root_counts_as_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    """The build reads through the root the settings give; the sweep may be handed it written another way."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    read_through = {"link": tmp_path / "link", "relative": Path("real"), "dots": tmp_path / "sub" / ".." / "real"}
    cache = Cache(read_through[spelling], "claims", "1")
    used, unused = cache.key("used"), cache.key("unused")
    cache.put(used, 1)
    cache.put(unused, 2)
    assert sweep(real, keep_builds=1) == 0
    assert cache.get(used) == 1
    assert sweep(real, keep_builds=1) == 1
    assert entries(real) == {used}
