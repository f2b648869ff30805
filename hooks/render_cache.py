"""A page's converted Markdown reused while nothing the conversion reads has changed (``mathwiki.render_cache``).

MkDocs converts a page in ``Page.render``, between ``on_page_markdown`` and ``on_page_content``, and no event can
skip it. So ``on_page_markdown`` gives the page a ``render`` of its own, for that one call. It keys the Markdown
MkDocs hands it, after every hook has changed it. With a stored conversion, it sets what ``Page.render`` sets.
Without one, it runs MkDocs' own ``Page.render`` and stores the result, unless something was logged or reported
during the conversion.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from pathlib import Path
from typing import Any

from mkdocs.structure.toc import AnchorLink, get_toc

from mathwiki import build_context, report
from mathwiki.render_cache import (
    STORE,
    BuildInputs,
    Converted,
    Inputs,
    Uncacheable,
    code_and_versions,
    files_digest,
    folders_digest,
)

log = logging.getLogger("mkdocs.hooks.render_cache")
_build: dict[str, Any] = {}  # this build's MkDocs files, and the digest of the part of every key they share


def on_pre_build(config) -> None:
    STORE.open(build_context.of(config).settings.cache_dir)
    _build.clear()


def on_page_markdown(markdown: str, page, config, files) -> str:
    page.render = functools.partial(_render, page)  # this page's next render only: it removes itself
    return markdown


def on_post_build(config) -> None:
    if STORE.reused or STORE.converted:
        log.info("converted pages: %d reused, %d converted", STORE.reused, STORE.converted)


def _render(page, config, files) -> None:
    page.__dict__.pop("render", None)
    try:
        key = _inputs(page, config, files).key()
    except Uncacheable as exc:
        log.debug("%s: not reused (%s)", page.file.src_uri, exc)
        STORE.converted += 1
        type(page).render(page, config, files)
        return
    found = STORE.get(key)
    if found is not None and _restore(page, found, files):
        return
    reported = len(report.problems())
    STORE.converted += 1
    with report.said(logging.INFO, "", "mkdocs") as heard:  # the root, and MkDocs' logger that does not propagate
        type(page).render(page, config, files)
    if heard or len(report.problems()) != reported:
        return  # its messages must be said again by the next build
    links = page.links_to_anchors
    STORE.put(
        key,
        Converted(
            page.content,
            [_token(item) for item in page.toc],
            page._title_from_render,
            frozenset(page.present_anchor_ids or ()),
            None if links is None else {target.src_uri: dict(anchors) for target, anchors in links.items()},
        ),
    )


def _inputs(page, config, files) -> Inputs:
    """The page's inputs; the build's part is digested at the first page (and again if MkDocs' files change)."""
    context = build_context.active()
    if _build.get("files") is not files:
        _build.update(files=files, digest=_build_digest(config, files, context))
    if isinstance(_build["digest"], Uncacheable):
        raise _build["digest"]
    return Inputs(
        build=_build["digest"],
        markdown=page.markdown,
        src_uri=page.file.src_uri,
        dest_uri=page.file.dest_uri,
        url=page.url,
        fences=context.render_inputs.get(context.path(page.file.src_uri), {}),
    )


def _build_digest(config, files, context) -> str | Uncacheable:
    snippets = _snippets(config)
    if isinstance(snippets, Uncacheable):
        return snippets
    inputs = BuildInputs(
        code=code_and_versions(),
        files=files_digest((f.src_uri, f.dest_uri, f.url, str(f.inclusion)) for f in files),
        extensions=[
            list(config.markdown_extensions),
            dict(config.mdx_configs or {}),
            # how links are rewritten, or warned about
            [config.use_directory_urls, config.site_url, _plain(config.validation)],
            list(config.plugins),  # the plugins and hooks (by name): those before this one may change the Markdown
        ],
        snippets=snippets,
        # where the cache is and how many workers run change nothing a page shows: a moved cache is still used
        settings=dataclasses.replace(context.settings, cache_dir=Path(), workers=1),
        log_level=logging.getLogger("mkdocs").getEffectiveLevel(),
    )
    try:
        return inputs.digest()
    except Uncacheable as exc:
        return exc


def _plain(options: Any) -> Any:
    """MkDocs' nested config objects as dicts (``canonical`` takes plain values only)."""
    if hasattr(options, "items"):
        return {str(k): _plain(v) for k, v in options.items()}
    return options


def _snippets(config) -> str | Uncacheable:
    """The digest of every file ``pymdownx.snippets`` may include (none when it is not used)."""
    if "pymdownx.snippets" not in config.markdown_extensions:
        return ""
    options = (config.mdx_configs or {}).get("pymdownx.snippets", {})
    if options.get("url_download"):
        return Uncacheable("pymdownx.snippets downloads URLs")
    bases = options.get("base_path", ["."])
    folders = [Path(base).resolve() for base in ([bases] if isinstance(bases, str) else bases)]
    outputs = [Path(config.site_dir).resolve(), build_context.active().settings.cache_dir.resolve()]
    if any(output.is_relative_to(folder) for output in outputs for folder in folders):
        return Uncacheable("a snippet folder holds the build's output")
    return folders_digest(folders)


def _token(item: AnchorLink) -> dict[str, Any]:
    """A table-of-contents entry as Python-Markdown's token, which ``get_toc`` reads back."""
    return {"level": item.level, "id": item.id, "name": item.title, "children": [_token(c) for c in item.children]}


def _restore(page, found: Converted, files) -> bool:
    links = None
    if found.links_to_anchors is not None:
        links = {}
        for src_uri, anchors in found.links_to_anchors.items():
            target = files.get_file_from_path(src_uri)
            if target is None:
                return False  # cannot happen while the files are in the key; convert rather than guess
            links[target] = dict(anchors)
    page.content = found.content
    page.toc = get_toc(found.toc_tokens)
    page._title_from_render = found.title
    page.present_anchor_ids = set(found.anchors)
    if links is not None:
        page.links_to_anchors = links
    return True
