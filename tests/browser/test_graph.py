"""Finding one's way, in headless Chromium with the network cut: link previews on hover, the local graph at
the end of a topic page (its links work, it reads in the dark scheme), and the page with the whole wiki."""

from __future__ import annotations

import pytest

from tests.browser.test_reader import assert_clean

pytestmark = pytest.mark.browser

TOPIC = "topics/math/calculus/gradient/"


def test_hovering_an_internal_link_shows_a_preview_of_that_page(page, site_url: str) -> None:
    page.goto(site_url + TOPIC)
    page.wait_for_load_state("networkidle")
    link = page.locator('article .builds-on a[href*="partial-derivatives"]').first
    link.hover()
    tooltip = page.locator(".md-tooltip2")
    tooltip.first.wait_for(state="visible", timeout=15000)
    assert "Partial Derivatives" in tooltip.first.inner_text()
    assert_clean(page, site_url)


def test_local_graph_is_drawn_and_a_node_link_navigates(page, site_url: str) -> None:
    page.goto(site_url + TOPIC)
    svg = page.locator("article svg.wiki-graph--local")
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 60
    centre = svg.locator('[aria-current="page"] text')
    assert centre.text_content() == "Gradient"
    node = svg.locator("a.wiki-graph__node", has_text="Partial Derivatives").first
    node.click()
    page.wait_for_url("**/partial-derivatives/")
    assert page.locator("h1").inner_text() == "Partial Derivatives"
    assert_clean(page, site_url)


def _contrast(page, selector: str) -> float:
    """The contrast ratio between a node label's fill and its box's fill, as the browser computes them."""
    return page.evaluate(
        """(selector) => {
          const text = document.querySelector(selector + ' text');
          const rect = document.querySelector(selector + ' rect');
          const rgb = (el) => getComputedStyle(el).fill.match(/[0-9.]+/g).slice(0, 3).map(Number);
          const lum = ([r, g, b]) => {
            const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
          };
          const a = lum(rgb(text)), b = lum(rgb(rect));
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }""",
        selector,
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_graph_labels_are_readable_in_both_schemes(browser, site_url: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    tab.goto(site_url + TOPIC)
    expected = "slate" if scheme == "dark" else "default"
    assert tab.locator("body").get_attribute("data-md-color-scheme") == expected
    assert _contrast(tab, "svg.wiki-graph--local a.wiki-graph__node") >= 4.5
    assert _contrast(tab, 'svg.wiki-graph--local [aria-current="page"]') >= 4.5
    context.close()


def test_whole_wiki_graph_page_links_every_topic(page, site_url: str) -> None:
    page.goto(site_url + "graph/")
    svg = page.locator("article svg.wiki-graph--wiki")
    assert svg.is_visible()
    nodes = svg.locator("a.wiki-graph__node")
    assert nodes.count() >= 20
    nodes.filter(has_text="Backpropagation").first.click()
    page.wait_for_url("**/backpropagation/")
    assert page.locator("h1").inner_text() == "Backpropagation"
    assert_clean(page, site_url)
