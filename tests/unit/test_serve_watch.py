"""mathwiki.serve_watch: the observer ``make serve`` watches with. Real observers on real folders: a write is
seen, a read is not (MkDocs rebuilds on any event, and every build reads the pages), and when file events cannot
be set up the observer polls instead and says why."""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import watchdog.events
import watchdog.observers
import watchdog.observers.polling

from mathwiki import serve_watch


class Seen(watchdog.events.FileSystemEventHandler):
    """Collects the paths of file (not folder) events, as MkDocs' callback only acts on those."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.changed = threading.Event()

    def on_any_event(self, event) -> None:
        if not event.is_directory:
            self.paths.append(os.fsdecode(event.src_path))
            if event.dest_path:  # a move: MkDocs rebuilds on it, whatever the paths
                self.paths.append(os.fsdecode(event.dest_path))
            self.changed.set()


@contextlib.contextmanager
def watching(folder: Path, observer: serve_watch.FallbackObserver) -> Iterator[Seen]:
    """The observer started on ``folder`` (what it sees), stopped at the end of the block."""
    seen = Seen()
    observer.schedule(seen, str(folder), recursive=True)
    observer.start()
    time.sleep(0.2)  # the watch is set up in the emitter's thread
    try:
        yield seen
    finally:
        observer.stop()
        observer.join(5)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "page.md").write_text("# Page\n", encoding="utf-8")
    return tmp_path


def test_mode_defaults_to_file_events_and_names_the_variable_on_a_bad_value() -> None:
    assert serve_watch.mode({}) == "events"
    assert serve_watch.mode({"MATHWIKI_WATCH": ""}) == "events"
    assert serve_watch.mode({"MATHWIKI_WATCH": " Poll "}) == "poll"
    assert serve_watch.mode({"MATHWIKI_WATCH": "events"}) == "events"
    with pytest.raises(ValueError, match=r"MATHWIKI_WATCH='inotify'.*'events'.*'poll'"):
        serve_watch.mode({"MATHWIKI_WATCH": "inotify"})


def test_a_write_in_a_subfolder_is_seen_and_reading_every_file_is_not(folder: Path) -> None:
    observer = serve_watch.FallbackObserver(warn=pytest.fail)
    with watching(folder, observer) as seen:
        assert not observer.polls and "file events" in observer.kind
        for _ in range(3):  # what a build does to every page
            (folder / "topics" / "page.md").read_text(encoding="utf-8")
            os.listdir(folder / "topics")
        time.sleep(0.5)
        assert seen.paths == []

        (folder / "topics" / "page.md").write_text("# Page\n\nEdited.\n", encoding="utf-8")
        assert seen.changed.wait(5)
        assert str(folder / "topics" / "page.md") in seen.paths


def test_a_save_by_renaming_a_temporary_file_is_seen(folder: Path) -> None:
    observer = serve_watch.FallbackObserver(warn=pytest.fail)
    with watching(folder, observer) as seen:
        temporary = folder / "topics" / ".page.md.swp"
        temporary.write_text("# Page\n\nSaved by rename.\n", encoding="utf-8")
        assert seen.changed.wait(5)
        seen.paths.clear()
        os.replace(temporary, folder / "topics" / "page.md")
        deadline = time.monotonic() + 5
        while str(folder / "topics" / "page.md") not in seen.paths and time.monotonic() < deadline:
            time.sleep(0.05)
        assert str(folder / "topics" / "page.md") in seen.paths


class NoWatchesLeft(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
    """File events as on a machine whose inotify limit is used up: failing where the real limit fails."""

    def __init__(self, fail_on: str) -> None:
        super().__init__()
        self.fail_on = fail_on

    def schedule(self, *args, **kwargs):
        if self.fail_on == "schedule":
            raise OSError(errno.EMFILE, "inotify instance limit reached")
        return super().schedule(*args, **kwargs)

    def start(self) -> None:
        if self.fail_on == "start":
            raise OSError(errno.ENOSPC, "inotify watch limit reached")
        super().start()


def quick_poll() -> watchdog.observers.polling.PollingObserver:
    return watchdog.observers.polling.PollingObserver(timeout=0.1)


@pytest.mark.parametrize("fail_on", ["schedule", "start"])
def test_without_file_events_it_polls_says_why_and_still_sees_a_write(folder: Path, fail_on: str) -> None:
    said: list[str] = []
    observer = serve_watch.FallbackObserver(warn=said.append, events=lambda: NoWatchesLeft(fail_on), polling=quick_poll)
    with watching(folder, observer) as seen:
        assert observer.polls and "poll" in observer.kind
        assert len(said) == 1 and "limit reached" in said[0] and "max_user_watches" in said[0]
        (folder / "topics" / "page.md").write_text("# Page\n\nEdited while polling.\n", encoding="utf-8")
        assert seen.changed.wait(5)
        assert str(folder / "topics" / "page.md") in seen.paths


def test_a_watch_scheduled_before_the_fallback_can_still_be_unscheduled(folder: Path) -> None:
    observer = serve_watch.FallbackObserver(
        warn=lambda _: None, events=lambda: NoWatchesLeft("start"), polling=quick_poll
    )
    first = observer.schedule(Seen(), str(folder), recursive=True)
    second = observer.schedule(Seen(), str(folder / "topics"), recursive=False)
    observer.start()
    try:
        assert observer.polls
        observer.unschedule(first)  # the server holds the watch the event observer gave it
        observer.unschedule(second)
        with pytest.raises(KeyError):
            observer.unschedule(first)
    finally:
        observer.stop()
        observer.join(5)
