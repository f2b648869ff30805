"""The pure core of the wiki: checks, code runs, figures and the link graph.

Nothing in this package imports MkDocs; the files in ``hooks/`` translate MkDocs events into calls on it.
"""
