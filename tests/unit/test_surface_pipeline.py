"""Drawing through the cache and worker processes: batches, cache hits, corrupted entries, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from mathwiki.settings import Settings
from plots.pipeline import MAX_BATCH, batches, draw_all, open_cache
from plots.resolve import resolve
from plots.spec import parse_spec


def _figure(body: str):
    return resolve(parse_spec(body, 400), {}, "T")


@pytest.mark.parametrize(("count", "workers", "sizes"), [(0, 2, []), (1, 2, [1]), (5, 2, [3, 2]), (60, 2, [20] * 3)])
def test_batches(count: int, workers: int, sizes: list[int]) -> None:
    groups = batches(list(range(count)), workers)
    assert [len(g) for g in groups] == sizes
    assert [i for g in groups for i in g] == list(range(count))
    assert all(len(g) <= MAX_BATCH for g in groups)


def test_draw_cache_and_errors(tmp_path: Path) -> None:
    settings = Settings.from_mapping({"cache_dir": "cache"}, tmp_path)
    good = [_figure(f"f(x, y) = x^2 y + {k}y\nx: [-2, 2]\ny: [-2, 2]\nat: (1, 1)\ngrid: 15") for k in range(3)]
    bad = _figure("f(x, y) = \\ln(-1 - x^2) y\nx: [-2, 2]\ny: [-2, 2]\ngrid: 10")
    results, keys, stats = draw_all([*good, good[0], bad], settings)
    assert (stats.figures, stats.drawn, stats.failed, stats.from_cache) == (4, 3, 1, 0)
    for figure in good:
        drawn = results[keys[figure]]
        assert drawn.ok and not drawn.cached
        assert drawn.light.startswith(b"\x89PNG")
    assert "undefined or infinite everywhere" in (results[keys[bad]].error or "")

    again, _, stats = draw_all([*good, bad], settings)
    assert (stats.drawn, stats.failed, stats.from_cache) == (0, 0, 4)
    assert again[keys[good[1]]].light == results[keys[good[1]]].light

    cache = open_cache(settings)
    entry = cache._path(keys[good[0]])
    entry.write_text(entry.read_text()[:-40], encoding="utf-8")  # truncated: redrawn, not trusted
    _, _, stats = draw_all(good, settings)
    assert (stats.drawn, stats.from_cache) == (1, 2)


def test_image_is_twice_the_display_size(tmp_path: Path) -> None:
    settings = Settings.from_mapping({"cache_dir": "cache"}, tmp_path)
    figure = _figure("f(x, y) = x y\nx: [-2, 2]\ny: [-2, 2]\ngrid: 10")
    results, keys, _ = draw_all([figure], settings)
    drawn = results[keys[figure]]
    from io import BytesIO

    with Image.open(BytesIO(drawn.dark)) as image:
        assert image.size == (drawn.width, drawn.height) == (2000, 860)
