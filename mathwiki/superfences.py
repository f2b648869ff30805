"""Rules every custom fence of the wiki follows (``verify``, ``python``, ``surface``).

SuperFences silently drops any exception from a formatter except ``SuperFencesException``, so every
formatter is wrapped. And the work of a fence is done in the build's pre-pass (``mathwiki.fences``): a fence
that reaches a formatter without the pre-pass having seen it would be shown unchecked, so it is a problem
with its page and line, never a quiet pass.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pymdownx.superfences import SuperFencesException

from mathwiki.fences import locate
from mathwiki.problems import Problem

Formatter = Callable[..., str]


def guarded(formatter: Formatter, lang: str, where: Callable[[], str | None]) -> Formatter:
    """``formatter``, with any exception turned into one SuperFences reports, naming the page."""

    def format(*args: Any, **kwargs: Any) -> str:
        try:
            return formatter(*args, **kwargs)
        except SuperFencesException:
            raise
        except Exception as exc:
            raise SuperFencesException(f"{lang} fence on {where() or '?'}: {type(exc).__name__}: {exc}") from exc

    return format


def unseen(lang: str, path: str, source_file: str | None, body: str, consequence: str) -> Problem:
    """The problem for a fence the pre-pass missed (e.g. inside HTML or a construct the scanner does not know)."""
    try:
        page_text = Path(source_file).read_text(encoding="utf-8-sig") if source_file else ""
    except (OSError, UnicodeDecodeError):
        page_text = ""
    return Problem(
        path,
        locate(page_text, body),
        f"this ```{lang} fence was not found by the build's pre-pass, so it was {consequence}; "
        "write it as a plain fenced block (optionally indented in a list, admonition or quote)",
    )
