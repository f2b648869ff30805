"""The worker process that runs one page's ``python`` blocks (started by :mod:`mathwiki.execution.runner`).

Payload: ``{"blocks": [{"source": str, "run": bool}], "output_limit": int, "page_output_limit": int,
"tree_memory_mb": int, "read_paths": [str], "landlock": int, "bindings": [...]}``. The working directory is
the page's fresh temporary folder.

The worker confines itself (:func:`mathwiki.execution.sandbox.confine`), becomes the subreaper of everything
below it and forks the *page's process*, which closes the worker's pipe to the build, drops what it may still
hold and runs the blocks. So the code never holds the channel the build reads: the page's process sends one
JSON line per event on its own pipe, and the worker checks each (:mod:`mathwiki.execution.messages`), watches
the tree's memory and process count (:mod:`mathwiki.execution.tree`), kills whatever is left when the page's
process ends, and writes the answer itself.

Blocks run in order in one namespace; what they print (``sys.stdout`` and ``sys.stderr``, interleaved) is kept
up to ``output_limit`` bytes a block and ``page_output_limit`` bytes a page, the rest only counted. After each
block every open pyplot figure is saved as PNG and closed, as Jupyter does. The first failing block stops the
page. For each checked block the worker writes ``PROGRESS <k>`` and ``DONE <json>`` on its real stderr, so
when it never answers (time limit, killed) the build still knows which block was running and what the blocks
before it printed.
"""

from __future__ import annotations

import base64
import builtins
import io
import json
import linecache
import math
import os
import sys
import traceback
from typing import Any

from mathwiki import isolation
from mathwiki.execution import messages, sandbox, tree

PROGRESS, DONE = messages.PROGRESS, messages.DONE
_MESSAGE_CAP = 2000
_TRACEBACK_CAP = 8000


class _CappedSink(io.RawIOBase):
    """Keeps the first ``limit`` bytes written to it and counts the others."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.kept = bytearray()
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        room = self.limit - len(self.kept)
        if room > 0:
            self.kept.extend(chunk[:room])
        self.dropped += max(0, len(chunk) - max(room, 0))
        return len(chunk)

    def text(self) -> str:
        return self.kept.decode("utf-8", "replace")


def _text_stream(sink: _CappedSink) -> io.TextIOWrapper:
    return io.TextIOWrapper(
        io.BufferedWriter(sink, buffer_size=8192),  # type: ignore[arg-type]
        encoding="utf-8",
        errors="backslashreplace",
        line_buffering=True,
        write_through=True,
    )


def _progress(line: str) -> None:
    try:
        os.write(2, f"{line}\n".encode())
    except OSError:
        pass


def _figures() -> list[str]:
    """Every open pyplot figure as base64 PNG (fixed metadata, so the same code gives the same bytes)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    images = []
    try:
        for number in pyplot.get_fignums():
            buffer = io.BytesIO()
            pyplot.figure(number).savefig(buffer, format="png", metadata={"Software": None})
            images.append(base64.b64encode(buffer.getvalue()).decode("ascii"))
    finally:
        pyplot.close("all")
    return images


def _block_line(tb: Any, filename: str) -> int | None:
    """The line of the innermost frame that belongs to the block (not to a library it called)."""
    line = None
    for frame, lineno in traceback.walk_tb(tb):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


def _describe(exc: BaseException, filename: str) -> dict[str, Any]:
    if isinstance(exc, SystemExit):
        code = exc.code
        shown = "sys.exit()" if code is None else f"sys.exit({code!r})"
        return {
            "kind": "exit",
            "message": f"the code called {shown}",
            "line": _block_line(exc.__traceback__, filename),
        }
    line = _block_line(exc.__traceback__, filename)
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    text = str(exc)
    message = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    frames = traceback.format_exception(exc)
    # Drop the worker's own frame (the exec call) so the traceback starts in the block.
    kept = [frames[0], *frames[2:]] if len(frames) > 2 and "Traceback" in frames[0] else frames
    return {
        "kind": "exception",
        "message": message[:_MESSAGE_CAP],
        "line": line,
        "traceback": "".join(kept)[-_TRACEBACK_CAP:],
    }


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _call_binding(namespace: dict[str, Any], binding: dict[str, Any]) -> dict[str, Any]:
    """Call ``binding["function"]`` at each probe point; return the numbers it gave, or why it could not."""
    name = binding["function"]
    function = namespace.get(name)
    if not callable(function):
        return {"error": f"the block binds '{name}', but no function of that name was defined"}
    values = []
    for point in binding["points"]:
        try:
            answer = function(**point)
        except BaseException as exc:  # noqa: BLE001 - the page's code: any failure is a finding
            args = ", ".join(f"{k}={v!r}" for k, v in point.items())
            return {"error": f"{name}({args}) raised {type(exc).__name__}: {str(exc)[:_MESSAGE_CAP]}"}
        items = answer if isinstance(answer, list | tuple) else [answer]
        try:
            numbers = [float(item) for item in items]
        except (TypeError, ValueError):
            return {"error": f"{name} must return numbers, it returned {answer!r:.200}"}
        values.append(numbers)
    return {"values": values}


def run_page(payload: dict[str, Any], send: Any) -> None:
    """The page's process: run the blocks, report each on ``send`` (one JSON line per message)."""
    limit = int(payload["output_limit"])
    budget = [int(payload.get("page_output_limit", limit))]  # bytes of output left for the whole page
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    real_stdout, real_stderr = sys.stdout, sys.stderr
    for index, block in enumerate(payload["blocks"]):
        if not block["run"]:
            continue
        send({"start": index})
        filename = f"<block {index}>"
        source = block["source"]
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        sink = _CappedSink(max(0, min(limit, budget[0])))
        stream = _text_stream(sink)
        sys.stdout = sys.stderr = stream
        error: BaseException | None = None
        try:
            exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - running page code is the point
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt are failures too
            error = exc
        finally:
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
            sys.stdout, sys.stderr = real_stdout, real_stderr
        budget[0] -= len(sink.kept)
        try:
            figures = _figures()
        except Exception as exc:  # noqa: BLE001
            figures = []
            if error is None:
                error = RuntimeError(f"could not save the figure: {type(exc).__name__}: {exc}")
        entry: dict[str, Any] = {"block": index, "output": sink.text(), "dropped": sink.dropped, "figures": figures}
        if error is not None:
            entry["failure"] = _describe(error, filename)
        send(entry)
        if error is not None:
            return
    send({"bindings": [_call_binding(namespace, binding) for binding in payload.get("bindings", ())]})


def _child(payload: dict[str, Any], write_fd: int, stderr_fd: int, memory_bytes: int) -> None:
    """In the forked page process: let go of everything of the worker's, put up the walls, run the page."""
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(stderr_fd, 1)
    os.dup2(stderr_fd, 2)
    keep = sorted({0, 1, 2, write_fd})
    for low, high in zip(keep, [*keep[1:], 1 << 16], strict=True):
        os.closerange(low + 1, high)  # the result pipe to the build among them: the page cannot write to it
    sandbox.drop_capabilities()  # the wrapper has done it already when there is one; twice does no harm
    tree.apply_rlimits(memory_bytes)
    sandbox.block_unix_sockets()
    channel = os.fdopen(write_fd, "w", encoding="utf-8", buffering=1)

    def send(message: dict[str, Any]) -> None:
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    run_page(payload, send)
    channel.close()


def handle(payload: dict[str, Any]) -> dict[str, Any]:
    """The worker: fork the page's process, watch its tree, and build the answer from what it sent, checked."""
    landlock = sandbox.confine(os.getcwd(), payload.get("read_paths", ()), abi=int(payload.get("landlock", 0)))
    memory_bytes = int(payload.get("tree_memory_mb", 0)) << 20
    tree.become_subreaper()
    read_fd, write_fd = os.pipe()
    err_read, err_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 0
        try:
            os.close(read_fd)
            os.close(err_read)
            _child(payload, write_fd, err_write, memory_bytes)
        except BaseException:  # noqa: BLE001
            code = 70
        os._exit(code)
    os.close(write_fd)
    os.close(err_write)
    reader = messages.Reader(payload)
    watch = tree.Watch(os.getpid(), memory_bytes)
    status = messages.pump(read_fd, err_read, pid, reader, watch, _progress)
    tree.kill_all(os.getpid())
    answer = reader.answer(status, watch, memory_bytes)
    answer["landlock"] = landlock
    return answer


if __name__ == "__main__":
    isolation.serve(handle)
