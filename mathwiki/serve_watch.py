"""How ``make serve`` notices a saved file: from the system's file events (inotify on Linux, FSEvents on macOS,
ReadDirectoryChangesW on Windows), with polling as the fallback.

MkDocs' server watches with watchdog's ``PollingObserver``: every half second a Python thread walks the whole
``docs/`` tree and compares it with the last walk, so a save waits for the next walk, and the walk itself grows
with the wiki. File events arrive when the file is written.

``FallbackObserver`` has the methods the server calls on its observer (``schedule``, ``unschedule``, ``start``,
``stop``, ``join``). It passes only events that change a file: the system also reports every file the build
opens and reads, and MkDocs rebuilds on any event, so without the filter each build would start the next one.
When the events cannot start (the system's limit on watches or on inotify instances), it says so and polls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import watchdog.events as ev
import watchdog.observers
import watchdog.observers.polling

ENV = "MATHWIKI_WATCH"
MODES = ("events", "poll")
POLL_INTERVAL_S = 0.5  # MkDocs' own
CHANGES = [
    ev.FileCreatedEvent,
    ev.FileModifiedEvent,
    ev.FileClosedEvent,  # closed after writing
    ev.FileDeletedEvent,
    ev.FileMovedEvent,  # editors that save by renaming a temporary file
    ev.DirCreatedEvent,
    ev.DirDeletedEvent,
    ev.DirMovedEvent,
    ev.DirModifiedEvent,
]


def mode(environ: Mapping[str, str]) -> str:
    """``events`` (the default) or ``poll``, from ``MATHWIKI_WATCH``; ValueError for any other value."""
    value = environ.get(ENV, "").strip().lower() or "events"
    if value not in MODES:
        raise ValueError(f"{ENV}={environ[ENV]!r}: use 'events' (the default) or 'poll'")
    return value


class FallbackObserver:
    """Watches with file events; if they cannot be set up, with polling (and says why through ``warn``)."""

    def __init__(
        self,
        warn: Callable[[str], None],
        events: Callable[[], Any] = watchdog.observers.Observer,
        polling: Callable[[], Any] = lambda: watchdog.observers.polling.PollingObserver(timeout=POLL_INTERVAL_S),
    ) -> None:
        self._warn = warn
        self._polling = polling
        self._polls = False
        # what the server holds -> (handler, path, recursive, the watch of the observer now active)
        self._scheduled: dict[Any, tuple[Any, str, bool, Any]] = {}
        self._active = events()

    @property
    def polls(self) -> bool:
        return self._polls

    @property
    def kind(self) -> str:
        """What watches now, for the log: ``file events (InotifyObserver)`` or ``a poll every 0.5 s``."""
        if self._polls:
            return f"a poll every {POLL_INTERVAL_S} s"
        return f"file events ({type(self._active).__name__})"

    def schedule(self, handler, path, *, recursive: bool = False, **_ignored):
        try:
            watch = self._schedule(handler, path, recursive)
        except OSError as exc:
            self._fall_back(exc)
            watch = self._schedule(handler, path, recursive)
        self._scheduled[watch] = (handler, path, recursive, watch)
        return watch

    def unschedule(self, watch) -> None:
        *_, active = self._scheduled.pop(watch)
        self._active.unschedule(active)

    def start(self) -> None:
        try:
            self._active.start()
        except OSError as exc:
            self._fall_back(exc)
            self._active.start()

    def stop(self) -> None:
        self._active.stop()

    def join(self, timeout: float | None = None) -> None:
        if self._active.is_alive():
            self._active.join(timeout)

    def _schedule(self, handler, path, recursive: bool):
        if self._polls:  # a poll compares walks, and reports only changes
            return self._active.schedule(handler, path, recursive=recursive)
        return self._active.schedule(handler, path, recursive=recursive, event_filter=CHANGES)

    def _fall_back(self, exc: OSError) -> None:
        if self._polls:
            raise exc
        self._warn(
            f"file events could not be watched ({exc}); polling the files every {POLL_INTERVAL_S} s instead. "
            "On Linux, raising fs.inotify.max_user_watches (or max_user_instances) brings the events back."
        )
        failed, self._active, self._polls = self._active, self._polling(), True
        try:
            failed.unschedule_all()
            failed.stop()
        except Exception:  # noqa: BLE001 - a half-started observer is dropped either way
            pass
        for held, (handler, path, recursive, _) in self._scheduled.items():
            self._scheduled[held] = (handler, path, recursive, self._schedule(handler, path, recursive))
