"""A reader's visit, in headless Chromium with the network cut: maths, search, tags, palette, phone size."""

from __future__ import annotations

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
    box = page.locator("article .math-display .katex-html").first.bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10  # laid out as maths, not an empty element
    assert page.evaluate("document.fonts.check('1em KaTeX_Main')")  # KaTeX's own font, shipped with the site
    assert_clean(page, site_url)


def test_search_for_gradient_lists_the_gradient_page(page, site_url: str) -> None:
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # Material's search worker builds its index after the page loads and says so in the result header. Wait for
    # that (slow on a loaded CI machine), then type as a reader does: Material searches on key events, so
    # `fill()` (an input event only) finds nothing once the index is ready.
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/initializ/i.test(m.textContent); }",
        timeout=60000,
    )
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
