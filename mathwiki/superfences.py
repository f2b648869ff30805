"""Rules every custom fence of the wiki follows (``verify``, ``python``, ``surface``).

SuperFences silently drops any exception from a formatter except ``SuperFencesException``, so every
formatter is wrapped. And the work of a fence is done in the build's pre-pass (``mathwiki.pagemodel``): a fence
that reaches a formatter without the pre-pass having seen it would be shown unchecked, so it is a problem
with its page and line, never a quiet pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pymdownx.superfences import SuperFencesException

from mathwiki import build_context
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


def _where() -> str | None:
    page = build_context.active().current
    return page.path if page is not None else None


def custom_fence(name: str, formatter: Formatter, validator: Callable[..., bool]) -> dict[str, Any]:
    """The SuperFences registration of the fence ``name`` (its CSS class is its name), the formatter guarded."""
    return {"name": name, "class": name, "format": guarded(formatter, name, _where), "validator": validator}


def register(mdx_configs: dict[str, Any], fence: dict[str, Any]) -> None:
    """Add ``fence`` to SuperFences' custom fences, replacing one of the same name."""
    fences = mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    fences[:] = [f for f in fences if f.get("name") != fence["name"]]
    fences.append(fence)


def unseen(lang: str, path: str, line: int, consequence: str) -> Problem:
    """The problem for a fence the pre-pass did not read where SuperFences found it (inside HTML, from an include,
    or in a construct the page model does not know); ``line`` from ``BuildContext.next_fence``."""
    return Problem(
        path,
        line,
        f"this ```{lang} fence was not found by the build's pre-pass, so it was {consequence}; "
        "write it as a plain fenced block (optionally indented in a list, admonition or quote)",
    )
