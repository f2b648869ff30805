"""Every problem of a build is logged where it is found; this hook fails the build once, at the end."""

from __future__ import annotations

import logging

from mkdocs.exceptions import PluginError

from mathwiki import report

log = logging.getLogger("mkdocs.hooks.report")
_command = "build"


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_pre_build(config) -> None:
    report.reset()  # hooks stay loaded between the rebuilds of `mkdocs serve`


def on_post_build(config) -> None:
    errors = report.errors()
    if not errors:
        return
    summary = f"{len(errors)} error(s) in the pages; the site shows each one where it occurs:\n" + "\n".join(
        f"  {problem}" for problem in errors
    )
    if _command == "serve":
        log.warning(summary)  # keep serving, so the author sees the error boxes in the browser
        return
    raise PluginError(summary)
