"""The problems of one build, collected so the build can report all of them and then fail once.

Hooks are not reloaded between the rebuilds of ``mkdocs serve``: ``reset`` runs at the start of each build.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

from mathwiki.problems import Problem

_lock = threading.Lock()
_problems: list[Problem] = []


def reset() -> None:
    with _lock:
        _problems.clear()


def report(problem: Problem, logger: logging.Logger) -> None:
    """Log the problem (loggers under ``mkdocs.`` count for ``--strict``) and keep it for the end of the build."""
    with _lock:
        if problem in _problems:
            return
        _problems.append(problem)
    logger.log(logging.ERROR if problem.severity == "error" else logging.WARNING, str(problem))


def problems() -> list[Problem]:
    with _lock:
        return list(_problems)


def errors() -> list[Problem]:
    return [p for p in problems() if p.severity == "error"]


@contextlib.contextmanager
def said(level: int, *logger_names: str) -> Iterator[list[logging.LogRecord]]:
    """The records at ``level`` or above that the named loggers (``""``: the root) handle inside the block. A
    record that reaches two of them (one propagating to the other) is listed twice."""
    records: list[logging.LogRecord] = []

    class _Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = _Catch(level)
    loggers = [logging.getLogger(name) for name in logger_names]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
