"""The link graph: which pages build on which (``uses:``), which link to which, computed from plain data.

Nothing here imports MkDocs: ``hooks/link_graph.py`` feeds it strings and dicts and injects what it returns.
"""
