"""A reader's visit, in headless Chromium with the network cut: maths, search, tags, palette, phone size."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

TOPIC = "topics/math/calculus/partial-derivatives/"


def assert_clean(page, site_url: str) -> None:
    assert page.console_errors == [], page.console_errors
    outside = [url for url in page.requests if not url.startswith((site_url, "data:", "blob:"))]
    assert outside == [], f"requests left localhost: {outside}"


def test_topic_page_shows_typeset_maths(page, site_url: str) -> None:
    page.goto(site_url + TOPIC)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Partial Derivatives"
    formulas = page.locator("article math")
    assert formulas.count() > 10
    box = page.locator("article .math-display math").first.bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10  # laid out as maths, not an empty element
    loaded = "[...document.fonts].some(f => f.family.replace(/[\"']/g, '') === 'STIX2' && f.status === 'loaded')"
    assert page.evaluate(loaded)  # the maths font, shipped with the site
    assert_clean(page, site_url)


def open_search(page) -> None:
    """Wait until Material's search box can answer, as a reader would see it: the worker loads the index after
    the page and says so in the result header (slow on a loaded CI machine). Then type key by key: Material
    searches on key events, so `fill()` (an input event only) finds nothing once the index is ready."""
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/initializ/i.test(m.textContent); }",
        timeout=60000,
    )


def test_search_for_gradient_lists_the_gradient_page(page, site_url: str) -> None:
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    open_search(page)
    page.locator(".md-search__input").press_sequentially("gradient")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=30000)
    titles = page.locator(".md-search-result__article h1").all_inner_texts()
    assert "Gradient" in [t.strip() for t in titles], titles
    assert_clean(page, site_url)


def test_clicking_a_tag_leads_to_the_tag_index(page, site_url: str) -> None:
    page.goto(site_url + TOPIC)
    tag = page.locator("article a.md-tag").first
    name = tag.inner_text().strip()
    tag.click()
    page.wait_for_url("**/tags/**")
    assert page.url.split("#")[-1] == f"tag:{name}"
    heading = page.locator(f'[id="tag:{name}"]')
    assert heading.count() == 1
    assert_clean(page, site_url)


def test_palette_toggle_switches_between_light_and_dark(page, site_url: str) -> None:
    page.goto(site_url + TOPIC)
    body = page.locator("body")
    first = body.get_attribute("data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{first}'")
    second = body.get_attribute("data-md-color-scheme")
    assert {first, second} == {"default", "slate"}
    assert_clean(page, site_url)


def test_phone_sized_screen_has_no_sideways_scroll(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(site_url + TOPIC)
    phone.wait_for_load_state("networkidle")
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    assert phone.locator("label.md-header__button[for=__drawer]").is_visible()  # the menu button
    context.close()


def test_the_content_security_policy_blocks_a_script_the_site_did_not_ship(page, site_url: str) -> None:
    page.goto(site_url + TOPIC)
    page.wait_for_load_state("networkidle")
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert policy and "script-src 'self'" in policy and "object-src 'none'" in policy
    assert page.console_errors == [], page.console_errors  # the theme's own scripts run under it
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__owned = 1';"
        " document.body.appendChild(s); }"
    )
    assert page.evaluate("() => window.__owned") is None
    page.console_errors.clear()


_OUTPUT_UNDER_BUTTON = """() => {
  // Each line box of every code output, against the copy button Material puts over the block.
  const clashes = [];
  let outputs = 0;
  for (const block of document.querySelectorAll('article .code-output')) {
    outputs += 1;
    const button = block.querySelector('.md-code__button, .md-clipboard');
    if (!button) continue;
    const b = button.getBoundingClientRect();
    const code = block.querySelector('pre > code');
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      for (let i = 0; i < node.length; i++) {
        if (!node.data[i].trim()) continue;
        range.setStart(node, i); range.setEnd(node, i + 1);
        for (const r of range.getClientRects()) {
          if (r.right > b.left && r.left < b.right && r.bottom > b.top && r.top < b.bottom) {
            clashes.push(node.data.slice(Math.max(0, i - 10), i + 10));
          }
        }
      }
    }
  }
  const code = document.querySelector('article .code-output pre');
  const column = document.querySelector('.md-content__inner').getBoundingClientRect();
  return {outputs, clashes: clashes.slice(0, 5), right: code ? code.getBoundingClientRect().right : 0,
          column: column.right};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_code_output_wraps_inside_its_column_and_the_copy_button_covers_none_of_it(
    browser, site_url: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844})
    tab = context.new_page()
    try:
        for path in ("topics/math/calculus/hessian/", "topics/math/linear-algebra/matrix-multiplication/"):
            tab.goto(site_url + path)
            tab.wait_for_load_state("networkidle")
            for block in tab.locator("article .code-output").all():
                block.hover()  # Material shows its buttons on hover
            found = tab.evaluate(_OUTPUT_UNDER_BUTTON)
            assert found["outputs"] >= 1, path
            assert found["clashes"] == [], (path, found)
            assert found["right"] <= found["column"] + 1, (path, found)
    finally:
        context.close()


def test_a_surface_figure_on_a_phone_keeps_its_drawn_size_and_scrolls_in_its_own_box(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    try:
        tab.goto(site_url + TOPIC)
        tab.wait_for_load_state("networkidle")
        figure = tab.locator("article figure.mathwiki-surface").first
        figure.scroll_into_view_if_needed()
        shown = tab.evaluate(
            """() => {
              const figure = document.querySelector('article figure.mathwiki-surface');
              const image = [...figure.querySelectorAll('img')].find(i => i.getBoundingClientRect().width > 0);
              return {image: image.getBoundingClientRect().width, natural: image.naturalWidth,
                      box: figure.getBoundingClientRect().width, scroll: figure.scrollWidth,
                      overflow: getComputedStyle(figure).overflowX,
                      page: document.documentElement.scrollWidth - document.documentElement.clientWidth};
            }"""
        )
        assert shown["image"] >= shown["natural"] / 2 - 1, shown  # drawn at 2x: labels at their drawn size
        assert shown["box"] <= 390 and shown["scroll"] > shown["box"] and shown["overflow"] == "auto", shown
        assert shown["page"] <= 1, shown  # the page itself does not scroll sideways
    finally:
        context.close()


def test_search_by_keyboard_as_in_material_fetches_only_the_chunks_a_query_needs(
    page, site_url: str, real_site: Path
) -> None:
    fetched: dict[str, int] = {}
    page.on("requestfinished", lambda r: fetched.__setitem__(r.url, r.sizes()["responseBodySize"]))
    page.goto(site_url + TOPIC)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")  # Material's shortcut to the search box
    open_search(page)
    page.keyboard.type("hessian", delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=30000)
    assert page.locator(".md-search-result__article h1").first.inner_text().strip() == "Hessian"
    page.keyboard.press("ArrowDown")  # the first result, then open it, as in Material
    page.keyboard.press("Enter")
    page.wait_for_url("**/hessian/**", timeout=30000)
    assert page.locator("h1").first.inner_text().strip() == "Hessian"
    page.locator("article mark").first.wait_for(timeout=10000)  # the word is marked on the page it opened

    fragments = [url for url in fetched if "/pagefind/fragment/" in url]
    on_disk = list((real_site / "assets" / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert fragments and len(fragments) < len(on_disk), (len(fragments), len(on_disk))
    index = [url for url in fetched if url.endswith("search/search_index.json")]
    assert index and all(fetched[url] < 2000 for url in index)  # Material's own index holds no page text
    assert_clean(page, site_url)


def test_the_search_header_counts_every_match_not_only_those_shown(page, site_url: str) -> None:
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    open_search(page)
    page.locator(".md-search__input").press_sequentially("the")  # on nearly every page
    page.wait_for_function(
        "() => /^20 of \\d+ matching documents$/.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=30000,
    )
    shown, _, total = page.locator(".md-search-result__meta").inner_text().partition(" of ")
    assert int(shown) == 20 and int(total.split()[0]) > 30
    assert_clean(page, site_url)
