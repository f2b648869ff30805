"""Broken internal links and anchors, reported with the page and line (MkDocs' own warning names no line)."""

from __future__ import annotations

import logging

from mathwiki import build_context, pagemodel
from mathwiki.linkcheck import Link, find_links, links_of
from mathwiki.pages import line_offset
from mathwiki.problems import Problem
from mathwiki.report import report

log = logging.getLogger("mkdocs.hooks.links")
_pending: list[tuple[str, str, Link]] = []  # (display path, page uri, link) whose anchor needs the target's toc


def on_pre_build(config) -> None:
    _pending.clear()


def on_page_markdown(markdown: str, page, config, files) -> str:
    current = build_context.page(page)
    path = current.path
    if pagemodel.body_shift(current.model, markdown) is not None:  # the file's model, read already: file lines
        found = links_of(current.model, page.file.src_uri)
    else:  # an earlier hook changed the text: read what MkDocs will render
        offset = line_offset(page.file.content_string, markdown)
        found = [Link(k.line + offset, k.target, k.path, k.anchor) for k in find_links(markdown, page.file.src_uri)]
    for link in found:
        target = link.path or page.file.src_uri
        if link.path and files.get_file_from_path(link.path) is None:
            report(Problem(path, link.line, f"broken link '{link.target}': there is no page docs/{link.path}"), log)
        elif link.anchor:
            _pending.append((path, target, link))
    return markdown


def on_env(env, config, files):
    anchors: dict[str, set[str]] = {}
    for file in files.documentation_pages():
        page = file.page
        if page is None:
            continue
        found: set[str] = set()
        stack = list(page.toc)
        while stack:
            item = stack.pop()
            found.add(item.id)
            stack.extend(item.children)
        found.update(getattr(page, "present_anchor_ids", None) or ())
        anchors[file.src_uri] = found
    rendered = build_context.of(config).rendered
    for path, target, link in _pending:
        if rendered is not None and target not in rendered:
            continue  # a dirty build: the target was not rendered, and neither it nor this link changed
        if link.anchor not in anchors.get(target, set()):
            report(
                Problem(
                    path,
                    link.line,
                    f"broken anchor '{link.target}': docs/{target} has no heading or anchor '#{link.anchor}'",
                ),
                log,
            )
    return env
