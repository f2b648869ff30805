"""Read every page once, early: a page that cannot be read is an error at its line, never a traceback.

First, every file under ``docs/`` that is a symbolic link (or lies in a linked folder, or leaves ``docs/``) is an
error and is dropped from the build: nothing of it is copied. Includes (``--8<--``) are checked by
``mathwiki.snippets`` as pages are read.

The text is handed to MkDocs' ``File`` objects and kept in the build context (``mathwiki.build_context``), so
MkDocs and the hooks after this one (front matter, the link graph, the pre-passes of claims, code and figures)
use the same text, each page's model is made from it once, and no page is read from disk twice. A page that is
not UTF-8 is reported at the line of its first bad byte and still built, with the bad bytes replaced, so the build
goes on to report every other problem before it fails.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mathwiki import build_context
from mathwiki.pages import link_problem, read_sources
from mathwiki.problems import Problem
from mathwiki.report import report

log = logging.getLogger("mkdocs.hooks.sources")


def on_files(files, config):
    context = build_context.of(config)
    folders: dict[str, bool] = {}
    for file in list(files):
        if file.abs_src_path is None or not file.abs_src_path.startswith(str(Path(config.docs_dir))):
            continue  # generated, or the theme's own files
        why = link_problem(config.docs_dir, file.src_uri, folders)
        if why is not None:
            report(Problem(context.path(file.src_uri), 1, why), log)
            files.remove(file)
    pages = {file.src_uri: file for file in files.documentation_pages()}
    sources, problems = read_sources(context.docs_dir, context.project_dir, pages)
    for problem in problems:
        report(problem, log)
    context.remember(sources)
    for source in sources:
        file = pages[source.src_uri]
        # A File given its text claims to be modified; in a dirty build hooks/incremental.py decides instead.
        where = file.abs_src_path
        file.content_string = source.text  # the setter forgets the path: keep it for the tools that show it
        file.abs_src_path = where
    return files
