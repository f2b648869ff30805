"""Every page of the wiki, as a reader sees it at phone and desktop width, light and dark: the maths typeset by
Temml as MathML Core, laid out by the browser with the STIX Two Math font the site ships, nothing wider than its
column, no request off the site, no console error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_reader import assert_clean

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"

# Elements wider than the article column that are not inside a box that scrolls or clips on its own.
_OVERFLOWING = """() => {
  const column = document.querySelector('.md-content__inner');
  if (!column) return ['no article column'];
  // the column with its side padding: Material's own table wrapper reaches into it on purpose
  const right = document.querySelector('.md-content').getBoundingClientRect().right;
  const out = [];
  for (const element of column.querySelectorAll('*')) {
    let parent = element.parentElement, boxed = false;
    while (parent && parent !== column) {
      if (getComputedStyle(parent).overflowX !== 'visible') { boxed = true; break; }
      parent = parent.parentElement;
    }
    if (boxed) continue;
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > right + 1) {
      out.push(`${element.tagName.toLowerCase()}.${element.className} by ${Math.round(box.right - right)} px`);
    }
  }
  return out.slice(0, 5);
}"""

_MATHS = """() => {
  const formulas = [...document.querySelectorAll('article math')];
  return {
    formulas: formulas.length,
    unrendered: document.querySelectorAll('article .arithmatex, article .math-error').length,
    // laid out as MathML (Temml's stylesheet makes <math> an inline flex box, so that a long formula can wrap;
    // what it holds has display "block math", or a table for mtable), drawn at a real size, its TeX kept for
    // screen readers
    incomplete: formulas.filter(f => {
      const body = f.querySelector('semantics > :not(annotation)');
      // a long inline formula's pieces sit in one wrapping row (mrow.math-wrap), each piece laid out as MathML
      const laidOut = body && (body.classList.contains('math-wrap')
        ? /flex/.test(getComputedStyle(body).display)  // a flex box (blockified: MathML's child)
          && /math/.test(getComputedStyle(body.firstElementChild).display)
        : /math|table/.test(getComputedStyle(body).display));
      return !laidOut || f.getBoundingClientRect().width < 3
        || !f.querySelector('semantics > annotation');
    }).length,
    font: [...document.fonts].some(f => f.family.replace(/["']/g, '') === 'STIX2' && f.status === 'loaded')
      && getComputedStyle(formulas[0] || document.body).fontFamily.includes('STIX2'),
    // a prime (drawn at superscript height by the font) sitting wholly above its base was raised twice
    raised: [...document.querySelectorAll('article mo')].filter(m => /^[′″‴]+$/.test(m.textContent)).filter(m => {
      let base = m.previousElementSibling, node = m;
      while (!base && node.parentElement && node.parentElement.tagName !== 'math') {
        node = node.parentElement;
        base = node.previousElementSibling;
      }
      const box = base && base.getBoundingClientRect();  // an empty base (ReLU$'$) has no box to be above
      return box && box.height > 0 && m.getBoundingClientRect().bottom <= box.top;
    }).length,
    primes: [...document.querySelectorAll('article mo')].filter(m => /^[′″‴]+$/.test(m.textContent)).length,
    dollars: [...document.querySelectorAll('article p, article li, article td')].filter(e => {
      const text = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('');
      return !e.closest('pre, code, kbd, math') && /\\$|\\\\[a-zA-Z]+/.test(text);
    }).length,
  };
}"""


def _pages(real_site: Path) -> list[str]:
    pages = []
    for html in sorted(real_site.rglob("index.html")):
        text = html.read_text(encoding="utf-8")
        if '<article class="md-content__inner' in text:
            pages.append(html.parent.relative_to(real_site).as_posix())
    return [("" if p == "." else p + "/") for p in pages]


@pytest.mark.parametrize(("width", "scheme"), [(390, "light"), (390, "dark"), (1280, "light"), (1280, "dark")])
def test_every_page_typesets_its_maths_and_fits_its_column(
    browser, site_url: str, real_site: Path, width: int, scheme: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    tab.console_errors, tab.requests = [], []
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))

    def guard(route) -> None:
        tab.requests.append(route.request.url)
        if route.request.url.startswith((site_url, "data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    pages = _pages(real_site)
    assert len(pages) > 30
    typeset = primes = 0
    problems: list[str] = []
    try:
        for path in pages:
            tab.goto(site_url + path)
            tab.evaluate("document.fonts.ready.then(() => true)")
            found = tab.evaluate(_MATHS)
            typeset += found["formulas"]
            primes += found["primes"]
            if found["unrendered"] or found["incomplete"] or found["dollars"] or found["raised"]:
                problems.append(f"{path}: {found}")
            if found["formulas"] and not found["font"]:
                problems.append(f"{path}: the maths font (STIX Two Math) did not load")
            wide = tab.evaluate(_OVERFLOWING)
            if wide:
                problems.append(f"{path}: wider than the column: {wide}")
        assert not problems, "\n".join(problems)
        assert typeset > 1000 and primes > 20
        assert_clean(tab, site_url)
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_notation_page_renders_every_formula_and_is_saved_for_review(browser, site_url: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, device_scale_factor=2)
    tab = context.new_page()
    try:
        tab.goto(site_url + "contributing/notation/")
        tab.evaluate("document.fonts.ready.then(() => true)")
        found = tab.evaluate(_MATHS)
        assert found["formulas"] >= 60 and found["unrendered"] == 0 and found["incomplete"] == 0, found
        assert found["font"]
        expected = "slate" if scheme == "dark" else "default"
        assert tab.locator("body").get_attribute("data-md-color-scheme") == expected
        # each formula is drawn: a box of real size, not an empty element
        sizes = tab.evaluate("[...document.querySelectorAll('article math')].map(e => e.getBoundingClientRect().width)")
        assert min(sizes) > 3, sizes
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"notation-{scheme}.png"), full_page=True)
        assert (SCREENSHOTS / f"notation-{scheme}.png").stat().st_size > 50_000
    finally:
        context.close()
