"""``mkdocs serve``: hooks stay loaded between rebuilds, so every rebuild must start from a clean state.
An edit that adds or removes a link shows in the other pages' lists on the next reload, and a page with a
problem is served with its error box instead of stopping the server."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.htmltools import elements

pytestmark = pytest.mark.build

HEAD = "---\ntitle: {title}\ntags: [calculus]\ndate: 2026-01-01\n---\n\n## I Use This When...\n\n"
PAGES = {
    "index.md": "---\ntitle: Home\n---\n[A](topics/a.md) [B](topics/b.md) [C](topics/c.md)\n",
    "topics/a.md": HEAD.format(title="A") + "See [B](b.md).\n",
    "topics/b.md": HEAD.format(title="B") + "Plain text.\n",
    "topics/c.md": HEAD.format(title="C") + "Nothing yet.\n",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - localhost only
        return response.read().decode("utf-8")


def linked_from(html: str) -> list[str]:
    start = html.index('<h2 id="linked-from"')
    section = html[start : html.index("</ul>", start)] if "</ul>" in html[start:] else ""
    return [e.text.strip() for e in elements(section) if e.tag == "a" and "headerlink" not in e.attrs.get("class", "")]


def wait_for(url: str, predicate, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if predicate(last):
                return last
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not reach the expected state in {timeout} s; last page:\n{last[-2000:]}")


@contextlib.contextmanager
def serving(project: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[tuple[int, subprocess.Popen]]:
    """``mkdocs serve`` on the project (its port and process), stopped at the end of the block; its log is
    ``serve.log`` in the project."""
    port = free_port()
    with (project / "serve.log").open("w", encoding="utf-8") as log:
        command = [sys.executable, "-m", "mkdocs", "serve", *options, "-f", str(project / "mkdocs.yml")]
        server = subprocess.Popen(
            [*command, "-a", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
            cwd=project,
            env={**os.environ, **(env or {})},
        )
        try:
            yield port, server
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def test_serve_recomputes_the_lists_after_each_edit(make_wiki) -> None:
    project = make_wiki(PAGES)
    with serving(project) as (port, server):
        page_b = f"http://127.0.0.1:{port}/topics/b/"
        wait_for(page_b, lambda html: linked_from(html) == ["A", "Home"])

        docs = project / "docs" / "topics"
        (docs / "c.md").write_text(HEAD.format(title="C") + "Now C links to [B](b.md).\n", encoding="utf-8")
        wait_for(page_b, lambda html: linked_from(html) == ["A", "C", "Home"])

        (docs / "a.md").write_text(HEAD.format(title="A") + "No link any more.\n", encoding="utf-8")
        wait_for(page_b, lambda html: linked_from(html) == ["C", "Home"])

        # a wrong claim: the server keeps serving, and the page shows the problem
        wrong = HEAD.format(title="C") + "[B](b.md)\n\n```verify\nf(x) = x^2\n\\frac{df}{dx} = 3x\n```\n"
        (docs / "c.md").write_text(wrong, encoding="utf-8")
        html = wait_for(f"http://127.0.0.1:{port}/topics/c/", lambda html: "verify-wrong" in html)
        assert server.poll() is None
        assert "verify-mark verify-wrong" in html


def nav_titles(html: str) -> list[str]:
    """The page titles the left sidebar lists, in order (the open page's own sections left out)."""
    start = html.index("md-sidebar--primary")
    sidebar = html[start : html.index("md-sidebar--secondary", start)]
    links = re.findall(
        r'<(?:a href="([^"]*)"|label) class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*([^<]*?)\s*<',
        sidebar,
    )
    titles: list[str] = []
    for href, title in links:
        if title and not href.startswith("#") and (not titles or titles[-1] != title):
            titles.append(title)  # the open page is a label and a link: once
    return titles


def test_serve_keeps_the_folder_nav_only_while_its_inputs_stay_the_same(make_wiki) -> None:
    """The nav is kept between rebuilds (hooks/rebuild_memo.py): a new page, a title and a .nav.yml order must
    each show in the next rebuild, and a prose edit must not change it."""
    project = make_wiki(PAGES)
    with serving(project, "--dirty") as (port, server):
        page_a = f"http://127.0.0.1:{port}/topics/a/"
        docs = project / "docs" / "topics"
        assert nav_titles(wait_for(page_a, lambda html: "md-sidebar--secondary" in html))[-3:] == ["A", "B", "C"]

        (docs / "a.md").write_text(HEAD.format(title="A") + "See [B](b.md). Marker one.\n", encoding="utf-8")
        html = wait_for(page_a, lambda html: "Marker one" in html)
        assert nav_titles(html)[-3:] == ["A", "B", "C"]

        (docs / "d.md").write_text(HEAD.format(title="D") + "New. [A](a.md)\n", encoding="utf-8")
        wait_for(page_a, lambda html: nav_titles(html)[-4:] == ["A", "B", "C", "D"])

        (docs / "b.md").write_text(HEAD.format(title="B renamed") + "Plain text.\n", encoding="utf-8")
        wait_for(page_a, lambda html: nav_titles(html)[-4:] == ["A", "B renamed", "C", "D"])

        (docs / ".nav.yml").write_text("nav:\n  - d.md\n  - c.md\n  - a.md\n  - b.md\n", encoding="utf-8")
        wait_for(page_a, lambda html: nav_titles(html)[-4:] == ["D", "C", "A", "B renamed"])
        assert server.poll() is None


def rebuilds(project: Path) -> int:
    return (project / "serve.log").read_text(encoding="utf-8").count("Detected file changes")


def test_serve_rebuilds_once_per_save_from_file_events_and_polls_when_told(make_wiki) -> None:
    """hooks/serve_watch.py: the server watches with file events; a build reads every page, and those reads must
    not start another build. A save by renaming a temporary file counts. MATHWIKI_WATCH=poll keeps MkDocs' poll,
    and a value it does not know stops the server with the variable's name."""
    project = make_wiki(PAGES)
    docs = project / "docs" / "topics"
    with serving(project, "--dirty") as (port, server):
        page_a = f"http://127.0.0.1:{port}/topics/a/"
        wait_for(page_a, lambda html: "Used In" in html or "Linked from" in html)
        assert "watching the files with file events (InotifyObserver)" in (project / "serve.log").read_text()
        assert rebuilds(project) == 0

        (docs / "a.md").write_text(HEAD.format(title="A") + "See [B](b.md). Marker one.\n", encoding="utf-8")
        wait_for(page_a, lambda html: "Marker one" in html)
        time.sleep(3)  # a rebuild started by the build's own reads would show by now
        assert rebuilds(project) == 1

        temporary = docs / ".a.md.tmp"
        temporary.write_text(HEAD.format(title="A") + "See [B](b.md). Marker two.\n", encoding="utf-8")
        os.replace(temporary, docs / "a.md")
        wait_for(page_a, lambda html: "Marker two" in html)
        assert server.poll() is None

    with serving(project, "--dirty", env={"MATHWIKI_WATCH": "poll"}) as (port, server):
        page_a = f"http://127.0.0.1:{port}/topics/a/"
        wait_for(page_a, lambda html: "Marker two" in html)
        (docs / "a.md").write_text(HEAD.format(title="A") + "See [B](b.md). Marker three.\n", encoding="utf-8")
        wait_for(page_a, lambda html: "Marker three" in html)
        assert "polling the files every 0.5 s (MATHWIKI_WATCH=poll)" in (project / "serve.log").read_text()

    with serving(project, env={"MATHWIKI_WATCH": "sometimes"}) as (port, server):
        server.wait(timeout=120)
        log = (project / "serve.log").read_text(encoding="utf-8")
        assert server.returncode != 0
        assert "MATHWIKI_WATCH='sometimes': use 'events' (the default) or 'poll'" in log
