"""What one search query downloads, on generated wikis shaped like ours, against the size of the whole index.

    .venv/bin/python benchmarks/search.py [--pages 300 1000 3000] [--queries 8]

For each size it generates the wiki of ``benchmarks/site_build.py``, builds it (with the claim, code, figure and
graph checks off: search reads only the HTML), serves it on localhost and, in headless Chromium, opens the home
page, types each query into Material's search box as a reader does (a fresh browser each time, so nothing is
cached) and adds up every byte the search fetched (Material's settings, Pagefind's script, WebAssembly, index
chunks and excerpts). Prints the index on disk, the median and largest transfer per query, and Material's
whole-index download for comparison. Asserts nothing. Needs Chromium (``CHROMIUM_PATH`` or /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import PLAIN, make_wiki  # noqa: E402

# Words of the generated pages: some on every page (the most results, so the most excerpts), some on one.
QUERIES = ["slope", "prose idea", "related topic", "topic 00042", "paragraph", "reader follows", "00137", "next"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _transfer(browser, url: str, query: str) -> tuple[int, int]:
    """Bytes the search fetched for ``query`` in a fresh context, and how many results it showed."""
    context = browser.new_context()
    page = context.new_page()
    fetched: dict[str, int] = {}

    def done(request) -> None:
        if "/pagefind/" in request.url or "/search/" in request.url or "search-pagefind" in request.url:
            fetched[request.url] = request.sizes()["responseBodySize"]

    page.on("requestfinished", done)
    page.goto(url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/initializ/i.test(m.textContent); }",
        timeout=120000,
    )
    page.keyboard.type(query, delay=20)
    page.wait_for_function(
        "() => /matching|no matching/i.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=60000,
    )
    page.wait_for_load_state("networkidle")
    shown = page.locator(".md-search-result__item").count()
    context.close()
    return sum(fetched.values()), shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--queries", type=int, default=len(QUERIES))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    print(f"{'pages':>6} {'index on disk':>14} {'per query (median)':>19} {'largest':>9} {'results shown':>14}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for count in args.pages:
            with tempfile.TemporaryDirectory(prefix=f"search-bench-{count}-") as tmp:
                ours, _ = make_wiki(Path(tmp), count)
                env = {**os.environ, **PLAIN, "NO_MKDOCS_2_WARNING": "1"}
                command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ours)]
                subprocess.run(command, cwd=tmp, env=env, check=True, stdout=subprocess.DEVNULL)
                site = Path(tmp) / "site"
                on_disk = sum(f.stat().st_size for f in (site / "assets" / "pagefind").rglob("*") if f.is_file())
                server, url = _serve(site)
                try:
                    runs = [_transfer(browser, url, query) for query in QUERIES[: args.queries]]
                finally:
                    server.shutdown()
            sizes = [size for size, _ in runs]
            median, largest = statistics.median(sizes) / 1024, max(sizes) / 1024
            shown = statistics.median(n for _, n in runs)
            print(
                f"{count:>6} {on_disk / 1024**2:>12.1f}MB {median:>17.0f}KB {largest:>7.0f}KB {shown:>14.0f}",
                flush=True,
            )
        browser.close()


if __name__ == "__main__":
    main()
