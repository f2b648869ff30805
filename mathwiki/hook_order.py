"""The order the build's hooks must run in, declared once; ``hooks/settings.py`` checks ``mkdocs.yml`` at start.

MkDocs runs hooks in the order ``mkdocs.yml`` lists them, and several depend on earlier ones: the pages must
be read before they are checked, the report made last.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

# (hook file stem, why it sits here)
ORDER: tuple[tuple[str, str], ...] = (
    ("settings", "first: checks extra.mathwiki and this order"),
    ("sources", "reads every page once, for MkDocs and every hook after it"),
    ("incremental", "in a dirty build, chooses the pages to render before MkDocs reads any"),
    ("rebuild_memo", "keeps the compiled templates and the folder nav between the rebuilds of mkdocs serve"),
    ("serve_watch", "mkdocs serve: notices a saved file from the system's file events, not a poll"),
    ("front_matter", "checks each page's front matter"),
    ("links", "broken links and anchors, by page and line"),
    ("link_graph", "uses:, wikilinks, Used In / Linked from, graph.json"),
    ("claims", "verify fences, before the page is rendered"),
    ("code_blocks", "python fences, before the page is rendered"),
    ("surfaces", "surface fences, after the claims (it reads their definitions)"),
    ("search_plugin", "hands Material's search plugin a placeholder: its index is not used, Pagefind's is"),
    ("maths", "typesets $...$ and $$...$$"),
    ("sanitize", "cleans the page's HTML with an allowlist, after everything that writes it"),
    ("page_time_limit", "limits the time one page takes from its last Markdown hook to its cleaned HTML"),
    ("render_cache", "reuses a page's converted Markdown while nothing the conversion reads has changed"),
    ("search_index", "indexes the written site with Pagefind, after the search plugin wrote its own index"),
    ("compact_html", "cuts the finished page's whitespace, after every hook that writes the page"),
    ("cache_bounds", "drops cache entries no recent full build used"),
    ("report", "last: fails the build once, after every other hook reported"),
)
NAMES = tuple(name for name, _ in ORDER)


def order_problem(listed: Iterable[str]) -> str | None:
    """What is wrong with the hooks ``mkdocs.yml`` lists (paths), or None. Other hooks may come anywhere."""
    stems = [PurePath(path).stem for path in listed]
    ours = [stem for stem in stems if stem in NAMES]
    missing = [name for name in NAMES if name not in stems]
    expected = "\n".join(f"  - hooks/{name}.py   # {why}" for name, why in ORDER)
    if missing:
        return (
            f"hooks: {', '.join(f'hooks/{m}.py' for m in missing)} missing; mkdocs.yml must list, in order:\n{expected}"
        )
    if ours != list(NAMES):
        return f"hooks listed in the wrong order; mkdocs.yml must list them in this order:\n{expected}"
    return None
