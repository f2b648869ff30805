"""Surface figures drawn at build time from a page's own formulas.

``spec`` reads a ```` ```surface ```` fence, ``resolve`` ties it to a SymPy definition and gives a
``figure.Figure``, ``specs`` caches that resolution (a warm build imports no SymPy), ``exprjson`` carries the
expression to a worker process without evaluating any text, ``surface`` draws it, ``worker`` is the process
that draws, ``pipeline`` runs the whole site's figures through the cache and the workers, and ``html`` writes
the ``<figure>``. Nothing here imports MkDocs; only ``resolve``, ``exprjson``, ``surface`` and ``worker`` import
SymPy or matplotlib, and the build imports them only on a cache miss.
"""

RENDERER_VERSION = "1"
