"""Build time of the real site: cold (empty cache), warm (cache full) and plain (every check off), side by side;
or of generated wikis shaped like ours, against plain Material on the same pages.

    .venv/bin/python benchmarks/site_build.py [--runs 5]
    .venv/bin/python benchmarks/site_build.py --pages 300 1000 3000 [--runs 3]
    .venv/bin/python benchmarks/site_build.py --serve 1000 [--runs 5]

Prints the median of each and the warm/plain ratio. Not a test: timings on a shared machine are noisy.

With ``--pages`` it generates, for each size, a wiki of topic pages like ours (front matter with ``uses``, the
seven sections, prose, inline and display formulas, links, a ``verify`` fence on every page, a ``python`` block on
one page in five, a ``surface`` on one in twenty), 50 pages per subject and 10 subjects per area, and prints:
cold (empty cache), warm (nothing changed), warm after editing one page's prose, plain Material (same theme,
features, plugins and Markdown extensions, no hooks), HTML per page, the search index's size on disk (Pagefind's
chunks; what a query downloads is in benchmarks/search.py) and the peak memory
of a build (max RSS of the build process and its workers), with ratios. Warm, edited and plain builds alternate,
so a busy moment hurts each kind alike; medians of ``--runs``.

With ``--serve`` it generates one wiki, runs ``mkdocs serve --dirty`` on it (what ``make serve`` runs) and times
the edit loop as a reader sees it: from saving a page to the moment the served HTML shows the change, polled
every 20 ms over HTTP. Two edits: a sentence added to one page (visible on that page), and a ``uses:`` entry
added to one page (visible in the Used In of the page it now uses).
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PLAIN = {"MATHWIKI_CLAIMS": "0", "MATHWIKI_EXECUTE": "0", "MATHWIKI_FIGURES": "0", "MATHWIKI_GRAPH": "0"}


def build(site: Path, cache: Path, extra_env: dict[str, str] | None = None) -> float:
    env = {**os.environ, "MATHWIKI_CACHE_DIR": str(cache), **(extra_env or {})}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr[-4000:]}")
    return elapsed


# --- Generated wikis (--pages) -----------------------------------------------------------------------------

PER_SUBJECT, PER_AREA = 50, 10
SECTIONS = (
    "I Use This When...",
    "Why It Exists",
    "Visual Intuition",
    "How It Works",
    "The Math Inside",
    "Examples",
    "Code",
)


def _src(index: int) -> str:
    subject = index // PER_SUBJECT
    return f"topics/a{subject // PER_AREA:02d}/s{subject:03d}/page-{index:05d}.md"


def _title(index: int) -> str:
    return f"Topic {index:05d}"


def _link(target: int, source: int) -> str:
    """The relative link from page ``source`` to page ``target``, as an author writes it."""
    return os.path.relpath(_src(target), os.path.dirname(_src(source)))


def _page(index: int, count: int, rng: random.Random) -> str:
    a, b = index % 7 + 1, index % 5 + 2
    uses = ", ".join(_title(i) for i in rng.sample(range(index), k=min(index, 2)))
    others = [rng.randrange(count) for _ in range(4)]
    nxt = (index + 1) % count  # every page is linked from the one before: no orphans
    links = [f"[the next topic]({_link(nxt, index)})"] + [
        f"[a related topic]({_link(other, index)})" for other in others
    ]
    body = []
    for number, heading in enumerate(SECTIONS):
        body.append(f"## {heading}\n")
        body.append(
            f"Paragraph {number} of {_title(index)}: with $f(x, y) = {a} x^2 + {b} y^2$ the slope in $x$ is "
            f"$\\frac{{\\partial f}}{{\\partial x}} = {2 * a} x$, see {links[number % len(links)]}. "
            + "Some prose about the idea, in words a reader follows. " * 5
            + "\n"
        )
        if heading == "The Math Inside":
            body.append(
                f"$$\\nabla f(x, y) = \\begin{{pmatrix}} {2 * a} x \\\\ {2 * b} y \\end{{pmatrix}}, \\quad "
                f"\\sum_{{i=1}}^{{n}} \\left(y_i - \\hat{{y}}_i\\right)^2$$\n"
            )
            body.append(
                f"```verify\nf(x, y) = {a} x^2 + {b} y^2\n\\frac{{\\partial f}}{{\\partial x}} = {2 * a} x\n"
                f"\\frac{{\\partial f}}{{\\partial y}} = {2 * b} y\n```\n"
            )
        if heading == "Visual Intuition" and index % 20 == 0:
            body.append(f"```surface\nf(x, y) = {a} x^2 + {b} y^2\nx: [-3, 3]\ny: [-2, 2]\nat: (1, 1)\n```\n")
        if heading == "Code" and index % 5 == 0:
            body.append(f"```python\nvalues = [{a} * x**2 for x in range({b + 3})]\nprint(sum(values))\n```\n")
    front = (
        f"---\ntitle: {_title(index)}\ntags: [calculus, t{index % 30:02d}]\ndate: 2026-01-01\nuses: [{uses}]\n---\n\n"
    )
    return front + "\n".join(body)


def make_wiki(folder: Path, count: int) -> tuple[Path, Path]:
    """The generated wiki and two configurations over it: ours (every hook) and plain Material (no hook)."""
    rng = random.Random(count)
    docs = folder / "docs"
    for index in range(count):
        path = docs / _src(index)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page(index, count, rng), encoding="utf-8")
    for subject in range((count - 1) // PER_SUBJECT + 1):
        (docs / _src(subject * PER_SUBJECT)).parent.joinpath("index.md").write_text(
            f"---\ntitle: Subject {subject}\n---\n\nPages of subject {subject}.\n", encoding="utf-8"
        )
    for area in range((count - 1) // (PER_SUBJECT * PER_AREA) + 1):
        (docs / f"topics/a{area:02d}/index.md").write_text(f"---\ntitle: Area {area}\n---\n\nSubjects.\n", "utf-8")
    (docs / "topics/index.md").write_text("---\ntitle: Topics\n---\n\nAll areas.\n", encoding="utf-8")
    (docs / "tags.md").write_text("---\ntitle: Tags\n---\n\n<!-- material/tags -->\n", encoding="utf-8")
    (docs / "index.md").write_text(f"---\ntitle: Home\n---\n\nStart at [{_title(0)}]({_src(0)}).\n", "utf-8")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("extra_css", "repo_url", "edit_uri"):
        config.pop(key, None)
    config.update(docs_dir=str(docs), site_dir=str(folder / "site"))
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["extra"]["mathwiki"]["cache_dir"] = str(folder / "cache")
    ours, plain = folder / "mkdocs.yml", folder / "plain.yml"
    ours.write_text(yaml.safe_dump({**config, "hooks": [str(ROOT / h) for h in config["hooks"]]}), "utf-8")
    plain.write_text(yaml.safe_dump({**config, "hooks": []}), encoding="utf-8")
    return ours, plain


def timed_build(config: Path) -> tuple[float, float]:
    """Wall-clock seconds and peak memory (MB, max RSS of the build process and the workers it waited for) of
    one strict build in a fresh process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)]
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=config.parent, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            sys.exit(f"build of {config} failed:\n{err.read().decode()[-4000:]}")
    return elapsed, usage.ru_maxrss / 1024


def _site_figures(site: Path, pages: int) -> tuple[float, float]:
    html = sum(path.stat().st_size for path in site.rglob("*.html"))
    index = site / "assets" / "pagefind"  # Pagefind's chunks (a query downloads a few: benchmarks/search.py)
    return html / pages / 1024, sum(f.stat().st_size for f in index.rglob("*") if f.is_file()) / 1024**2


def _page_weights(site: Path) -> tuple[float, float, float, float]:
    """Median and largest HTML of a topic page (and gzipped median), and the maths assets, in KB."""
    sizes, zipped = [], []
    for page in (site / "topics").rglob("index.html"):
        data = page.read_bytes()
        if b"verify" in data or b"<math" in data:
            sizes.append(len(data) / 1024)
            zipped.append(len(gzip.compress(data)) / 1024)
    assets = sum(f.stat().st_size for f in (site / "assets" / "maths").rglob("*") if f.is_file()) / 1024
    return statistics.median(sizes), statistics.median(zipped), max(sizes), assets


def synthetic(sizes: list[int], runs: int) -> None:
    print(f"generated wikis, {os.cpu_count()} cores; medians of {runs} alternating runs (cold: one run)")
    head = (
        f"{'pages':>6} {'cold':>8} {'warm':>8} {'edit 1':>8} {'plain':>8} {'warm/plain':>10} {'edit/plain':>10}"
        f" {'HTML/page':>10} {'search index':>12} {'peak MB':>8} {'plain MB':>8}"
    )
    print(head)
    previous: tuple[int, float, float] | None = None
    for count in sizes:
        with tempfile.TemporaryDirectory(prefix=f"site-bench-{count}-") as tmp:
            ours, plain = make_wiki(Path(tmp), count)
            cold, cold_mb = timed_build(ours)
            edited = ours.parent / "docs" / _src(count // 2)
            warm, edit, bare = [], [], []
            for run in range(runs):
                warm.append(timed_build(ours))
                with edited.open("a", encoding="utf-8") as page:
                    page.write(f"\nOne more sentence, edit {run}.\n")
                edit.append(timed_build(ours))
                bare.append(timed_build(plain))
            timed_build(ours)  # the site of our build, for its sizes
            html_kb, index_mb = _site_figures(ours.parent / "site", count)
        w, e, p = (statistics.median(t for t, _ in kind) for kind in (warm, edit, bare))
        peak = max([cold_mb] + [mb for _, mb in warm + edit])
        plain_mb = max(mb for _, mb in bare)
        print(
            f"{count:>6} {cold:>7.1f}s {w:>7.1f}s {e:>7.1f}s {p:>7.1f}s {w / p:>10.2f} {e / p:>10.2f}"
            f" {html_kb:>8.0f}KB {index_mb:>10.1f}MB {peak:>8.0f} {plain_mb:>8.0f}",
            flush=True,
        )
        if previous:
            pages0, warm0, peak0 = previous
            print(
                f"       {count / pages0:.2f}x the pages: warm {w / warm0:.2f}x, peak memory {peak / peak0:.2f}x",
                flush=True,
            )
        previous = (count, w, peak)


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""


def _until(url: str, shows: Callable[[str], bool], limit: float = 600) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if shows(_get(url)):
            return time.perf_counter() - started
        time.sleep(0.02)
    sys.exit(f"{url} did not show the edit within {limit:.0f} s")


def _used_in_lists(title: str) -> Callable[[str], bool]:
    def shows(html: str) -> bool:
        start = html.find('<h2 id="used-in"')
        end = html.find('<h2 id="linked-from"', start)
        return start >= 0 and f">{title}</a></li>" in html[start:end]

    return shows


def serve_loop(count: int, runs: int) -> None:
    port = 8765
    with tempfile.TemporaryDirectory(prefix=f"serve-bench-{count}-") as tmp:
        ours, _ = make_wiki(Path(tmp), count)
        timed_build(ours)  # a full build fills the cache, as a contributor's first `make serve` does
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(ours), "-a", f"127.0.0.1:{port}"]
        with tempfile.TemporaryFile() as log:
            server = subprocess.Popen(command, cwd=ours.parent, env=env, stdout=log, stderr=log)
            try:
                base = f"http://127.0.0.1:{port}/"
                first = _until(base + _src(0)[: -len(".md")] + "/", lambda html: "</html>" in html)
                prose, uses = [], []
                for run in range(runs):
                    page = count // 2 + run
                    url = base + _src(page)[: -len(".md")] + "/"
                    marker = f"Edit marker {run} of the serve benchmark."
                    path = ours.parent / "docs" / _src(page)
                    path.write_text(path.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
                    prose.append(_until(url, lambda html, m=marker: m in html))
                    time.sleep(1)
                    user, used = count // 3 + run, run + 1  # page `user` now also uses page `used`
                    path = ours.parent / "docs" / _src(user)
                    text = path.read_text(encoding="utf-8")
                    path.write_text(text.replace("uses: [", f"uses: [{_title(used)}, ", 1), encoding="utf-8")
                    uses.append(_until(base + _src(used)[: -len(".md")] + "/", _used_in_lists(_title(user))))
                    time.sleep(1)
            finally:
                server.terminate()
                server.wait(timeout=60)
    print(f"mkdocs serve --dirty, {count} pages: first full build served after {first:.1f} s")
    print(
        f"  prose edit visible on its page:        median {statistics.median(prose):.2f} s of {runs} "
        f"({', '.join(f'{t:.2f}' for t in prose)})"
    )
    print(
        f"  uses: edit visible on the used page:   median {statistics.median(uses):.2f} s of {runs} "
        f"({', '.join(f'{t:.2f}' for t in uses)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, nargs="+", help="generate wikis of these sizes instead")
    parser.add_argument("--serve", type=int, metavar="PAGES", help="time the edit loop of mkdocs serve --dirty")
    args = parser.parse_args()
    if args.serve:
        serve_loop(args.serve, args.runs)
        return
    if args.pages:
        synthetic(args.pages, args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        site, cache = Path(tmp, "site"), Path(tmp, "cache")
        cold = []
        for _ in range(max(1, args.runs // 2)):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(build(site, cache))
        warm, plain = [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            warm.append(build(site, cache))
            plain.append(build(site, cache, PLAIN))
        build(site, cache)  # the site of our build, for its sizes
        weights = _page_weights(site)
    pages = len(list((ROOT / "docs").rglob("*.md")))
    print(f"real site: {pages} pages, {os.cpu_count()} cores")
    print(f"cold  (empty cache): median {statistics.median(cold):6.2f} s  of {len(cold)} runs")
    print(f"warm  (cache full):  median {statistics.median(warm):6.2f} s  of {len(warm)} runs")
    print(f"plain (checks off):  median {statistics.median(plain):6.2f} s  of {len(plain)} runs")
    print(f"warm / plain = {statistics.median(warm) / statistics.median(plain):.2f}")
    print(
        f"HTML per topic page: median {weights[0]:.0f} KB ({weights[1]:.0f} KB gzipped), largest {weights[2]:.0f} KB;"
        f" maths stylesheet and fonts {weights[3]:.0f} KB, loaded once"
    )


if __name__ == "__main__":
    main()
