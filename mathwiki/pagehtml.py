"""A page's HTML as the build renders it, without MkDocs, for the checks that need HTML (maths typesetting and
HTML safety) in ``python -m mathwiki check``.

Python-Markdown is run with the extensions ``mkdocs.yml`` lists under ``markdown_extensions``, after the three
MkDocs always adds (``toc``, ``tables``, ``fenced_code``), as MkDocs builds its own list. The wiki's own fences
(``verify``, ``python``, ``surface``) come out as plain code here: what the build puts in their place is the
build's own markup, typeset and cleaned by the same functions, and is tested apart.
"""

from __future__ import annotations

import html
from typing import Any

import markdown

from mathwiki.pagemodel import CHECKED

MKDOCS_DEFAULTS = ("toc", "tables", "fenced_code")
WIKI_FENCES = tuple(CHECKED)  # the hooks register these; their options are theirs to check


def _as_code(source: str, language: str, css_class: str, options: Any, md: Any, **kwargs: Any) -> str:
    return f'<pre class="{css_class}"><code>{html.escape(source)}</code></pre>'


def _any_options(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any], md: Any
) -> bool:
    options.update(inputs)
    return True


def extension_config(entries: Any) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """``markdown_extensions`` as MkDocs reads it (names, or one-key mappings of name to options) -> names and
    options for Python-Markdown. Options a YAML tag stood for (read as ``None``) are left to their defaults."""
    names = list(MKDOCS_DEFAULTS)
    configs: dict[str, dict[str, Any]] = {}
    for entry in entries if isinstance(entries, list) else []:
        options: Any
        if isinstance(entry, str):
            name, options = entry, {}
        elif isinstance(entry, dict) and len(entry) == 1:
            name, options = next(iter(entry.items()))
            options = options if isinstance(options, dict) else {}
        else:
            continue
        if name not in names:
            names.append(name)
        configs[name] = {key: value for key, value in options.items() if value is not None}
    if "pymdownx.superfences" not in names:
        names.append("pymdownx.superfences")
    superfences = configs.setdefault("pymdownx.superfences", {})
    fences = [
        f for f in superfences.get("custom_fences", []) if isinstance(f, dict) and f.get("name") not in WIKI_FENCES
    ]
    for name in WIKI_FENCES:
        fences.append({"name": name, "class": name, "format": _as_code, "validator": _any_options})
    superfences["custom_fences"] = fences
    return names, configs


class Renderer:
    """One Python-Markdown instance, reset between pages (building it costs more than a page)."""

    def __init__(self, entries: Any) -> None:
        names, configs = extension_config(entries)
        self._markdown = markdown.Markdown(extensions=names, extension_configs=configs)

    def render(self, body: str) -> str:
        self._markdown.reset()
        return self._markdown.convert(body)
