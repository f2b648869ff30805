"""``mathwiki.search_index``: Pagefind's chunked index of a real (small) site, and Material pointed at our worker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mathwiki import search_index

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head><body>
<nav>Navigation words everywhere</nav>
<article class="md-content__inner md-typeset">
<div class="wiki-meta">2026-01-01 5 claims proved</div>
<h1 id="t">{title}<a class="headerlink" href="#t">¶</a></h1>
<p>{text} <math><semantics><msub><mi>θglyphs</mi><mi>new</mi></msub>
<annotation encoding="application/x-tex">\\theta_{{new}}</annotation></semantics></math></p>
<h2 id="more">More</h2><p>Second section about {word}.</p>
</article></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    for name, title, word in (("a", "Gradient", "slopes"), ("b", "Hessian", "curvature")):
        (root / name).mkdir()
        html = PAGE.format(title=title, text=f"The {title.lower()} page.", word=word)
        (root / name / "index.html").write_text(html, encoding="utf-8")
    (root / "search").mkdir()
    material = {"config": {"lang": ["en"]}, "docs": [{"location": "a/", "title": "A", "text": "x" * 5000}]}
    (root / "search" / "search_index.json").write_text(json.dumps(material), encoding="utf-8")
    (root / search_index.BUNDLE / "fragment").mkdir(parents=True)
    (root / search_index.BUNDLE / "fragment" / "stale.pf_fragment").write_bytes(b"left by an earlier build")
    search_index.build(root)
    search_index.shrink_material_index(root)
    return root


def test_pagefind_indexes_every_article_in_chunks_with_formulas_as_tex(site: Path) -> None:
    pages = search_index.indexed_pages(site)
    assert set(pages) == {"/a/", "/b/"}
    text = pages["/a/"]
    assert "The gradient page." in text and "Second section about slopes." in text
    assert "\\theta_{new}" in text  # the formula's TeX
    assert "θglyphs" not in text and "θ" not in text.replace("\\theta", "")  # not its glyphs
    assert "Navigation words" not in text and "claims proved" not in text and "¶" not in text
    assert (site / search_index.BUNDLE / "pagefind.js").is_file() and list(
        (site / search_index.BUNDLE / "index").iterdir()
    )
    assert not (site / search_index.BUNDLE / "fragment" / "stale.pf_fragment").exists()


def test_materials_own_index_keeps_its_settings_and_no_page_text(site: Path) -> None:
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert data == {"config": {"lang": ["en"]}, "docs": [], "options": {}}


def test_a_site_pagefind_cannot_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(search_index.SearchIndexError, match="Pagefind"):
        search_index.build(tmp_path / "no-such-site")


CONFIG = (
    '<script id="__config" type="application/json">{"base": "../..", "search": '
    '"../../assets/javascripts/workers/search.a7633da7.min.js", "tags": null}</script>'
)


def test_the_page_config_names_our_worker_at_the_same_relative_place() -> None:
    page = f"<html><body>{CONFIG}<p>text</p></body></html>"
    out = search_index.point_config_at_worker(page)
    start = out.index('json">') + len('json">')
    config = json.loads(out[start : out.index("</script>")])
    assert config == {"base": "../..", "search": "../../assets/javascripts/search-pagefind.js", "tags": None}
    assert out.endswith("<p>text</p></body></html>")


@pytest.mark.parametrize(
    "page",
    [
        "<p>no config</p>",
        '<script id="__config" type="application/json">not json</script>',
        CONFIG.replace("workers/", ""),
    ],
)
def test_a_page_without_materials_worker_is_left_as_it_is(page: str) -> None:
    assert search_index.point_config_at_worker(page) == page


def test_the_worker_ships_with_the_site(site: Path) -> None:
    shipped = (site / search_index.WORKER).read_text(encoding="utf-8")
    assert shipped == search_index.WORKER_SOURCE.read_text(encoding="utf-8") and "pagefind.search" in shipped


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        (search_index.PLACEHOLDER, "<p>the page</p>"),  # nothing touched it
        (
            f"<nav>top</nav>{search_index.PLACEHOLDER}<h2>Used In</h2>",  # hooks added around it
            "<nav>top</nav><p>the page</p><h2>Used In</h2>",
        ),
        ("<p>something else</p>", None),
    ],
)
def test_the_page_is_put_back_where_the_search_plugin_read_the_placeholder(read: str, expected: str | None) -> None:
    assert search_index.put_back(read, "<p>the page</p>") == expected


def test_the_count_script_ships_with_the_site(site: Path) -> None:
    assert (site / search_index.COUNT).read_text(encoding="utf-8") == search_index.COUNT_SOURCE.read_text("utf-8")


@pytest.mark.parametrize(
    ("dest", "refused"),
    [
        ("assets/pagefind/index.html", True),
        ("assets/pagefind", True),
        ("assets/pagefinder/x.png", False),
        ("a.html", False),
    ],
)
def test_nothing_of_the_wiki_may_be_written_into_the_index_folder(dest: str, refused: bool) -> None:
    assert (search_index.reserved_problem(dest) is not None) is refused


def test_a_site_with_the_same_html_gets_its_index_from_the_cache(site: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    cache = tmp_path / "cache"
    first = search_index.build(copy, cache)
    assert "Indexed 2 pages" in first

    def files() -> dict[str, bytes]:
        return {
            p.relative_to(copy).as_posix(): p.read_bytes()
            for p in copy.joinpath(search_index.BUNDLE).rglob("*")
            if p.is_file()
        }

    index = files()
    again = search_index.build(copy, cache)
    assert "from the cache" in again
    assert files() == index
    assert (copy / search_index.WORKER).is_file() and (copy / search_index.COUNT).is_file()
    page = copy / "b" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("curvature", "torsion"), encoding="utf-8")
    changed = search_index.build(copy, cache)
    assert "Indexed 2 pages" in changed and "torsion" in search_index.indexed_pages(copy)["/b/"]
    assert len(list((cache / "search-index").iterdir())) == 1  # one index kept, the newest


def test_a_stopped_indexing_kills_pagefind_and_says_so(site: Path, tmp_path: Path, monkeypatch) -> None:
    """The next build of make serve stops the Pagefind of the last one: build returns None, fast, and the
    process is gone (a stop set while Pagefind runs, and one set before it starts)."""
    import shutil
    import subprocess
    import sys
    import threading
    import time

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    stop = threading.Event()
    stop.set()
    assert search_index.build(copy, stop=stop) is None  # set before: Pagefind never starts
    assert not (copy / search_index.BUNDLE / "pagefind.js").exists()

    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def slow_pagefind(command, **options):  # a Pagefind that would take 60 s
        started.append(real_popen([sys.executable, "-c", "import time; time.sleep(60)"], **options))
        return started[-1]

    monkeypatch.setattr(search_index.subprocess, "Popen", slow_pagefind)
    stop.clear()
    threading.Timer(0.5, stop.set).start()
    began = time.monotonic()
    assert search_index.build(copy, stop=stop) is None
    assert time.monotonic() - began < 5
    assert started and started[0].poll() is not None  # killed, not left running

    monkeypatch.setattr(search_index.subprocess, "Popen", real_popen)
    stop.clear()
    assert search_index.build(copy, stop=stop)  # not stopped: the whole index
    assert (copy / search_index.BUNDLE / "pagefind.js").is_file()
