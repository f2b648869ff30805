"""The site's search index, made by Pagefind in chunks, so what one query downloads does not grow with the wiki.

Material's own search downloads the whole index (every page's text) before the first result: 5.7 MB at 1,000
pages. Pagefind (from PyPI, a pinned binary) splits the index into chunks by word, and a query fetches only the
chunks of its words and the excerpts of the pages it shows. Readers keep Material's search box, shortcuts and
result list: Material's search worker is replaced by ours (``mathwiki/search_worker.js``, shipped as
``assets/javascripts/search-pagefind.js``), which answers Material's worker messages from Pagefind
(``hooks/search_index.py`` points each page's config at it).

Indexed: each page's article, with each formula as its TeX source (not the glyphs of its typeset forms), without
the page header, the learning path, the permalink signs and the edit button.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

BUNDLE = "assets/pagefind"  # the folder of the site that holds the index (the build's alone: see reserved_problem)
WORKER = "assets/javascripts/search-pagefind.js"  # where the worker goes in the site
WORKER_SOURCE = Path(__file__).with_name("search_worker.js")
COUNT = "assets/javascripts/search-count.js"  # a page script: the true number of matches in the header
COUNT_SOURCE = Path(__file__).with_name("search_count.js")
MATERIAL_WORKER = "assets/javascripts/workers/search."  # Material's worker, by its name's start
ROOT = "article.md-content__inner"
# The visible MathML is left out; the MathML's TeX annotation is what search reads.
# The page header (breadcrumb, date, claim count, "Builds on", the learning path) is the same few words on every
# page: left out so excerpts show the page's own text.
EXCLUDED = (
    "semantics > :not(annotation)", ".headerlink", ".md-content__button", ".md-source-file",
    ".wiki-breadcrumb", ".wiki-meta", ".builds-on", ".learning-path",
)  # fmt: skip


# What Material's search plugin reads in place of each page (hooks/search_plugin.py): its index is not used.
PLACEHOLDER = '<p class="mathwiki-search-placeholder">Searched through Pagefind.</p>'


def put_back(read: str, page_html: str) -> str | None:
    """``read`` (the placeholder, with whatever hooks added around it) with the page in its place; None when the
    placeholder is gone."""
    at = read.find(PLACEHOLDER)
    if at < 0:
        return None
    return read[:at] + page_html + read[at + len(PLACEHOLDER) :]


def reserved_problem(dest_uri: str) -> str | None:
    """Why a file of the wiki may not be written at ``dest_uri`` of the site, or None: the index's folder is
    emptied and rewritten by every build, so a page there would be lost without a word."""
    if dest_uri == BUNDLE or dest_uri.startswith(BUNDLE + "/"):
        return f"this file would be written into {BUNDLE}/, the search index's folder, which every build rewrites"
    return None


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site (its message)."""


def build(
    site_dir: Path, cache_dir: Path | None = None, timeout_s: float = 300, stop: threading.Event | None = None
) -> str | None:
    """Index ``site_dir`` into ``site_dir/assets/pagefind``; returns Pagefind's summary line. Raises
    ``SearchIndexError``. With ``cache_dir``, a site whose HTML is the same as at the last indexing gets that
    index back without running Pagefind (the key hashes every HTML file and Pagefind's settings). Once ``stop`` is
    set, Pagefind is stopped and None returned: the site is being built again and will be indexed after."""
    shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)  # chunks of an earlier build would stay beside the new
    stored = cache_dir / "search-index" / _html_digest(site_dir) if cache_dir is not None else None
    if stored is not None and (stored / "pagefind.js").is_file():
        shutil.copytree(stored, site_dir / BUNDLE, copy_function=_link_or_copy)
        summary = "the same HTML as the last indexed build: index taken from the cache"
    else:
        ran = _run_pagefind(site_dir, timeout_s, stop)
        if ran is None:
            return None
        summary = ran
        if stored is not None:
            _store(site_dir / BUNDLE, stored)
    (site_dir / WORKER).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(WORKER_SOURCE, site_dir / WORKER)
    shutil.copyfile(COUNT_SOURCE, site_dir / COUNT)
    return summary


def _run_pagefind(site_dir: Path, timeout_s: float, stop: threading.Event | None = None) -> str | None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE]
    command += ["--root-selector", ROOT]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    if stop is not None and stop.is_set():
        return None
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except FileNotFoundError as exc:
        raise SearchIndexError(f"Pagefind is not installed: {exc}") from exc
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            out, err = process.communicate(timeout=0.1)
            break
        except subprocess.TimeoutExpired:
            stopped = stop is not None and stop.is_set()
            if stopped or time.monotonic() > deadline:
                process.kill()
                process.communicate()
                if stopped:
                    return None
                raise SearchIndexError(f"Pagefind took more than {timeout_s:g} s to index the site") from None
    if process.returncode != 0 or not (site_dir / BUNDLE / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind failed: {(err or out).strip()[-2000:]}")
    return next((line.strip() for line in out.splitlines() if "Indexed" in line and "page" in line), "")


def _link_or_copy(source: str, target: str) -> None:
    """A hard link to the cached file (a thousand fragments are linked in a tenth of the time a copy takes), or a
    copy where links cannot be made (another file system). Safe to share: nothing writes a bundle file in place,
    the next indexing deletes the bundle and Pagefind writes new files."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _html_digest(site_dir: Path) -> str:
    """What the index is made from: every HTML file of the site (path and bytes), Pagefind's version, our options."""
    try:
        version = importlib.metadata.version("pagefind_bin")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    digest = hashlib.sha256(json.dumps([version, ROOT, EXCLUDED, BUNDLE]).encode("utf-8"))
    for path in sorted(site_dir.rglob("*.html")):
        name = path.relative_to(site_dir).as_posix()
        if not name.startswith(BUNDLE + "/"):
            digest.update(name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _store(bundle: Path, stored: Path) -> None:
    """Keep ``bundle`` as the one cached index (the previous one is dropped: the cache stays one index big). A
    cache that cannot be written only costs the next build a Pagefind run."""
    try:
        if stored.parent.is_dir():
            for old in stored.parent.iterdir():
                shutil.rmtree(old, ignore_errors=True)
        shutil.copytree(bundle, stored.with_suffix(".tmp"), copy_function=_link_or_copy)
        stored.with_suffix(".tmp").rename(stored)
    except OSError:
        shutil.rmtree(stored.with_suffix(".tmp"), ignore_errors=True)


def shrink_material_index(site_dir: Path) -> None:
    """Material's page script still downloads ``search/search_index.json`` and hands it to the worker: keep only
    its settings, so no reader downloads every page's text."""
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    config = data.get("config", {}) if isinstance(data, dict) else {}
    path.write_text(json.dumps({"config": config, "docs": [], "options": {}}), encoding="utf-8")


def point_config_at_worker(page_html: str) -> str:
    """The page with Material's config (``<script id="__config">``) naming our worker instead of Material's."""
    start = page_html.find('<script id="__config" type="application/json">')
    if start < 0:
        return page_html
    body_start = page_html.index(">", start) + 1
    end = page_html.find("</script>", body_start)
    if end < 0:
        return page_html
    try:
        config = json.loads(page_html[body_start:end])
    except ValueError:
        return page_html
    search = config.get("search")
    if not isinstance(search, str) or MATERIAL_WORKER not in search:
        return page_html
    config["search"] = search[: search.index(MATERIAL_WORKER)] + WORKER
    text = json.dumps(config, separators=(",", ":")).replace("</", "<\\/")
    return page_html[:body_start] + text + page_html[end:]


def indexed_pages(site_dir: Path) -> dict[str, str]:
    """The text Pagefind indexed for each page URL (its fragments are gzipped JSON after a short header)."""
    import gzip

    pages: dict[str, str] = {}
    for path in sorted((site_dir / BUNDLE / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes()).decode("utf-8")
        record = json.loads(data[data.index("{") :])
        pages[record["url"]] = record.get("content", "")
    return pages
