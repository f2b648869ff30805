"""What the page's process may tell the worker, and how the worker checks it before answering the build.

The page's code runs in a process forked from the worker (:mod:`mathwiki.execution.worker`). That process
holds no pipe to the build: it sends JSON lines on its own pipe to the worker, and the worker alone writes
the answer. Everything that comes back is therefore treated as untrusted and checked here: messages in the
order the blocks run, only for blocks that run, output within the page's limits, figures that are real PNG
images (decoded by Pillow), probe values that are numbers, one per probe point. Anything else ends the page
with a failure naming what was wrong -- never a result the build would believe.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import os
import select
from collections.abc import Callable
from typing import Any

from mathwiki.execution import tree

PROGRESS = "mathwiki-progress: block "
DONE = "mathwiki-progress: done "
_MESSAGE_BYTES = 256 << 20  # everything the page may send (figures included); beyond it the page is stopped
_FIGURE_BYTES = 32 << 20
_FIGURE_PIXELS = 40_000_000
_STDERR_BYTES = 64 << 10


class Malformed(ValueError):
    """The page's process sent something it may not send."""


def _png(text: Any) -> str:
    """Return ``text`` when it is the base64 of one real PNG image, else raise."""
    if not isinstance(text, str) or len(text) > _FIGURE_BYTES * 4 // 3 + 4:
        raise Malformed("a figure that is not base64 text of a bounded size")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Malformed("a figure that is not base64") from exc
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise Malformed(f"a figure that is {image.format or 'not an image'}, not PNG")
            width, height = image.size
            if width * height > _FIGURE_PIXELS:
                raise Malformed(f"a figure of {width}x{height} pixels")
            image.verify()
    except Malformed:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for bad data
        raise Malformed(f"a figure that is not a valid PNG ({type(exc).__name__})") from exc
    return text


class Reader:
    """Collects the page's messages in order, checking each; :meth:`answer` gives the worker's result."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.blocks_in = payload["blocks"]
        self.limit = int(payload["output_limit"])
        self.page_left = int(payload.get("page_output_limit", self.limit))
        self.bindings_in = payload.get("bindings", ())
        self.results: list[dict[str, Any]] = []
        self.failure: dict[str, Any] | None = None
        self.bindings: list[dict[str, Any]] | None = None
        self.running: int | None = None
        self.malformed: str | None = None
        self.received = 0
        self._buffer = b""

    # -- feeding ----------------------------------------------------------------------------------------------
    def feed(self, chunk: bytes, progress: Callable[[str], None]) -> None:
        if self.malformed:
            return
        self.received += len(chunk)
        if self.received > _MESSAGE_BYTES:
            self.malformed = f"the page's code sent more than {_MESSAGE_BYTES >> 20} MB of results"
            return
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                self._take(json.loads(line.decode("utf-8")), progress)
            except (Malformed, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                self.malformed = f"the page's code sent a malformed result ({exc})"
                return

    def _next_block(self) -> int:
        """The index of the next block that runs, skipped blocks recorded on the way."""
        index = len(self.results)
        while index < len(self.blocks_in) and not self.blocks_in[index]["run"]:
            self.results.append({"status": "skipped"})
            index += 1
        return index

    def _take(self, message: Any, progress: Callable[[str], None]) -> None:
        if not isinstance(message, dict):
            raise Malformed("a message that is not an object")
        if self.failure is not None or self.bindings is not None:
            raise Malformed("a message after the page ended")
        if "start" in message:
            expected = self._next_block()
            if message["start"] != expected or self.running is not None:
                raise Malformed(f"block {message['start']!r} started where block {expected} was due")
            self.running = expected
            progress(f"{PROGRESS}{expected}")
        elif "block" in message:
            if message["block"] != self.running:
                raise Malformed(f"a result for block {message['block']!r} while block {self.running} ran")
            self.running = None
            self.results.append(self._block(message, progress))
        elif "bindings" in message:
            if self.running is not None or self._next_block() != len(self.blocks_in):
                raise Malformed("probe values before every block ran")
            self.bindings = self._bindings(message["bindings"])
        else:
            raise Malformed(f"an unknown message with keys {sorted(message)[:5]}")

    def _block(self, message: dict[str, Any], progress: Callable[[str], None]) -> dict[str, Any]:
        output, dropped = message["output"], message["dropped"]
        if not isinstance(output, str) or not isinstance(dropped, int) or dropped < 0:
            raise Malformed("block output that is not text and a count")
        allowed = max(0, min(self.limit, self.page_left))
        if len(output.encode("utf-8", "surrogatepass")) > allowed + 4:  # + one character cut at the edge
            raise Malformed(f"more output than the limit of {allowed} bytes")
        self.page_left -= len(output.encode("utf-8", "surrogatepass"))
        figures = message["figures"]
        if not isinstance(figures, list) or len(figures) > 100:
            raise Malformed("figures that are not a list of at most 100")
        entry = {"status": "ok", "output": output, "dropped": dropped, "figures": [_png(f) for f in figures]}
        failure = message.get("failure")
        if failure is not None:
            if not isinstance(failure, dict) or not isinstance(failure.get("message"), str):
                raise Malformed("a failure without a message")
            line = failure.get("line")
            if line is not None and not isinstance(line, int):
                raise Malformed("a failure line that is not a number")
            entry["status"] = "failed"
            self.failure = {
                "block": message["block"],
                "kind": "exit" if failure.get("kind") == "exit" else "exception",
                "message": failure["message"][:2000],
                "line": line,
                "traceback": str(failure.get("traceback", ""))[-8000:],
            }
        else:
            progress(DONE + json.dumps({"block": message["block"], "output": output, "dropped": dropped}))
        return entry

    def _bindings(self, answers: Any) -> list[dict[str, Any]]:
        if not isinstance(answers, list) or len(answers) != len(self.bindings_in):
            raise Malformed("probe values for another number of bindings")
        checked: list[dict[str, Any]] = []
        for answer, binding in zip(answers, self.bindings_in, strict=True):
            if not isinstance(answer, dict):
                raise Malformed("probe values that are not an object")
            if "error" in answer:
                checked.append({"error": str(answer["error"])[:2000]})
                continue
            values = answer.get("values")
            if not isinstance(values, list) or len(values) != len(binding["points"]):
                raise Malformed("probe values for another number of points")
            rows = []
            for row in values:
                if not isinstance(row, list) or not all(isinstance(v, int | float) for v in row) or len(row) > 64:
                    raise Malformed("probe values that are not numbers")
                rows.append([float(v) for v in row])
            checked.append({"values": rows})
        return checked

    # -- the answer -------------------------------------------------------------------------------------------
    def answer(self, status: int, watch: Any, memory_bytes: int) -> dict[str, Any]:
        """The worker's result: the checked messages, or why the page stopped early."""
        stopped = None
        if self.malformed:
            stopped = ("bad-output", self.malformed)
        elif watch is not None and watch.tripped == "memory":
            stopped = (
                "crashed",
                f"the page's processes together used more than {memory_bytes >> 20} MB of memory "
                "(the limit covers every process the code starts)",
            )
        elif watch is not None and watch.tripped == "processes":
            stopped = ("crashed", f"the page's code ran more than {tree.MAX_PROCESSES} processes at once")
        elif self.failure is None and self.bindings is None:
            stopped = ("crashed", _ended(status))
        if stopped is not None:
            kind, message = stopped
            index = self.running if self.running is not None else self._next_block()
            if index >= len(self.blocks_in):
                index = max(0, len(self.blocks_in) - 1)
            del self.results[index:]
            while len(self.results) < index:
                self.results.append({"status": "skipped"})
            self.results.append({"status": "failed", "output": "", "dropped": 0, "figures": []})
            return {
                "blocks": self.results,
                "failure": {"block": index, "kind": kind, "message": message, "line": None},
                "bindings": [],
            }
        self._next_block()
        return {"blocks": self.results, "failure": self.failure, "bindings": self.bindings or []}


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        import signal

        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        hint = " (out of memory or CPU time?)" if name in ("SIGKILL", "SIGXCPU", "SIGSEGV", "SIGBUS") else ""
        return f"the worker was killed by {name}{hint}"
    return "the worker ended without finishing (os._exit?)"


def pump(
    messages_fd: int,
    stderr_fd: int,
    child: int,
    reader: Reader,
    watch: Any,
    progress: Callable[[str], None],
) -> int:
    """Read the page's messages and stderr until it ends; watch its memory meanwhile. Return its wait status.

    When the page's process ends, what it left running is killed, so no descendant holding the pipe can keep
    the worker waiting or send messages afterwards.
    """
    status: int | None = None
    open_fds = {messages_fd, stderr_fd}
    relayed = 0
    while open_fds:
        ready, _, _ = select.select(list(open_fds), [], [], 0.05)
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                open_fds.discard(fd)
                os.close(fd)
            elif fd == messages_fd:
                reader.feed(chunk, progress)
            elif relayed < _STDERR_BYTES:  # what C code printed: diagnostics only, never read as progress
                text = chunk[: _STDERR_BYTES - relayed].replace(b"mathwiki-progress", b"mathwiki-progresz")
                relayed += len(text)
                os.write(2, text)
        if watch is not None:
            watch.check()
        if reader.malformed and status is None:
            tree.kill_all(os.getpid())
        if status is None:
            status = tree.wait(child, block=False)
            if status is not None:
                tree.kill_all(os.getpid())
    if status is None:
        status = tree.wait(child, block=True)
    return status if status is not None else 9  # collected elsewhere without a status: report it as killed
