"""Run the ``python`` blocks of the wiki's pages at build time, each page in its own sandboxed worker.

The fence options a page author can use::

    ```python                      runs; output and pyplot figures are shown under the block
    ```python run="no"             only highlighted, never run (for code that is not meant to run)
    ```python bind="partials: df/dx, df/dy"
                                   runs, then the build calls ``partials`` and compares it with the
                                   derivatives a ``verify`` fence on the page proved
    ```python title="train.py"     a title above the code (as for any highlighted block)

All blocks of a page run in page order in one namespace, in one worker process with the page's time limit
(front matter ``timeout:``, default 10 s), a memory and CPU limit, a fresh working folder and no network
(:mod:`mathwiki.execution.sandbox`). Results are cached (:mod:`mathwiki.execution.runner`).

Nothing is imported here: the worker process imports ``mathwiki.execution.worker`` and must stay light.
"""
