"""The real site, built in strict mode, read as HTML: the page header, sections, tags, edit links, maths,
and nothing loaded from another host."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from tests.htmltools import article, elements, prose_text

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parents[2]
TOPIC = "topics/math/calculus/partial-derivatives/index.html"
SECTIONS = [
    "i-use-this-when",
    "why-it-exists",
    "visual-intuition",
    "how-it-works",
    "the-math-inside",
    "examples",
    "code",
    "page-graph",  # the local graph, drawn by the build, right before the two lists
    "used-in",
    "linked-from",
]


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_topic_page_header_has_breadcrumb_title_then_tags_and_date(real_site: Path) -> None:
    html = article(read(real_site, TOPIC))
    crumbs = re.search(r'<nav class="wiki-breadcrumb".*?</nav>', html, re.DOTALL).group(0)
    words = [w for w in re.sub(r"<[^>]+>", " ", crumbs).split() if w != "/"]
    assert " ".join(words) == "Wiki Topics Math Calculus Partial Derivatives"
    # title, then one line holding the tags and the date, in that order
    h1 = html.index("<h1>Partial Derivatives</h1>")
    meta = html.index('<div class="wiki-meta">', h1)
    assert html.index('class="md-tag"', meta) < html.index('<time class="wiki-meta__date" datetime="', meta)
    assert meta < html.index("<h2", h1)


def test_topic_page_sections_are_in_the_reference_order(real_site: Path) -> None:
    html = article(read(real_site, TOPIC))
    ids = [e.attrs["id"] for e in elements(html) if e.tag == "h2" and "id" in e.attrs]
    assert ids == SECTIONS


def test_every_topic_page_has_the_seven_sections_then_the_two_lists(real_site: Path) -> None:
    pages = sorted((ROOT / "docs" / "topics").rglob("*.md"))
    topics = [p for p in pages if p.name != "index.md"]
    assert len(topics) >= 30
    for source in topics:
        rel = source.relative_to(ROOT / "docs").with_suffix("")
        html = article(read(real_site, f"{rel.as_posix()}/index.html"))
        ids = [e.attrs["id"] for e in elements(html) if e.tag == "h2" and "id" in e.attrs]
        assert ids == SECTIONS, f"{source}: sections {ids}"


def test_tag_chip_leads_to_the_tag_index_which_lists_every_tag(real_site: Path) -> None:
    page = read(real_site, TOPIC)
    chips = [e for e in elements(article(page)) if e.tag == "a" and e.attrs.get("class") == "md-tag"]
    assert [c.text.strip() for c in chips]
    for chip in chips:
        assert chip.attrs["href"].startswith("../../../../tags/#tag:")
    index = read(real_site, "tags/index.html")
    used: set[str] = set()
    for source in (ROOT / "docs" / "topics").rglob("*.md"):
        meta = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1])
        used.update(meta.get("tags", []))
    for tag in used:
        assert f'id="tag:{tag}"' in index, f"tag {tag} missing from the tag index"
    assert "Partial Derivatives" in index


def test_every_page_has_an_edit_link_to_its_source(real_site: Path) -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    base = config["repo_url"].rstrip("/") + "/" + config["edit_uri"]
    for source in (ROOT / "docs").rglob("*.md"):
        rel = source.relative_to(ROOT / "docs")
        built = "index.html" if rel.name == "index.md" else f"{rel.with_suffix('').as_posix()}/index.html"
        if rel.name == "index.md" and rel.parent != Path("."):
            built = f"{rel.parent.as_posix()}/index.html"
        html = read(real_site, built)
        assert f'href="{base}{rel.as_posix()}" title="Edit this page"' in html, rel


def test_maths_is_typeset_at_build_time(real_site: Path) -> None:
    for page in sorted(real_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if '<article class="md-content__inner' not in html:
            continue
        text = prose_text(article(html))
        for raw in ("$$", "\\frac", "\\partial", "\\(", "\\["):
            assert raw not in text, f"{page}: raw {raw!r} left in the page"
    assert "<math" in read(real_site, TOPIC)


def test_no_resource_is_loaded_from_another_host(real_site: Path) -> None:
    """Scripts, styles, fonts, images and frames all come from the site itself."""
    loads = {"script": "src", "img": "src", "iframe": "src", "source": "src", "link": "href"}
    for page in real_site.rglob("*.html"):
        for element in elements(page.read_text(encoding="utf-8")):
            attr = loads.get(element.tag)
            if not attr or attr not in element.attrs:
                continue
            if element.tag == "link" and element.attrs.get("rel") in ("canonical", "alternate"):
                continue
            assert not urlparse(element.attrs[attr]).netloc, f"{page}: {element.tag} loads {element.attrs[attr]}"
    for sheet in real_site.rglob("*.css"):
        css = sheet.read_text(encoding="utf-8")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(r"@import\s+['\"]([^'\"]+)", css):
            assert not urlparse(url).netloc, f"{sheet}: {url}"


def test_no_page_text_mentions_a_cdn(real_site: Path) -> None:
    for page in real_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for host in ("fonts.googleapis", "fonts.gstatic", "cdn.jsdelivr", "unpkg.com", "cdnjs", "polyfill.io"):
            assert host not in html, f"{page} references {host}"


def test_search_index_holds_each_formulas_tex_not_its_typeset_markup(real_site: Path) -> None:
    from mathwiki.search_index import indexed_pages

    pages = indexed_pages(real_site)
    text = pages["/topics/math/calculus/gradient/"]
    assert "\\theta \\leftarrow \\theta - \\eta \\nabla J(\\theta)" in text
    assert "θ←θ" not in text  # the glyphs of the typeset formula
    assert not [url for url, content in pages.items() if "<math" in content or "<mi>" in content]
    assert len(pages) > 30
    # The page itself still ships the typeset formula; Material's own index keeps no page text.
    assert "<math" in (real_site / "topics/math/calculus/gradient/index.html").read_text(encoding="utf-8")
    material = json.loads((real_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert material["docs"] == [] and (real_site / "search" / "search_index.json").stat().st_size < 2000


def test_hooks_in_the_wrong_order_or_missing_stop_the_build_with_the_order_to_use(make_wiki) -> None:
    from tests.conftest import ROOT, build, project_config

    project = make_wiki({"index.md": "---\ntitle: Home\n---\nHi.\n"})
    config = project_config(project)
    hooks = config["hooks"]
    config["hooks"] = [hooks[0], hooks[2], hooks[1], *hooks[3:]]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    swapped = build(project)
    assert swapped.returncode != 0
    assert "hooks listed in the wrong order" in swapped.stderr and "hooks/sources.py" in swapped.stderr
    config["hooks"] = [h for h in hooks if not h.endswith("claims.py")]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    missing = build(project)
    assert missing.returncode != 0 and "hooks/claims.py missing" in missing.stderr
    real = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    from mathwiki.hook_order import order_problem

    assert order_problem(real["hooks"]) is None  # the real configuration is in order


def test_pages_carry_no_runs_of_blank_space_between_tags_and_code_keeps_its_lines(real_site: Path) -> None:
    from mathwiki.compact_html import compact

    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert compact(html) == html, f"{page}: whitespace between tags not cut"  # the hook ran on every page
        outside = re.sub(r"<(pre|script|style|textarea|code)\b.*?</\1>", "<kept/>", html, flags=re.DOTALL)
        assert not re.search(r">\s*\n\s*\n\s*<", outside), page
    topic = read(real_site, TOPIC)
    code = re.findall(r"<pre\b.*?</pre>", topic, re.DOTALL)
    assert code and any(block.count("\n") >= 3 for block in code), "a code block lost its lines"
