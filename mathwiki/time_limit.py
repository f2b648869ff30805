"""A time limit on work the build does in its own process, so that no page can hang the build.

Python-Markdown and the standard library's HTML parser take time that grows with the square of some inputs:
thousands of unclosed ``[``, ``![`` or ``[^``, ``<![CDATA[``, ``<a href='`` or ``<span `` left open (a 14 KB page of
``<![CDATA[`` takes 7 s to render, a 100 KB one minutes). Limiting line length does not help, as they may
span lines. So the rendering of each page runs under a time limit (``page_render_timeout_s``): past it, the
build stops with the page's name instead of running on.

The limit is SIGALRM, so it is armed only in the main thread of a process that has it (MkDocs builds pages in
its main thread; where it cannot be armed, the work runs without it). The expiry is raised between Python
bytecodes; the readers of page text that run in C (regular expressions) are linear, which the fuzz tests check.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class TimeLimitExceeded(Exception):
    """The work took longer than its limit; the message names what it was doing."""


def _can_arm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def arm(seconds: float, on_expiry: Callable[[], None]) -> bool:
    """Call ``on_expiry`` (which should raise) after ``seconds``, unless ``disarm`` comes first. False when no
    limit can be armed here."""
    if not _can_arm():
        return False

    def expired(signum: int, frame: object) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        on_expiry()

    signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return True


def disarm() -> None:
    if _can_arm():
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


@contextmanager
def limited(seconds: float, message: str) -> Iterator[None]:
    """Run the block under a limit of ``seconds``; past it, ``TimeLimitExceeded(message)`` is raised in it."""

    def expire() -> None:
        raise TimeLimitExceeded(message)

    arm(seconds, expire)
    try:
        yield
    finally:
        disarm()


def render_message(seconds: float) -> str:
    """What is wrong with a page whose rendering passed its limit (the same words in the build and in ``check``)."""
    return (
        f"rendering this page took more than {seconds:g} s (page_render_timeout_s), so the build "
        "stopped: Markdown's parser is slow on some text, such as thousands of unclosed '[', '![', '[^', "
        "'<![CDATA[' or HTML tags left open; close them, write them as &lt; or inside `code`, or split the page"
    )
