"""Surface figures drawn at build time from a page's own formulas.

``spec`` reads a ```` ```surface ```` fence, ``resolve`` ties it to a SymPy definition,
``exprjson`` carries the expression to a worker process without evaluating any text, ``surface`` draws
it, ``worker`` is the process that draws, ``pipeline`` runs the whole site's figures through the cache
and the workers, and ``html`` writes the ``<figure>``. Nothing here imports MkDocs.
"""

RENDERER_VERSION = "1"
