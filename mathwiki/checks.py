"""Every check of the build, without MkDocs: what ``python -m mathwiki check`` runs.

Each checker takes the pages (``docs/...`` path -> text), the settings and a ``Findings`` to fill with what
is not a problem (counts, per-claim records), and returns problems. Each calls the same core functions as
the build's hook for its concern, so a build and ``check`` report the same thing:

    front matter    mathwiki.frontmatter.read / reserved_sections      (hooks/front_matter.py, link_graph.py)
    links           mathwiki.linkcheck.find_links                       (hooks/links.py)
    link graph      mathwiki.graph.model, mathwiki.graph.wikilinks      (hooks/link_graph.py)
    claims          mathwiki.claims.runner                              (hooks/claims.py)
    code blocks     mathwiki.execution.jobs, mathwiki.execution.runner  (hooks/code_blocks.py)
    figures         plots.specs.collect_page, plots.pipeline.draw_all   (hooks/surfaces.py)
    maths, HTML     mathwiki.maths.typeset_page, mathwiki.sanitize.clean_page  (hooks/maths.py, sanitize.py)
"""

from __future__ import annotations

import os
import posixpath
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mathwiki.problems import Problem
from mathwiki.settings import Settings


@dataclass
class Findings:
    """What the checkers found besides problems (per page counts, one record per claim for JSON), and what of
    ``mkdocs.yml`` they need: the docs folder and the Markdown extensions."""

    docs_dir: str = "docs"
    markdown_extensions: Any = None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)

    def src_uri(self, path: str) -> str:
        """``docs/topics/a.md`` -> ``topics/a.md`` (the page's path under the docs folder)."""
        prefix = self.docs_dir.rstrip("/") + "/"
        return path[len(prefix) :] if path.startswith(prefix) else path


Checker = Callable[[dict[str, str], Settings, Findings], list[Problem]]


def page_url(src_uri: str) -> str:
    """The site URL of a page with MkDocs' directory URLs: ``a/b.md`` -> ``a/b/``, ``a/index.md`` -> ``a/``."""
    stem, _ = posixpath.splitext(src_uri)
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        return f"{folder}/" if folder else ""
    return f"{stem}/"


def check_front_matter(pages: dict[str, str], settings: Settings, findings: Findings) -> list[Problem]:
    from mathwiki import frontmatter
    from mathwiki.pages import is_topic

    problems = []
    for path, text in pages.items():
        _, found = frontmatter.read(text, path, topic=is_topic(findings.src_uri(path)))
        problems.extend(found)
    return problems


def _body(text: str) -> tuple[str, int]:
    """The page without its front matter, and how many file lines came before it (as MkDocs passes it)."""
    from mathwiki import frontmatter

    block, end, _ = frontmatter.split(text)
    if block is None:
        return text, 0
    lines = text.split("\n")
    return "\n".join(lines[end + 1 :]), end + 1


def check_links(pages: dict[str, str], settings: Settings, findings: Findings) -> list[Problem]:
    """Links to pages that do not exist, and anchors no heading of the target has."""
    from mathwiki.linkcheck import find_links

    known = {findings.src_uri(path) for path in pages}
    anchors = {findings.src_uri(path): _anchors(text) for path, text in pages.items()}
    problems = []
    for path, text in pages.items():
        src = findings.src_uri(path)
        body, offset = _body(text)
        for link in find_links(body, src):
            target = link.path or src
            if link.path and link.path not in known:
                message = f"broken link '{link.target}': there is no page docs/{link.path}"
                problems.append(Problem(path, link.line + offset, message))
            elif link.anchor and link.anchor not in anchors.get(target, set()):
                message = f"broken anchor '{link.target}': docs/{target} has no heading or anchor '#{link.anchor}'"
                problems.append(Problem(path, link.line + offset, message))
    return problems


_ATTR_ID = re.compile(r"\{[^{}\n]{0,200}?#([\w-]{1,100})[^{}\n]{0,200}\}")
_HTML_ID = re.compile(r"""\bid=["']([^"'\n]{1,200})["']""")


def _anchors(text: str) -> set[str]:
    """The ids a page's headings get (Python-Markdown's toc slugs, made unique as it does) and explicit ids."""
    from markdown.extensions.toc import slugify

    from mathwiki import pagemodel

    page = pagemodel.read(text)
    headings = {heading.line: heading for heading in page.headings}
    found: set[str] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        if number <= page.body_start or page.code[number - 1]:
            continue
        found.update(_ATTR_ID.findall(line))
        found.update(_HTML_ID.findall(line))
        heading = headings.get(number)
        if heading:
            title = _ATTR_ID.sub("", heading.text).strip()
            slug = slugify(title, "-")
            unique, n = slug, 0
            while unique in found:
                n += 1
                unique = f"{slug}_{n}"
            found.add(unique)
    return found


def check_graph(pages: dict[str, str], settings: Settings, findings: Findings) -> list[Problem]:
    """``uses:`` entries, cycles, wikilinks, hand-written Used In / Linked from, orphans."""
    from mathwiki import frontmatter
    from mathwiki.graph import links, model, wikilinks
    from mathwiki.linkcheck import find_links

    if not settings.graph:
        return []
    problems: list[Problem] = []
    graph_pages = []
    for path, text in pages.items():
        problems.extend(frontmatter.reserved_sections(text, path))
        src = findings.src_uri(path)
        graph_pages.append(model.page_from_source(src, links.normalize_url(page_url(src)), text, path))

    def resolve(found: list[model.Page]) -> tuple[model.Index, Any, list[Problem]]:
        index = model.Index(found)
        uses, wrong = model.resolve_uses(found, index)
        return index, uses, wrong + model.cycle_problems(model.find_cycles(uses), uses, index)

    index, uses, graph_problems = resolve(graph_pages)
    wrong = {problem.path for problem in graph_problems}
    if wrong:  # the exact read knows the line of each entry
        graph_pages = [
            model.page_from_source(p.src_uri, p.url, pages[p.path], p.path, exact=True) if p.path in wrong else p
            for p in graph_pages
        ]
        index, uses, graph_problems = resolve(graph_pages)
    problems.extend(graph_problems)
    outgoing: dict[str, set[str]] = {}
    for path, text in pages.items():
        src = findings.src_uri(path)
        body, offset = _body(text)

        def target(title: str, src: str = src) -> tuple[str | None, str]:
            page, why = index.resolve(title)
            if page is None:
                return None, why
            return posixpath.relpath(page.src_uri, posixpath.dirname(src) or "."), ""

        rewritten, unresolved = wikilinks.rewrite(body, target)
        for item in unresolved:
            problems.append(Problem(path, offset + item.link.line, f"wikilink {item.raw} {item.why}"))
        outgoing[src] = {links.normalize_url(page_url(link.path)) for link in find_links(rewritten, src) if link.path}
    problems.extend(model.orphan_problems(model.build_graph(index, uses, outgoing)))
    return problems


def check_claims(pages: dict[str, str], settings: Settings, findings: Findings) -> list[Problem]:
    from mathwiki.claims.model import tally
    from mathwiki.claims.runner import check_pages, page_fences, problems_of

    if not settings.claims:
        return []
    jobs = [job for path, text in pages.items() if (job := page_fences(path, text)).fences]
    results = check_pages(jobs, settings)
    problems = []
    for path, fences in sorted(results.items()):
        problems.extend(problems_of(path, fences, settings.numeric_claims_fail))
        findings.counts[path] = tally(fences)
        for fence in fences:
            for item in fence.lines:
                if item.kind == "comment":
                    continue
                record: dict[str, Any] = {"page": path, "line": item.line, "kind": item.kind, "source": item.source}
                if item.result is not None:
                    r = item.result
                    record.update(
                        claim=r.label,
                        verdict=r.verdict,
                        method=r.method,
                        message=r.message,
                        points=[dict(point) for point in r.points]
                        or ([{k: str(v) for k, v in r.counterexample}] if r.counterexample else []),
                    )
                elif item.kind == "error":
                    record.update(verdict="unread", message=item.error)
                findings.records.append(record)
    return problems


def check_code(pages: dict[str, str], settings: Settings, findings: Findings) -> list[Problem]:
    """Run every page's python blocks in the sandboxed workers, with the build's cache."""
    from mathwiki.execution.jobs import page_job
    from mathwiki.execution.runner import Runner
    from mathwiki.execution.sandbox import probe, weak_sandbox_message

    if not settings.execute:
        return []
    problems: list[Problem] = []
    jobs = []
    for path, text in pages.items():
        job, found = page_job(path, text, settings)
        problems.extend(found)
        if job is not None:
            jobs.append(job)
    if not jobs:
        return problems
    sandbox = probe()
    weak = weak_sandbox_message(
        sandbox, allowed=settings.allow_weak_sandbox, ci=os.environ.get("CI", "").lower() == "true"
    )
    if weak is not None:
        print(f"{weak[0]}: {weak[1]}", file=sys.stderr)
        if weak[0] == "error":
            problems.append(Problem("mkdocs.yml", 1, weak[1]))
    runner = Runner.for_settings(settings, sandbox)
    for result in runner.run_pages(jobs):
        problems.extend(result.problems)
    return problems


def check_figures(pages: dict[str, str], settings: Settings, findings: Findings) -> list[Problem]:
    """Resolve every surface fence and draw what the cache lacks, as the build does."""
    from plots.pipeline import draw_all
    from plots.specs import collect_page, draw_problem, open_cache, page_title

    problems: list[Problem] = []
    cache = open_cache(settings.cache_dir)
    entries = []
    for path, text in pages.items():
        if "surface" not in text:
            continue
        for entry in collect_page(path, text, page_title(text, path), settings.figure_max_grid, cache):
            if entry.problem is not None:
                problems.append(entry.problem)
            else:
                entries.append((path, entry))
    if not settings.figures or not entries:
        return problems
    drawn, keys, _ = draw_all([entry.figure for _, entry in entries if entry.figure is not None], settings)
    for path, entry in entries:
        assert entry.figure is not None
        result = drawn[keys[entry.figure]]
        if not result.ok:
            problems.append(draw_problem(path, entry, result.error or "could not be drawn", result.error_at_point))
    return problems


def check_html(pages: dict[str, str], settings: Settings, findings: Findings) -> list[Problem]:
    """Each page rendered as the build renders it, then its formulas typeset (a formula the engine refuses, raw
    TeX left in the text) and its HTML cleaned (each removal), by the functions the build's hooks call."""
    from mathwiki import time_limit
    from mathwiki import typeset as engine
    from mathwiki.maths import STORE, separate_display_maths, typeset_page
    from mathwiki.pagehtml import Renderer
    from mathwiki.sanitize import clean_page, open_cache

    problems: list[Problem] = []
    seconds = settings.page_render_timeout_s
    try:
        STORE.open(settings.cache_dir)  # read only: formulas a build typeset are not typeset again; never saved
        open_cache(settings.cache_dir)  # pages cleaned before are taken from the cache, as in the build
        renderer = Renderer(findings.markdown_extensions)
        for path, text in pages.items():
            body, _ = _body(text)
            try:
                with time_limit.limited(seconds, time_limit.render_message(seconds)):
                    typeset, found = typeset_page(renderer.render(separate_display_maths(body)), text, path)
                    found.extend(clean_page(typeset, text, path)[1])
            except time_limit.TimeLimitExceeded as exc:
                problems.append(Problem(path, 1, str(exc)))
                renderer = Renderer(findings.markdown_extensions)  # the stopped one may be left mid-page
                continue
            problems.extend(found)
    except engine.EngineMissing as exc:  # no maths engine here: one clear problem, not one a page
        problems.append(Problem("package.json", 1, str(exc)))
    return problems


CHECKERS: dict[str, Checker] = {
    "front-matter": check_front_matter,
    "links": check_links,
    "graph": check_graph,
    "claims": check_claims,
    "code": check_code,
    "figures": check_figures,
    "html": check_html,
}
